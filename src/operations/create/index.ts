// create: a snapshot per server, tracked by ID from the moment it exists, waited for, then rotation. Every
// decision (a free name, room under the limit) is made from one read, before any change; a dry run stops there.
import { randomBytes } from 'node:crypto';
import { ApiError, errorMessage } from '../../api/errors.ts';
import type { Snapshot } from '../../api/schema.ts';
import { SNAPSHOT_LIMIT } from '../../limits.ts';
import { refusal, workFailure } from '../../reporting/failure.ts';
import { describeSnapshot } from '../../reporting/format.ts';
import type { CreateSettings } from '../../settings/types.ts';
import type { CreatedSnapshot, OperationContext, RunInfo } from '../context.ts';
import { deleteSnapshot, planDeletions } from '../delete.ts';
import { describePolicy } from '../retention.ts';
import { inFleet } from '../targets.ts';
import { awaitSnapshots } from '../wait.ts';
import { reportRotation, roomToMake, rotate, rotationOn } from './rotation.ts';

/** What one server needs: its snapshots now, and those deleted first to get under the limit. */
export interface ServerPlan {
  serverId: number;
  existing: Snapshot[];
  makeRoom: Snapshot[];
}

const ROOM = `room under the limit of ${SNAPSHOT_LIMIT}`;

export async function runCreate(settings: CreateSettings, ctx: OperationContext): Promise<void> {
  const name = settings.name ?? defaultName(settings.prunePrefix, ctx.run);
  const single = settings.serverIds.length === 1 ? settings.serverIds[0] : undefined;
  ctx.outputs.set({ snapshot_name: name, ...(single !== undefined ? { server_id: single } : {}) });
  const all = await ctx.record.phase('read', () =>
    ctx.group('Reading current snapshots', async () => {
      const all = await ctx.client.listSnapshots(single);
      const count = (id: number) => all.filter((s) => s.server.id === id).length;
      for (const id of settings.serverIds)
        ctx.logger.info(`server ${id}: ${count(id)} of ${SNAPSHOT_LIMIT} snapshots`);
      return all;
    }),
  );
  const on = (id: number) => all.filter((s) => s.server.id === id);
  const plans = settings.serverIds.map((id) => planServer(id, on(id), name, settings));
  if (settings.dryRun) return reportDryRun(plans, name, settings, ctx);
  const { restoreOnFailure, apiUrl, timeoutMs } = settings;
  ctx.state.saveRestorePlan({ restoreOnFailure, apiUrl, timeoutMs });
  const startedAt = ctx.clock.now();
  const created: CreatedSnapshot[] = [];
  const where = single !== undefined ? `server ${single}` : `${plans.length} servers`;
  const results = await ctx.record.phase('create', () =>
    ctx.group(`Creating snapshot '${name}' on ${where}`, () =>
      inFleet(plans, (p) => createOne(p, name, settings, ctx, created, single)),
    ),
  );
  const made = results.flatMap((r, i) => {
    if (r.status === 'fulfilled') return r.value ? [r.value] : [];
    // Making room failed: the create was never sent.
    const serverId = (plans[i] as ServerPlan).serverId;
    ctx.record.row({
      serverId,
      name,
      state: 'failed',
      error: `server ${serverId}: no snapshot was made: ${errorMessage(r.reason)}`,
    });
    return [];
  });
  ctx.outputs.set({
    snapshot_ids: Object.fromEntries(created.map((c) => [String(c.serverId), c.snapshotId])),
  });
  ctx.record.waited = settings.wait;
  if (settings.wait && made.length > 0) {
    const targets = made.map((s) => ({ id: s.id, serverId: s.server.id, name: s.name }));
    const outcomes = await awaitSnapshots(targets, ctx, { timeoutMs, startedAt });
    const completed = made.flatMap((s) => {
      const o = outcomes.get(s.id);
      return o?.end === 'completed' ? [o.last ?? s] : [];
    });
    if (rotationOn(settings) && completed.length > 0) await rotate(settings, ctx, completed, single);
  } else if (made.length > 0) noteNoWait(settings, ctx);
  const failure = workFailure(ctx.record);
  if (failure) throw failure;
}

/** Says what would be deleted and created, and changes nothing. */
function reportDryRun(
  plans: ServerPlan[],
  name: string,
  settings: CreateSettings,
  ctx: OperationContext,
): void {
  for (const p of plans) {
    planDeletions(
      p.makeRoom.map((snapshot) => ({ snapshot, why: ROOM })),
      ctx,
    );
    ctx.logger.info(`dry run: would create snapshot '${name}' on server ${p.serverId}`);
    const after = p.existing.filter((s) => !p.makeRoom.includes(s));
    if (rotationOn(settings)) reportRotation(p.serverId, after, name, settings, ctx);
    ctx.record.row({ serverId: p.serverId, name, state: 'planned' });
  }
  ctx.record.dryRun = true;
  ctx.outputs.set({ snapshot_ids: {} });
}

