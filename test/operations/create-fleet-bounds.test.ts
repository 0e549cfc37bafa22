// A fleet create touches only its own servers' snapshots, and sends at most four creates at once.
// With a fake context against the emulator; the account also has a server that is not in the fleet.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCreate } from '../../src/operations/create/index.ts';
import { fakeContext } from '../helpers/context.ts';
import { addCompleted, addServers, type Harness, startHarness } from '../helpers/emulator.ts';
import { createSettings } from '../helpers/settings.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ timings: { snapshotMs: 10_000 } });
});
afterEach(() => h.stop());

const DAY = 86_400_000;
const exists = (id: number) => h.emulator.model.snapshots.has(id);
const deletedPaths = () => h.emulator.requests('delete').map((r) => r.path);

describe('a fleet create and the servers outside it', () => {
  /** Server 12347, not in the fleet, has four old completed prefixed snapshots (700-703). */
  function bystander(): number[] {
    addServers(h, 12346, 12347);
    return [700, 701, 702, 703].map(
      (id, i) => addCompleted(h, id, 12347, `pre-deploy-b${i}`, (9 - i) * DAY).id,
    );
  }

  it("rotates each fleet server's own snapshots, never another server's", async () => {
    const theirs = bystander();
    const ownOld = addCompleted(h, 790, 12345, 'pre-deploy-old', 2 * DAY);
    const { ctx, rec } = fakeContext(h, 'create');
    await runCreate(createSettings(h, { serverIds: [12345, 12346], keep: 1, name: 'pre-deploy-mine' }), ctx);
    expect(rec.outputs.status).toBe('completed');
    // Rotation ran: server 12345 kept its new snapshot and lost its older one.
    expect(exists(ownOld.id)).toBe(false);
    expect(rec.outputs.deleted_ids).toEqual([ownOld.id]);
    for (const id of theirs) expect(exists(id)).toBe(true);
    expect(deletedPaths()).toEqual([`/api/v1/snapshots/${ownOld.id}/`]);
    expect(rec.record.deleted.map((d) => d.serverId)).toEqual([12345]);
  });

  it("makes room under the limit from the server's own snapshots, counting only them", async () => {
    const theirs = bystander();
    // 12346 is at the limit with two prefixed snapshots; 12345 (two seeded) has room.
    const full = [710, 711, 712].map((id, i) => addCompleted(h, id, 12346, `manual-${i}`, 5 * DAY).id);
    const oldest = addCompleted(h, 713, 12346, 'pre-deploy-x', 4 * DAY).id;
    addCompleted(h, 714, 12346, 'pre-deploy-y', 3 * DAY);
    const { ctx, rec } = fakeContext(h, 'create');
    await runCreate(createSettings(h, { serverIds: [12345, 12346], keep: 2, name: 'pre-deploy-mine' }), ctx);
    expect(rec.outputs.status).toBe('completed');
    expect(rec.record.deleted).toEqual([
      { serverId: 12346, snapshotId: oldest, name: 'pre-deploy-x', why: 'room under the limit of 5' },
    ]);
    for (const id of [...theirs, ...full]) expect(exists(id)).toBe(true);
    expect(deletedPaths()).toEqual([`/api/v1/snapshots/${oldest}/`]);
  });
});

describe('a fleet of ten', () => {
  it('never has more than four creates in flight at the provider', async () => {
    const fleet = Array.from({ length: 10 }, (_, i) => 20_001 + i);
    addServers(h, ...fleet);
    // Each create is answered 200 ms after it arrives, so the creates sent together are in flight together.
    h.emulator.faults.add({ route: 'create', kind: 'latency', ms: 200 });
    // When the provider does the work of one create, the creates it has received and not yet answered.
    let most = 0;
    const model = h.emulator.model;
    const make = model.createSnapshot.bind(model);
    model.createSnapshot = (...args: Parameters<typeof make>) => {
      const inFlight = h.emulator.requests('create').filter((r) => r.status === 0).length;
      most = Math.max(most, inFlight);
      return make(...args);
    };
    const { ctx, rec } = fakeContext(h, 'create');
    await runCreate(createSettings(h, { serverIds: fleet, name: 'pre-deploy-fleet' }), ctx);
    expect(rec.outputs.status).toBe('completed');
    expect(h.emulator.requests('create')).toHaveLength(10);
    expect(Object.keys(rec.outputs.snapshot_ids ?? {})).toHaveLength(10);
    expect(most).toBeLessThanOrEqual(4);
    // The probe sees overlap at all (the creates sent together are in flight together).
    expect(most).toBeGreaterThan(1);
  });
});
