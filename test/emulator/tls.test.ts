import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { Agent, ProxyAgent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator, LoopbackProxy, TEST_TLS_FILES, testTls } from '../../emulator/index.ts';
import { connectVia, TOKEN } from './helpers.ts';

const tls = testTls();
const auth = { authorization: `Bearer ${TOKEN}` };
let emulator: Emulator;
let proxy: LoopbackProxy;
let base: string;

beforeEach(async () => {
  emulator = new Emulator({ token: TOKEN });
  base = await emulator.start({ tls });
  proxy = new LoopbackProxy({ hosts: { 'api.vps.test:443': `127.0.0.1:${new URL(base).port}` } });
  await proxy.start();
});
afterEach(async () => {
  await proxy.stop();
  await emulator.stop();
});

describe('the test-only certificates', () => {
  it('are PEM files beside the emulator', () => {
    for (const path of Object.values(TEST_TLS_FILES)) expect(existsSync(path)).toBe(true);
    expect(tls.ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(tls.cert).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(tls.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });
});

describe('an HTTPS emulator', () => {
  it('serves https on loopback, trusted only with the test CA', async () => {
    expect(base).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    const refused = await fetch(`${base}/snapshots/`, { headers: auth }).catch((e: Error) => e);
    expect((refused as Error & { cause?: { code?: string } }).cause?.code).toBe(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
    const agent = new Agent({ connect: { ca: tls.ca } });
    try {
      const res = await request(`${base}/snapshots/`, { dispatcher: agent, headers: auth });
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as { count: number }).count).toBe(2);
    } finally {
      await agent.close();
    }
  });

  it('answers undici through the proxy at https://api.vps.test, with https page links', async () => {
    emulator.paginate(1);
    const agent = new ProxyAgent({ uri: proxy.url, requestTls: { ca: tls.ca } });
    try {
      const res = await request('https://api.vps.test/api/v1/snapshots/', {
        dispatcher: agent,
        headers: auth,
      });
      expect(res.statusCode).toBe(200);
      expect(await res.body.json()).toMatchObject({
        count: 2,
        next: 'https://api.vps.test/api/v1/snapshots/?page=2',
        results: [expect.objectContaining({ id: 801, name: 'pre-migration-snapshot' })],
      });
    } finally {
      await agent.close();
    }
    expect(proxy.log).toEqual([
      expect.objectContaining({ method: 'CONNECT', target: 'api.vps.test:443', status: 200 }),
    ]);
  });

  it("answers Node's https over a CONNECT tunnel, checking the name api.vps.test", async () => {
    const tunnel = await connectVia(proxy.url, 'api.vps.test:443');
    expect(tunnel.status).toBe(200);
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: 'api.vps.test',
          path: '/api/v1/snapshots/?server_id=12345',
          headers: auth,
          createConnection: () =>
            tlsConnect({ socket: tunnel.socket, servername: 'api.vps.test', ca: tls.ca }),
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toMatchObject({ count: 2, results: [{ id: 801 }, { id: 798 }] });
  });

  it('is refused for a name the certificate does not carry', async () => {
    const tunnel = await connectVia(proxy.url, 'api.vps.test:443');
    const socket = tlsConnect({ socket: tunnel.socket, servername: 'admin.vps.org', ca: tls.ca });
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => socket.once('error', resolve));
    expect(error.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    socket.destroy();
  });

  it('answers a child process given NODE_EXTRA_CA_CERTS and HTTPS_PROXY', async () => {
    const script = `fetch('https://api.vps.test/api/v1/snapshots/', { headers: { authorization: 'Bearer ${TOKEN}' } })
      .then((res) => res.json()).then((body) => console.log(JSON.stringify(body.results.map((s) => s.id))));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_EXTRA_CA_CERTS: TEST_TLS_FILES.ca,
        HTTPS_PROXY: proxy.url,
        NODE_USE_ENV_PROXY: '1',
      },
      timeout: 15_000,
    });
    expect(JSON.parse(stdout)).toEqual([801, 798]);
    expect(proxy.log[0]).toMatchObject({ target: 'api.vps.test:443', status: 200 });
  });
});
