import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { SnapshotsClient } from '../../src/api/client.ts';
import { ApiError } from '../../src/api/errors.ts';
import { type Harness, startHarness, TOKEN } from '../helpers/emulator.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ timings: { snapshotMs: 10_000, restoreMs: 10_000 } });
});
afterEach(() => h.stop());

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect((error as Error).message).not.toContain(TOKEN);
  return error as ApiError;
}

const names = async (serverId = 12345) => (await h.client.listSnapshots(serverId)).map((s) => s.name);

describe('list', () => {
  it('reads the seeded snapshots as typed objects', async () => {
    const list = await h.client.listSnapshots(12345);
    expect(list.map((s) => [s.id, s.status, s.size_mb])).toEqual([
      [801, 'completed', 5120],
      [798, 'completed', 4856],
    ]);
    expect(h.emulator.log[0]?.query).toEqual({ server_id: '12345', page_size: '100' });
  });

  it('follows next through every page', async () => {
    h.emulator.paginate(2);
    for (const name of ['a', 'b', 'c']) await h.client.createSnapshot({ serverId: 12345, name }, new Set());
    h.emulator.log.length = 0;
    expect((await h.client.listSnapshots()).map((s) => s.id)).toEqual([804, 803, 802, 801, 798]);
    expect(h.emulator.requests('list')).toHaveLength(3);
  });

  it('stops early when the caller has what it needs', async () => {
    h.emulator.paginate(1);
    const seen = await h.client.listSnapshots(undefined, { enough: (s) => s.some((x) => x.id === 801) });
    expect(seen.map((s) => s.id)).toEqual([801]);
    expect(h.emulator.requests('list')).toHaveLength(1);
  });
});

describe('errors carry status, the provider message, method, path and a hint', () => {
  it('401 points at the token', async () => {
    const client = new SnapshotsClient({ baseUrl: h.emulator.baseUrl, token: 'wrong-token' });
    const error = await failure(client.listSnapshots());
    await client.close();
    expect(error).toMatchObject({ kind: 'http', status: 401, method: 'GET', path: '/snapshots/' });
    expect(error.message).toBe(
      'GET /snapshots/ failed with HTTP 401: Invalid token. Check the api_token secret: it is missing, mistyped, expired or lacks access',
    );
  });

  it('400 field errors are shown in the provider words', async () => {
    const error = await failure(h.client.createSnapshot({ serverId: 12345, name: 'bad name' }, new Set()));
    expect(error.status).toBe(400);
    expect(error.providerMessage).toBe(
      'name: Name may contain only letters, digits, dashes and underscores.',
    );
  });

  it('404 on create points at server_id, on delete at snapshot_id', async () => {
    expect((await failure(h.client.createSnapshot({ serverId: 999, name: 'x' }, new Set()))).hint).toMatch(
      /server_id/,
    );
    expect((await failure(h.client.deleteSnapshot(4242))).hint).toMatch(/snapshot_id/);
    expect((await failure(h.client.getServer(999))).hint).toMatch(/server_id/);
  });

  it('the limit suggests list or keep', async () => {
    for (const name of ['c', 'd', 'e']) await h.client.createSnapshot({ serverId: 12345, name }, new Set());
    const error = await failure(h.client.createSnapshot({ serverId: 12345, name: 'f' }, new Set()));
    expect(error.providerMessage).toMatch(/Snapshot limit reached/);
    expect(error.hint).toMatch(/keep/);
    expect(h.emulator.requests('create')).toHaveLength(4);
  });

  it('a body that is not the documented shape is a clear error', async () => {
    h.emulator.faults.add(parseFault('server:malformed@10'));
    const error = await failure(h.client.getServer(12345));
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toMatch(/id should be an integer, but it is missing/);
  });

  it('HTML where JSON was expected is retried, then a clear error', async () => {
    h.emulator.faults.add(parseFault('list:garbage@10'));
    const error = await failure(h.client.listSnapshots());
    expect(error.message).toMatch(/not JSON.*<html>/);
    expect(h.emulator.requests('list')).toHaveLength(5);
  });
});

