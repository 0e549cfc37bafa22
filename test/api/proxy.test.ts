// The runner's proxy: HTTPS_PROXY is followed through a real CONNECT tunnel to an HTTPS emulator standing in
// for api.vps.test; NO_PROXY and loopback go direct. Nothing here leaves the machine.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator, LoopbackProxy, TEST_TLS_FILES, testTls } from '../../emulator/index.ts';
import { proxyFor } from '../../src/api/proxy.ts';
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

  it('goes direct for a host in NO_PROXY (here: a lookup the child refuses), not through the proxy', async () => {
    const proxyUrl = await startProxy();
    const result = await listInChild(API, TOKEN, 12345, {
      HTTPS_PROXY: proxyUrl,
      NO_PROXY: 'api.vps.test',
      NODE_EXTRA_CA_CERTS: TEST_TLS_FILES.ca,
    });
    expect(result.ids).toBeUndefined();
    expect(result.error).toMatch(/a network error \(EBLOCKED\)/);
    expect(result.blocked).toContain('api.vps.test');
    expect(proxy.log).toEqual([]);
  });
});

describe('proxyFor: the toolkit rules', () => {
  const NAMES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
    for (const n of NAMES) delete process.env[n];
  });
  afterEach(() => {
    for (const n of NAMES) {
      if (saved[n] === undefined) delete process.env[n];
      else process.env[n] = saved[n];
    }
  });

  it('uses HTTPS_PROXY (either case) for https, HTTP_PROXY for http', () => {
    expect(proxyFor(new URL(API))).toBeUndefined();
    process.env.HTTPS_PROXY = 'http://proxy.corp:3128';
    expect(proxyFor(new URL(API))).toEqual({ uri: 'http://proxy.corp:3128/' });
    delete process.env.HTTPS_PROXY;
    process.env.https_proxy = 'http://lower.corp:8080';
    expect(proxyFor(new URL(API))?.uri).toBe('http://lower.corp:8080/');
    expect(proxyFor(new URL('http://api.vps.test/api/v1'))).toBeUndefined();
    process.env.HTTP_PROXY = 'http://plain.corp:3128';
    expect(proxyFor(new URL('http://api.vps.test/api/v1'))?.uri).toBe('http://plain.corp:3128/');
  });

  it('takes credentials out of the URL into a Basic token', () => {
    process.env.HTTPS_PROXY = 'http://runner:p%40ss@proxy.corp:3128';
    expect(proxyFor(new URL(API))).toEqual({
      uri: 'http://proxy.corp:3128/',
      token: `Basic ${Buffer.from('runner:p@ss').toString('base64')}`,
    });
  });

  it('goes direct for NO_PROXY hosts, their subdomains and *, and always for loopback', () => {
    process.env.HTTPS_PROXY = 'http://proxy.corp:3128';
    process.env.NO_PROXY = 'example.org, api.vps.test';
    expect(proxyFor(new URL(API))).toBeUndefined();
    process.env.NO_PROXY = 'vps.test';
    expect(proxyFor(new URL(API))).toBeUndefined();
    process.env.NO_PROXY = 'other.test';
    expect(proxyFor(new URL(API))).toBeDefined();
    delete process.env.NO_PROXY;
    process.env.no_proxy = '*';
    expect(proxyFor(new URL(API))).toBeUndefined();
    delete process.env.no_proxy;
    for (const url of ['https://127.0.0.1:8443/api/v1', 'https://localhost/api/v1', 'https://[::1]/api/v1'])
      expect(proxyFor(new URL(url))).toBeUndefined();
  });
});
