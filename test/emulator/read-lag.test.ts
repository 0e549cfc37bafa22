import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator, VirtualClock } from '../../emulator/index.ts';
import { caller, TOKEN } from './helpers.ts';

const LAG = 10_000;
let emulator: Emulator;
let clock: VirtualClock;
let base: string;
const call = caller(() => base);
const ids = async (query = '?server_id=12345') =>
  (await call('GET', `/snapshots/${query}`)).json.results.map((s) => s.id);

beforeEach(async () => {
  clock = new VirtualClock(Date.parse('2026-03-01T10:00:00Z'));
  emulator = new Emulator({
    token: TOKEN,
    now: clock.now,
    readLagMs: LAG,
    timings: { snapshotMs: 5_000, restoreMs: 8_000 },
  });
  base = await emulator.start();
});
afterEach(() => emulator.stop());

describe('read lag', () => {
  it('lists a new snapshot only readLagMs after its 201, in the status it had then', async () => {
    const created = await call('POST', '/snapshots/', { server_id: 12345, name: 'fresh' });
    expect(created.status).toBe(201);
    expect(await ids()).toEqual([801, 798]);
    await clock.sleep(LAG - 1);
    expect(await ids()).toEqual([801, 798]);
    await clock.sleep(1);
    const list = await call('GET', '/snapshots/?server_id=12345');
    expect(list.json.results[0]).toMatchObject({ id: 802, status: 'in_progress', size_mb: null });
    expect(list.json.count).toBe(3);
    await clock.sleep(4_999);
    expect((await call('GET', '/snapshots/')).json.results[0]?.status).toBe('in_progress');
    await clock.sleep(1);
    expect((await call('GET', '/snapshots/')).json.results[0]?.status).toBe('completed');
  });

  it('counts an unlisted snapshot for the limit and lets it be deleted at once', async () => {
    for (const name of ['a', 'b', 'c']) {
      expect((await call('POST', '/snapshots/', { server_id: 12345, name })).status).toBe(201);
    }
    expect(await ids()).toEqual([801, 798]);
    const sixth = await call('POST', '/snapshots/', { server_id: 12345, name: 'd' });
    expect(sixth.status).toBe(400);
    expect(sixth.json.detail).toMatch(/Snapshot limit reached/);
    expect((await call('DELETE', '/snapshots/804/')).status).toBe(204);
    expect((await call('POST', '/snapshots/', { server_id: 12345, name: 'd' })).status).toBe(201);
  });

  it('keeps a deleted snapshot in the list for readLagMs, while writes get 404 at once', async () => {
    expect((await call('DELETE', '/snapshots/801/')).status).toBe(204);
    expect((await call('DELETE', '/snapshots/801/')).status).toBe(404);
    expect((await call('POST', '/snapshots/801/restore/')).status).toBe(404);
    const list = await call('GET', '/snapshots/?server_id=12345');
    expect(list.json.results).toEqual([
      expect.objectContaining({ id: 801, status: 'completed', size_mb: 5120 }),
      expect.objectContaining({ id: 798 }),
    ]);
    await clock.sleep(LAG - 1);
    expect(await ids()).toEqual([801, 798]);
    await clock.sleep(1);
    expect(await ids()).toEqual([798]);
  });

  it('shows a snapshot made and deleted within the lag only for the time it existed', async () => {
    await call('POST', '/snapshots/', { server_id: 12345, name: 'brief' });
    await clock.sleep(3_000);
    expect((await call('DELETE', '/snapshots/802/')).status).toBe(204);
    expect(await ids()).toEqual([801, 798]);
    await clock.sleep(LAG - 3_000);
    expect(await ids()).toEqual([802, 801, 798]);
    await clock.sleep(3_000);
    expect(await ids()).toEqual([801, 798]);
  });

  it("shows the server's previous status for readLagMs after a restore, then restoring, then stopped", async () => {
    const restore = await call('POST', '/snapshots/801/restore/');
    expect(restore.json.server).toMatchObject({ status: 'restoring' });
    const status = async () => (await call('GET', '/servers/12345/')).json.status;
    expect(await status()).toBe('running');
    const create = await call('POST', '/snapshots/', { server_id: 12345, name: 'during' });
    expect(create.status).toBe(400);
    expect(create.json.detail).toMatch(/being restored/);
    await clock.sleep(LAG - 1);
    expect(await status()).toBe('running');
    await clock.sleep(1);
    expect(await status()).toBe('restoring');
    await clock.sleep(8_000 - 1);
    expect(await status()).toBe('restoring');
    await clock.sleep(1);
    expect(await status()).toBe('stopped');
  });

  it('can be changed while running; 0 shows writes at once', async () => {
    emulator.readLagMs = 0;
    await call('POST', '/snapshots/', { server_id: 12345, name: 'now' });
    expect(await ids()).toEqual([802, 801, 798]);
    emulator.readLagMs = LAG;
    expect(emulator.model.readLagMs).toBe(LAG);
    expect(await ids()).toEqual([801, 798]);
  });
});

describe('ignored server filter', () => {
  beforeEach(() => {
    emulator.readLagMs = 0;
    emulator.model.addServer(TOKEN, 12346, 'db-server-01');
    emulator.model.addServer('other-token', 20001, 'someone-else');
    emulator.model.addSnapshot({
      ...{ id: 900, serverId: 12346, name: 'db', description: '', sizeMb: 100 },
      ...{ createdAt: Date.parse('2025-02-01T00:00:00Z'), readyAt: 0 },
    });
    emulator.model.addSnapshot({
      ...{ id: 901, serverId: 20001, name: 'theirs', description: '', sizeMb: 100 },
      ...{ createdAt: Date.parse('2025-02-01T00:00:00Z'), readyAt: 0 },
    });
  });

  it('filters by server_id by default', async () => {
    expect(await ids('?server_id=12346')).toEqual([900]);
  });

  it("returns every snapshot of the account, whatever server_id asks, and nobody else's", async () => {
    emulator.ignoreServerFilter = true;
    expect(await ids('?server_id=12346')).toEqual([900, 801, 798]);
    expect(await ids('?server_id=web')).toEqual([900, 801, 798]);
    const list = await call('GET', '/snapshots/?server_id=12345');
    expect(list.json.count).toBe(3);
  });

  it('is an option of the constructor', async () => {
    const other = new Emulator({ token: TOKEN, ignoreServerFilter: true });
    other.model.addServer(TOKEN, 12346);
    const url = await other.start();
    try {
      const created = await fetch(`${url}/snapshots/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ server_id: 12346, name: 'x' }),
      });
      expect(created.status).toBe(201);
      const res = await fetch(`${url}/snapshots/?server_id=12345`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(((await res.json()) as { count: number }).count).toBe(3);
    } finally {
      await other.stop();
    }
  });
});
