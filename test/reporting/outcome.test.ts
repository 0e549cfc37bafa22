// The outcome model: each row's state gives its status word, the run's status, the outputs the record
// settles, the summary's headline and cell, and the error's title; nothing reads a row's sentences.
import { describe, expect, it } from 'vitest';
import {
  cellOf,
  failureTitle,
  headline,
  overallStatus,
  recordOutputs,
  statusOf,
  type Work,
} from '../../src/reporting/outcome.ts';
import { type Row, type RowState, RunRecord } from '../../src/reporting/record.ts';
import type { Operation } from '../../src/settings/types.ts';

function recordOf(rows: Omit<Row, 'name'>[], operation: Operation | 'post' = 'create'): RunRecord {
  const record = new RunRecord(operation, () => 0);
  rows.forEach((row, i) => {
    record.row({ name: `snap-${i}`, ...row });
  });
  return record;
}

const ALL: RowState[] = [
  'planned',
  'sent',
  'in_progress',
  'restoring',
  'unconfirmed',
  'completed',
  'restored',
  'deleted',
  'failed',
  'timed_out',
  'unknown',
];

describe('statusOf: a row state to its status word', () => {
  it.each<[RowState, Record<Work, string>]>([
    ['sent', { snapshot: 'unknown', restore: 'unknown', delete: 'unknown' }],
    ['unknown', { snapshot: 'unknown', restore: 'unknown', delete: 'unknown' }],
    ['timed_out', { snapshot: 'in_progress', restore: 'restoring', delete: 'in_progress' }],
    ['unconfirmed', { snapshot: 'restoring', restore: 'restoring', delete: 'restoring' }],
    ['failed', { snapshot: 'failed', restore: 'failed', delete: 'failed' }],
  ])('%s', (state, words) => {
    for (const work of ['snapshot', 'restore', 'delete'] as const)
      expect(statusOf(state, work)).toBe(words[work]);
  });

  it('never calls an outcome not seen in_progress, restoring or failed', () => {
    for (const work of ['snapshot', 'restore', 'delete'] as const) {
      expect(statusOf('unknown', work)).toBe('unknown');
      expect(statusOf('sent', work)).toBe('unknown');
    }
  });

  it('gives every state a word of the status output', () => {
    const words = [
      'completed',
      'in_progress',
      'restored',
      'restoring',
      'deleted',
      'planned',
      'failed',
      'unknown',
    ];
    for (const state of ALL) expect(words).toContain(statusOf(state, 'snapshot'));
  });
});

describe('overallStatus', () => {
  it('is the one word all rows agree on, else partial', () => {
    expect(
      overallStatus(
        recordOf([
          { serverId: 1, state: 'completed' },
          { serverId: 2, state: 'completed' },
        ]),
      ),
    ).toBe('completed');
    expect(
      overallStatus(
        recordOf([
          { serverId: 1, state: 'completed' },
          { serverId: 2, state: 'unknown' },
        ]),
      ),
    ).toBe('partial');
    expect(overallStatus(recordOf([{ serverId: 1, state: 'unknown' }], 'restore'))).toBe('unknown');
  });

  it('is planned for a dry run, listed for a list, failed with no work done or none at all', () => {
    const dry = recordOf([{ serverId: 1, state: 'planned' }]);
    dry.dryRun = true;
    expect(overallStatus(dry)).toBe('planned');
    const list = recordOf([], 'list');
    expect(overallStatus(list)).toBe('failed');
    list.listed = [];
    expect(overallStatus(list)).toBe('listed');
    expect(overallStatus(recordOf([{ serverId: 1, state: 'planned' }], 'restore'))).toBe('failed');
    expect(overallStatus(recordOf([]))).toBe('failed');
    expect(overallStatus(undefined)).toBe('failed');
  });
});