describe('retries of GET and DELETE', () => {
  it.each([429, 500, 502, 503, 504])('retries %i with backoff and succeeds', async (status) => {
    h.emulator.faults.add({ route: 'list', kind: 'status', status, count: 2 });
    expect(await h.client.listSnapshots()).toHaveLength(2);
    expect(h.emulator.requests('list')).toHaveLength(3);
    expect(h.sleeps).toEqual([250, 500]);
  });

  it('honours Retry-After in seconds and as a date', async () => {
    h.emulator.faults.add(parseFault('list:status:429:3@1'));
    h.emulator.faults.add({
      route: 'list',
      kind: 'status',
      status: 429,
      retryAfter: new Date(h.clock.time + 7_000).toUTCString(),
      count: 1,
    });
    await h.client.listSnapshots();
    expect(h.sleeps[0]).toBe(3_000);
    expect(h.sleeps[1]).toBeGreaterThan(3_000);
    expect(h.sleeps[1]).toBeLessThanOrEqual(4_000);
  });

  it('does not wait for a Retry-After beyond two minutes', async () => {
    h.emulator.faults.add(parseFault('list:status:429:3600@1'));
    const error = await failure(h.client.listSnapshots());
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(3_600_000);
  });

  it('retries resets and hung answers', async () => {
    const quick = await startHarness({ headersMs: 300 });
    try {
      quick.emulator.faults.add(parseFault('list:reset@1'), parseFault('list:hang@1'));
      expect(await quick.client.listSnapshots()).toHaveLength(2);
      expect(quick.emulator.requests('list').map((r) => r.status)).toEqual(['reset', 'hang', 200]);
    } finally {
      await quick.stop();
    }
  });

  it('gives up after a bounded number of attempts', async () => {
    h.emulator.faults.add(parseFault('list:status:503'));
    const error = await failure(h.client.listSnapshots());
    expect(error.status).toBe(503);
    expect(h.emulator.requests('list')).toHaveLength(5);
    expect(h.sleeps).toEqual([250, 500, 1000, 2000]);
  });

  it('does not retry a client error', async () => {
    await failure(h.client.getServer(31337));
    expect(h.emulator.requests('server')).toHaveLength(1);
  });

  it('counts a DELETE whose retry finds it gone as deleted', async () => {
    h.emulator.faults.add(parseFault('delete:ambiguous:502@1'));
    expect(await h.client.deleteSnapshot(801)).toEqual({ alreadyGone: true });
    expect(await names()).toEqual(['weekly-snapshot-2025-01-08']);
  });

  it('fails a DELETE of a snapshot that never existed', async () => {
    expect((await failure(h.client.deleteSnapshot(4242))).status).toBe(404);
  });
});

describe('create never makes a duplicate', () => {
  it.each([
    ['a reset after the work', 'create:ambiguous@1'],
    ['a 502 after the work', 'create:ambiguous:502@1'],
    ['a 500 after the work', 'create:ambiguous:500@1'],
  ])('adopts the snapshot after %s', async (_, fault) => {
    h.emulator.faults.add(parseFault(fault));
    const result = await h.client.createSnapshot({ serverId: 12345, name: 'pre-deploy-1' });
    expect(result.adopted).toBe(true);
    expect(result.snapshot).toMatchObject({ name: 'pre-deploy-1', status: 'in_progress' });
    expect((await names()).filter((n) => n === 'pre-deploy-1')).toHaveLength(1);
    expect(h.emulator.requests('create')).toHaveLength(1);
  });

  it.each([
    ['a 503 before the work', 'create:status:503@1'],
    ['a reset before the work', 'create:reset@1'],
    ['HTML instead of JSON', 'create:garbage@1'],
  ])('sends again after %s, once it knows there is none', async (_, fault) => {
    h.emulator.faults.add(parseFault(fault));
    const result = await h.client.createSnapshot(
      { serverId: 12345, name: 'pre-deploy-2' },
      new Set([801, 798]),
    );
    expect(result.adopted).toBe(false);
    expect((await names()).filter((n) => n === 'pre-deploy-2')).toHaveLength(1);
    expect(h.emulator.requests('create')).toHaveLength(2);
  });

  it('sends again after a hung answer', async () => {
    const quick = await startHarness({ headersMs: 300 });
    try {
      quick.emulator.faults.add(parseFault('create:hang@1'));
      const result = await quick.client.createSnapshot({ serverId: 12345, name: 'after-hang' });
      expect(result.snapshot.name).toBe('after-hang');
      expect(quick.emulator.requests('create').map((r) => r.status)).toEqual(['hang', 201]);
    } finally {
      await quick.stop();
    }
  });

  it('waits out a 429 and sends again', async () => {
    h.emulator.faults.add(parseFault('create:status:429:2@1'));
    await h.client.createSnapshot({ serverId: 12345, name: 'throttled' }, new Set());
    expect(h.sleeps).toEqual([2_000]);
    expect(await names()).toContain('throttled');
  });

  it('does not adopt an older snapshot that has the same name', async () => {
    const old = await h.client.createSnapshot({ serverId: 12345, name: 'same' }, new Set());
    h.emulator.faults.add(parseFault('create:status:502@1'));
    const result = await h.client.createSnapshot({ serverId: 12345, name: 'same' });
    expect(result.snapshot.id).not.toBe(old.snapshot.id);
    expect((await names()).filter((n) => n === 'same')).toHaveLength(2);
  });

  it('stops after three attempts with an error that says nothing was made', async () => {
    h.emulator.faults.add(parseFault('create:status:503'));
    const error = await failure(h.client.createSnapshot({ serverId: 12345, name: 'never' }));
    expect(error.kind).toBe('ambiguous');
    expect(error.message).toMatch(/No snapshot named 'never' exists on server 12345/);
    expect(h.emulator.requests('create')).toHaveLength(3);
  });
});

