// The honest overall outcome of a run, from its rows: the `status` output, the summary's heading, and the
// `results` output. `completed` only when every server completed; a time-out is not a failure.
import type { RowStatus, RunRecord } from './record.ts';

export type OverallStatus = RowStatus | 'partial';

export interface Outcome {
  status: OverallStatus;
  /** The summary's heading after the operation's name, e.g. "✅ completed", "⌛ timed out". */
  headline: string;
}

export interface ResultEntry {
  server_id: number;
  snapshot_id: number | null;
  name: string;
  status: RowStatus;
  error: string | null;
}

const DONE_WORDS: Partial<Record<RowStatus, string>> = {
  completed: 'completed',
  restored: 'restored',
  deleted: 'deleted',
  listed: 'listed',
};

export function overallStatus(record: RunRecord): OverallStatus | undefined {
  if (record.dryRun) return 'planned';
  if (record.operation === 'list') return 'listed';
  const statuses = new Set(record.rows.map((r) => r.status));
  if (statuses.size === 0) return undefined;
  return statuses.size === 1 ? ([...statuses][0] as RowStatus) : 'partial';
}

export function outcomeOf(record: RunRecord | undefined, failed: boolean): Outcome {
  const status = record ? overallStatus(record) : undefined;
  if (!record || status === undefined)
    return { status: 'failed', headline: failed ? '❌ failed' : '✅ done' };
  if (status === 'planned') return { status, headline: '🧪 dry run: nothing was changed' };
  const rows = record.rows;
  const timedOut = rows.filter((r) => r.timedOut).length;
  const bad = rows.filter((r) => r.status === 'failed').length;
  const good = rows.filter((r) => DONE_WORDS[r.status]).length;
  if (status === 'partial' && good > 0) {
    const word = DONE_WORDS[rows.find((r) => DONE_WORDS[r.status])?.status ?? 'completed'];
    return { status, headline: `⚠️ partly done: ${good} of ${rows.length} ${word}` };
  }
  if (bad > 0)
    return { status, headline: bad === rows.length ? '❌ failed' : `❌ ${bad} of ${rows.length} failed` };
  if (timedOut > 0) return { status, headline: '⌛ timed out: the work goes on at the provider' };
  if (!record.waited && (status === 'in_progress' || status === 'restoring'))
    return { status, headline: '🚀 started (not waited for)' };
  if (status === 'restoring')
    return { status, headline: '⚠️ restore accepted; its completion could not be confirmed' };
  if (failed) return { status, headline: '❌ failed' };
  return { status, headline: `✅ ${DONE_WORDS[status as RowStatus] ?? status.replace('_', ' ')}` };
}

/** The `results` output: one entry per server, with its snapshot, final status and error, if any. */
export function resultsOf(record: RunRecord): ResultEntry[] {
  return record.rows.map((r) => ({
    server_id: r.serverId,
    snapshot_id: r.snapshotId ?? null,
    name: r.name,
    status: r.status,
    error: r.error ?? null,
  }));
}
