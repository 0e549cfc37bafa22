// The job summary, rendered from the run record alone.
import { describe, expect, it } from 'vitest';
import { RunRecord } from '../../src/reporting/record.ts';
import { renderSummary } from '../../src/reporting/summary.ts';
import type { Operation } from '../../src/settings/types.ts';
import { snap } from '../helpers/snapshots.ts';

/** A record whose clock the test moves. */
function recorder(operation: Operation = 'create') {
  let now = 0;
  const record = new RunRecord(operation, () => now);
  const phase = (name: string, ms: number) =>
    record.phase(name, async () => {
      now += ms;
    });
  return { record, phase };
}

describe('the heading', () => {
  it("names the operation and the outcome, and quotes a failure's lines", () => {
    const { record } = recorder('restore');
    record.row({ serverId: 12345, snapshotId: 801, name: 'x', state: 'failed', error: 'bad' });
    const summary = renderSummary(record, ['Restore failed', 'server 12345 | <error>']);
    expect(summary.split('\n').slice(0, 4)).toEqual([
      '## VPS Restore: ❌ failed',
      '',
      '> Restore failed',
      '> server 12345 \\| &lt;error&gt;',
    ]);
  });

  it('says what failed even without a record', () => {
    expect(renderSummary(undefined, ['api_token is empty'])).toBe(
      '## VPS snapshot action: ❌ failed\n\n> api_token is empty\n',
    );
  });
});

describe('the table', () => {
  it('has a note column only when a row has an error or a note', () => {
    const { record } = recorder();
    record.row({
      serverId: 12345,
      snapshotId: 802,
      name: 'a',
      state: 'completed',
      sizeMb: 5120,
      elapsedMs: 65_000,
    });
    const plain = renderSummary(record);
    expect(plain).toContain('| server | snapshot | name | status | size | took |\n');
    expect(plain).toContain('| 12345 | 802 | a | completed | 5120 MB | 1m 05s |\n');
    expect(plain).not.toContain('note');

    record.row({ serverId: 12346, name: 'a', state: 'failed', error: 'no snapshot was made: HTTP 404' });
    const noted = renderSummary(record);
    expect(noted).toContain('| server | snapshot | name | status | size | took | note |\n');
    expect(noted).toContain('| 12345 | 802 | a | completed | 5120 MB | 1m 05s |  |\n');
    expect(noted).toContain('| 12346 | – | a | failed | – | – | no snapshot was made: HTTP 404 |\n');
  });

  it('marks a row whose wait timed out', () => {
    const { record } = recorder();
    record.row({
      serverId: 1,
      snapshotId: 2,
      name: 'a',
      state: 'timed_out',
      error: 'slow',
    });
    expect(renderSummary(record, ['timed out'])).toContain('| in_progress (timed out) |');
  });
});

describe('deletions', () => {
  it('lists real deletions under Deleted, with their reason and note', () => {
    const { record } = recorder();
    record.deleted.push(
      { serverId: 12345, snapshotId: 790, name: 'pre-deploy-a', why: 'room under the limit of 5' },
      {
        serverId: 12345,
        snapshotId: 791,
        name: 'pre-deploy-b',
        why: 'rotation, keep 2',
        note: 'it was already gone',
      },
    );
    const summary = renderSummary(record);
    expect(summary).toContain(
      '**Deleted**\n\n- snapshot 790 pre-deploy-a on server 12345: room under the limit of 5\n- snapshot 791 pre-deploy-b on server 12345: rotation, keep 2 (it was already gone)\n',
    );
    expect(summary).not.toContain('Would delete');
  });

  it("lists a dry run's plan under Would delete, apart from anything deleted", () => {
    const { record } = recorder('delete');
    record.dryRun = true;
    record.deleted.push({
      serverId: 1,
      snapshotId: 801,
      name: 'x',
      why: 'named by the inputs',
      planned: true,
    });
    const summary = renderSummary(record);
    expect(summary).toContain(
      '**Would delete** (dry run: nothing was deleted)\n\n- snapshot 801 x on server 1: named by the inputs\n',
    );
    expect(summary).not.toContain('**Deleted**');
  });
});

describe('notes, servers and the listing', () => {
  it('shows each server state and note', () => {
    const { record } = recorder('restore');
    record.servers.set(12345, { name: 'web-server-01', status: 'stopped' });
    record.notes.push('Server 12345 is stopped after the restore: start it when ready.');
    const summary = renderSummary(record);
    expect(summary).toContain('Server 12345 web-server-01 is now **stopped**.\n');
    expect(summary).toContain(
      '> [!NOTE]\n> Server 12345 is stopped after the restore: start it when ready.\n',
    );
  });

  it("lists a list operation's snapshots with their created time", () => {
    const { record } = recorder('list');
    record.listed = [snap(801, 'pre-migration-snapshot', '2025-01-15T18:30:00Z', { size_mb: null })];
    expect(renderSummary(record)).toBe(
      [
        '## VPS Snapshots: ✅ listed',
        '',
        '| server | snapshot | name | status | size | created |',
        '| --- | --- | --- | --- | --- | --- |',
        '| 12345 | 801 | pre-migration-snapshot | completed | – | 2025-01-15T18:30:00Z |',
        '',
      ].join('\n'),
    );
  });
});

describe('the timeline chart', () => {
  it('is drawn for a fleet', async () => {
    const { record, phase } = recorder();
    await phase('create', 2_000);
    await phase('wait', 20_000);
    record.row({ serverId: 1, snapshotId: 2, name: 'a', state: 'completed' });
    record.row({ serverId: 3, snapshotId: 4, name: 'a', state: 'completed' });
    const summary = renderSummary(record);
    expect(summary).toContain(
      '```mermaid\ngantt\n  dateFormat x\n  axisFormat %M:%S\n  section create\n  create (2s) : 0, 2000\n  wait (20s) : 2000, 22000\n```\n',
    );
  });

  it('is drawn for one server only when the run went past a minute', async () => {
    const short = recorder();
    await short.phase('create', 2_000);
    await short.phase('wait', 50_000);
    short.record.row({ serverId: 1, snapshotId: 2, name: 'a', state: 'completed' });
    expect(renderSummary(short.record)).not.toContain('mermaid');

    const long = recorder();
    await long.phase('create', 2_000);
    await long.phase('wait', 70_000);
    long.record.row({ serverId: 1, snapshotId: 2, name: 'a', state: 'completed' });
    expect(renderSummary(long.record)).toContain('  wait (1m 10s) : 2000, 72000\n');
  });

  it('is not drawn for a single phase', async () => {
    const { record, phase } = recorder();
    await phase('wait', 600_000);
    record.row({ serverId: 1, snapshotId: 2, name: 'a', state: 'completed' });
    record.row({ serverId: 3, snapshotId: 4, name: 'a', state: 'completed' });
    expect(renderSummary(record)).not.toContain('mermaid');
  });
});
