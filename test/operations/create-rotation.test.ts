// create's deletions with a fake context against the emulator: room under the limit before the create,
// rotation after it completed, with another run at work on the same server; a snapshot already gone is gone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { runCreate } from '../../src/operations/create/index.ts';
import { renderSummary } from '../../src/reporting/summary.ts';
import { fakeContext } from '../helpers/context.ts';
import { addCompleted, type Harness, startHarness, TOKEN } from '../helpers/emulator.ts';
import { createSettings } from '../helpers/settings.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ timings: { snapshotMs: 10_000 } });
});
afterEach(() => h.stop());

const DAY = 86_400_000;
const exists = (id: number | undefined) => id !== undefined && h.emulator.model.snapshots.has(id);

describe('making room under the limit', () => {
  it('deletes the oldest completed prune_prefix snapshot first, then creates', async () => {
    const a = addCompleted(h, 790, 12345, 'pre-deploy-a', 3 * DAY);
    addCompleted(h, 791, 12345, 'pre-deploy-b', 2 * DAY);
    addCompleted(h, 792, 12345, 'pre-deploy-c', DAY);
    const { ctx, rec } = fakeContext(h, 'create');
    await runCreate(createSettings(h, { keep: 3 }), ctx);
    expect(exists(a.id)).toBe(false);
    expect(h.emulator.log.filter((r) => r.method !== 'GET').map((r) => r.method)).toEqual(['DELETE', 'POST']);
    expect(rec.outputs.deleted_ids).toEqual([790]);
    expect(rec.record.deleted).toEqual([
      { serverId: 12345, snapshotId: 790, name: 'pre-deploy-a', why: 'room under the limit of 5' },
    ]);
    expect(rec.outputs.status).toBe('completed');
    expect(renderSummary(rec.record)).toContain('**Deleted**');
  });

  it('takes a 404 as already gone: a note, not a warning', async () => {
    addCompleted(h, 790, 12345, 'pre-deploy-a', 3 * DAY);
    addCompleted(h, 791, 12345, 'pre-deploy-b', 2 * DAY);
    addCompleted(h, 792, 12345, 'pre-deploy-c', DAY);
    h.emulator.faults.add(parseFault('delete:gone@1'));
    const { ctx, rec } = fakeContext(h, 'create');
    await runCreate(createSettings(h, { keep: 3 }), ctx);
    expect(rec.record.deleted).toEqual([
      {
        serverId: 12345,
        snapshotId: 790,
        name: 'pre-deploy-a',
        why: 'room under the limit of 5',
        note: 'it was already gone',
      },
    ]);
    expect(rec.logger.warnings).toEqual([]);
    expect(rec.outputs).toMatchObject({ status: 'completed', deleted_ids: [790] });
  });
});

describe('rotation with another run at work on the same server', () => {
  /**
   * Server 12345 holds an old completed pre-deploy snapshot and an older unfinished one; while this run
   * waits, another run's snapshot appears and completes, newer than this run's own.
   */
  function concurrentRun() {
    const old = addCompleted(h, 790, 12345, 'pre-deploy-old', 2 * DAY);
    const unfinished = h.emulator.model.addSnapshot({
      id: 791,
      serverId: 12345,
      name: 'pre-deploy-unfinished',
      description: '',
      createdAt: h.clock.time - DAY,
      readyAt: h.clock.time + 365 * DAY,
      sizeMb: 1,
    });
    const newer: { id?: number } = {};
    h.clock.onSleep = (clock) => {
      if (newer.id !== undefined) return;
      const server = h.emulator.model.accounts.get(TOKEN)?.servers.get(12345);
      if (!server) throw new Error('no server');
      const made = h.emulator.model.createSnapshot(server, 'pre-deploy-other-run', '');
      made.readyAt = clock.time;
      newer.id = made.id;
    };
    return { old, unfinished, newer };
  }

  it('deletes only the older completed one: never the newer, never the unfinished, never its own', async () => {
    const { old, unfinished, newer } = concurrentRun();
    const { ctx, rec } = fakeContext(h, 'create');
    await runCreate(createSettings(h, { keep: 1, name: 'pre-deploy-mine' }), ctx);
    const own = rec.outputs.snapshot_id;
    expect(newer.id).toBeGreaterThan(own ?? Number.POSITIVE_INFINITY);
    expect(exists(old.id)).toBe(false);
    expect(exists(unfinished.id)).toBe(true);
    expect(exists(newer.id)).toBe(true);
    expect(exists(own)).toBe(true);
    expect(rec.outputs.deleted_ids).toEqual([old.id]);
    expect(rec.record.deleted).toEqual([
      { serverId: 12345, snapshotId: old.id, name: 'pre-deploy-old', why: 'rotation, keep 1' },
    ]);
    expect(rec.record.phases.map((p) => p.name)).toEqual(['read', 'create', 'wait', 'rotate']);
    // Each snapshot rotation keeps says why, in the debug log only.
    const kept = rec.logger.debugs.filter((l) => l.startsWith('rotation')).sort();
    expect(kept).toEqual([
      "rotation on server 12345 keeps snapshot 791 'pre-deploy-unfinished': in_progress: only completed snapshots are pruned",
      "rotation on server 12345 keeps snapshot 798 'weekly-snapshot-2025-01-08': not named pre-deploy-*",
      "rotation on server 12345 keeps snapshot 801 'pre-migration-snapshot': not named pre-deploy-*",
      `rotation on server 12345 keeps snapshot ${newer.id} 'pre-deploy-other-run': newer than this run's snapshot`,
    ]);
    expect(rec.logger.lines.filter((l) => l.includes('keeps snapshot'))).toEqual([]);
  });

  it('takes a 404 on rotation as already gone: no warning, no incomplete rotation', async () => {
    const { old } = concurrentRun();
    h.emulator.faults.add(parseFault('delete:gone@1'));
    const { ctx, rec } = fakeContext(h, 'create');
    await runCreate(createSettings(h, { keep: 1, name: 'pre-deploy-mine' }), ctx);
    expect(rec.record.deleted).toEqual([
      {
        serverId: 12345,
        snapshotId: old.id,
        name: 'pre-deploy-old',
        why: 'rotation, keep 1',
        note: 'it was already gone',
      },
    ]);
    expect(rec.logger.warnings).toEqual([]);
    expect(rec.record.notes).toEqual([]);
    expect(rec.outputs.status).toBe('completed');
  });

  it('warns, and does not fail, when a rotation delete fails', async () => {
    concurrentRun();
    h.emulator.faults.add(parseFault('delete:status:403'));
    const { ctx, rec } = fakeContext(h, 'create');
    await runCreate(createSettings(h, { keep: 1, name: 'pre-deploy-mine' }), ctx);
    expect(rec.outputs).toMatchObject({ status: 'completed', deleted_ids: [] });
    expect(rec.logger.warnings).toHaveLength(1);
    expect(rec.logger.warnings[0]?.title).toBe('Rotation incomplete');
    expect(rec.logger.warnings[0]?.message).toMatch(
      /server 12345: could not delete snapshot 790: .*HTTP 403/,
    );
    expect(rec.record.notes[0]).toMatch(/^Rotation incomplete: /);
  });
});

