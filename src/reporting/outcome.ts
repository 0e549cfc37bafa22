// The outcome of a run, derived once from its record: each row's status word, the run's `status`, the
// outputs the record settles (`results`, `size_mb`, `deleted_ids`), the summary's headline and cells, and the
// title of the step's error. Operations record facts; nothing here reads their sentences.
import type { Failure, Row, RowState, RunRecord } from './record.ts';

/** The `status` output's words (action.yml). */
export type Status =
  | 'completed'
  | 'in_progress'
  | 'restored'
  | 'restoring'
  | 'deleted'
  | 'listed'
  | 'planned'
  | 'failed'
  | 'partial'
  | 'unknown';

/** What a row's work is: a snapshot (create, wait), a restore (restore, the post step's rollback), a deletion. */
export type Work = 'snapshot' | 'restore' | 'delete';

export interface ResultEntry {
  server_id: number;
  snapshot_id: number | null;
  name: string;
  status: Status;
  error: string | null;
}

export function workOf(record: RunRecord): Work {
  if (record.operation === 'restore' || record.operation === 'post') return 'restore';
  return record.operation === 'delete' || record.operation === 'prune' ? 'delete' : 'snapshot';
}

/** A row's status word: an outcome not seen is `unknown`, never the work's hoped-for state. */
export function statusOf(state: RowState, work: Work): Status {
  switch (state) {
    case 'sent':
    case 'unknown':
      return 'unknown';
    case 'timed_out':
      return work === 'restore' ? 'restoring' : 'in_progress';
    case 'unconfirmed':
      return 'restoring';
    default:
      return state;
  }
}

/** Refused before any work: the rows are only the plan that was not carried out. */
function refused(record: RunRecord): boolean {
  return !record.dryRun && record.rows.length > 0 && record.rows.every((r) => r.state === 'planned');
}

/** The run's status; `failed`: the step failed (a run with no rows is done only if it did not). */
export function overallStatus(record: RunRecord | undefined, failed = false): Status {
  if (!record) return 'failed';
  if (record.dryRun) return 'planned';
  if (record.operation === 'list') return record.listed ? 'listed' : 'failed';
  // A prune that found nothing to delete did what was asked.
  if (record.rows.length === 0 && record.operation === 'prune' && !failed) return 'deleted';
  if (record.rows.length === 0 || refused(record)) return 'failed';
  const work = workOf(record);
  const words = [...new Set(record.rows.map((r) => statusOf(r.state, work)))];
  return words.length === 1 ? (words[0] as Status) : 'partial';
}

export interface RecordOutputs {
  status: Status;
  results?: ResultEntry[];
  size_mb?: number | null;
  deleted_ids?: number[];
}

/** The outputs that follow from the record, for the step to write once: at its end (`failed` or not) or its cancellation. */
export function recordOutputs(record: RunRecord | undefined, failed = false): RecordOutputs {
  const status = overallStatus(record, failed);
  if (!record) return { status };
  const work = workOf(record);
  const [only, ...more] = record.rows;
  const shown =
    record.operation !== 'list' && (record.rows.length > 0 || status !== 'failed') && !refused(record);
  return {
    status,
    ...(shown ? { results: record.rows.map((r) => resultOf(r, work)) } : {}),
    ...(work === 'snapshot' && only?.state === 'completed' && more.length === 0
      ? { size_mb: only.sizeMb ?? null }
      : {}),
    ...(work === 'delete'
      ? {
          deleted_ids: record.rows.flatMap((r) =>
            r.state === 'deleted' && r.snapshotId ? [r.snapshotId] : [],
          ),
        }
      : {}),
    ...(record.operation === 'create'
      ? { deleted_ids: record.deleted.filter((d) => !d.planned).map((d) => d.snapshotId) }
      : {}),
  };
}

