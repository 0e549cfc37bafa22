// restore: each named snapshot onto its own server (a fleet at once), then one wait until every server
// has been seen to restore. Nothing is sent before every snapshot and server has been checked.
import { ApiError, errorMessage } from '../api/errors.ts';
import type { Snapshot } from '../api/schema.ts';
import { FLEET_CONCURRENCY, RESTORE_ESTIMATE } from '../limits.ts';
import { type Problem, refusal, workFailure } from '../reporting/failure.ts';
import { describeSnapshot, formatDuration } from '../reporting/format.ts';
import type { Row } from '../reporting/record.ts';
import type { RestoreSettings } from '../settings/types.ts';
import { type RestoreOutcome, waitForRestores } from '../wait/restores.ts';
import type { OperationContext } from './context.ts';
import { mapSettled } from './fleet.ts';
import { findTargets } from './resolve.ts';

/** One server's restore: the snapshot, the server's status before, and how to name it. */
interface Plan {
  snapshot: Snapshot;
  serverId: number;
  before: { name: string; status: string } | undefined;
  label: string;
  /** Settling a lost answer read the server restoring: the restore has begun. */
  seenRestoring?: boolean;
}

export async function runRestore(settings: RestoreSettings, ctx: OperationContext): Promise<void> {
  const { record, logger } = ctx;
  const snapshots = await findTargets(settings.targets, 'restore', ctx);
  const plans = await preflight(snapshots, ctx);
  for (const p of plans) {
    const warning = `Restoring ${p.label} from snapshot ${describeSnapshot(p.snapshot)}: the server will be stopped and ALL its current data overwritten. This cannot be undone.`;
    if (settings.dryRun) logger.info(`dry run: would restore. ${warning}`);
    else logger.warning(warning);
  }
  if (settings.dryRun) {
    record.dryRun = true;
    return;
  }
  const started = await start(plans, ctx);
  // The wait, and its window for seeing the server change, count from when the restores were accepted.
  const startedAt = ctx.clock.now();
  record.waited = settings.wait;
  if (settings.wait && started.length > 0) await wait(started, settings, ctx, startedAt);
  const failure = workFailure(record);
  if (failure) throw failure;
}

/** Every snapshot completed, every server readable and not already restoring; else nothing is sent. */
async function preflight(snapshots: Snapshot[], ctx: OperationContext): Promise<Plan[]> {
  const problems: Problem[] = [];
  const plans = await mapSettled(snapshots, FLEET_CONCURRENCY, async (snapshot): Promise<Plan> => {
    const serverId = snapshot.server.id;
    const before = await ctx.client.getServer(serverId).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    });
    const name = before?.name || snapshot.server.name;
    const label = `server ${serverId}${name ? ` '${name}'` : ''}`;
    if (snapshot.status !== 'completed')
      problems.push({
        kind: 'not-completed',
        message: `snapshot ${describeSnapshot(snapshot)} on server ${serverId} is not completed, and only a completed snapshot can be restored. Wait for it, or pick another (operation: list).`,
      });
    if (before?.status === 'restoring')
      problems.push({
        kind: 'server-busy',
        message: `${label} is already restoring. Wait for that restore to finish, then run this again.`,
      });
    return { snapshot, serverId, before, label };
  });
  const failed = plans.find((p) => p.status === 'rejected');
  if (failed?.status === 'rejected') throw failed.reason;
  if (problems.length > 0) throw refusal('restore', problems);
  return plans.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
}

/** Sends every restore (a few at once) and records how each request ended. */
async function start(plans: Plan[], ctx: OperationContext): Promise<Plan[]> {
  const { client, record, logger } = ctx;
  const rowOf = (p: Plan) => ({ serverId: p.serverId, snapshotId: p.snapshot.id, name: p.snapshot.name });
  const results = await record.phase('restore', () =>
    mapSettled(plans, FLEET_CONCURRENCY, (p) => {
      // Recorded before the request, so a cancellation while it is sent or settled says a restore may run.
      record.row({ ...rowOf(p), state: 'sent' });
      return client.restoreSnapshot(p.snapshot.id, {
        id: p.serverId,
        ...(p.before ? { statusBefore: p.before.status } : {}),
      });
    }),
  );
  return plans.flatMap((p, i) => {
    const r = results[i] as (typeof results)[number];
    if (r.status === 'rejected') {
      const unknown = r.reason instanceof ApiError && r.reason.kind === 'ambiguous';
      const why = unknown
        ? `${p.label}: ${errorMessage(r.reason)}`
        : `the restore of ${p.label} from snapshot ${p.snapshot.id} was not started: ${errorMessage(r.reason)}`;
      record.row({ ...rowOf(p), state: unknown ? 'unknown' : 'failed', error: why });
      return [];
    }
    const { adopted, server, message } = r.value;
    logger.info(
      `${p.label}: ${adopted ? `restore from snapshot ${p.snapshot.id} taken (${server.status})` : message || 'restore started'}`,
    );
    record.row({ ...rowOf(p), state: 'restoring' });
    record.servers.set(p.serverId, { name: server.name || p.before?.name || '', status: server.status });
    // The adoption's read is a real read (unlike the POST's answer), so it counts as seeing the restore begin.
    return [adopted && server.status === 'restoring' ? { ...p, seenRestoring: true } : p];
  });
}

