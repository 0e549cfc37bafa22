// Everything derived from the run record, once: each row's status word, the run's `status`, the outputs the
// record settles, the summary's headline and cells, the error title, and what a cancellation leaves behind.
import type { Done, Failure, Row, RowState, RunRecord } from './record.ts';

/** The `status` output's words (action.yml): a row's state where the user can act on it. */
export type Status = Exclude<RowState, 'sent' | 'timed_out' | 'unconfirmed'> | 'listed' | 'partial';
/** What a row's work is: a snapshot (create, wait), a restore (restore, the rollback), a deletion. */
export type Work = 'snapshot' | 'restore' | 'delete';

export interface ResultEntry {
  server_id: number;
  snapshot_id: number | null;
  name: string;
  status: Status;
  error: string | null;
}

export interface RecordOutputs {
  status: Status;
  results?: ResultEntry[];
  size_mb?: number | null;
  deleted_ids?: number[];
}

export function workOf(record: RunRecord): Work {
  if (record.operation === 'restore' || record.operation === 'post') return 'restore';
  return record.operation === 'delete' || record.operation === 'prune' ? 'delete' : 'snapshot';
}

/** A row's status word: an outcome not seen is `unknown`, never the work's hoped-for state. */
export function statusOf(state: RowState, work: Work): Status {
  if (state === 'sent') return 'unknown';
  if (state === 'timed_out') return work === 'restore' ? 'restoring' : 'in_progress';
  return state === 'unconfirmed' ? 'restoring' : state;
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
  const [word, ...others] = new Set(record.rows.map((r) => statusOf(r.state, workOf(record))));
  return word && others.length === 0 ? word : 'partial';
}

/** The outputs that follow from the record, written once at the step's end (`failed` or not) or cancellation. */
export function recordOutputs(record: RunRecord | undefined, failed = false): RecordOutputs {
  const status = overallStatus(record, failed);
  if (!record) return { status };
  const work = workOf(record);
  const { rows, operation } = record;
  const outputs: RecordOutputs = { status };
  if (operation !== 'list' && (rows.length > 0 || status !== 'failed') && !refused(record))
    outputs.results = rows.map((r) => ({
      server_id: r.serverId,
      snapshot_id: r.snapshotId ?? null,
      name: r.name,
      status: statusOf(r.state, work),
      error: r.error ?? null,
    }));
  if (work === 'snapshot' && rows.length === 1 && rows[0]?.state === 'completed')
    outputs.size_mb = rows[0].sizeMb ?? null;
  if (work === 'delete')
    outputs.deleted_ids = rows.flatMap((r) => (r.state === 'deleted' && r.snapshotId ? [r.snapshotId] : []));
  if (operation === 'create')
    outputs.deleted_ids = record.deleted.filter((d) => !d.planned).map((d) => d.snapshotId);
  return outputs;
}

const TITLES: Record<Work | 'prune', Record<Failure, string>> = {
  snapshot: {
    unknown: 'Snapshot outcome unknown',
    failed: 'Snapshot failed',
    timed_out: 'Snapshot wait timed out',
  },
  restore: { unknown: 'Restore outcome unknown', failed: 'Restore failed', timed_out: 'Restore timed out' },
  delete: { unknown: 'Delete outcome unknown', failed: 'Delete failed', timed_out: 'Delete timed out' },
  prune: { unknown: 'Prune outcome unknown', failed: 'Prune incomplete', timed_out: 'Prune incomplete' },
};

/** The rows that did not end as asked, by kind, the gravest first: an unknown outcome, a failure, a time-out. */
export function failuresOf(record: RunRecord): { kind: Failure; rows: Row[] }[] {
  return (['unknown', 'failed', 'timed_out'] as const)
    .map((kind) => ({ kind, rows: record.rows.filter((r) => r.state === kind) }))
    .filter((f) => f.rows.length > 0);
}

/** The step's error title: "Snapshot failed", or for part of a fleet "Snapshot failed: 1 of 3; 1 timed out". */
export function failureTitle(record: RunRecord): string {
  const [first, ...others] = failuresOf(record);
  const titles = TITLES[record.operation === 'prune' ? 'prune' : workOf(record)];
  if (!first) return titles.failed;
  const total = record.rows.length;
  const part = first.rows.length < total ? `: ${first.rows.length} of ${total}` : '';
  const more = others.map((f) => `${f.rows.length} ${f.kind.replace('_', ' ')}`);
  return [`${titles[first.kind]}${part}`, ...more].join('; ');
}

const DONE: Record<Work, Done> = { snapshot: 'completed', restore: 'restored', delete: 'deleted' };

/** The summary's heading after the operation's name, e.g. "✅ completed", "⌛ timed out". */
export function headline(record: RunRecord | undefined, failed: boolean): string {
  if (record?.dryRun) return '🧪 dry run: nothing was changed';
  if (!record || record.rows.length === 0 || refused(record))
    return failed ? '❌ failed' : record?.operation === 'list' ? '✅ listed' : '✅ done';
  const done = DONE[workOf(record)];
  const count = (...states: RowState[]) => record.rows.filter((r) => states.includes(r.state)).length;
  const total = record.rows.length;
  if (count(done) > 0 && count(done) < total) return `⚠️ partly done: ${count(done)} of ${total} ${done}`;
  if (count('failed') > 0)
    return count('failed') === total ? '❌ failed' : `❌ ${count('failed')} of ${total} failed`;
  if (count('unknown', 'sent') > 0) return '❓ outcome unknown: check at the provider';
  if (count('timed_out') > 0) return '⌛ timed out: the work goes on at the provider';
  if (!record.waited && count('in_progress', 'restoring') > 0) return '🚀 started (not waited for)';
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

/** What a cancelled step leaves behind, in words: each snapshot, restore or deletion still going on. */
export function cancellationMessage(record: RunRecord | undefined, doing: string, signal: string): string {
  const left = record?.unfinished() ?? [];
  const head = `The step was cancelled (${signal}) while it was to ${doing}.`;
  if (!record || left.length === 0) return `${head} Nothing it started is left in progress.`;
  const work = workOf(record);
  const items = left.map((r) =>
    work === 'delete'
      ? `snapshot ${r.snapshotId} '${r.name}' on server ${r.serverId} may have been deleted (its DELETE was sent)`
      : work === 'restore'
        ? `server ${r.serverId} may still be restoring from snapshot ${r.snapshotId}`
        : r.snapshotId === undefined
          ? `a snapshot '${r.name}' was requested on server ${r.serverId} and may have been made (its ID was not known yet)`
          : `snapshot ${r.snapshotId} '${r.name}' on server ${r.serverId} is still in progress`,
  );
  const waitable = left.some((r) => r.snapshotId !== undefined && r.state === 'in_progress');
  return `${head} Left in progress at the provider: ${items.join('; ')}. This goes on without the step: check it with operation: list${waitable ? ', or wait for it with operation: wait and its snapshot_id' : ''}.`;
}
