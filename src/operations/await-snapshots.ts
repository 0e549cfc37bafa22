// Waiting for snapshots and recording how each ended: shared by create (after its POSTs) and wait (for
// snapshots started earlier with wait: false).
import { SNAPSHOT_ESTIMATE } from '../limits.ts';
import { formatDuration } from '../reporting/format.ts';
import type { Row } from '../reporting/record.ts';
import { type SnapshotOutcome, type SnapshotTarget, waitForSnapshots } from '../wait/snapshots.ts';
import type { OperationContext } from './context.ts';

export async function awaitSnapshots(
  targets: readonly SnapshotTarget[],
  ctx: OperationContext,
  timing: { timeoutMs: number; startedAt: number },
): Promise<Map<number, SnapshotOutcome>> {
  const outcomes = await ctx.record.phase('wait', () =>
    ctx.group(
      `Waiting for ${targets.length} snapshot(s) to complete (timeout ${formatDuration(timing.timeoutMs)})`,
      () =>
        waitForSnapshots(ctx.client, targets, {
          deadline: ctx.deadline,
          logger: ctx.logger,
          clock: ctx.clock,
          startedAt: timing.startedAt,
          estimate: SNAPSHOT_ESTIMATE,
          lagWindowMs: ctx.client.lagWindowMs,
        }),
    ),
  );
  for (const outcome of outcomes.values()) ctx.record.row(rowFor(outcome, timing.timeoutMs));
  return outcomes;
}

function rowFor(outcome: SnapshotOutcome, timeoutMs: number): Row {
  const { target, snapshot, error } = outcome;
  const name = snapshot?.name ?? target.name;
  const what = `snapshot ${target.id}${name ? ` '${name}'` : ''} on server ${target.serverId}`;
  const base = {
    serverId: target.serverId,
    snapshotId: target.id,
    name,
    sizeMb: snapshot?.size_mb ?? null,
    elapsedMs: outcome.elapsedMs,
  };
  switch (outcome.end) {
    case 'completed':
      return { ...base, state: 'completed' };
    case 'failed':
      return {
        ...base,
        state: 'failed',
        error: `${what} failed at the provider (status '${snapshot?.status}'). Check the server's state, then run the workflow again.`,
      };
    case 'vanished':
      return {
        ...base,
        state: 'failed',
        error: snapshot
          ? `${what} disappeared while being waited on: it has not been in the server's snapshot list for longer than the list's lag (deleted by someone else?). Run the workflow again.`
          : `snapshot ${target.id} was never listed on server ${target.serverId}, not even after the list's lag: check the ID (operation: list).`,
      };
    case 'timeout': {
      const asked = error?.retryAfterMs;
      const why =
        asked === undefined
          ? `after ${formatDuration(timeoutMs)}: the wait timed out`
          : `when the provider asked to wait ${formatDuration(asked)} (Retry-After), longer than the time left: the wait ended`;
      return {
        ...base,
        state: 'timed_out',
        error: `${what} was still in progress ${why}, the snapshot goes on at the provider. Raise timeout, or wait for it later (operation: wait with its snapshot_id); the snapshot_id output names it.`,
      };
    }
    case 'unreadable':
      return {
        ...base,
        state: 'unknown',
        error: `${what} was made, but the list could not be read after that (${error ? `${error.method} ${error.path}: ${error.reason}` : 'no answer'}), so how it ended was not seen. Check it with operation: list, or wait for it with operation: wait and its snapshot_id.`,
      };
  }
}
