// restore with a fake context against the emulator: one server, a fleet, the refusals made before any POST,
// and the honest ends: unconfirmed, timed out, failed on some servers.
import { afterEach, describe, expect, it } from 'vitest';
import { runRestore } from '../../src/operations/restore.ts';
import { ActionError } from '../../src/reporting/failure.ts';
import type { SnapshotRef } from '../../src/settings/types.ts';
import { fakeContext, rejection } from '../helpers/context.ts';
import {
  addCompleted,
  addServers,
  type Harness,
  type HarnessOptions,
  startHarness,
  TOKEN,
} from '../helpers/emulator.ts';
import { restoreSettings } from '../helpers/settings.ts';

let h: Harness;
afterEach(() => h.stop());

async function setup(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ timings: { snapshotMs: 10_000, restoreMs: 20_000 }, ...options });
  return h;
}

const server = (id: number) => {
  const found = h.emulator.model.accounts.get(TOKEN)?.servers.get(id);
  if (!found) throw new Error(`no server ${id}`);
  return found;
};

/** Servers 12346 and 12347, each with a completed snapshot (700, 701). */
function fleet(): SnapshotRef[] {
  addServers(h, 12346, 12347);
  addCompleted(h, 700, 12346, 'base-12346');
  addCompleted(h, 701, 12347, 'base-12347');
  return [
    { by: 'id', snapshotId: 801, serverId: 12345 },
    { by: 'id', snapshotId: 700, serverId: 12346 },
    { by: 'id', snapshotId: 701, serverId: 12347 },
  ];
}

describe('restore', () => {
  it('restores one server, waits, and reports it restored and stopped', async () => {
    await setup();
    const { ctx, rec } = fakeContext(h, 'restore');
    await runRestore(restoreSettings(h, { targets: [{ by: 'id', snapshotId: 801, serverId: 12345 }] }), ctx);
    expect(rec.outputs).toMatchObject({
      snapshot_id: 801,
      snapshot_name: 'pre-migration-snapshot',
      server_id: 12345,
      status: 'restored',
      results: [{ server_id: 12345, snapshot_id: 801, status: 'restored', error: null }],
    });
    expect(rec.logger.warnings[0]?.message).toMatch(
      /^Restoring server 12345 'web-server-01' from snapshot 801 .*ALL its current data overwritten/,
    );
    expect(rec.record.servers.get(12345)).toEqual({ name: 'web-server-01', status: 'stopped' });
    expect(rec.record.notes).toEqual(['Server 12345 is stopped after the restore: start it when ready.']);
    expect(h.emulator.requests('restore')).toHaveLength(1);
  });

  it('restores a fleet, each server from its own snapshot, in one wait', async () => {
    await setup({ readLagMs: 2_000 });
    const { ctx, rec } = fakeContext(h, 'restore');
    await runRestore(restoreSettings(h, { targets: fleet() }), ctx);
    expect(
      h.emulator
        .requests('restore')
        .map((r) => r.path)
        .sort(),
    ).toEqual([
      '/api/v1/snapshots/700/restore/',
      '/api/v1/snapshots/701/restore/',
      '/api/v1/snapshots/801/restore/',
    ]);
    expect(rec.outputs.status).toBe('restored');
    expect(rec.outputs.snapshot_id).toBeUndefined();
    expect(rec.record.rows.map((r) => [r.serverId, r.snapshotId, r.state])).toEqual([
      [12345, 801, 'restored'],
      [12346, 700, 'restored'],
      [12347, 701, 'restored'],
    ]);
    expect(rec.groups.filter((g) => g.startsWith('Waiting for'))).toEqual([
      'Waiting for 3 servers to finish restoring (timeout 30m 00s)',
    ]);
  });
});