describe('restore', () => {
  it('starts a restore and reports the server restoring', async () => {
    const result = await h.client.restoreSnapshot(801, { id: 12345 });
    expect(result).toMatchObject({
      adopted: false,
      server: { id: 12345, status: 'restoring' },
      snapshot: { id: 801 },
    });
  });

  it('adopts a restore whose answer was lost', async () => {
    h.emulator.faults.add(parseFault('restore:ambiguous@1'));
    const result = await h.client.restoreSnapshot(801, { id: 12345, statusBefore: 'running' });
    expect(result).toMatchObject({ adopted: true, server: { status: 'restoring' } });
    expect(h.emulator.requests('restore')).toHaveLength(1);
  });

  it('sends again when the answer was lost before the work', async () => {
    h.emulator.faults.add(parseFault('restore:status:502@1'));
    const result = await h.client.restoreSnapshot(801, { id: 12345, statusBefore: 'running' });
    expect(result.adopted).toBe(false);
    expect(h.emulator.requests('restore')).toHaveLength(2);
  });

  it('passes on the provider refusal of an unfinished snapshot', async () => {
    const created = await h.client.createSnapshot({ serverId: 12345, name: 'fresh' }, new Set());
    const error = await failure(h.client.restoreSnapshot(created.snapshot.id));
    expect(error.providerMessage).toMatch(/is in_progress and cannot be restored/);
  });
});

describe('the token stays private', () => {
  it('refuses plain http to a host that is not loopback', () => {
    expect(() => new SnapshotsClient({ baseUrl: 'http://api.example.com/api/v1', token: 't' })).toThrow(
      /plain http:\/\/ to a host that is not loopback/,
    );
    for (const url of [
      'http://localhost:1/api',
      'http://127.0.0.9:1',
      'http://[::1]:1/api',
      'https://a.example/api',
    ]) {
      expect(() => new SnapshotsClient({ baseUrl: url, token: 't' })).not.toThrow();
    }
  });

  it('does not follow a redirect to another origin', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const target = createServer((req, res) => {
      seen.push(req.headers);
      res.end('{}');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const port = (target.address() as AddressInfo).port;
    let redirects = 0;
    const redirector = createServer((_req, res) => {
      redirects += 1;
      res.writeHead(302, { location: `http://localhost:${port}/api/v1/snapshots/` });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    const client = new SnapshotsClient({
      baseUrl: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/api/v1`,
      token: TOKEN,
    });
    try {
      const error = await failure(client.listSnapshots());
      expect(error.message).toMatch(/redirect to http:\/\/localhost:\d+/);
      expect(seen).toHaveLength(0);
      expect(redirects).toBe(1);
    } finally {
      await client.close();
      target.closeAllConnections();
      redirector.closeAllConnections();
      target.close();
      redirector.close();
    }
  });

  it('sends the token only in the Authorization header', async () => {
    await h.client.listSnapshots(12345);
    for (const entry of h.emulator.log) {
      expect(JSON.stringify({ path: entry.path, query: entry.query, body: entry.body })).not.toContain(TOKEN);
      expect(entry.authorized).toBe(true);
    }
  });
});

describe('create when even the check fails', () => {
  it('says the outcome is unknown and what to check, and sends nothing more', async () => {
    h.emulator.faults.add(parseFault('create:ambiguous@1'), parseFault('list:status:503'));
    const error = await failure(h.client.createSnapshot({ serverId: 12345, name: 'unsure' }, new Set()));
    expect(error.kind).toBe('ambiguous');
    expect(error.message).toMatch(/an unknown outcome .*the check failed too .*HTTP 503/);
    expect(error.message).toMatch(/Server 12345 may have a new snapshot named 'unsure': list its snapshots/);
    expect(h.emulator.requests('create')).toHaveLength(1);
  });
});
