// The runner cancels a step with SIGINT, then SIGTERM: listen for both while the step runs.
import { workOf } from '../reporting/outcome.ts';
import type { RunRecord } from '../reporting/record.ts';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Calls `handler` once on the first signal; returns the function that stops listening. */
export function onCancel(handler: (signal: string) => void | Promise<void>): () => void {
  let fired = false;
  const listener = (signal: string) => {
    if (fired) return;
    fired = true;
    void handler(signal);
  };
  for (const s of SIGNALS) process.on(s, listener);
  return () => {
    for (const s of SIGNALS) process.off(s, listener);
  };
}

/** What the cancelled step leaves behind, in words: each snapshot or restore still going on at the provider. */
export function cancellationMessage(record: RunRecord | undefined, doing: string, signal: string): string {
  const left = record?.unfinished() ?? [];
  const head = `The step was cancelled (${signal}) while it was to ${doing}.`;
  if (left.length === 0) return `${head} Nothing it started is left in progress.`;
  const work = record ? workOf(record) : 'snapshot';
  const items = left.map((r) =>
    work === 'delete'
      ? `snapshot ${r.snapshotId} '${r.name}' on server ${r.serverId} may have been deleted (its DELETE was sent)`
      : work === 'restore'
        ? `server ${r.serverId} may still be restoring from snapshot ${r.snapshotId}`
        : r.snapshotId === undefined
          ? `a snapshot '${r.name}' was requested on server ${r.serverId} and may have been made (its ID was not known yet)`
          : `snapshot ${r.snapshotId} '${r.name}' on server ${r.serverId} is still in progress`,
  );
  return `${head} Left in progress at the provider: ${items.join('; ')}. This goes on without the step: check it with operation: list${left.some((r) => r.snapshotId !== undefined && r.state === 'in_progress') ? ', or wait for it with operation: wait and its snapshot_id' : ''}.`;
}
