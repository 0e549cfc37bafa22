// create: a snapshot per server, tracked by ID from the moment it exists, waited for, then rotation.
import { ApiError, errorMessage } from '../../api/errors.ts';
import type { Snapshot } from '../../api/schema.ts';
import { FLEET_CONCURRENCY, SNAPSHOT_LIMIT } from '../../limits.ts';
import { workFailure } from '../../reporting/failure.ts';
import type { CreateSettings } from '../../settings/types.ts';
import { awaitSnapshots } from '../await-snapshots.ts';
import type { CreatedSnapshot, OperationContext } from '../context.ts';
import { mapSettled } from '../fleet.ts';
import { defaultDescription, defaultName } from './naming.ts';
import { planServer, reportDryRun, type ServerPlan } from './plan.ts';
import { deleteOld, rotate } from './rotate.ts';
import { rotationOn } from './rotation.ts';

/** One run of create: its settings, and what it has done so far. */
export interface CreateRun {
  settings: CreateSettings;
  ctx: OperationContext;
  name: string;
  description: string;
  /** One server: snapshot_id and server_id are outputs, and reads are filtered by it. */
  single: number | undefined;
  created: CreatedSnapshot[];
}

export async function runCreate(settings: CreateSettings, ctx: OperationContext): Promise<void> {
  const run: CreateRun = {
    settings,
    ctx,
    name: settings.name ?? defaultName(settings.prunePrefix, ctx.run),
    description: settings.description ?? defaultDescription(ctx.run),
    single: settings.serverIds.length === 1 ? settings.serverIds[0] : undefined,
    created: [],
  };
  ctx.outputs.set({
    snapshot_name: run.name,
    ...(run.single !== undefined ? { server_id: run.single } : {}),
  });
  const existing = await readExisting(run);
  const plans = settings.serverIds.map((id) => planServer(id, existing.get(id) ?? [], run.name, settings));
  if (settings.dryRun) return reportDryRun(plans, run.name, settings, ctx);

  ctx.state.saveRestorePlan({
    restoreOnFailure: settings.restoreOnFailure,
    apiUrl: settings.apiUrl,
    timeoutMs: settings.timeoutMs,
  });
  const startedAt = ctx.clock.now();
  const made = await createAll(run, plans);
  ctx.outputs.set({
    snapshot_ids: Object.fromEntries(run.created.map((c) => [String(c.serverId), c.snapshotId])),
  });
  ctx.record.waited = settings.wait;
  if (settings.wait && made.length > 0) {
    const outcomes = await awaitSnapshots(
      made.map((s) => ({ id: s.id, serverId: s.server.id, name: s.name })),
      run.ctx,
      { timeoutMs: settings.timeoutMs, startedAt },
    );
    const completed = made.flatMap((s) => {
      const o = outcomes.get(s.id);
      return o?.end === 'completed' ? [o.snapshot ?? s] : [];
    });
    if (rotationOn(settings) && completed.length > 0) await rotate(run, completed);
  } else if (made.length > 0) noteNoWait(run);
  const failure = workFailure(ctx.record);
  if (failure) throw failure;
}

async function readExisting({ settings, ctx, single }: CreateRun): Promise<Map<number, Snapshot[]>> {
  return ctx.record.phase('read', () =>
    ctx.group('Reading current snapshots', async () => {
      const all = await ctx.client.listSnapshots(single);
      const byServer = new Map(settings.serverIds.map((id) => [id, all.filter((s) => s.server.id === id)]));
      for (const [id, list] of byServer)
        ctx.logger.info(`server ${id}: ${list.length} of ${SNAPSHOT_LIMIT} snapshots`);
      return byServer;
    }),
  );
}

/** Creates on every server (a few at a time); each snapshot is saved for the post step as soon as it exists. */
async function createAll(run: CreateRun, plans: ServerPlan[]): Promise<Snapshot[]> {
  const { ctx, name } = run;
  const where = run.single !== undefined ? `server ${run.single}` : `${plans.length} servers`;
  const results = await ctx.record.phase('create', () =>
    ctx.group(`Creating snapshot '${name}' on ${where}`, () =>
      mapSettled(plans, FLEET_CONCURRENCY, (p) => createOne(run, p)),
    ),
  );
  return results.flatMap((r, i) => {
    if (r.status === 'fulfilled') return r.value ? [r.value] : [];
    // Making room failed: the create was never sent.
    const serverId = (plans[i] as ServerPlan).serverId;
    const error = `server ${serverId}: no snapshot was made: ${errorMessage(r.reason)}`;
    ctx.record.row({ serverId, name, state: 'failed', error });
    return [];
  });
}

/** Makes room, then creates; a create that fails is recorded: no snapshot made, or an unknown outcome. */
async function createOne(run: CreateRun, p: ServerPlan): Promise<Snapshot | undefined> {
  const { ctx, name, description } = run;
  for (const s of p.makeRoom)
    await deleteOld(run, p.serverId, s, `room under the limit of ${SNAPSHOT_LIMIT}`);
  // Recorded before the request, so a cancellation while it is sent or settled says a snapshot may exist.
  ctx.record.row({ serverId: p.serverId, name, state: 'sent' });
  const result = await ctx.client
    .createSnapshot({ serverId: p.serverId, name, description }, new Set(p.existing.map((s) => s.id)))
    .catch((error: unknown) => {
      const unknown = error instanceof ApiError && error.kind === 'ambiguous';
      const why = `${unknown ? '' : 'no snapshot was made: '}${errorMessage(error)}`;
      ctx.record.row({
        serverId: p.serverId,
        name,
        state: unknown ? 'unknown' : 'failed',
        error: `server ${p.serverId}: ${why}`,
      });
      return undefined;
    });
  if (!result) return undefined;
  const { snapshot } = result;
  run.created.push({ serverId: p.serverId, snapshotId: snapshot.id, name });
  ctx.state.saveCreated(run.created);
  if (run.single !== undefined) ctx.outputs.set({ snapshot_id: snapshot.id });
  ctx.record.row({ serverId: p.serverId, snapshotId: snapshot.id, name, state: 'in_progress' });
  const how = result.adopted ? 'found after a lost answer' : 'started';
  ctx.logger.info(
    `server ${p.serverId}: snapshot ${snapshot.id} '${name}' ${how}${result.message ? `: ${result.message}` : ''}`,
  );
  return snapshot;
}

function noteNoWait({ ctx, settings }: CreateRun): void {
  ctx.logger.info(
    'wait is false: not waiting for the snapshot(s) to complete; wait for them later with operation: wait.',
  );
  if (rotationOn(settings))
    ctx.record.notes.push('Rotation skipped: it runs only after the new snapshot completed (wait: true).');
  if (settings.restoreOnFailure)
    ctx.record.notes.push(
      'restore_on_failure restores only a completed snapshot; with wait: false it may still be in progress.',
    );
}
