import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CREATE_MESSAGE, Emulator, RESTORE_MESSAGE } from '../../emulator/index.ts';
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

describe('the reference examples', () => {
  it('lists the seeded snapshots of server 12345 exactly as the reference shows', async () => {
    const { status, json } = await call('GET', '/snapshots/?server_id=12345');
    expect(status).toBe(200);
    expect(json).toEqual({
      count: 2,
      next: null,
      previous: null,
      results: [
        {
          id: 801,
          server: { id: 12345, name: 'web-server-01' },
          name: 'pre-migration-snapshot',
          status: 'completed',
          size_mb: 5120,
          created_at: '2025-01-15T18:30:00Z',
          description: 'Before major migration',
        },
        {
          id: 798,
          server: { id: 12345, name: 'web-server-01' },
          name: 'weekly-snapshot-2025-01-08',
          status: 'completed',
          size_mb: 4856,
          created_at: '2025-01-08T12:00:00Z',
          description: 'Weekly snapshot',
        },
      ],
    });
  });

  it('creates snapshot 802 in progress with the reference message', async () => {
    const { status, json } = await call('POST', '/snapshots/', {
      server_id: 12345,
      name: 'before-update-snapshot',
      description: 'Snapshot before system update',
    });
    expect(status).toBe(201);
    expect(json).toEqual({
      id: 802,
      server: { id: 12345, name: 'web-server-01' },
      name: 'before-update-snapshot',
      status: 'in_progress',
      size_mb: null,
      created_at: '2025-01-16T16:15:00Z',
      description: 'Snapshot before system update',
      message: CREATE_MESSAGE,
    });
  });

  it('restores from 801 with the reference answer', async () => {
    const { status, json } = await call('POST', '/snapshots/801/restore/');
    expect(status).toBe(200);
    expect(json).toEqual({
      status: 'success',
      message: RESTORE_MESSAGE,
      snapshot: { id: 801, name: 'pre-migration-snapshot', created_at: '2025-01-15T18:30:00Z' },
      server: { id: 12345, name: 'web-server-01', status: 'restoring' },
    });
  });

  it('deletes 801 with 204 and no body, then 404', async () => {
    const first = await call('DELETE', '/snapshots/801/');
    expect(first.status).toBe(204);
    expect(first.json).toBeUndefined();
    expect((await call('DELETE', '/snapshots/801/')).status).toBe(404);
    expect((await call('GET', '/snapshots/')).json.count).toBe(1);
  });
});

describe('state machine', () => {
  it('moves a snapshot from in_progress to completed with a size after the configured time', async () => {
    const created = await call('POST', '/snapshots/', { server_id: 12345, name: 'a' });
    const find = async () =>
      (await call('GET', '/snapshots/?server_id=12345')).json.results.find((s) => s.id === created.json.id);
    expect(await find()).toMatchObject({ status: 'in_progress', size_mb: null });
    clock += 4_999;
    expect((await find())?.status).toBe('in_progress');
    clock += 1;
    const done = await find();
    expect(done?.status).toBe('completed');
    expect(done?.size_mb).toBeGreaterThan(0);
  });

  it('ends snapshots as failed when asked', async () => {
    emulator.model.failingServers.add(12345);
    const created = await call('POST', '/snapshots/', { server_id: 12345, name: 'doomed' });
    clock += 5_000;
    const list = await call('GET', '/snapshots/?server_id=12345');
    expect(list.json.results.find((s) => s.id === created.json.id)).toMatchObject({
      status: 'failed',
      size_mb: null,
    });
  });

  it('puts the server in restoring, then stopped; refuses create and restore meanwhile', async () => {
    expect((await call('GET', '/servers/12345/')).json).toEqual({
      id: 12345,
      name: 'web-server-01',
      status: 'running',
    });
    await call('POST', '/snapshots/801/restore/');
    expect((await call('GET', '/servers/12345/')).json.status).toBe('restoring');
    const create = await call('POST', '/snapshots/', { server_id: 12345, name: 'during' });
    expect(create.status).toBe(400);
    expect(String(create.json.detail)).toMatch(/being restored/);
    const again = await call('POST', '/snapshots/798/restore/');
    expect(again.status).toBe(400);
    expect(String(again.json.detail)).toMatch(/not in a valid state for restoration/);
    clock += 8_000;
    expect((await call('GET', '/servers/12345/')).json.status).toBe('stopped');
  });

  it('refuses to restore a snapshot that is not completed', async () => {
    const created = await call('POST', '/snapshots/', { server_id: 12345, name: 'fresh' });
    const res = await call('POST', `/snapshots/${created.json.id}/restore/`);
    expect(res.status).toBe(400);
    expect(res.json.detail).toBe(`Snapshot ${created.json.id} is in_progress and cannot be restored.`);
  });

  it('holds at most 5 snapshots per server', async () => {
    for (const name of ['s3', 's4', 's5']) {
      expect((await call('POST', '/snapshots/', { server_id: 12345, name })).status).toBe(201);
    }
    const sixth = await call('POST', '/snapshots/', { server_id: 12345, name: 's6' });
    expect(sixth.status).toBe(400);
    expect(sixth.json.detail).toMatch(/Snapshot limit reached: server 12345 already has 5 snapshots/);
    await call('DELETE', '/snapshots/798/');
    expect((await call('POST', '/snapshots/', { server_id: 12345, name: 's6' })).status).toBe(201);
  });

  it('gives increasing IDs', async () => {
    const a = await call('POST', '/snapshots/', { server_id: 12345, name: 'one' });
    const b = await call('POST', '/snapshots/', { server_id: 12345, name: 'two' });
    expect(Number(b.json.id)).toBeGreaterThan(Number(a.json.id));
  });
});