describe("a provider whose clock is not the runner's", () => {
  const HOUR = 3_600_000;

  /** Three pre-deploy snapshots made 10, 2 and 1 hours ago by the provider, its created_at shifted by `shiftMs`. */
  function seed(shiftMs: number) {
    h.emulator.localTimestamps = { shiftMs, fractions: true };
    for (const [id, ageHours] of [
      [790, 10],
      [791, 2],
      [792, 1],
    ] as const)
      addCompleted(h, id, 12345, `pre-deploy-${ageHours}h`, ageHours * HOUR);
  }

  it.each([
    ['3 hours ahead', 3 * HOUR],
    ['5 hours behind', -5 * HOUR],
  ])('%s: the dry run plans exactly the deletions the real run makes', async (_, shiftMs) => {
    seed(shiftMs);
    const planned = fakeContext(h, 'create');
    await runCreate(createSettings(h, { dryRun: true, keep: 2, name: 'pre-deploy-mine' }), planned.ctx);
    const real = fakeContext(h, 'create');
    await runCreate(createSettings(h, { keep: 2, name: 'pre-deploy-mine' }), real.ctx);
    expect(real.rec.outputs.deleted_ids).toEqual([790, 791]);
    expect(planned.rec.record.deleted.map((d) => d.snapshotId)).toEqual(real.rec.outputs.deleted_ids);
    expect(real.rec.logger.warnings).toEqual([]);
  });
});

describe('rotation with keep_within', () => {
  const DAY_MS = 86_400_000;

  it("keeps what the window keeps back from the new snapshot; the dry run names what depends on the new one's time", async () => {
    h.emulator.model.snapshots.delete(798); // below the limit: no room to make
    addCompleted(h, 790, 12345, 'pre-deploy-5d', 5 * DAY_MS);
    addCompleted(h, 791, 12345, 'pre-deploy-3d', 3 * DAY_MS);
    addCompleted(h, 792, 12345, 'pre-deploy-1d', DAY_MS);
    const settings = { keep: 0, keepWithinMs: 2 * DAY_MS, name: 'pre-deploy-mine' };
    const planned = fakeContext(h, 'create');
    await runCreate(createSettings(h, { ...settings, dryRun: true }), planned.ctx);
    expect(planned.rec.record.deleted).toEqual([
      {
        serverId: 12345,
        snapshotId: 790,
        name: 'pre-deploy-5d',
        why: 'rotation, keep_within 2d',
        planned: true,
      },
    ]);
    expect(planned.rec.record.notes).toEqual([
      expect.stringMatching(
        /^server 12345: keep_within is measured from the new snapshot's created_at, .* rotation also deletes 791 'pre-deploy-3d'/,
      ),
    ]);
    const real = fakeContext(h, 'create');
    await runCreate(createSettings(h, settings), real.ctx);
    expect(real.rec.outputs.deleted_ids).toEqual([790, 791]);
    expect(exists(792)).toBe(true);
  });
});
