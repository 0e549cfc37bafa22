// wait with a fake context against the emulator: snapshots started earlier (wait: false), one or a fleet;
// one the list does not show yet; the honest ends: failed, timed out.
import { afterEach, describe, expect, it } from 'vitest';
import { runWait } from '../../src/operations/wait.ts';
import { ActionError } from '../../src/reporting/failure.ts';
import { fakeContext, rejection } from '../helpers/context.ts';
import { addServers, type Harness, type HarnessOptions, startHarness } from '../helpers/emulator.ts';
import { waitSettings } from '../helpers/settings.ts';

let h: Harness;
afterEach(() => h.stop());

async function setup(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ timings: { snapshotMs: 20_000 }, ...options });
  return h;
}

async function started(serverId: number, name: string): Promise<number> {
  return (await h.client.createSnapshot({ serverId, name }, new Set())).snapshot.id;
}

describe('wait', () => {
  it('waits for one snapshot and writes the outputs of a waiting create', async () => {
    await setup();
    const id = await started(12345, 'pre-deploy-later');
    const { ctx, rec } = fakeContext(h, 'wait');
    await runWait(waitSettings(h, { targets: [{ snapshotId: id }] }), ctx);
    expect(rec.outputs).toEqual({
      snapshot_ids: { '12345': id },
      snapshot_id: id,
      snapshot_name: 'pre-deploy-later',
      server_id: 12345,
      status: 'completed',
      size_mb: h.emulator.model.snapshots.get(id)?.sizeMb,
      results: [
        { server_id: 12345, snapshot_id: id, name: 'pre-deploy-later', status: 'completed', error: null },
      ],
    });
    expect(rec.record.rows[0]?.elapsedMs).toBeGreaterThanOrEqual(20_000);
  });

  it('waits for a fleet (snapshot_ids) in one loop, one list per poll', async () => {
    await setup();
    addServers(h, 12346, 12347);
    const targets = [];
    for (const serverId of [12345, 12346, 12347])
      targets.push({ snapshotId: await started(serverId, `fleet-${serverId}`), serverId });
    h.emulator.log.length = 0;
    const { ctx, rec } = fakeContext(h, 'wait');
    await runWait(waitSettings(h, { targets }), ctx);
    expect(rec.outputs.status).toBe('completed');
    expect(rec.outputs.snapshot_id).toBeUndefined();
    expect(rec.outputs.snapshot_ids).toEqual(
      Object.fromEntries(targets.map((t) => [String(t.serverId), t.snapshotId])),
    );
    expect(rec.record.rows.map((r) => r.state)).toEqual(['completed', 'completed', 'completed']);
    expect(h.emulator.requests('list').every((r) => r.query.server_id === undefined)).toBe(true);
    expect(h.emulator.requests('list')).toHaveLength(1 + h.clock.sleeps.length);
  });

  it('waits for a snapshot the lagging list does not show yet, and sees it complete', async () => {
    await setup({ readLagMs: 5_000 });
    const id = await started(12345, 'just-made');
    const { ctx, rec } = fakeContext(h, 'wait');
    await runWait(waitSettings(h, { targets: [{ snapshotId: id, serverId: 12345 }] }), ctx);
    expect(rec.logger.lines).toContain(
      `info snapshot ${id} is not listed yet; waiting for it to appear on server 12345 (lists lag).`,
    );
    expect(rec.outputs).toMatchObject({ snapshot_id: id, status: 'completed' });
    expect(rec.record.rows[0]).toMatchObject({ name: 'just-made', state: 'completed' });
    expect(rec.logger.warnings).toEqual([]);
  });

  it('writes snapshot_name for a snapshot the lagging list showed only later', async () => {
    await setup({ readLagMs: 5_000 });
    const id = await started(12345, 'just-made');
    const { ctx, rec } = fakeContext(h, 'wait');
    await runWait(waitSettings(h, { targets: [{ snapshotId: id, serverId: 12345 }] }), ctx);
    expect(rec.outputs.snapshot_name).toBe('just-made');
  });

  it('refuses an ID the account does not have', async () => {
    await setup();
    const { ctx } = fakeContext(h, 'wait');
    const error = await rejection<ActionError>(
      runWait(waitSettings(h, { targets: [{ snapshotId: 4242 }] }), ctx),
    );
    expect(error.title).toBe('Cannot wait: snapshot not found');
    expect(error.message).toMatch(/snapshot_id 4242: no such snapshot in this account/);
  });
});

describe('how a wait can end badly', () => {
  it("fails as 'Snapshot failed' when the provider fails it", async () => {
    await setup();
    h.emulator.model.failingServers.add(12345);
    const id = await started(12345, 'doomed');
    const { ctx, rec } = fakeContext(h, 'wait');
    const error = await rejection<ActionError>(
      runWait(waitSettings(h, { targets: [{ snapshotId: id }] }), ctx),
    );
    expect(error).toBeInstanceOf(ActionError);
    expect(error.title).toBe('Snapshot failed');
    expect(error.message).toMatch(/failed at the provider \(status 'failed'\)/);
    expect(rec.outputs.status).toBe('failed');
  });

  it("times out as 'Snapshot wait timed out', leaving the status in_progress", async () => {
    await setup({ timings: { snapshotMs: 3_600_000 } });
    const id = await started(12345, 'slow');
    const { ctx, rec } = fakeContext(h, 'wait', { deadlineAfterMs: 60_000 });
    const settings = waitSettings(h, { timeoutMs: 60_000, targets: [{ snapshotId: id }] });
    const error = await rejection<ActionError>(runWait(settings, ctx));
    expect(error.title).toBe('Snapshot wait timed out');
    expect(error.message).toMatch(/was still in progress after 1m 00s: the wait timed out/);
    expect(rec.outputs.status).toBe('in_progress');
    expect(rec.record.rows[0]).toMatchObject({ state: 'timed_out' });
  });

  it('names how many of a fleet failed', async () => {
    await setup();
    addServers(h, 12346);
    const good = await started(12345, 'good');
    h.emulator.model.failingServers.add(12346);
    const bad = await started(12346, 'bad');
    const { ctx, rec } = fakeContext(h, 'wait');
    const targets = [
      { snapshotId: good, serverId: 12345 },
      { snapshotId: bad, serverId: 12346 },
    ];
    const error = await rejection<ActionError>(runWait(waitSettings(h, { targets }), ctx));
    expect(error.title).toBe('Snapshot failed: 1 of 2');
    expect(error.message).toMatch(/^snapshot \d+ 'bad' on server 12346 failed/);
    expect(rec.outputs.status).toBe('partial');
  });
});
