// restore: each named snapshot onto its own server (a fleet at once), then one wait until every server
// has been seen to restore. Nothing is sent before every snapshot and server has been checked.
import { ApiError, errorMessage } from '../api/errors.ts';
import type { Snapshot } from '../api/schema.ts';
import { FLEET_CONCURRENCY, RESTORE_ESTIMATE } from '../limits.ts';
import { ActionError } from '../reporting/failure.ts';
import { describeSnapshot, formatDuration } from '../reporting/format.ts';
import { overallStatus, resultsOf } from '../reporting/outcome.ts';
import type { RestoreSettings } from '../settings/types.ts';
import { waitForRestores } from '../wait/restores.ts';
import type { OperationContext } from './context.ts';
import { mapSettled } from './fleet.ts';
import { findTargets } from './resolve.ts';
import {
  type RestorePlan as Plan,
  recordOutcome,
  recordUnknownStart,
  restoreFailureTitle,
} from './restore-outcome.ts';

export async function runRestore(settings: RestoreSettings, ctx: OperationContext): Promise<void> {
  const { record, outputs, logger } = ctx;
  const snapshots = await findTargets(settings.targets, 'restore', ctx);
  const plans = await preflight(snapshots, ctx);
  for (const p of plans) {
    const warning = `Restoring ${p.label} from snapshot ${describeSnapshot(p.snapshot)}: the server will be stopped and ALL its current data overwritten. This cannot be undone.`;
    if (settings.dryRun) logger.info(`dry run: would restore. ${warning}`);
    else logger.warning(warning);
  }
  if (settings.dryRun) {
    record.dryRun = true;
    outputs.set({ status: 'planned', results: resultsOf(record) });
    return;
  }
  const started = await start(plans, ctx);
  // The wait, and its window for seeing the server change, count from when the restores were accepted.
  const startedAt = ctx.clock.now();
  record.waited = settings.wait;
  if (settings.wait && started.length > 0) await wait(started, settings, ctx, startedAt);
  outputs.set({ status: overallStatus(record) ?? 'failed', results: resultsOf(record) });
  failIfAny(ctx);
}

/** Every snapshot completed, every server readable and not already restoring; else nothing is sent. */
async function preflight(snapshots: Snapshot[], ctx: OperationContext): Promise<Plan[]> {
  const problems: string[] = [];
  const plans = await mapSettled(snapshots, FLEET_CONCURRENCY, async (snapshot): Promise<Plan> => {
    const serverId = snapshot.server.id;
    const before = await ctx.client.getServer(serverId).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    });
    const name = before?.name || snapshot.server.name;
    const label = `server ${serverId}${name ? ` '${name}'` : ''}`;
    if (snapshot.status !== 'completed')
      problems.push(
        `snapshot ${describeSnapshot(snapshot)} on server ${serverId} is not completed, and only a completed snapshot can be restored. Wait for it, or pick another (operation: list).`,
      );
    if (before?.status === 'restoring')
      problems.push(`${label} is already restoring. Wait for that restore to finish, then run this again.`);
    return { snapshot, serverId, before, label };
  });
  const failed = plans.find((p) => p.status === 'rejected');
  if (failed?.status === 'rejected') throw failed.reason;
  if (problems.length > 0) {
    const title = problems.every((p) => p.includes('already restoring'))
      ? 'Cannot restore: server busy'
      : problems.every((p) => p.includes('not completed'))
        ? 'Cannot restore: snapshot not completed'
        : `Cannot restore: ${problems.length} problems`;
    throw new ActionError(title, problems, ctx.record);
  }
  return plans.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
}

/** Sends every restore (a few at once); a server whose restore could not be started gets its error. */
async function start(plans: Plan[], ctx: OperationContext): Promise<Plan[]> {
  const { client, record, logger } = ctx;
  const results = await record.phase('restore', () =>
    mapSettled(plans, FLEET_CONCURRENCY, (p) => {
      // Recorded before the request, so a cancellation while it is sent or settled says a restore may run.
      record.row({
        serverId: p.serverId,
        snapshotId: p.snapshot.id,
        name: p.snapshot.name,
        status: 'restoring',
      });
      return client.restoreSnapshot(p.snapshot.id, {
        id: p.serverId,
        ...(p.before ? { statusBefore: p.before.status } : {}),
      });
    }),
  );
  const started: Plan[] = [];
  results.forEach((r, i) => {
    const p = plans[i] as Plan;
    const row = { serverId: p.serverId, snapshotId: p.snapshot.id, name: p.snapshot.name };
    if (r.status === 'rejected' && r.reason instanceof ApiError && r.reason.outcomeUnknown) {
      recordUnknownStart(p, r.reason, ctx);
      return;
    }
    if (r.status === 'rejected') {
      record.row({
        ...row,
        status: 'failed',
        error: `the restore of ${p.label} from snapshot ${p.snapshot.id} was not started: ${errorMessage(r.reason)}`,
      });
      return;
    }
    logger.info(`${p.label}: ${r.value.message || 'restore started'}`);
    record.row({ ...row, status: 'restoring' });
    record.servers.set(p.serverId, {
      name: r.value.server.name || p.before?.name || '',
      status: r.value.server.status,
    });
    // The adoption's read is a real read (unlike the POST's answer), so it counts as seeing the restore begin.
    started.push(
      r.value.adopted && r.value.server.status === 'restoring' ? { ...p, seenRestoring: true } : p,
    );
  });
  if (started.length > 0) ctx.outputs.set({ status: 'restoring' });
  return started;
}

async function wait(
  plans: Plan[],
  settings: RestoreSettings,
  ctx: OperationContext,
  startedAt: number,
): Promise<void> {
  const what = plans.length === 1 ? (plans[0] as Plan).label : `${plans.length} servers`;
  const outcomes = await ctx.record.phase('wait', () =>
    ctx.group(`Waiting for ${what} to finish restoring (timeout ${formatDuration(settings.timeoutMs)})`, () =>
      waitForRestores(
        ctx.client,
        plans.map((p) => ({
          serverId: p.serverId,
          ...(p.before ? { statusBefore: p.before.status } : {}),
          ...(p.seenRestoring ? { seenRestoring: true } : {}),
        })),
        {
          timeoutMs: settings.timeoutMs,
          deadline: ctx.deadline,
          logger: ctx.logger,
          clock: ctx.clock,
          startedAt,
          estimate: RESTORE_ESTIMATE,
          lagWindowMs: ctx.lagWindowMs,
        },
      ),
    ),
  );
  for (const p of plans) recordOutcome(p, outcomes.get(p.serverId), settings.timeoutMs, ctx);
}

function failIfAny(ctx: OperationContext): void {
  const bad = ctx.record.rows.filter((r) => r.error);
  if (bad.length === 0) return;
  throw new ActionError(
    restoreFailureTitle(ctx.record.rows),
    bad.map((r) => r.error ?? ''),
    ctx.record,
  );
}
