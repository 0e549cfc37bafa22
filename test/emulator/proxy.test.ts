import { once } from 'node:events';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator, LoopbackProxy, parseFault } from '../../emulator/index.ts';
import { connectVia, TOKEN } from './helpers.ts';

let emulator: Emulator;
let proxy: LoopbackProxy;
let port: number;

interface Got {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A plain-HTTP request to the proxy in absolute form, or over `socket` (a tunnel) in origin form. */
function send(options: { url: string; method?: string; body?: string; socket?: Socket }): Promise<Got> {
  const url = new URL(options.url);
  const { hostname, port: proxyPort } = new URL(proxy.url);
  const via = options.socket;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        ...(via
          ? { createConnection: () => via, path: url.pathname + url.search }
          : { host: hostname, port: proxyPort, path: url.toString(), agent: false }),
        method: options.method ?? 'GET',
        headers: { host: url.host, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

beforeEach(async () => {
  emulator = new Emulator({ token: TOKEN });
  port = Number(new URL(await emulator.start()).port);
  proxy = new LoopbackProxy({ hosts: { 'api.vps.test:80': `127.0.0.1:${port}` } });
  await proxy.start();
});
afterEach(async () => {
  await proxy.stop();
  await emulator.stop();
});

describe('CONNECT', () => {
  it('tunnels to the mapped loopback target and logs it', async () => {
    const tunnel = await connectVia(proxy.url, 'api.vps.test:80');
    expect(tunnel.status).toBe(200);
    const got = await send({ url: 'http://api.vps.test/api/v1/snapshots/', socket: tunnel.socket });
    expect(got.status).toBe(200);
    expect(JSON.parse(got.body).count).toBe(2);
    tunnel.socket.destroy();
    expect(proxy.log).toEqual([
      expect.objectContaining({
        method: 'CONNECT',
        target: 'api.vps.test:80',
        upstream: `127.0.0.1:${port}`,
        proxyAuthorization: false,
        status: 200,
      }),
    ]);
    expect(emulator.log[0]).toMatchObject({ route: 'list', status: 200 });
  });

  it('tunnels to a loopback address asked for directly', async () => {
    const tunnel = await connectVia(proxy.url, `127.0.0.1:${port}`);
    expect(tunnel.status).toBe(200);
    tunnel.socket.destroy();
  });

  it('answers 403 to anything not on loopback, without connecting', async () => {
    const mapped = new LoopbackProxy({ hosts: { 'api.vps.test:443': '192.0.2.1:443' } });
    await mapped.start();
    try {
      for (const [via, target] of [
        [proxy, 'example.com:443'],
        [proxy, '10.1.2.3:443'],
        [mapped, 'api.vps.test:443'],
      ] as const) {
        const answer = await connectVia(via.url, target);
        expect(answer.status).toBe(403);
        answer.socket.destroy();
      }
      expect(proxy.log.map((e) => [e.target, e.status, e.upstream])).toEqual([
        ['example.com:443', 403, undefined],
        ['10.1.2.3:443', 403, undefined],
      ]);
      expect(mapped.log[0]).toMatchObject({ target: 'api.vps.test:443', status: 403 });
    } finally {
      await mapped.stop();
    }
  });

  it('answers 502 when the loopback target refuses the connection', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port: closedPort } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const answer = await connectVia(proxy.url, `127.0.0.1:${closedPort}`);
    expect(answer.status).toBe(502);
    answer.socket.destroy();
  });

  it('destroys open tunnels on stop()', async () => {
    emulator.faults.add(parseFault('list:hang@1'));
    const tunnel = await connectVia(proxy.url, 'api.vps.test:80');
    const pending = send({ url: 'http://api.vps.test/api/v1/snapshots/', socket: tunnel.socket }).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = once(tunnel.socket, 'close');
    await proxy.stop();
    await closed;
    expect(await pending).toBe('failed');
  });
});

describe('absolute-form plain HTTP', () => {
  it('forwards to the mapped target with the Host the client used, and pipes the answer back', async () => {
    emulator.paginate(1);
    const got = await send({ url: 'http://api.vps.test/api/v1/snapshots/?server_id=12345' });
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/json');
    expect(JSON.parse(got.body)).toMatchObject({
      count: 2,
      next: 'http://api.vps.test/api/v1/snapshots/?server_id=12345&page=2',
    });
    expect(proxy.log[0]).toMatchObject({
      method: 'GET',
      target: 'api.vps.test:80',
      path: '/api/v1/snapshots/?server_id=12345',
      upstream: `127.0.0.1:${port}`,
      status: 200,
    });
  });

  it('forwards a request body and the answer status', async () => {
    const body = JSON.stringify({ server_id: 12345, name: 'via-proxy' });
    const got = await send({ url: 'http://api.vps.test/api/v1/snapshots/', method: 'POST', body });
    expect(got.status).toBe(201);
    expect(emulator.log[0]).toMatchObject({ route: 'create', body: { name: 'via-proxy' } });
    expect((await send({ url: 'http://api.vps.test/api/v1/snapshots/1/', method: 'DELETE' })).status).toBe(
      404,
    );
  });

  it('answers 403 to a target not on loopback', async () => {
    const got = await send({ url: 'http://example.org/' });
    expect(got.status).toBe(403);
    expect(proxy.log[0]).toMatchObject({ method: 'GET', target: 'example.org:80', status: 403 });
    expect(emulator.log).toEqual([]);
  });
});

describe('credentials', () => {
  it('answers 407 without the right Proxy-Authorization, and tunnels with it', async () => {
    const locked = new LoopbackProxy({
      hosts: { 'api.vps.test:443': `127.0.0.1:${port}` },
      credentials: { username: 'runner', password: 's3cret' },
    });
    await locked.start();
    try {
      const none = await connectVia(locked.url, 'api.vps.test:443');
      expect(none.status).toBe(407);
      expect(none.headers['proxy-authenticate']).toBe('Basic realm="loopback-proxy"');
      const wrong = await connectVia(locked.url, 'api.vps.test:443', {
        'proxy-authorization': `Basic ${Buffer.from('runner:nope').toString('base64')}`,
      });
      expect(wrong.status).toBe(407);
      const right = await connectVia(locked.url, 'api.vps.test:443', {
        'proxy-authorization': `Basic ${Buffer.from('runner:s3cret').toString('base64')}`,
      });
      expect(right.status).toBe(200);
      for (const answer of [none, wrong, right]) answer.socket.destroy();
      expect(locked.log.map((e) => [e.proxyAuthorization, e.status])).toEqual([
        [false, 407],
        [true, 407],
        [true, 200],
      ]);
    } finally {
      await locked.stop();
    }
  });
});
