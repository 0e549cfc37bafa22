// How a restore ended, in words: a sentence per server, and the title of the step's error.
import { formatDuration } from '../reporting/format.ts';
import type { Row } from '../reporting/record.ts';
import type { RestoreOutcome } from '../wait/restores.ts';

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
        : `The restore of ${label} from snapshot ${snapshotId} was accepted, but the server still showed '${outcome.server?.status ?? 'its old state'}' after ${formatDuration(outcome.elapsedMs)}, so its completion could not be confirmed. Check the server in the provider's panel.`;
    case 'failed':
      return `${label} reports '${outcome.server?.status}' after the restore from snapshot ${snapshotId}. Check the server in the provider's panel; the snapshot is still there to try again.`;
    case 'timeout':
      return `${label} was still restoring from snapshot ${snapshotId} after ${formatDuration(timeoutMs)}: the wait timed out, the restore goes on at the provider. Check the server, and raise timeout for next time.`;
  }
}

export function restoreFailureTitle(rows: readonly Row[]): string {
  const bad = rows.filter((r) => r.error);
  const timedOut = bad.filter((r) => r.timedOut).length;
  if (rows.length > 1 && bad.length < rows.length)
    return `Restore failed on ${bad.length} of ${rows.length} servers`;
  if (timedOut === bad.length) return 'Restore timed out';
  return 'Restore failed';
}
