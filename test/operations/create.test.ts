// create with a fake context against the emulator: one server, a fleet, wait: false, a dry run's plan, and
// the refusals made before anything is changed (a name in use, the limit).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planServer, runCreate } from '../../src/operations/create/index.ts';
import { ActionError } from '../../src/reporting/failure.ts';
import { headline } from '../../src/reporting/outcome.ts';
import { renderSummary } from '../../src/reporting/summary.ts';
import { fakeContext, rejection } from '../helpers/context.ts';
import { addCompleted, addServers, type Harness, startHarness } from '../helpers/emulator.ts';
import { createSettings } from '../helpers/settings.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ timings: { snapshotMs: 10_000 } });
});
afterEach(() => h.stop());

const mutations = () => h.emulator.log.filter((r) => r.method !== 'GET');

/** Fills server 12345 to the limit of 5 with three completed pre-deploy snapshots, oldest first. */
function fillToLimit() {
  return [
    addCompleted(h, 790, 12345, 'pre-deploy-a', 3 * 86_400_000),
    addCompleted(h, 791, 12345, 'pre-deploy-b', 2 * 86_400_000),
    addCompleted(h, 792, 12345, 'pre-deploy-c', 86_400_000),
  ];
}

describe('create on one server', () => {
  it('creates, writes snapshot_id before waiting, waits, and reports completed', async () => {
    const { ctx, rec } = fakeContext(h, 'create');
    await runCreate(createSettings(h), ctx);
    const size = h.emulator.model.snapshots.get(802)?.sizeMb;
    expect(rec.outputs).toEqual({
      snapshot_name: 'pre-deploy-test',
      server_id: 12345,
      snapshot_id: 802,
      snapshot_ids: { '12345': 802 },
      status: 'completed',
      size_mb: size,
      deleted_ids: [],
      results: [
        { server_id: 12345, snapshot_id: 802, name: 'pre-deploy-test', status: 'completed', error: null },
      ],
    });
    const firstId = rec.events.findIndex((e) => /^output .*snapshot_id/.test(e));
    const waiting = rec.events.findIndex((e) => e.startsWith('group Waiting'));
    expect(firstId).toBeGreaterThanOrEqual(0);
    expect(firstId).toBeLessThan(waiting);
    expect(rec.created).toEqual([{ serverId: 12345, snapshotId: 802, name: 'pre-deploy-test' }]);
    expect(rec.restorePlans).toEqual([
      { restoreOnFailure: false, apiUrl: h.emulator.baseUrl, timeoutMs: 30 * 60_000 },
    ]);
    expect(mutations().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/snapshots/']);
    expect(rec.record.phases.map((p) => p.name)).toEqual(['read', 'create', 'wait']);
    expect(headline(rec.record, false)).toBe('✅ completed');
  });

  it('with wait: false, reports in_progress, started, and notes that rotation is skipped', async () => {
    const { ctx, rec } = fakeContext(h, 'create');
    await runCreate(createSettings(h, { wait: false, keep: 2 }), ctx);
    expect(rec.outputs).toMatchObject({ snapshot_id: 802, status: 'in_progress' });
    expect(rec.outputs.size_mb).toBeUndefined();
    expect(h.emulator.requests('list')).toHaveLength(1);
    expect(headline(rec.record, false)).toBe('🚀 started (not waited for)');
    expect(rec.record.notes).toEqual([
      'Rotation skipped: it runs only after the new snapshot completed (wait: true).',
    ]);
  });
});

describe('create on a fleet', () => {
  it('creates on every server, maps each to its snapshot, and waits with one list per poll', async () => {
    addServers(h, 12346, 12347);
    const { ctx, rec } = fakeContext(h, 'create');
    await runCreate(createSettings(h, { serverIds: [12345, 12346, 12347] }), ctx);
    const ids = rec.outputs.snapshot_ids ?? {};
    expect(Object.keys(ids).sort()).toEqual(['12345', '12346', '12347']);
    for (const [serverId, snapshotId] of Object.entries(ids))
      expect(h.emulator.model.snapshots.get(snapshotId)?.serverId).toBe(Number(serverId));
    expect(rec.outputs.snapshot_id).toBeUndefined();
    expect(rec.outputs.server_id).toBeUndefined();
    expect(rec.outputs.status).toBe('completed');
    expect(rec.outputs.results).toHaveLength(3);
    expect(rec.created).toHaveLength(3);
    expect(h.emulator.requests('create')).toHaveLength(3);
    expect(h.emulator.requests('list').every((r) => r.query.server_id === undefined)).toBe(true);
  });
});

describe('a dry run', () => {
  it('plans the deletions under would-delete and sends no mutation', async () => {
    const [a, b] = fillToLimit();
    const { ctx, rec } = fakeContext(h, 'create');
    await runCreate(createSettings(h, { dryRun: true, keep: 2, name: 'pre-deploy-new' }), ctx);
    expect(mutations()).toEqual([]);
    expect(rec.record.deleted).toEqual([
      {
        serverId: 12345,
        snapshotId: a?.id,
        name: 'pre-deploy-a',
        why: 'room under the limit of 5',
        planned: true,
      },
      { serverId: 12345, snapshotId: b?.id, name: 'pre-deploy-b', why: 'rotation, keep 2', planned: true },
    ]);
    expect(rec.outputs).toMatchObject({ status: 'planned', snapshot_ids: {}, deleted_ids: [] });
    expect(rec.restorePlans).toEqual([]);
    const summary = renderSummary(rec.record);
    expect(summary).toContain('🧪 dry run: nothing was changed');
    expect(summary).toContain('**Would delete** (dry run: nothing was deleted)');
    expect(summary).not.toContain('**Deleted**');
  });
});

describe('refusals before any change', () => {
  it('refuses a given name already in use on the server, and says to choose another', async () => {
    const { ctx } = fakeContext(h, 'create');
    const error = await rejection<ActionError>(
      runCreate(createSettings(h, { name: 'pre-migration-snapshot' }), ctx),
    );
    expect(error).toBeInstanceOf(ActionError);
    expect(error.title).toBe('Snapshot name already in use');
    expect(error.message).toMatch(/server 12345 already has snapshot 801 'pre-migration-snapshot'/);
    expect(error.message).toMatch(/Choose another name, or leave name empty for a unique one per step run/);
    expect(mutations()).toEqual([]);
  });

  it('for a default name in use, says to run again, not to leave name empty', async () => {
    const existing = await h.client.listSnapshots(12345);
    const settings = createSettings(h, { name: undefined });
    const error = (() => {
      try {
        planServer(12345, existing, 'pre-migration-snapshot', settings);
      } catch (e) {
        return e as ActionError;
      }
    })();
    expect(error?.title).toBe('Snapshot name already in use');
    expect(error?.message).toMatch(/Run the step again: a default name is new on every run\.$/);
    expect(error?.message).not.toMatch(/leave name empty/);
  });

  it('refuses at the limit without keep, listing what is there', async () => {
    fillToLimit();
    const { ctx } = fakeContext(h, 'create');
    const error = await rejection<ActionError>(runCreate(createSettings(h), ctx));
    expect(error.title).toBe('Snapshot limit reached');
    expect(error.message).toMatch(
      /server 12345 has 5 snapshots, the provider's limit of 5: 792 'pre-deploy-c'/,
    );
    expect(error.message).toMatch(/801 'pre-migration-snapshot' \(completed, created 2025-01-15T18:30:00Z\)/);
    expect(error.message).toMatch(
      /set keep \(1-5\) so rotation may delete the oldest completed 'pre-deploy-\*'/,
    );
    expect(mutations()).toEqual([]);
  });

  it('refuses at the limit when keep allows deleting none', async () => {
    fillToLimit();
    const { ctx } = fakeContext(h, 'create');
    const error = await rejection<ActionError>(runCreate(createSettings(h, { keep: 5 }), ctx));
    expect(error.title).toBe('Snapshot limit reached');
    expect(error.message).toMatch(/keep 5 allows deleting no completed 'pre-deploy-\*' snapshot/);
    expect(mutations()).toEqual([]);
  });
});
