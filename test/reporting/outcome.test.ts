// The honest overall outcome of a run: the status output, the summary's headline, and the results output.
import { describe, expect, it } from 'vitest';
import { outcomeOf, overallStatus, resultsOf } from '../../src/reporting/outcome.ts';
import { type Row, RunRecord } from '../../src/reporting/record.ts';
import type { Operation } from '../../src/settings/types.ts';

function recordOf(rows: Omit<Row, 'name'>[], operation: Operation = 'create'): RunRecord {
  const record = new RunRecord(operation, () => 0);
  rows.forEach((row, i) => {
    record.row({ name: `snap-${i}`, ...row });
  });
  return record;
}

const headline = (record: RunRecord | undefined, failed = false) => outcomeOf(record, failed).headline;

describe('overallStatus', () => {
  it('is the one status all rows agree on, else partial', () => {
    expect(
      overallStatus(
        recordOf([
          { serverId: 1, status: 'completed' },
          { serverId: 2, status: 'completed' },
        ]),
      ),
    ).toBe('completed');
    expect(
      overallStatus(
        recordOf([
          { serverId: 1, status: 'completed' },
          { serverId: 2, status: 'failed' },
        ]),
      ),
    ).toBe('partial');
  });

  it('is planned for a dry run, listed for list, and unknown with no rows', () => {
    const dry = recordOf([{ serverId: 1, status: 'planned' }]);
    dry.dryRun = true;
    expect(overallStatus(dry)).toBe('planned');
    expect(overallStatus(recordOf([], 'list'))).toBe('listed');
    expect(overallStatus(recordOf([]))).toBeUndefined();
  });
});

describe('headlines', () => {
  it('✅ for work done and seen to finish', () => {
    expect(headline(recordOf([{ serverId: 1, status: 'completed' }]))).toBe('✅ completed');
    expect(headline(recordOf([{ serverId: 1, status: 'restored' }], 'restore'))).toBe('✅ restored');
    expect(headline(recordOf([{ serverId: 1, status: 'deleted' }], 'delete'))).toBe('✅ deleted');
    expect(headline(recordOf([], 'list'))).toBe('✅ listed');
  });

  it('🚀 for work started and not waited for', () => {
    const record = recordOf([{ serverId: 1, status: 'in_progress' }]);
    record.waited = false;
    expect(outcomeOf(record, false)).toEqual({
      status: 'in_progress',
      headline: '🚀 started (not waited for)',
    });
  });

  it('⌛ for a wait that timed out: the work goes on', () => {
    const record = recordOf([{ serverId: 1, status: 'in_progress', timedOut: true, error: 'timed out' }]);
    expect(headline(record, true)).toBe('⌛ timed out: the work goes on at the provider');
  });

  it('❌ for failures, counted when some did not fail', () => {
    expect(headline(recordOf([{ serverId: 1, status: 'failed' }]), true)).toBe('❌ failed');
    const mixed = recordOf([
      { serverId: 1, status: 'failed' },
      { serverId: 2, status: 'in_progress', timedOut: true },
    ]);
    expect(headline(mixed, true)).toBe('❌ 1 of 2 failed');
    expect(headline(recordOf([{ serverId: 1, status: 'completed' }]), true)).toBe('❌ failed');
    expect(outcomeOf(undefined, true)).toEqual({ status: 'failed', headline: '❌ failed' });
    expect(headline(undefined, false)).toBe('✅ done');
  });

  it('⚠️ for a fleet partly done', () => {
    const record = recordOf([
      { serverId: 1, status: 'completed' },
      { serverId: 2, status: 'completed' },
      { serverId: 3, status: 'failed' },
    ]);
    expect(outcomeOf(record, true)).toEqual({
      status: 'partial',
      headline: '⚠️ partly done: 2 of 3 completed',
    });
    const restores = recordOf(
      [
        { serverId: 1, status: 'restored' },
        { serverId: 2, status: 'restoring', timedOut: true },
      ],
      'restore',
    );
    expect(headline(restores, true)).toBe('⚠️ partly done: 1 of 2 restored');
  });

  it('🧪 for a dry run', () => {
    const record = recordOf([{ serverId: 1, status: 'planned' }]);
    record.dryRun = true;
    expect(outcomeOf(record, false)).toEqual({
      status: 'planned',
      headline: '🧪 dry run: nothing was changed',
    });
  });
});

describe('resultsOf', () => {
  it('is one entry per row, with null for what is not known', () => {
    const record = recordOf([
      { serverId: 12345, snapshotId: 802, status: 'completed', note: 'a note is not an error' },
      { serverId: 12346, status: 'failed', error: 'no snapshot was made' },
    ]);
    expect(resultsOf(record)).toEqual([
      { server_id: 12345, snapshot_id: 802, name: 'snap-0', status: 'completed', error: null },
      {
        server_id: 12346,
        snapshot_id: null,
        name: 'snap-1',
        status: 'failed',
        error: 'no snapshot was made',
      },
    ]);
  });
});
