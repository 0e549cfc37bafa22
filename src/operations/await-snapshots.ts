// Waiting for snapshots and saying how each ended: shared by create (after its POSTs) and wait (for
// snapshots started earlier with wait: false).
import { errorMessage } from '../api/errors.ts';
import { SNAPSHOT_ESTIMATE } from '../limits.ts';
import { ActionError } from '../reporting/failure.ts';
import { formatDuration } from '../reporting/format.ts';
import { overallStatus, resultsOf } from '../reporting/outcome.ts';
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
          timeoutMs: timing.timeoutMs,
          deadline: ctx.deadline,
          logger: ctx.logger,
          clock: ctx.clock,
          startedAt: timing.startedAt,
          estimate: SNAPSHOT_ESTIMATE,
          lagWindowMs: ctx.lagWindowMs,
        }).catch((error: unknown) => unreadable(targets, error, ctx)),
    ),
  );
  for (const target of targets) {
    const outcome = outcomes.get(target.id);
    if (outcome) ctx.record.row(rowFor(outcome, timing.timeoutMs));
  }
  return outcomes;
}

/** The list could not be read: every snapshot exists, and how it is doing is unknown. */
function unreadable(targets: readonly SnapshotTarget[], error: unknown, ctx: OperationContext) {
  for (const t of targets) {
    ctx.record.row({
      serverId: t.serverId,
      snapshotId: t.id,
      name: t.name,
      status: 'in_progress',
      outcomeUnknown: true,
      error: `snapshot ${t.id} on server ${t.serverId} was made, but its progress could not be read (${errorMessage(error)}). Check it with operation: list, or wait for it later with operation: wait.`,
    });
  }
  return new Map<number, SnapshotOutcome>();
}

function rowFor(outcome: SnapshotOutcome, timeoutMs: number): Row {
  const { target, snapshot } = outcome;
  const name = snapshot?.name ?? target.name;
  const what = `snapshot ${target.id}${name ? ` '${name}'` : ''} on server ${target.serverId}`;
  const base = {
    serverId: target.serverId,
    snapshotId: target.id,
    name: snapshot?.name ?? target.name,
    sizeMb: snapshot?.size_mb ?? null,
    elapsedMs: outcome.elapsedMs,
  };
  switch (outcome.end) {
    case 'completed':
      return { ...base, status: 'completed' };
    case 'failed':
      return {
        ...base,
        status: 'failed',
        error: `${what} failed at the provider (status '${snapshot?.status}'). Check the server's state, then run the workflow again.`,
      };
    case 'vanished':
      return {
        ...base,
        status: 'failed',
        error: snapshot
          ? `${what} disappeared while being waited on: it has not been in the server's snapshot list for longer than the list's lag (deleted by someone else?). Run the workflow again.`
          : `snapshot ${target.id} was never listed on server ${target.serverId}, not even after the list's lag: check the ID (operation: list).`,
      };
    case 'timeout':
      return {
        ...base,
        status: 'in_progress',
        timedOut: true,
        error: `${what} was still in progress after ${formatDuration(timeoutMs)}: the wait timed out, the snapshot goes on at the provider. Raise timeout, or wait for it later (operation: wait with its snapshot_id); the snapshot_id output names it.`,
      };
  }
}

/** status, size_mb (one server) and results, from the rows. */
export function writeSnapshotOutputs(ctx: OperationContext, single: number | undefined): void {
  const only = single !== undefined ? ctx.record.rows.find((r) => r.serverId === single) : undefined;
  ctx.outputs.set({
    status: overallStatus(ctx.record) ?? 'failed',
    results: resultsOf(ctx.record),
    ...(only?.status === 'completed' ? { size_mb: only.sizeMb ?? null } : {}),
  });
}

/** One error for every server whose snapshot did not complete, titled truthfully: a time-out is not a failure. */
export function failIfUnfinished(ctx: OperationContext): void {
  const bad = ctx.record.rows.filter((r) => r.error);
  if (bad.length === 0) return;
  const total = ctx.record.rows.length;
  const timedOut = bad.filter((r) => r.timedOut).length;
  const failed = bad.length - timedOut;
  const unknown = bad.filter((r) => r.outcomeUnknown).length;
  let title: string;
  if (unknown > 0)
    title =
      total === 1 ? 'Snapshot outcome unknown' : `Snapshot outcome unknown on ${unknown} of ${total} servers`;
  else if (failed === 0)
    title =
      timedOut === total
        ? 'Snapshot wait timed out'
        : `Snapshot wait timed out on ${timedOut} of ${total} servers`;
  else if (timedOut > 0) title = `${failed} snapshot(s) failed, ${timedOut} timed out`;
  else title = total === 1 ? 'Snapshot failed' : `${failed} of ${total} snapshots failed`;
  throw new ActionError(
    title,
    bad.map((r) => r.error ?? ''),
    ctx.record,
  );
}