describe('recordOutputs', () => {
  it('gives results, and size_mb for one completed snapshot', () => {
    const record = recordOf([
      { serverId: 12345, snapshotId: 802, state: 'completed', sizeMb: 5120, note: 'a note' },
    ]);
    expect(recordOutputs(record)).toEqual({
      status: 'completed',
      size_mb: 5120,
      deleted_ids: [],
      results: [{ server_id: 12345, snapshot_id: 802, name: 'snap-0', status: 'completed', error: null }],
    });
  });

  it('names an unknown outcome unknown in results, with its error', () => {
    const record = recordOf([{ serverId: 12345, state: 'unknown', error: 'may or may not' }], 'restore');
    expect(recordOutputs(record)).toEqual({
      status: 'unknown',
      results: [
        { server_id: 12345, snapshot_id: null, name: 'snap-0', status: 'unknown', error: 'may or may not' },
      ],
    });
  });

  it('gives deleted_ids from what was deleted, never what a dry run planned', () => {
    const record = recordOf([{ serverId: 1, snapshotId: 5, state: 'deleted' }], 'delete');
    record.deleted.push({ serverId: 1, snapshotId: 5, name: 'a', why: 'named' });
    record.deleted.push({ serverId: 1, snapshotId: 6, name: 'b', why: 'named', planned: true });
    expect(recordOutputs(record).deleted_ids).toEqual([5]);
  });

  it('leaves out results when the step was refused before any work, and for a list', () => {
    expect(recordOutputs(recordOf([{ serverId: 1, state: 'planned' }], 'restore'))).toEqual({
      status: 'failed',
    });
    const list = recordOf([], 'list');
    list.listed = [];
    expect(recordOutputs(list)).toEqual({ status: 'listed' });
  });
});

describe('failureTitle', () => {
  it('names the work and the kind', () => {
    expect(failureTitle(recordOf([{ serverId: 1, state: 'failed' }]))).toBe('Snapshot failed');
    expect(failureTitle(recordOf([{ serverId: 1, state: 'timed_out' }], 'restore'))).toBe(
      'Restore timed out',
    );
    expect(failureTitle(recordOf([{ serverId: 1, state: 'unknown' }], 'delete'))).toBe(
      'Delete outcome unknown',
    );
    expect(failureTitle(recordOf([{ serverId: 1, state: 'unknown' }], 'post'))).toBe(
      'Restore outcome unknown',
    );
  });

  it('counts a fleet once, the gravest kind first', () => {
    const record = recordOf([
      { serverId: 1, state: 'completed' },
      { serverId: 2, state: 'failed' },
      { serverId: 3, state: 'timed_out' },
      { serverId: 4, state: 'unknown' },
    ]);
    expect(failureTitle(record)).toBe('Snapshot outcome unknown: 1 of 4; 1 failed; 1 timed out');
    expect(
      failureTitle(
        recordOf(
          [
            { serverId: 1, state: 'restored' },
            { serverId: 2, state: 'failed' },
          ],
          'restore',
        ),
      ),
    ).toBe('Restore failed: 1 of 2');
  });
});

describe('headline and cells', () => {
  it.each<[RowState[], string]>([
    [['completed'], '✅ completed'],
    [['completed', 'failed'], '⚠️ partly done: 1 of 2 completed'],
    [['failed', 'timed_out'], '❌ 1 of 2 failed'],
    [['failed'], '❌ failed'],
    [['unknown'], '❓ outcome unknown: check at the provider'],
    [['timed_out'], '⌛ timed out: the work goes on at the provider'],
  ])('%j: %s', (states, expected) => {
    const failed = states.some((s) => s !== 'completed');
    expect(headline(recordOf(states.map((state, i) => ({ serverId: i, state }))), failed)).toBe(expected);
  });

  it('says work not waited for started, and a restore not confirmed is not claimed', () => {
    const started = recordOf([{ serverId: 1, state: 'in_progress' }]);
    started.waited = false;
    expect(headline(started, false)).toBe('🚀 started (not waited for)');
    expect(headline(recordOf([{ serverId: 1, state: 'unconfirmed' }], 'restore'), false)).toBe(
      '⚠️ restore accepted; its completion could not be confirmed',
    );
    const dry = recordOf([{ serverId: 1, state: 'planned' }]);
    dry.dryRun = true;
    expect(headline(dry, false)).toBe('🧪 dry run: nothing was changed');
    expect(headline(undefined, true)).toBe('❌ failed');
    expect(headline(undefined, false)).toBe('✅ done');
  });

  it('puts the status word in each cell, and how it came to be where the word says less', () => {
    const cell = (state: RowState) => cellOf({ serverId: 1, name: 'a', state }, 'snapshot');
    expect(cell('completed')).toBe('completed');
    expect(cell('timed_out')).toBe('in_progress (timed out)');
    expect(cell('unknown')).toBe('unknown');
    expect(cellOf({ serverId: 1, name: 'a', state: 'unconfirmed' }, 'restore')).toBe(
      'restoring (not confirmed)',
    );
  });
});