describe('validation', () => {
  it.each([
    [{ name: 'x' }, { server_id: ['This field is required.'] }],
    [{ server_id: 'abc', name: 'x' }, { server_id: ['A valid integer is required.'] }],
    [{ server_id: 1.5, name: 'x' }, { server_id: ['A valid integer is required.'] }],
    [{ server_id: 12345 }, { name: ['This field is required.'] }],
    [{ server_id: 12345, name: '' }, { name: ['This field may not be blank.'] }],
    [
      { server_id: 12345, name: 'has space' },
      { name: ['Name may contain only letters, digits, dashes and underscores.'] },
    ],
    [
      { server_id: 12345, name: 'x'.repeat(101) },
      { name: ['Ensure this field has no more than 100 characters.'] },
    ],
    [{ server_id: 12345, name: 'x', description: 5 }, { description: ['Not a valid string.'] }],
    [[1, 2], { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] }],
  ])('create %j answers 400 %j', async (body, errors) => {
    const res = await call('POST', '/snapshots/', body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual(errors);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const res = await call('POST', '/snapshots/', '{nope');
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/JSON parse error/);
  });

  it('answers 400 to a non-integer server_id filter', async () => {
    const res = await call('GET', '/snapshots/?server_id=web');
    expect(res).toMatchObject({ status: 400, json: { server_id: ['Enter a whole number.'] } });
  });

  it('answers 404 for an unknown server and 405 for a wrong method', async () => {
    expect(await call('POST', '/snapshots/', { server_id: 999, name: 'x' })).toMatchObject({
      status: 404,
      json: { detail: 'Server not found.' },
    });
    expect((await call('PUT', '/snapshots/801/')).status).toBe(405);
    expect((await call('GET', '/snapshots')).status).toBe(404);
  });
});

describe('auth and ownership', () => {
  it('answers 401 without a token and with a wrong one', async () => {
    expect(await call('GET', '/snapshots/', undefined, null)).toMatchObject({
      status: 401,
      json: { detail: 'Authentication credentials were not provided.' },
    });
    expect(await call('GET', '/snapshots/', undefined, 'wrong')).toMatchObject({
      status: 401,
      json: { detail: 'Invalid token.' },
    });
    expect(emulator.log.map((e) => e.authorized)).toEqual([false, false]);
  });

  it("hides another account's servers and snapshots behind 404", async () => {
    expect((await call('GET', '/snapshots/', undefined, 'other-token')).json.count).toBe(0);
    for (const [method, path] of [
      ['POST', '/snapshots/801/restore/'],
      ['DELETE', '/snapshots/801/'],
      ['GET', '/servers/12345/'],
    ] as const) {
      expect((await call(method, path, undefined, 'other-token')).status).toBe(404);
    }
    expect((await call('POST', '/snapshots/', { server_id: 20001, name: 'x' })).status).toBe(404);
    expect((await call('GET', '/snapshots/')).json.count).toBe(2);
  });
});

describe('pagination', () => {
  it('pages like Django REST Framework and the next links lead through every page', async () => {
    emulator.paginate(2);
    emulator.model.addServer(TOKEN, 12346);
    for (const name of ['a', 'b', 'c']) await call('POST', '/snapshots/', { server_id: 12346, name });
    const first = await call('GET', '/snapshots/');
    expect(first.json).toMatchObject({ count: 5, previous: null });
    expect(first.json.next).toBe(`${base}/snapshots/?page=2`);
    const seen = first.json.results.map((s) => s.id);
    let next = first.json.next as string | null;
    let pages = 1;
    while (next && pages < 10) {
      const page = await call('GET', next.slice(base.length));
      seen.push(...page.json.results.map((s) => s.id));
      expect(page.json.previous).not.toBeNull();
      next = page.json.next as string | null;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([804, 803, 802, 801, 798]);
    expect((await call('GET', '/snapshots/?page=4')).status).toBe(404);
  });
});