async function wait(plans: Plan[], settings: RestoreSettings, ctx: OperationContext, startedAt: number) {
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
          deadline: ctx.deadline,
          logger: ctx.logger,
          clock: ctx.clock,
          startedAt,
          estimate: RESTORE_ESTIMATE,
          lagWindowMs: ctx.client.lagWindowMs,
        },
      ),
    ),
  );
  for (const p of plans) {
    const outcome = outcomes.get(p.serverId);
    if (outcome) recordOutcome(p, outcome, settings.timeoutMs, ctx);
  }
}

/** Records how one server's restore ended: its row, the server's last state, and a warning or note. */
function recordOutcome(p: Plan, outcome: RestoreOutcome, timeoutMs: number, ctx: OperationContext): void {
  const { record, logger } = ctx;
  if (outcome.server)
    record.servers.set(p.serverId, { name: outcome.server.name, status: outcome.server.status });
  const row: Omit<Row, 'state'> = {
    serverId: p.serverId,
    snapshotId: p.snapshot.id,
    name: p.snapshot.name,
    elapsedMs: outcome.elapsedMs,
  };
  const words = explain(p.label, p.snapshot.id, outcome, timeoutMs);
  switch (outcome.end) {
    case 'restored':
      logger.info(words);
      record.row({ ...row, state: 'restored' });
      if (outcome.server?.status === 'stopped')
        record.notes.push(`Server ${p.serverId} is stopped after the restore: start it when ready.`);
      return;
    case 'unconfirmed':
      logger.warning(words, 'Restore not confirmed');
      record.row({ ...row, state: 'unconfirmed', note: words });
      record.notes.push(words);
      return;
    case 'failed':
      record.row({ ...row, state: 'failed', error: words });
      return;
    case 'timeout':
      record.row({ ...row, state: 'timed_out', error: words });
      return;
    case 'unreadable':
      record.row({ ...row, state: 'unknown', error: words });
  }
}

function explain(label: string, snapshotId: number, outcome: RestoreOutcome, timeoutMs: number): string {
  const check = "Check the server in the provider's panel";
  switch (outcome.end) {
    case 'restored':
      return `${label} is restored from snapshot ${snapshotId} and ${outcome.server?.status} after ${formatDuration(outcome.elapsedMs)}.`;
    case 'unconfirmed':
      return outcome.reason === 'no-server-endpoint'
        ? `The restore of ${label} from snapshot ${snapshotId} was accepted, but the provider does not report the server's state (GET /servers/{id}/ answers 404), so its completion cannot be confirmed. ${check}.`
        : `The restore of ${label} from snapshot ${snapshotId} was accepted, but the server was never seen restoring (it showed '${outcome.server?.status ?? 'its old state'}' after ${formatDuration(outcome.elapsedMs)}), so its completion could not be confirmed. ${check}.`;
    case 'failed':
      return `${label} reports '${outcome.server?.status}' after the restore from snapshot ${snapshotId}. ${check}; the snapshot is still there to try again.`;
    case 'timeout':
      return `${label} was still restoring from snapshot ${snapshotId} after ${formatDuration(timeoutMs)}: the wait timed out, the restore goes on at the provider. Check the server, and raise timeout for next time.`;
    case 'unreadable': {
      const cause = outcome.error
        ? `${outcome.error.method} ${outcome.error.path}: ${outcome.error.reason}`
        : 'no answer';
      return `The restore of ${label} from snapshot ${snapshotId} was accepted, but the server could not be read after that (${cause}), so how it ended was not seen. ${check} before restoring again.`;
    }
  }
}
