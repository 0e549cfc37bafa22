// wait: for snapshots that already exist (started with wait: false). Also how create waits: one list
// request per poll for a fleet, and each snapshot's end recorded as its row.
import { SNAPSHOT_ESTIMATE } from '../limits.ts';
import { type Problem, refusal, workFailure } from '../reporting/failure.ts';
import { describeSnapshot, formatDuration } from '../reporting/format.ts';
import type { Row } from '../reporting/record.ts';
import type { WaitSettings } from '../settings/types.ts';
import { type SnapshotOutcome, type SnapshotTarget, waitForSnapshots } from '../wait/snapshots.ts';
import type { OperationContext } from './context.ts';
import { match, readFor } from './targets.ts';

export async function runWait(settings: WaitSettings, ctx: OperationContext): Promise<void> {
  const startedAt = ctx.clock.now();
  const targets = await ctx.record.phase('read', () =>
    ctx.group('Finding the snapshot(s)', () => findWaited(settings, ctx)),
  );
  for (const t of targets)
    ctx.record.row({ serverId: t.serverId, snapshotId: t.id, name: t.name, state: 'in_progress' });
  const single = targets.length === 1 ? targets[0] : undefined;
  ctx.outputs.set({
    snapshot_ids: Object.fromEntries(targets.map((t) => [String(t.serverId), t.id])),
    ...(single ? { snapshot_id: single.id, server_id: single.serverId } : {}),
    ...(single?.name ? { snapshot_name: single.name } : {}),
  });
  // Waiting is read-only: a dry run waits as usual, and reports what it found.
  if (settings.dryRun) ctx.logger.info('dry run: waiting changes nothing, so the wait runs as usual.');
  const outcomes = await awaitSnapshots(targets, ctx, { timeoutMs: settings.timeoutMs, startedAt });
  // A snapshot the lagging list showed only while waiting is named now.
  const name = single && outcomes.get(single.id)?.last?.name;
  if (single && !single.name && name) ctx.outputs.set({ snapshot_name: name });
  const failure = workFailure(ctx.record);
  if (failure) throw failure;
}

/**
 * Each ID's snapshot, refused when it is of another server than the inputs say. One not listed may just be
 * new (lists lag): with its server known it is watched for; without, the account is read again first.
 */
async function findWaited(settings: WaitSettings, ctx: OperationContext): Promise<SnapshotTarget[]> {
  const refs = settings.targets.map((t) => ({ by: 'id' as const, ...t }));
  const list = await readFor(refs, ctx, true);
  const problems: Problem[] = [];
  const targets: SnapshotTarget[] = [];
  for (const ref of refs) {
    const found = match(ref, list);
    if (!('kind' in found)) {
      ctx.logger.info(`found snapshot ${describeSnapshot(found)} of server ${found.server.id}`);
      targets.push({ id: found.id, serverId: found.server.id, name: found.name });
    } else if (ref.serverId !== undefined && found.kind === 'not-found') {
      ctx.logger.info(
        `snapshot ${ref.snapshotId} is not listed yet; waiting for it to appear on server ${ref.serverId} (lists lag).`,
      );
      targets.push({ id: ref.snapshotId, serverId: ref.serverId, name: '' });
    } else problems.push(found);
  }
  if (problems.length > 0) throw refusal('wait', problems);
  return targets;
}

/** Waits for snapshots in one poll loop (create's and wait's), and records each one's end as its row. */
export async function awaitSnapshots(
  targets: readonly SnapshotTarget[],
  ctx: OperationContext,
  { timeoutMs, startedAt }: { timeoutMs: number; startedAt: number },
): Promise<Map<number, SnapshotOutcome>> {
  const title = `Waiting for ${targets.length} snapshot(s) to complete (timeout ${formatDuration(timeoutMs)})`;
  const outcomes = await ctx.record.phase('wait', () =>
    ctx.group(title, () =>
      waitForSnapshots(ctx.client, targets, {
        ...{ deadline: ctx.deadline, logger: ctx.logger, clock: ctx.clock, startedAt },
        ...{ estimate: SNAPSHOT_ESTIMATE, lagWindowMs: ctx.client.lagWindowMs },
      }),
    ),
  );
  for (const t of targets) {
    const outcome = outcomes.get(t.id);
    if (outcome) ctx.record.row(rowFor(t, outcome, timeoutMs));
  }
  return outcomes;
}

function rowFor(target: SnapshotTarget, outcome: SnapshotOutcome, timeoutMs: number): Row {
  const { last: snapshot, error } = outcome;
  const name = snapshot?.name ?? target.name;
  const what = `snapshot ${target.id}${name ? ` '${name}'` : ''} on server ${target.serverId}`;
  const row = {
    ...{ serverId: target.serverId, snapshotId: target.id, name },
    ...{ sizeMb: snapshot?.size_mb ?? null, elapsedMs: outcome.elapsedMs },
  };
  switch (outcome.end) {
    case 'completed':
      return { ...row, state: 'completed' };
    case 'failed':
      return {
        ...row,
        state: 'failed',
        error: `${what} failed at the provider (status '${snapshot?.status}'). Check the server's state, then run the workflow again.`,
      };
    case 'vanished':
      return {
        ...row,
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
        ...row,
        state: 'timed_out',
        error: `${what} was still in progress ${why}, the snapshot goes on at the provider. Raise timeout, or wait for it later (operation: wait with its snapshot_id); the snapshot_id output names it.`,
      };
    }
    case 'unreadable':
      return {
        ...row,
        state: 'unknown',
        error: `${what} was made, but the list could not be read after that (${error ? `${error.method} ${error.path}: ${error.reason}` : 'no answer'}), so how it ended was not seen. Check it with operation: list, or wait for it with operation: wait and its snapshot_id.`,
      };
  }
}
