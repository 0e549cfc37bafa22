// How a restore ended, in words: a sentence per server, and the title of the step's error.
import { errorMessage } from '../api/errors.ts';
import type { Snapshot } from '../api/schema.ts';
import { formatDuration } from '../reporting/format.ts';
import type { Row } from '../reporting/record.ts';
import type { RestoreOutcome } from '../wait/restores.ts';
import type { OperationContext } from './context.ts';

/** One server's restore: the snapshot, the server's status before, and how to name it. */
export interface RestorePlan {
  snapshot: Snapshot;
  serverId: number;
  before: { name: string; status: string } | undefined;
  label: string;
  /** Settling a lost answer read the server restoring: the restore has begun. */
  seenRestoring?: boolean;
}

export function explainRestore(
  label: string,
  snapshotId: number,
  outcome: RestoreOutcome,
  timeoutMs: number,
): string {
  switch (outcome.end) {
    case 'restored':
      return `${label} is restored from snapshot ${snapshotId} and ${outcome.server?.status} after ${formatDuration(outcome.elapsedMs)}.`;
    case 'unconfirmed':
      return outcome.reason === 'no-server-endpoint'
        ? `The restore of ${label} from snapshot ${snapshotId} was accepted, but the provider does not report the server's state (GET /servers/{id}/ answers 404), so its completion cannot be confirmed. Check the server in the provider's panel.`
        : `The restore of ${label} from snapshot ${snapshotId} was accepted, but the server was never seen restoring (it showed '${outcome.server?.status ?? 'its old state'}' after ${formatDuration(outcome.elapsedMs)}), so its completion could not be confirmed. Check the server in the provider's panel.`;
    case 'failed':
      return `${label} reports '${outcome.server?.status}' after the restore from snapshot ${snapshotId}. Check the server in the provider's panel; the snapshot is still there to try again.`;
    case 'timeout':
      return `${label} was still restoring from snapshot ${snapshotId} after ${formatDuration(timeoutMs)}: the wait timed out, the restore goes on at the provider. Check the server, and raise timeout for next time.`;
    case 'unreadable':
      return `The restore of ${label} from snapshot ${snapshotId} was accepted, but the server's state could not be read (${outcome.error}). It may still be restoring: check the server in the provider's panel before restoring again.`;
  }
}

/** Records how one server's restore ended: its row, the server's last state, and a warning or note. */
export function recordOutcome(
  p: RestorePlan,
  outcome: RestoreOutcome | undefined,
  timeoutMs: number,
  ctx: OperationContext,
): void {
  if (!outcome) return;
  if (outcome.server)
    ctx.record.servers.set(p.serverId, { name: outcome.server.name, status: outcome.server.status });
  const row = {
    serverId: p.serverId,
    snapshotId: p.snapshot.id,
    name: p.snapshot.name,
    elapsedMs: outcome.elapsedMs,
  };
  const words = explainRestore(p.label, p.snapshot.id, outcome, timeoutMs);
  switch (outcome.end) {
    case 'restored':
      ctx.logger.info(words);
      ctx.record.row({ ...row, status: 'restored' });
      if (outcome.server?.status === 'stopped')
        ctx.record.notes.push(`Server ${p.serverId} is stopped after the restore: start it when ready.`);
      return;
    case 'unconfirmed':
      ctx.logger.warning(words, 'Restore not confirmed');
      ctx.record.row({ ...row, status: 'restoring', note: words });
      ctx.record.notes.push(words);
      return;
    case 'failed':
      ctx.record.row({ ...row, status: 'failed', error: words });
      return;
    case 'timeout':
      ctx.record.row({ ...row, status: 'restoring', timedOut: true, error: words });
      return;
    case 'unreadable':
      ctx.record.row({ ...row, status: 'restoring', outcomeUnknown: true, error: words });
  }
}

/** A restore whose request's outcome could not be settled: it may be running. */
export function recordUnknownStart(p: RestorePlan, error: unknown, ctx: OperationContext): void {
  ctx.record.row({
    serverId: p.serverId,
    snapshotId: p.snapshot.id,
    name: p.snapshot.name,
    status: 'restoring',
    outcomeUnknown: true,
    error: `the restore of ${p.label} from snapshot ${p.snapshot.id} may have started: ${errorMessage(error)}. Check server ${p.serverId} in the provider's panel before restoring again.`,
  });
}

export function restoreFailureTitle(rows: readonly Row[]): string {
  const bad = rows.filter((r) => r.error);
  const timedOut = bad.filter((r) => r.timedOut).length;
  if (bad.some((r) => r.outcomeUnknown)) return 'Restore outcome unknown';
  if (rows.length > 1 && bad.length < rows.length)
    return `Restore failed on ${bad.length} of ${rows.length} servers`;
  if (timedOut === bad.length) return 'Restore timed out';
  return 'Restore failed';
}
