// prune with a fake context against the emulator: the policy on one server, several and all; what is kept
// and why; a server whose list cannot be read is skipped and the others go on; 429s and gone snapshots.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { FLEET_CONCURRENCY } from '../../src/limits.ts';
import { runPrune } from '../../src/operations/prune.ts';
import type { ActionError } from '../../src/reporting/failure.ts';
import { renderSummary } from '../../src/reporting/summary.ts';
import { fakeContext, rejection } from '../helpers/context.ts';
import { addCompleted, addServers, type Harness, startHarness } from '../helpers/emulator.ts';
import { pruneSettings } from '../helpers/settings.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.stop());

const exists = (id: number) => h.emulator.model.snapshots.has(id);
const mutations = () => h.emulator.log.filter((r) => r.method !== 'GET');

/** Nightly pre-deploy snapshots on a server, `days` of them, the newest a day old; IDs from `firstId`. */
function nightly(serverId: number, firstId: number, days: number): number[] {
  return Array.from({ length: days }, (_, i) => {
    addCompleted(h, firstId + i, serverId, `pre-deploy-night-${i}`, (days - i) * DAY);
    return firstId + i;
  });
}

describe('one server', () => {
  it('deletes the completed prefixed snapshots beyond keep, and says what it kept and why', async () => {
    nightly(12345, 700, 3);
    h.emulator.model.addSnapshot({
      ...{ id: 710, serverId: 12345, name: 'pre-deploy-running', description: '', sizeMb: 1 },
      ...{ createdAt: h.clock.time, readyAt: h.clock.time + DAY },
    });
    const { ctx, rec } = fakeContext(h, 'prune');
    await runPrune(pruneSettings(h, { keep: 1 }), ctx);
    expect([700, 701].map(exists)).toEqual([false, false]);
    expect([702, 710, 801, 798].every(exists)).toBe(true);
    expect(rec.outputs).toMatchObject({ status: 'deleted', deleted_ids: [700, 701] });
    expect(rec.outputs.results).toEqual([
      { server_id: 12345, snapshot_id: 700, name: 'pre-deploy-night-0', status: 'deleted', error: null },
      { server_id: 12345, snapshot_id: 701, name: 'pre-deploy-night-1', status: 'deleted', error: null },
    ]);
    expect(rec.record.deleted.map((d) => d.why)).toEqual([
      'outside the policy (keep 1), made 2d 0h before the newest',
      'outside the policy (keep 1), made 1d 0h before the newest',
    ]);
    expect(rec.record.notes).toEqual([
      "Server 12345 keeps 710 'pre-deploy-running' (in_progress: only completed snapshots are pruned); " +
        "702 'pre-deploy-night-2' (the newest completed snapshot of the server); " +
        "801 'pre-migration-snapshot' (not named pre-deploy-*); 798 'weekly-snapshot-2025-01-08' (not named pre-deploy-*); deletes 2.",
    ]);
    expect(renderSummary(rec.record)).toMatch(/^## VPS Prune snapshots: ✅ deleted/);
    expect(rec.record.phases.map((p) => p.name)).toEqual(['read', 'delete']);
  });

  it('keeps what keep_within keeps, measured by the provider clock 3 hours ahead, never the runner', async () => {
    h.emulator.localTimestamps = { shiftMs: 3 * HOUR, fractions: true };
    nightly(12345, 700, 5);
    const { ctx, rec } = fakeContext(h, 'prune');
    await runPrune(pruneSettings(h, { keep: 0, keepWithinMs: 2 * DAY }), ctx);
    expect(rec.outputs.deleted_ids).toEqual([700, 701]);
    expect(rec.record.notes[0]).toContain("703 'pre-deploy-night-3' (within 2d of the newest)");
  });

  it('keeps the newest completed snapshot when the window keeps nothing else', async () => {
    nightly(12345, 700, 3);
    const { ctx, rec } = fakeContext(h, 'prune');
    await runPrune(pruneSettings(h, { keep: 0, keepWithinMs: HOUR }), ctx);
    expect(rec.outputs.deleted_ids).toEqual([700, 701]);
    expect(exists(702)).toBe(true);
  });

  it('finds nothing to delete and says so: status deleted, no ids, the summary done', async () => {
    nightly(12345, 700, 2);
    const { ctx, rec } = fakeContext(h, 'prune');
    await runPrune(pruneSettings(h, { keep: 2 }), ctx);
    expect(mutations()).toEqual([]);
    expect(rec.outputs).toMatchObject({ status: 'deleted', deleted_ids: [], results: [] });
    expect(rec.logger.lines).toContain('info server 12345: keeps 4, delete 0');
  });
});

describe('a dry run', () => {
  it('plans exactly what the real run deletes, and sends nothing', async () => {
    addServers(h, 12346);
    nightly(12345, 700, 4);
    nightly(12346, 720, 3);
    const settings = pruneSettings(h, { servers: [12345, 12346], keep: 1, keepWithinMs: DAY + HOUR });
    const planned = fakeContext(h, 'prune');
    await runPrune({ ...settings, dryRun: true }, planned.ctx);
    expect(mutations()).toEqual([]);
    expect(planned.rec.outputs).toMatchObject({ status: 'planned', deleted_ids: [] });
    const summary = renderSummary(planned.rec.record);
    expect(summary).toContain('🧪 dry run: nothing was changed');
    expect(summary).toContain('**Would delete** (dry run: nothing was deleted)');
    expect(planned.rec.logger.lines).toContain('info server 12345: keeps 4, would delete 2');
    const real = fakeContext(h, 'prune');
    await runPrune(settings, real.ctx);
    expect(real.rec.outputs.deleted_ids).toEqual([700, 701, 720]);
    expect(planned.rec.record.deleted.map((d) => d.snapshotId)).toEqual(real.rec.outputs.deleted_ids);
  });
});

describe('several servers and all', () => {
  it('server_id all: one read of the account, each server pruned on its own', async () => {
    addServers(h, 12346, 12347);
    nightly(12345, 700, 3);
    nightly(12346, 720, 4);
    addCompleted(h, 740, 12347, 'manual-only', DAY);
    const { ctx, rec } = fakeContext(h, 'prune');
    await runPrune(pruneSettings(h, { servers: 'all', keep: 2 }), ctx);
    expect(h.emulator.requests('list').map((r) => r.query.server_id)).toEqual([undefined]);
    expect(rec.outputs.deleted_ids).toEqual([700, 720, 721]);
    expect(exists(740)).toBe(true);
    expect(rec.record.notes).toHaveLength(3);
  });

  it('skips a server whose list cannot be read, with an error row; the others go on', async () => {
    addServers(h, 12346);
    nightly(12345, 700, 3);
    nightly(12346, 720, 3);
    h.emulator.faults.add(parseFault('list:status:403@1'));
    const { ctx, rec } = fakeContext(h, 'prune');
    const error = await rejection<ActionError>(
      runPrune(pruneSettings(h, { servers: [12345, 12346], keep: 1 }), ctx),
    );
    expect(error.title).toBe('Prune incomplete: 1 of 3');
    expect(error.message).toMatch(
      /^server 12345: could not list its snapshots, so nothing of it was deleted: .*403/,
    );
    expect(error.problems).toEqual([
      expect.stringMatching(
        /^server 12345: .*403.*\. Only this was skipped, the rest was pruned; run the prune again: it deletes only what the policy leaves out\.$/,
      ),
    ]);
    expect([700, 701].every(exists)).toBe(true);
    expect([720, 721].some(exists)).toBe(false);
    expect(rec.outputs).toMatchObject({ status: 'partial', deleted_ids: [720, 721] });
    expect(rec.outputs.results?.[0]).toMatchObject({ server_id: 12345, status: 'failed', snapshot_id: null });
  });

  it("deletes a fleet's snapshots a few at a time, as a fleet's creates are made", async () => {
    addServers(h, 12346, 12347, 12348, 12349);
    for (const [i, serverId] of [12345, 12346, 12347, 12348, 12349].entries())
      nightly(serverId, 700 + 10 * i, 4);
    h.emulator.faults.add(parseFault('delete:latency:30'));
    // In flight at each DELETE's arrival: the DELETEs logged and not yet answered (status 0), itself included.
    let most = 0;
    const log = h.emulator.log;
    const push = log.push.bind(log);
    log.push = (...entries) => {
      const length = push(...entries);
      most = Math.max(most, log.filter((e) => e.method === 'DELETE' && e.status === 0).length);
      return length;
    };
    const { ctx, rec } = fakeContext(h, 'prune');
    await runPrune(pruneSettings(h, { servers: 'all', keep: 1 }), ctx);
    expect(rec.outputs.deleted_ids).toHaveLength(15);
    expect(most).toBe(FLEET_CONCURRENCY);
  });

  it('lets a rate-limited delete wait for Retry-After, and takes one already gone as deleted', async () => {
    nightly(12345, 700, 4);
    h.emulator.faults.add(parseFault('delete:status:429:7@1'), parseFault('delete:gone@1'));
    const { ctx, rec } = fakeContext(h, 'prune');
    await runPrune(pruneSettings(h, { keep: 1 }), ctx);
    expect(rec.outputs).toMatchObject({ status: 'deleted', deleted_ids: [700, 701, 702] });
    expect(h.sleeps).toContain(7_000);
    expect(rec.record.deleted.filter((d) => d.note === 'it was already gone')).toHaveLength(1);
    expect(rec.logger.warnings).toEqual([]);
  });

  it('reports a delete that fails on its snapshot, and deletes the rest', async () => {
    nightly(12345, 700, 4);
    h.emulator.faults.add(parseFault('delete:status:403@1'));
    const { ctx, rec } = fakeContext(h, 'prune');
    const error = await rejection<ActionError>(runPrune(pruneSettings(h, { keep: 1 }), ctx));
    expect(error.message).toMatch(
      /^snapshot 700 'pre-deploy-night-0' on server 12345 was not deleted: .*403/,
    );
    expect(rec.outputs).toMatchObject({ status: 'partial', deleted_ids: [701, 702] });
  });

  it('warns about a snapshot whose created_at cannot be read, and leaves it alone', async () => {
    nightly(12345, 700, 3);
    h.emulator.model.addSnapshot({
      ...{ id: 750, serverId: 12345, name: 'pre-deploy-odd', description: '', sizeMb: 1 },
      ...{ createdAt: h.clock.time - 9 * DAY, readyAt: 0, stamp: 'not a time' },
    });
    const { ctx, rec } = fakeContext(h, 'prune');
    await runPrune(pruneSettings(h, { keep: 1 }), ctx);
    expect(exists(750)).toBe(true);
    expect(rec.logger.warnings).toEqual([
      {
        title: 'Unreadable created_at',
        message: expect.stringMatching(
          /^snapshot 750 'pre-deploy-odd' of server 12345: created_at 'not a time' .* left out of prune/,
        ),
      },
    ]);
  });
});
