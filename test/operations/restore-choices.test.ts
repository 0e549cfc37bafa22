// Which snapshot a restore acts on, where a wrong choice would overwrite a server with the wrong data:
// `latest` is the newest *completed* snapshot, never a newer one still being made; one server is never
// named twice in one restore.
import { afterEach, describe, expect, it } from 'vitest';
import { runRestore } from '../../src/operations/restore.ts';
import type { ActionError } from '../../src/reporting/failure.ts';
import { fakeContext, rejection } from '../helpers/context.ts';
import { addCompleted, type Harness, startHarness } from '../helpers/emulator.ts';
import { restoreSettings } from '../helpers/settings.ts';

let h: Harness;
afterEach(() => h.stop());

describe('the snapshot a restore chooses', () => {
  it("takes for 'latest' the newest completed snapshot, not a newer one still in progress", async () => {
    h = await startHarness({ timings: { snapshotMs: 3_600_000, restoreMs: 20_000 } });
    addCompleted(h, 700, 12345, 'older-but-done', 60_000);
    const { snapshot } = await h.client.createSnapshot(
      { serverId: 12345, name: 'newer-unfinished' },
      new Set(),
    );
    const { ctx, rec } = fakeContext(h, 'restore');
    await runRestore(restoreSettings(h, { dryRun: true, targets: [{ by: 'latest', serverId: 12345 }] }), ctx);
    // 801 (the seed) and 700 are completed; 700 is the newer of them. The unfinished one is never chosen.
    expect(rec.outputs).toMatchObject({ snapshot_id: 700, server_id: 12345, status: 'planned' });
    expect(rec.outputs.snapshot_id).not.toBe(snapshot.id);
    expect(h.emulator.requests('restore')).toEqual([]);
  });

  it('refuses one server named twice, before any request', async () => {
    h = await startHarness({ timings: { snapshotMs: 10_000, restoreMs: 20_000 } });
    addCompleted(h, 700, 12345, 'another');
    const { ctx } = fakeContext(h, 'restore');
    const targets = [
      { by: 'id' as const, snapshotId: 801, serverId: 12345 },
      { by: 'id' as const, snapshotId: 700, serverId: 12345 },
    ];
    const error = await rejection<ActionError>(runRestore(restoreSettings(h, { targets }), ctx));
    expect(error.message).toMatch(
      /server 12345 is named twice: a server can be restored from one snapshot at a time/,
    );
    expect(h.emulator.requests('restore')).toEqual([]);
  });
});
