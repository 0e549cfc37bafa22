import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator, parseFault } from '../../emulator/index.ts';
import { caller, TOKEN } from './helpers.ts';

let emulator: Emulator;
let base: string;
let clock: number;
const call = caller(() => base);

beforeEach(async () => {
  clock = Date.parse('2025-01-16T16:15:00Z');
  emulator = new Emulator({
    token: TOKEN,
    now: () => clock,
    timings: { snapshotMs: 5_000, restoreMs: 8_000 },
  });
  emulator.model.addServer('other-token', 20001, 'someone-else');
  base = await emulator.start();
});
afterEach(() => emulator.stop());

describe('faults', () => {
  it('answers 429 with Retry-After for the next N requests, then normally', async () => {
    emulator.faults.add(parseFault('list:status:429:7@2'));
    for (let i = 0; i < 2; i++) {
      const res = await call('GET', '/snapshots/');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
    }
    expect((await call('GET', '/snapshots/')).status).toBe(200);
    expect(emulator.faults.injected.get('status 429')).toBe(2);
  });

  it.each([500, 502, 503, 504])('answers %i on demand without doing the work', async (code) => {
    emulator.faults.add({ route: 'create', kind: 'status', status: code, count: 1 });
    expect((await call('POST', '/snapshots/', { server_id: 12345, name: 'x' })).status).toBe(code);
    expect((await call('GET', '/snapshots/')).json.count).toBe(2);
  });

  it('adds latency', async () => {
    emulator.faults.add({ route: 'server', kind: 'latency', ms: 150, count: 1 });
    const started = performance.now();
    expect((await call('GET', '/servers/12345/')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('hangs a response until the client gives up', async () => {
    emulator.faults.add(parseFault('list:hang@1'));
    await expect(fetch(`${base}/snapshots/`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(emulator.log.at(-1)?.status).toBe('hang');
  });

  it('resets the connection', async () => {
    emulator.faults.add(parseFault('delete:reset@1'));
    await expect(call('DELETE', '/snapshots/801/')).rejects.toThrow();
    expect((await call('GET', '/snapshots/')).json.count).toBe(2);
  });

  it('sends a non-JSON body and a wrong-shaped one', async () => {
    emulator.faults.add(parseFault('list:garbage@1'), parseFault('list:malformed@1'));
    const html = await fetch(`${base}/snapshots/`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(await html.text()).toMatch(/<html>/);
    expect((await call('GET', '/snapshots/')).json).toEqual({ ok: true, results: 'none' });
  });

  it('does the work, then resets (ambiguous POST)', async () => {
    emulator.faults.add(parseFault('create:ambiguous@1'));
    await expect(call('POST', '/snapshots/', { server_id: 12345, name: 'maybe' })).rejects.toThrow();
    const list = await call('GET', '/snapshots/?server_id=12345');
    expect(list.json.results.filter((s) => s.name === 'maybe')).toHaveLength(1);
  });

  it('does the work, then answers 502 (ambiguous POST)', async () => {
    emulator.faults.add(parseFault('restore:ambiguous:502@1'));
    expect((await call('POST', '/snapshots/801/restore/')).status).toBe(502);
    expect((await call('GET', '/servers/12345/')).json.status).toBe('restoring');
  });

  it('applies a fault at a rate', async () => {
    let i = 0;
    const seq = [0.1, 0.9, 0.2, 0.8];
    const seeded = new Emulator({ token: TOKEN, random: () => seq[i++ % seq.length] as number });
    const url = await seeded.start();
    try {
      seeded.faults.add(parseFault('*:status:503%0.5'));
      const codes = [];
      for (let n = 0; n < 4; n++) {
        codes.push(
          (await fetch(`${url}/snapshots/`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
        );
      }
      expect(codes).toEqual([503, 200, 503, 200]);
    } finally {
      await seeded.stop();
    }
  });

  it.each([
    ['create:ambiguous@1', { route: 'create', kind: 'ambiguous', count: 1 }],
    ['list:status:429:2@3', { route: 'list', kind: 'status', status: 429, retryAfter: '2', count: 3 }],
    ['*:latency:200%0.5', { route: '*', kind: 'latency', ms: 200, rate: 0.5 }],
    ['restore:ambiguous:502', { route: 'restore', kind: 'ambiguous', status: 502 }],
  ])('parses the command-line fault %s', (text, fault) => {
    expect(parseFault(text)).toEqual(fault);
  });

  it.each(['nope', 'lists:hang', 'list:explode', 'list:status:200', 'list:latency:x'])(
    'refuses the fault %s',
    (text) => {
      expect(() => parseFault(text)).toThrow(/fault/);
    },
  );
});

describe('request log', () => {
  it('records method, path, query, body and authorization', async () => {
    await call('POST', '/snapshots/', { server_id: 12345, name: 'logged' });
    await call('GET', '/snapshots/?server_id=12345');
    expect(
      emulator.log.map(({ method, path, query, body, authorized, route, status }) => ({
        method,
        path,
        query,
        body,
        authorized,
        route,
        status,
      })),
    ).toEqual([
      {
        method: 'POST',
        path: '/api/v1/snapshots/',
        query: {},
        body: { server_id: 12345, name: 'logged' },
        authorized: true,
        route: 'create',
        status: 201,
      },
      {
        method: 'GET',
        path: '/api/v1/snapshots/',
        query: { server_id: '12345' },
        body: undefined,
        authorized: true,
        route: 'list',
        status: 200,
      },
    ]);
  });
});