describe('refusals before any POST', () => {
  it("refuses a snapshot of another server than the entry's", async () => {
    await setup();
    const targets = fleet();
    targets[2] = { by: 'id', snapshotId: 700, serverId: 12347 };
    const { ctx } = fakeContext(h, 'restore');
    const error = await rejection<ActionError>(runRestore(restoreSettings(h, { targets }), ctx));
    expect(error).toBeInstanceOf(ActionError);
    expect(error.title).toBe('Cannot restore: snapshot of another server');
    expect(error.message).toMatch(/snapshot 700 'base-12346' belongs to server 12346, not server 12347/);
    expect(h.emulator.requests('restore')).toEqual([]);
  });

  it("takes 'latest' from the server's own snapshots when the provider ignores the filter", async () => {
    await setup({ ignoreServerFilter: true });
    fleet();
    const { ctx, rec } = fakeContext(h, 'restore');
    await runRestore(restoreSettings(h, { dryRun: true, targets: [{ by: 'latest', serverId: 12345 }] }), ctx);
    expect(rec.outputs).toMatchObject({ snapshot_id: 801, server_id: 12345, status: 'planned' });
    expect(h.emulator.requests('restore')).toEqual([]);
  });

  it('refuses a server that is already restoring', async () => {
    await setup();
    h.emulator.model.startRestore(server(12345));
    const { ctx } = fakeContext(h, 'restore');
    const error = await rejection<ActionError>(runRestore(restoreSettings(h), ctx));
    expect(error.title).toBe('Cannot restore: server busy');
    expect(error.message).toMatch(/server 12345 'web-server-01' is already restoring/);
    expect(h.emulator.requests('restore')).toEqual([]);
  });

  it('refuses a snapshot that is not completed', async () => {
    await setup();
    const { snapshot } = await h.client.createSnapshot({ serverId: 12345, name: 'fresh' }, new Set());
    const { ctx } = fakeContext(h, 'restore');
    const targets: SnapshotRef[] = [{ by: 'id', snapshotId: snapshot.id }];
    const error = await rejection<ActionError>(runRestore(restoreSettings(h, { targets }), ctx));
    expect(error.title).toBe('Cannot restore: snapshot not completed');
    expect(error.message).toMatch(/is not completed, and only a completed snapshot can be restored/);
    expect(h.emulator.requests('restore')).toEqual([]);
  });
});

describe('how a restore can end', () => {
  it("is 'unconfirmed' (a warning, not a failure) when the server never shows a change", async () => {
    await setup({ readLagMs: 60_000, client: { lagWindowMs: 10_000 } });
    const { ctx, rec } = fakeContext(h, 'restore');
    await runRestore(restoreSettings(h), ctx);
    expect(rec.outputs.status).toBe('restoring');
    const warning = rec.logger.warnings.find((w) => w.title === 'Restore not confirmed');
    expect(warning?.message).toMatch(
      /was never seen restoring \(it showed 'running' after \d+s\), so its completion could not be confirmed/,
    );
    expect(rec.record.rows[0]).toMatchObject({ state: 'unconfirmed', note: warning?.message });
    expect(rec.record.rows[0]?.error).toBeUndefined();
  });

  it("is 'unconfirmed' when the provider does not report servers (404)", async () => {
    await setup();
    h.emulator.faults.add({ route: 'server', kind: 'status', status: 404 });
    const { ctx, rec } = fakeContext(h, 'restore');
    await runRestore(restoreSettings(h), ctx);
    expect(h.emulator.requests('restore')).toHaveLength(1);
    expect(rec.outputs.status).toBe('restoring');
    expect(rec.logger.warnings.at(-1)).toMatchObject({
      title: 'Restore not confirmed',
      message: expect.stringMatching(/GET \/servers\/\{id\}\/ answers 404/),
    });
  });

  it("times out as 'Restore timed out', the server left restoring", async () => {
    await setup({ timings: { restoreMs: 3_600_000 } });
    const { ctx, rec } = fakeContext(h, 'restore', { deadlineAfterMs: 60_000 });
    const error = await rejection<ActionError>(runRestore(restoreSettings(h, { timeoutMs: 60_000 }), ctx));
    expect(error.title).toBe('Restore timed out');
    expect(error.message).toMatch(/was still restoring from snapshot 801 after 1m 00s/);
    expect(rec.outputs.status).toBe('restoring');
    expect(rec.record.rows[0]).toMatchObject({ state: 'timed_out' });
  });

  it('names the servers that failed in a fleet: partial', async () => {
    await setup();
    const targets = fleet();
    h.clock.onSleep = () => {
      server(12346).restoreFails = true;
    };
    const { ctx, rec } = fakeContext(h, 'restore');
    const error = await rejection<ActionError>(runRestore(restoreSettings(h, { targets }), ctx));
    expect(error.title).toBe('Restore failed: 1 of 3');
    expect(error.message).toMatch(
      /^server 12346 'server-12346' reports 'error' after the restore from snapshot 700/,
    );
    expect(rec.outputs.status).toBe('partial');
    expect(rec.record.rows.map((r) => r.state)).toEqual(['restored', 'failed', 'restored']);
  });
});
