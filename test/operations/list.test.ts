// list with a fake context against the emulator: the snapshots of the account, or of one server only.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runList } from '../../src/operations/list.ts';
import { renderSummary } from '../../src/reporting/summary.ts';
import { fakeContext } from '../helpers/context.ts';
import { addCompleted, addServers, type Harness, startHarness } from '../helpers/emulator.ts';
import { listSettings } from '../helpers/settings.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ ignoreServerFilter: true });
  addServers(h, 12346);
  addCompleted(h, 700, 12346, 'other-server');
});
afterEach(() => h.stop());

it("lists one server's snapshots only, though the provider returns every server's", async () => {
  const { ctx, rec } = fakeContext(h, 'list');
  await runList(listSettings(h, { serverId: 12345 }), ctx);
  expect(rec.outputs.status).toBe('listed');
  expect((rec.outputs.snapshots as { id: number }[]).map((s) => s.id)).toEqual([801, 798]);
  expect(rec.record.listed?.map((s) => s.id)).toEqual([801, 798]);
  expect(rec.logger.lines[0]).toBe('info 2 snapshot(s) on server 12345');
  const summary = renderSummary(rec.record);
  expect(summary).toContain('## VPS Snapshots: ✅ listed');
  expect(summary).toContain('| server | snapshot | name | status | size | created |');
  expect(summary).toContain(
    '| 12345 | 801 | pre-migration-snapshot | completed | 5120 MB | 2025-01-15T18:30:00Z |',
  );
  expect(summary).not.toContain('other-server');
});

it('lists the whole account, every page', async () => {
  h.emulator.paginate(1);
  const { ctx, rec } = fakeContext(h, 'list');
  await runList(listSettings(h), ctx);
  expect(rec.record.listed?.map((s) => s.id).sort()).toEqual([700, 798, 801]);
  expect(h.emulator.requests('list')).toHaveLength(3);
  expect(rec.logger.lines[0]).toBe('info 3 snapshot(s) in this account');
});

it('says so when there are none', async () => {
  addServers(h, 12347);
  h.emulator.ignoreServerFilter = false;
  const { ctx, rec } = fakeContext(h, 'list');
  await runList(listSettings(h, { serverId: 12347 }), ctx);
  expect(rec.outputs).toEqual({ snapshots: [], status: 'listed' });
  expect(renderSummary(rec.record)).toContain('No snapshots.');
});