function resultOf(r: Row, work: Work): ResultEntry {
  return {
    server_id: r.serverId,
    snapshot_id: r.snapshotId ?? null,
    name: r.name,
    status: statusOf(r.state, work),
    error: r.error ?? null,
  };
}

const FAILURES: readonly Failure[] = ['unknown', 'failed', 'timed_out'];
const TITLES: Record<Work, Record<Failure, string>> = {
  snapshot: {
    unknown: 'Snapshot outcome unknown',
    failed: 'Snapshot failed',
    timed_out: 'Snapshot wait timed out',
  },
  restore: { unknown: 'Restore outcome unknown', failed: 'Restore failed', timed_out: 'Restore timed out' },
  delete: { unknown: 'Delete outcome unknown', failed: 'Delete failed', timed_out: 'Delete timed out' },
};
const PRUNE_TITLES: Record<Failure, string> = {
  unknown: 'Prune outcome unknown',
  failed: 'Prune incomplete',
  timed_out: 'Prune incomplete',
};
const COUNTED: Record<Failure, string> = { unknown: 'unknown', failed: 'failed', timed_out: 'timed out' };

/** The rows that did not end as asked, by kind, the gravest first: an unknown outcome, a failure, a time-out. */
export function failuresOf(record: RunRecord): { kind: Failure; rows: Row[] }[] {
  return FAILURES.map((kind) => ({ kind, rows: record.rows.filter((r) => r.state === kind) })).filter(
    (f) => f.rows.length > 0,
  );
}

/** The step's error title: "Snapshot failed", or for part of a fleet "Snapshot failed: 1 of 3; 1 timed out". */
export function failureTitle(record: RunRecord): string {
  const [first, ...others] = failuresOf(record);
  const titles = record.operation === 'prune' ? PRUNE_TITLES : TITLES[workOf(record)];
  if (!first) return titles.failed;
  const total = record.rows.length;
  const part = first.rows.length < total ? `: ${first.rows.length} of ${total}` : '';
  return [`${titles[first.kind]}${part}`, ...others.map((f) => `${f.rows.length} ${COUNTED[f.kind]}`)].join(
    '; ',
  );
}

const DONE: Record<Work, RowState> = { snapshot: 'completed', restore: 'restored', delete: 'deleted' };

/** The summary's heading after the operation's name, e.g. "✅ completed", "⌛ timed out". */
export function headline(record: RunRecord | undefined, failed: boolean): string {
  if (record?.dryRun) return '🧪 dry run: nothing was changed';
  if (!record || record.rows.length === 0 || refused(record))
    return failed ? '❌ failed' : record?.operation === 'list' ? '✅ listed' : '✅ done';
  const done = DONE[workOf(record)];
  const count = (state: RowState) => record.rows.filter((r) => r.state === state).length;
  const total = record.rows.length;
  const good = count(done);
  if (good > 0 && good < total) return `⚠️ partly done: ${good} of ${total} ${done}`;
  if (count('failed') > 0)
    return count('failed') === total ? '❌ failed' : `❌ ${count('failed')} of ${total} failed`;
  if (count('unknown') + count('sent') > 0) return '❓ outcome unknown: check at the provider';
  if (count('timed_out') > 0) return '⌛ timed out: the work goes on at the provider';
  if (!record.waited && (count('in_progress') > 0 || count('restoring') > 0))
    return '🚀 started (not waited for)';
  if (count('unconfirmed') > 0) return '⚠️ restore accepted; its completion could not be confirmed';
  return failed ? '❌ failed' : `✅ ${done}`;
}

const ASIDE: Partial<Record<RowState, string>> = {
  sent: 'no answer yet',
  timed_out: 'timed out',
  unconfirmed: 'not confirmed',
};

/** A row's status cell in the summary: its status word, and how it came to be where that says less. */
export function cellOf(row: Row, work: Work): string {
  const aside = ASIDE[row.state];
  return `${statusOf(row.state, work)}${aside ? ` (${aside})` : ''}`;
}
