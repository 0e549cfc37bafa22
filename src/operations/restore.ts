// restore: each named snapshot onto its own server (a fleet at once), then one wait until every server has
// been seen to restore. Nothing is sent before every snapshot and server has been checked.
import { ApiError, errorMessage } from '../api/errors.ts';
import type { ServerInfo, Snapshot } from '../api/schema.ts';
import { RESTORE_ESTIMATE } from '../limits.ts';
import { type Problem, refusal, workFailure } from '../reporting/failure.ts';
import { describeSnapshot, formatDuration } from '../reporting/format.ts';
import type { RestoreSettings } from '../settings/types.ts';
import { type RestoreOutcome, type RestoreTarget, waitForRestores } from '../wait/restores.ts';
import type { OperationContext } from './context.ts';
import { findTargets, inFleet } from './targets.ts';

/** One server's restore: the snapshot, the server's status before (when reported), and its name in words. */
interface Plan extends RestoreTarget {
  snapshot: Snapshot;
  before: ServerInfo | undefined;
  label: string;
}

export async function runRestore(settings: RestoreSettings, ctx: OperationContext): Promise<void> {
  const plans = await preflight(await findTargets(settings.targets, 'restore', ctx), ctx);
  for (const p of plans) {
    const warning = `Restoring ${p.label} from snapshot ${describeSnapshot(p.snapshot)}: the server will be stopped and ALL its current data overwritten. This cannot be undone.`;
    if (settings.dryRun) ctx.logger.info(`dry run: would restore. ${warning}`);
    else ctx.logger.warning(warning);
  }
  if (settings.dryRun) {
    ctx.record.dryRun = true;
    return;
  }
  const started = await start(plans, ctx);
  // The wait, and its window for seeing the server change, count from when the restores were accepted.
  const startedAt = ctx.clock.now();
  ctx.record.waited = settings.wait;
  if (settings.wait && started.length > 0) {
    const what = started.length === 1 ? started[0]?.label : `${started.length} servers`;
    const title = `Waiting for ${what} to finish restoring (timeout ${formatDuration(settings.timeoutMs)})`;
    const outcomes = await ctx.record.phase('wait', () =>
      ctx.group(title, () =>
        waitForRestores(ctx.client, started, {
          ...{ deadline: ctx.deadline, logger: ctx.logger, clock: ctx.clock, startedAt },
          ...{ estimate: RESTORE_ESTIMATE, lagWindowMs: ctx.client.lagWindowMs },
        }),
      ),
    );
    for (const p of started) {
      const outcome = outcomes.get(p.serverId);
      if (outcome) recordEnd(p, outcome, settings.timeoutMs, ctx);
    }
  }
  const failure = workFailure(ctx.record);
  if (failure) throw failure;
}

/** Every snapshot completed, every server readable and not already restoring; else nothing is sent. */
async function preflight(snapshots: Snapshot[], ctx: OperationContext): Promise<Plan[]> {
  const problems: Problem[] = [];
  const plans = await inFleet(snapshots, async (snapshot): Promise<Plan> => {
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
    return { snapshot, serverId, before, label, ...(before ? { statusBefore: before.status } : {}) };
  });
  const failed = plans.find((p) => p.status === 'rejected');
  if (failed?.status === 'rejected') throw failed.reason;
  if (problems.length > 0) throw refusal('restore', problems);
  return plans.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
}

/** Sends every restore (a few at once) and records how each request ended; returns those accepted. */
async function start(plans: Plan[], ctx: OperationContext): Promise<Plan[]> {
  const rowOf = (p: Plan) => ({ serverId: p.serverId, snapshotId: p.snapshot.id, name: p.snapshot.name });
  const results = await ctx.record.phase('restore', () =>
    inFleet(plans, (p) => {
      // Recorded before the request, so a cancellation while it is sent or settled says a restore may run.
      ctx.record.row({ ...rowOf(p), state: 'sent' });
      return ctx.client.restoreSnapshot(p.snapshot.id, { id: p.serverId, statusBefore: p.statusBefore });
    }),
  );
  return plans.flatMap((p, i) => {
    const r = results[i] as (typeof results)[number];
    if (r.status === 'rejected') {
      const unknown = r.reason instanceof ApiError && r.reason.kind === 'ambiguous';
      const why = unknown
        ? `${p.label}: ${errorMessage(r.reason)}`
        : `the restore of ${p.label} from snapshot ${p.snapshot.id} was not started: ${errorMessage(r.reason)}`;
      ctx.record.row({ ...rowOf(p), state: unknown ? 'unknown' : 'failed', error: why });
      return [];
    }
    const { adopted, server, message } = r.value;
    const how = adopted ? `restore from snapshot ${p.snapshot.id} taken (${server.status})` : message;
    ctx.logger.info(`${p.label}: ${how || 'restore started'}`);
    ctx.record.row({ ...rowOf(p), state: 'restoring' });
    ctx.record.servers.set(p.serverId, { name: server.name || p.before?.name || '', status: server.status });
    // The adoption's read is a real read (unlike the POST's answer), so it counts as seeing the restore begin.
    return [{ ...p, seenRestoring: adopted && server.status === 'restoring' }];
  });
}

/** Records how one server's restore ended: its row, the server's last state, and a warning or note. */
function recordEnd(p: Plan, outcome: RestoreOutcome, timeoutMs: number, ctx: OperationContext): void {
  const { last: server, elapsedMs, error } = outcome;
  if (server) ctx.record.servers.set(p.serverId, { name: server.name, status: server.status });
  const row = { serverId: p.serverId, snapshotId: p.snapshot.id, name: p.snapshot.name, elapsedMs };
  const [label, id, check] = [p.label, p.snapshot.id, "Check the server in the provider's panel"];
  const accepted = `The restore of ${label} from snapshot ${id} was accepted, but`;
  switch (outcome.end) {
    case 'restored':
      ctx.logger.info(
        `${label} is restored from snapshot ${id} and ${server?.status} after ${formatDuration(elapsedMs)}.`,
      );
      ctx.record.row({ ...row, state: 'restored' });
      if (server?.status === 'stopped')
        ctx.record.notes.push(`Server ${p.serverId} is stopped after the restore: start it when ready.`);
      return;
    case 'unreported':
    case 'unconfirmed': {
      const words =
        outcome.end === 'unreported'
          ? `${accepted} the provider does not report the server's state (GET /servers/{id}/ answers 404), so its completion cannot be confirmed. ${check}.`
          : `${accepted} the server was never seen restoring (it showed '${server?.status ?? 'its old state'}' after ${formatDuration(elapsedMs)}), so its completion could not be confirmed. ${check}.`;
      ctx.logger.warning(words, 'Restore not confirmed');
      ctx.record.row({ ...row, state: 'unconfirmed', note: words });
      ctx.record.notes.push(words);
      return;
    }
    case 'failed':
      return void ctx.record.row({
        ...row,
        state: 'failed',
        error: `${label} reports '${server?.status}' after the restore from snapshot ${id}. ${check}; the snapshot is still there to try again.`,
      });
    case 'timeout':
      return void ctx.record.row({
        ...row,
        state: 'timed_out',
        error: `${label} was still restoring from snapshot ${id} after ${formatDuration(timeoutMs)}: the wait timed out, the restore goes on at the provider. Check the server, and raise timeout for next time.`,
      });
    case 'unreadable': {
      const cause = error ? `${error.method} ${error.path}: ${error.reason}` : 'no answer';
      ctx.record.row({
        ...row,
        state: 'unknown',
        error: `${accepted} the server could not be read after that (${cause}), so how it ended was not seen. ${check} before restoring again.`,
      });
    }
  }
}
