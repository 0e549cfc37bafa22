// Listing snapshots over HTTP: every page, an early stop, a filter the provider ignores, a looping next link.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator, parseFault } from '../../emulator/index.ts';
import { SnapshotsClient } from '../../src/api/client.ts';
import { addCompleted, addServers, failure, type Harness, startHarness, TOKEN } from '../helpers/emulator.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ timings: { snapshotMs: 10_000, restoreMs: 10_000 } });
});
afterEach(() => h.stop());

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

describe('an API served at the host root', () => {
  it.each([
    ['without', ''],
    ['with', '/'],
  ])(
    'asks for /snapshots/ on every page, never //snapshots/ (api_url %s a trailing slash)',
    async (_, slash) => {
      const root = new Emulator({ token: TOKEN, pageSize: 1, maxPageSize: 1 });
      const base = await root.start({ prefix: '' });
      const client = new SnapshotsClient({ baseUrl: `${base}${slash}`, token: TOKEN });
      try {
        expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect((await client.listSnapshots()).map((s) => s.id)).toEqual([801, 798]);
        expect(root.log.map((r) => [r.path, r.query.page, r.status])).toEqual([
          ['/snapshots/', undefined, 200],
          ['/snapshots/', '2', 200],
        ]);
      } finally {
        await client.close();
        await root.stop();
      }
    },
  );
});

describe('a provider that ignores the server filter', () => {
  it("returns only the asked server's snapshots, whatever the provider sent", async () => {
    h.emulator.ignoreServerFilter = true;
    addServers(h, 12346);
    addCompleted(h, 700, 12346, 'other-server-snapshot');
    const everything = await h.client.listSnapshots();
    expect(everything.map((s) => s.id).sort()).toEqual([700, 798, 801]);
    h.emulator.log.length = 0;

    const mine = await h.client.listSnapshots(12345);
    expect(mine.map((s) => s.id)).toEqual([801, 798]);
    expect(mine.every((s) => s.server.id === 12345)).toBe(true);
    expect(await h.client.listSnapshots(12346)).toMatchObject([{ id: 700, server: { id: 12346 } }]);
    expect(h.emulator.requests('list').map((r) => r.query.server_id)).toEqual(['12345', '12346']);
  });
});

describe('a next link that loops', () => {
  it('fails at once when every page points back to page 1', async () => {
    h.emulator.paginate(1);
    h.emulator.faults.add(parseFault('list:nextloop'));
    const error = await failure(h.client.listSnapshots(12345));
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toMatch(/a next link back to a page already read/);
    expect(error.message).toMatch(/pagination loops; report this to the provider/);
    expect(h.emulator.requests('list')).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it('fails after page 2 points back to page 1: two requests, not a thousand', async () => {
    h.emulator.paginate(1);
    // The first list request takes the no-op fault, the second the loop.
    h.emulator.faults.add({ route: 'list', kind: 'latency', ms: 0, count: 1 }, parseFault('list:nextloop'));
    const error = await failure(h.client.listSnapshots(12345));
    expect(error.message).toMatch(/GET \/snapshots\/\?server_id=12345&page=2 failed with a next link back/);
    expect(error.message).not.toContain('page_size');
    expect(h.emulator.requests('list').map((r) => r.query.page)).toEqual([undefined, '2']);
  });
});