function noteNoWait(settings: CreateSettings, ctx: OperationContext): void {
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

/** One server's plan, or a refusal: its name is taken, or it is at the limit and keep cannot relieve it. */
export function planServer(
  serverId: number,
  existing: Snapshot[],
  name: string,
  settings: CreateSettings,
): ServerPlan {
  const clash = existing.find((s) => s.name === name);
  if (clash) {
    const next =
      settings.name !== undefined
        ? 'Choose another name, or leave name empty for a unique one per step run.'
        : 'Run the step again: a default name is new on every run.';
    const message = `name '${name}': server ${serverId} already has snapshot ${describeSnapshot(clash)}. ${next}`;
    throw refusal('create', [{ kind: 'name-in-use', message }]);
  }
  const makeRoom = roomToMake(existing, name, settings);
  if (makeRoom) return { serverId, existing, makeRoom };
  const next = !rotationOn(settings)
    ? `Delete one (operation: delete), or set keep (1-${SNAPSHOT_LIMIT}) so rotation may delete the oldest completed '${settings.prunePrefix}*' snapshot.`
    : `${describePolicy(settings)} allows deleting no completed '${settings.prunePrefix}*' snapshot: lower keep or keep_within, or delete one (operation: delete).`;
  const message = `server ${serverId} has ${existing.length} snapshots, the provider's limit of ${SNAPSHOT_LIMIT}: ${existing.map(describeSnapshot).join('; ')}. ${next}`;
  throw refusal('create', [{ kind: 'limit-reached', message }]);
}

/** Makes room, then creates; a create that fails is recorded: no snapshot made, or an unknown outcome. */
async function createOne(
  p: ServerPlan,
  name: string,
  settings: CreateSettings,
  ctx: OperationContext,
  created: CreatedSnapshot[],
  single: number | undefined,
): Promise<Snapshot | undefined> {
  for (const s of p.makeRoom) await deleteSnapshot(s, ROOM, ctx);
  // Recorded before the request, so a cancellation while it is sent or settled says a snapshot may exist.
  ctx.record.row({ serverId: p.serverId, name, state: 'sent' });
  const description = settings.description ?? defaultDescription(ctx.run);
  const known = new Set(p.existing.map((s) => s.id));
  const result = await ctx.client
    .createSnapshot({ serverId: p.serverId, name, description }, known)
    .catch((error: unknown) => {
      const unknown = error instanceof ApiError && error.kind === 'ambiguous';
      const why = `server ${p.serverId}: ${unknown ? '' : 'no snapshot was made: '}${errorMessage(error)}`;
      ctx.record.row({ serverId: p.serverId, name, state: unknown ? 'unknown' : 'failed', error: why });
    });
  if (!result) return undefined;
  const { snapshot, adopted, message } = result;
  created.push({ serverId: p.serverId, snapshotId: snapshot.id, name });
  ctx.state.saveCreated(created);
  if (single !== undefined) ctx.outputs.set({ snapshot_id: snapshot.id });
  ctx.record.row({ serverId: p.serverId, snapshotId: snapshot.id, name, state: 'in_progress' });
  const how = adopted ? 'found after a lost answer' : 'started';
  ctx.logger.info(
    `server ${p.serverId}: snapshot ${snapshot.id} '${name}' ${how}${message ? `: ${message}` : ''}`,
  );
  return snapshot;
}

/**
 * `<prefix><short sha>-<run id>-<attempt>-<job>-<6 random hex>`, within the provider's 100 characters: unique
 * per step run (two steps, two jobs, matrix legs and re-runs each get their own).
 */
export function defaultName(
  prefix: string,
  run: RunInfo,
  random = () => randomBytes(3).toString('hex'),
): string {
  const tag = random();
  if (!run.sha || !run.runId) return `${prefix}local-${tag}`;
  const job = run.job.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 24);
  const name = `${prefix}${run.sha.slice(0, 7)}-${run.runId}-${run.runAttempt || 1}${job ? `-${job}` : ''}-${tag}`;
  // Without the job the name is at most 40 + 36 characters (prune_prefix is at most 40).
  return name.length <= 100 ? name : `${prefix}${run.sha.slice(0, 7)}-${run.runId.slice(0, 20)}-${tag}`;
}

export function defaultDescription(run: RunInfo): string {
  if (!run.sha || !run.runId) return 'Pre-deploy snapshot taken outside GitHub Actions';
  const ref = run.ref.replace(/^refs\/(heads|tags)\//, '');
  const url = `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}/attempts/${run.runAttempt || 1}`;
  return `Pre-deploy snapshot of ${run.repository}@${ref} (${run.sha.slice(0, 7)}), workflow '${run.workflow}' run ${url}`;
}
