// The runner's proxy: HTTPS_PROXY is followed through a real CONNECT tunnel to an HTTPS emulator standing in
// for api.vps.test; NO_PROXY and loopback go direct. Nothing here leaves the machine.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator, LoopbackProxy, TEST_TLS_FILES, testTls } from '../../emulator/index.ts';
import { proxyVariable } from '../../src/api/transport.ts';
import { listInChild } from '../helpers/child-client.ts';
import { TOKEN } from '../helpers/emulator.ts';

const API = 'https://api.vps.test/api/v1';

describe('through a proxy (a child process that trusts the test CA)', () => {
  let emulator: Emulator;
  let proxy: LoopbackProxy;
  let port: string;
  beforeEach(async () => {
    emulator = new Emulator({ token: TOKEN });
    port = new URL(await emulator.start({ tls: testTls() })).port;
  });
  afterEach(async () => {
    await proxy.stop();
    await emulator.stop();
  });

  async function startProxy(credentials?: { username: string; password: string }): Promise<string> {
    proxy = new LoopbackProxy({ hosts: { 'api.vps.test:443': `127.0.0.1:${port}` }, credentials });
    return proxy.start();
  }

  it('reaches the API with a CONNECT to its host, and never resolves the name itself', async () => {
    const proxyUrl = await startProxy();
    const result = await listInChild(API, TOKEN, 12345, {
      HTTPS_PROXY: proxyUrl,
      NODE_EXTRA_CA_CERTS: TEST_TLS_FILES.ca,
    });
    expect(result).toEqual({ ids: [801, 798], blocked: [] });
    expect(proxy.log).toMatchObject([{ method: 'CONNECT', target: 'api.vps.test:443', status: 200 }]);
    expect(emulator.requests('list')).toMatchObject([{ query: { server_id: '12345' }, authorized: true }]);
  });

  it("passes the proxy URL's credentials as Proxy-Authorization", async () => {
    const proxyUrl = await startProxy({ username: 'runner', password: 'p@ss word' });
    const withCredentials = proxyUrl.replace('http://', `http://runner:${encodeURIComponent('p@ss word')}@`);
    const result = await listInChild(API, TOKEN, 12345, {
      https_proxy: withCredentials,
      NODE_EXTRA_CA_CERTS: TEST_TLS_FILES.ca,
    });
    expect(result.ids).toEqual([801, 798]);
    expect(proxy.log).toMatchObject([{ method: 'CONNECT', proxyAuthorization: true, status: 200 }]);
  });

  it.each([
    ['the host', 'api.vps.test'],
    ['a parent domain (its subdomains too)', 'example.org, vps.test'],
    ['*', '*'],
  ])('goes direct for NO_PROXY naming %s (here: a lookup the child refuses)', async (_, noProxy) => {
    const proxyUrl = await startProxy();
    const result = await listInChild(API, TOKEN, 12345, {
      HTTPS_PROXY: proxyUrl,
      no_proxy: noProxy,
      NODE_EXTRA_CA_CERTS: TEST_TLS_FILES.ca,
    });
    expect(result.ids).toBeUndefined();
    expect(result.error).toMatch(/a network error \(EBLOCKED\)/);
    expect(result.blocked).toContain('api.vps.test');
    expect(proxy.log).toEqual([]);
  });

  it('goes direct to loopback, whatever the proxy variables say', async () => {
    await startProxy();
    const result = await listInChild(emulator.baseUrl, TOKEN, 12345, {
      HTTPS_PROXY: proxy.url,
      NODE_EXTRA_CA_CERTS: TEST_TLS_FILES.ca,
    });
    expect(result).toEqual({ ids: [801, 798], blocked: [] });
    expect(proxy.log).toEqual([]);
  });
});

describe('which proxy applies', () => {
  it("is the scheme's variable, either case, https falling back to http; never for loopback", () => {
    expect(proxyVariable(new URL(API), {})).toBeUndefined();
    expect(proxyVariable(new URL(API), { HTTPS_PROXY: 'http://p:1' })).toBe('HTTPS_PROXY');
    expect(proxyVariable(new URL(API), { https_proxy: 'http://p:1', HTTPS_PROXY: 'x' })).toBe('https_proxy');
    expect(proxyVariable(new URL(API), { HTTP_PROXY: 'http://p:1' })).toBe('HTTP_PROXY');
    expect(proxyVariable(new URL('http://localhost:8/api'), { http_proxy: 'http://p:1' })).toBeUndefined();
    for (const url of ['https://127.0.0.1:8443/api/v1', 'https://localhost/api/v1', 'https://[::1]/api/v1'])
      expect(proxyVariable(new URL(url), { HTTPS_PROXY: 'http://p:1' })).toBeUndefined();
  });
});
