// delete with a fake context against the emulator: exactly the snapshots named; one already gone is gone,
// as asked; an answer that is not the API's is settled by the list, never taken as proof.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { runDelete } from '../../src/operations/delete.ts';
import type { ActionError } from '../../src/reporting/failure.ts';
import { renderSummary } from '../../src/reporting/summary.ts';
import type { SnapshotRef } from '../../src/settings/types.ts';
import { fakeContext, rejection } from '../helpers/context.ts';
import { addCompleted, addServers, type Harness, startHarness } from '../helpers/emulator.ts';
import { deleteSettings } from '../helpers/settings.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.stop());

const BOTH: SnapshotRef[] = [
  { by: 'id', snapshotId: 801 },
  { by: 'id', snapshotId: 798 },
];
const left = () => [...h.emulator.model.snapshots.keys()].sort();

describe('delete', () => {
  it('deletes every snapshot named, and only those', async () => {
    addServers(h, 12346);
    addCompleted(h, 700, 12346, 'keep-me');
    const { ctx, rec } = fakeContext(h, 'delete');
    await runDelete(deleteSettings(h, { targets: BOTH }), ctx);
    expect(left()).toEqual([700]);
    expect(rec.outputs).toMatchObject({ status: 'deleted', deleted_ids: [801, 798] });
    expect(rec.outputs.results).toEqual([
      { server_id: 12345, snapshot_id: 801, name: 'pre-migration-snapshot', status: 'deleted', error: null },
      {
        server_id: 12345,
        snapshot_id: 798,
        name: 'weekly-snapshot-2025-01-08',
        status: 'deleted',
        error: null,
      },
    ]);
    const summary = renderSummary(rec.record);
    expect(summary).toContain('- snapshot 801 pre-migration-snapshot on server 12345: named by the inputs\n');
    expect(summary).not.toContain(' note |');
  });

  it('reports one already gone as deleted, with a note and no warning', async () => {
    h.emulator.faults.add(parseFault('delete:gone@1'));
    const { ctx, rec } = fakeContext(h, 'delete');
    await runDelete(deleteSettings(h), ctx);
    const note = 'it was already gone: deleted by someone else, or by an earlier attempt';
    expect(rec.record.rows).toMatchObject([
      { serverId: 12345, snapshotId: 801, name: 'pre-migration-snapshot', state: 'deleted', note },
    ]);
    expect(rec.outputs).toMatchObject({ status: 'deleted', deleted_ids: [801] });
    expect(rec.logger.warnings).toEqual([]);
    expect(renderSummary(rec.record)).toContain(` note |`);
  });

  it("sends the DELETE again after a proxy's page, since the list still shows the snapshot", async () => {
    h.emulator.faults.add(parseFault('delete:html@1'));
    const { ctx, rec } = fakeContext(h, 'delete');
    await runDelete(deleteSettings(h), ctx);
    expect(h.emulator.requests('delete').map((r) => r.status)).toEqual([200, 204]);
    expect(rec.record.rows[0]).toMatchObject({ state: 'deleted' });
    expect(rec.record.rows[0]?.note).toBeUndefined();
    expect(left()).toEqual([798]);
  });

  it("says so when only the list proves it gone after an answer that is not the API's", async () => {
    h.emulator.faults.add(parseFault('delete:ambiguous:200@1'));
    const { ctx, rec } = fakeContext(h, 'delete');
    await runDelete(deleteSettings(h), ctx);
    expect(rec.record.rows[0]?.note).toBe(
      "the answer was not the API's, but the server's list confirms it is gone",
    );
    expect(h.emulator.requests('delete')).toHaveLength(1);
  });

  it('plans a dry run under would-delete and deletes nothing', async () => {
    const { ctx, rec } = fakeContext(h, 'delete');
    await runDelete(deleteSettings(h, { dryRun: true, targets: BOTH }), ctx);
    expect(h.emulator.requests('delete')).toEqual([]);
    expect(rec.outputs).toMatchObject({ status: 'planned', deleted_ids: [] });
    expect(renderSummary(rec.record)).toContain('**Would delete** (dry run: nothing was deleted)');
  });
});

describe('delete failures', () => {
  it('refuses a snapshot of another server, before any DELETE', async () => {
    addServers(h, 12346);
    addCompleted(h, 700, 12346, 'other');
    const { ctx } = fakeContext(h, 'delete');
    const targets: SnapshotRef[] = [
      { by: 'id', snapshotId: 700, serverId: 12346 },
      { by: 'id', snapshotId: 801, serverId: 12346 },
    ];
    const error = await rejection<ActionError>(runDelete(deleteSettings(h, { targets }), ctx));
    expect(error.message).toMatch(
      /snapshot 801 'pre-migration-snapshot' belongs to server 12345, not server 12346/,
    );
    // Read from the account's list (two servers named), it is found, and refused for its server.
    targets[0] = { by: 'id', snapshotId: 798, serverId: 12345 };
    const again = await rejection<ActionError>(
      runDelete(deleteSettings(h, { targets }), fakeContext(h, 'delete').ctx),
    );
    expect(again.title).toBe('Cannot delete: snapshot of another server');
    expect(again.message).toMatch(
      /snapshot 801 'pre-migration-snapshot' belongs to server 12345, not server 12346/,
    );
    expect(h.emulator.requests('delete')).toEqual([]);
  });

  it('refuses a snapshot that does not exist', async () => {
    const { ctx } = fakeContext(h, 'delete');
    const targets: SnapshotRef[] = [...BOTH, { by: 'id', snapshotId: 4242 }];
    const error = await rejection<ActionError>(runDelete(deleteSettings(h, { targets }), ctx));
    expect(error.title).toBe('Cannot delete: snapshot not found');
    expect(error.message).toMatch(/snapshot_id 4242: no such snapshot in this account/);
    expect(h.emulator.requests('delete')).toEqual([]);
  });

  it("fails 'Delete failed: 1 of 2' when one DELETE is refused, and reports the other deleted", async () => {
    h.emulator.faults.add(parseFault('delete:status:403@1'));
    const { ctx, rec } = fakeContext(h, 'delete');
    const error = await rejection<ActionError>(runDelete(deleteSettings(h, { targets: BOTH }), ctx));
    expect(error.title).toBe('Delete failed: 1 of 2');
    expect(error.message).toMatch(/^snapshot \d+ '.*' on server 12345 was not deleted: DELETE .* HTTP 403/);
    expect(rec.outputs.status).toBe('partial');
    expect(rec.outputs.deleted_ids).toHaveLength(1);
    expect(left()).toHaveLength(1);
  });
});
