// create: a snapshot per server, tracked by ID, waited for, then rotation. One phase per function.
import * as core from '@actions/core';
import { errorMessage } from '../api/errors.ts';
import type { Snapshot } from '../api/schema.ts';
import { mapSettled } from '../concurrency.ts';
import { formatDuration } from '../duration.ts';
import { ActionError } from '../failure.ts';
import { FLEET_CONCURRENCY, SNAPSHOT_ESTIMATE, SNAPSHOT_LIMIT } from '../limits.ts';
import { defaultDescription, defaultName } from '../naming.ts';
import { setOutputs } from '../outputs.ts';
import { roomToMake, rotationVictims } from '../rotation.ts';
import type { CreateSettings } from '../settings.ts';
import { type CreatedSnapshot, saveCreated, saveRestorePlan } from '../state.ts';
import { type SnapshotOutcome, type SnapshotTarget, waitForSnapshots } from '../wait.ts';
import type { OperationContext } from './context.ts';
import { describeSnapshot } from './resolve.ts';

/** What one server needs, decided from the read before anything is changed. */
interface ServerPlan {
  serverId: number;
  existing: Snapshot[];
  /** Deleted before the create, to get under the limit. */
  makeRoom: Snapshot[];
}

/** One run of create: its settings, and what it has done so far. */
interface CreateRun {
  settings: CreateSettings;
  ctx: OperationContext;
  name: string;
  description: string;
  /** One server: snapshot_id and server_id are outputs, and reads are filtered by it. */
  single: number | undefined;
  created: CreatedSnapshot[];
  deletedIds: number[];
  failures: string[];
}

export async function runCreate(settings: CreateSettings, ctx: OperationContext): Promise<void> {
  const run: CreateRun = {
    settings,
    ctx,
    name: settings.name ?? (await defaultName(settings.prunePrefix)),
    description: settings.description ?? (await defaultDescription()),
    single: settings.serverIds.length === 1 ? settings.serverIds[0] : undefined,
    created: [],
    deletedIds: [],
    failures: [],
  };
  setOutputs({ snapshot_name: run.name, ...(run.single !== undefined ? { server_id: run.single } : {}) });

  const existing = await readExisting(run);
  const plans = settings.serverIds.map((serverId) => plan(serverId, existing.get(serverId) ?? [], run));
  if (settings.dryRun) return reportDryRun(run, plans);

  saveRestorePlan({
    restoreOnFailure: settings.restoreOnFailure,
    apiUrl: settings.apiUrl,
    timeoutMs: settings.timeoutMs,
  });
  const startedAt = ctx.clock.now();
  await createAll(run, plans);
  setOutputs({
    snapshot_ids: Object.fromEntries(run.created.map((c) => [String(c.serverId), c.snapshotId])),
  });

  if (!settings.wait || run.created.length === 0) {
    setOutputs({ status: 'in_progress', deleted_ids: run.deletedIds });
    if (run.created.length > 0) noteNoWait(run);
    return failIfAny(run);
  }
  const completed = await awaitCompletion(run, startedAt);
  if (settings.keep > 0 && completed.length > 0) await rotate(run, completed);
  setOutputs({ deleted_ids: run.deletedIds });
  failIfAny(run);
}

async function readExisting({ settings, ctx, single }: CreateRun): Promise<Map<number, Snapshot[]>> {
  return ctx.report.phase('read', () =>
    core.group('Reading current snapshots', async () => {
      const all = await ctx.client.listSnapshots(single);
      const byServer = new Map(settings.serverIds.map((id) => [id, all.filter((s) => s.server.id === id)]));
      for (const [id, list] of byServer)
        ctx.logger.info(`server ${id}: ${list.length} of ${SNAPSHOT_LIMIT} snapshots`);
      return byServer;
    }),
  );
}

/** Refuses, before any change, a name already in use and a server at the limit that keep cannot relieve. */
function plan(serverId: number, existing: Snapshot[], { name, settings }: CreateRun): ServerPlan {
  const clash = existing.find((s) => s.name === name);
  if (clash) {
    throw new ActionError(
      'Snapshot name already in use',
      `name '${name}': server ${serverId} already has snapshot ${describeSnapshot(clash)}. Leave name empty for a unique one per run, or delete the old snapshot first.`,
    );
  }
  const makeRoom = roomToMake(existing, name, settings);
  if (!makeRoom) {
    const nextStep =
      settings.keep === 0
        ? `Delete one (operation: delete), or set keep (1-${SNAPSHOT_LIMIT}) so rotation may delete the oldest completed '${settings.prunePrefix}*' snapshot.`
        : `keep ${settings.keep} allows deleting no completed '${settings.prunePrefix}*' snapshot: lower keep, or delete one (operation: delete).`;
    throw new ActionError(
      'Snapshot limit reached',
      `server ${serverId} has ${existing.length} snapshots, the provider's limit of ${SNAPSHOT_LIMIT}: ${existing.map(describeSnapshot).join('; ')}. ${nextStep}`,
    );
  }
  return { serverId, existing, makeRoom };
}

function reportDryRun({ ctx, name, description, settings }: CreateRun, plans: ServerPlan[]): void {
  const { logger, report } = ctx;
  report.dryRun = true;
  for (const p of plans) {
    for (const s of p.makeRoom) {
      logger.info(
        `dry run: would delete ${describeSnapshot(s)} on server ${p.serverId} to get under the limit`,
      );
      report.deleted.push({
        serverId: p.serverId,
        snapshotId: s.id,
        name: s.name,
        why: 'room under the limit (planned)',
      });
    }
    logger.info(`dry run: would create snapshot '${name}' on server ${p.serverId}`);
    const pretend: Snapshot = {
      id: -1,
      server: { id: p.serverId, name: '' },
      name,
      status: 'completed',
      size_mb: null,
      created_at: new Date(ctx.clock.now()).toISOString(),
      description,
    };
    const after = [...p.existing.filter((s) => !p.makeRoom.includes(s)), pretend];
    for (const s of rotationVictims(after, pretend.id, settings)) {
      logger.info(`dry run: after it completes, rotation would delete ${describeSnapshot(s)}`);
      report.deleted.push({
        serverId: p.serverId,
        snapshotId: s.id,
        name: s.name,
        why: 'rotation (planned)',
      });
    }
    report.row({ serverId: p.serverId, name, status: 'planned' });
  }
  setOutputs({ status: 'planned', snapshot_ids: {}, deleted_ids: [] });
}

async function deleteOld(run: CreateRun, serverId: number, snapshot: Snapshot, why: string): Promise<void> {
  await run.ctx.client.deleteSnapshot(snapshot.id);
  run.deletedIds.push(snapshot.id);
  run.ctx.report.deleted.push({ serverId, snapshotId: snapshot.id, name: snapshot.name, why });
  run.ctx.logger.info(`deleted ${describeSnapshot(snapshot)} on server ${serverId} (${why})`);
}

/** Creates on every server (a few at a time); each snapshot is saved for the post step as soon as it exists. */
async function createAll(run: CreateRun, plans: ServerPlan[]): Promise<void> {
  const { ctx, name, description } = run;
  const where = run.single !== undefined ? `server ${run.single}` : `${plans.length} servers`;
  await ctx.report.phase('create', () =>
    core.group(`Creating snapshot '${name}' on ${where}`, async () => {
      const results = await mapSettled(plans, FLEET_CONCURRENCY, async (p) => {
        for (const s of p.makeRoom)
          await deleteOld(run, p.serverId, s, `room under the limit of ${SNAPSHOT_LIMIT}`);
        const result = await ctx.client.createSnapshot(
          { serverId: p.serverId, name, description },
          new Set(p.existing.map((s) => s.id)),
        );
        const { snapshot } = result;
        run.created.push({ serverId: p.serverId, snapshotId: snapshot.id, name });
        saveCreated(run.created);
        if (run.single !== undefined) setOutputs({ snapshot_id: snapshot.id });
        ctx.report.row({ serverId: p.serverId, snapshotId: snapshot.id, name, status: snapshot.status });
        const how = result.adopted ? 'found after a lost answer' : 'started';
        ctx.logger.info(
          `server ${p.serverId}: snapshot ${snapshot.id} '${name}' ${how}${result.message ? `: ${result.message}` : ''}`,
        );
      });
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') return;
        const serverId = plans[i]?.serverId as number;
        ctx.report.row({ serverId, name, status: 'not created' });
        run.failures.push(`server ${serverId}: ${errorMessage(r.reason)}`);
      });
    }),
  );
}

function noteNoWait({ ctx, settings }: CreateRun): void {
  ctx.logger.info('wait is false: not waiting for the snapshot(s) to complete.');
  if (settings.keep > 0) {
    ctx.report.notes.push('Rotation skipped: it runs only after the new snapshot completed (wait: true).');
  }
  if (settings.restoreOnFailure) {
    ctx.report.notes.push(
      'restore_on_failure restores only a completed snapshot; with wait: false it may still be in progress.',
    );
  }
}

/** Waits for every new snapshot with one list request per poll; returns those that completed. */
async function awaitCompletion(run: CreateRun, startedAt: number): Promise<SnapshotTarget[]> {
  const { ctx, settings } = run;
  const targets: SnapshotTarget[] = run.created.map((c) => ({
    id: c.snapshotId,
    serverId: c.serverId,
    name: c.name,
  }));
  const outcomes = await ctx.report.phase('wait', () =>
    core.group(
      `Waiting for ${targets.length} snapshot(s) to complete (timeout ${formatDuration(settings.timeoutMs)})`,
      () =>
        waitForSnapshots(ctx.client, targets, {
          timeoutMs: settings.timeoutMs,
          logger: ctx.logger,
          clock: ctx.clock,
          startedAt,
          estimate: SNAPSHOT_ESTIMATE,
        }),
    ),
  );
  const completed: SnapshotTarget[] = [];
  for (const target of targets) {
    const outcome = outcomes.get(target.id);
    ctx.report.row({
      serverId: target.serverId,
      snapshotId: target.id,
      name: target.name,
      status:
        outcome?.end === 'completed' || outcome?.end === 'vanished'
          ? outcome.end
          : (outcome?.snapshot?.status ?? outcome?.end ?? 'unknown'),
      sizeMb: outcome?.snapshot?.size_mb ?? null,
      ...(outcome ? { elapsedMs: outcome.elapsedMs } : {}),
    });
    if (outcome?.end === 'completed') completed.push(target);
    else run.failures.push(`server ${target.serverId}: ${explainEnd(target, outcome, settings.timeoutMs)}`);
  }
  const only = run.single !== undefined ? outcomes.get(targets[0]?.id ?? -1) : undefined;
  setOutputs({
    status: run.failures.length === 0 ? 'completed' : 'in_progress',
    ...(only?.end === 'completed' ? { size_mb: only.snapshot?.size_mb ?? null } : {}),
  });
  return completed;
}

/**
 * Deletes the older completed prune_prefix snapshots beyond keep. The snapshots are done, so the deploy may
 * go ahead: trouble here is a warning, not a failure.
 */
async function rotate(run: CreateRun, completed: SnapshotTarget[]): Promise<void> {
  const { ctx, settings } = run;
  const problems: string[] = [];
  await ctx.report.phase('rotate', () =>
    core.group(
      `Rotating: keeping ${settings.keep} snapshot(s) named '${settings.prunePrefix}*' per server`,
      async () => {
        const fresh = await ctx.client.listSnapshots(run.single).catch((error: unknown) => {
          problems.push(`could not list the snapshots to rotate: ${errorMessage(error)}`);
          return [];
        });
        for (const target of completed) {
          const victims = rotationVictims(
            fresh.filter((s) => s.server.id === target.serverId),
            target.id,
            settings,
          );
          if (victims.length === 0) ctx.logger.info(`server ${target.serverId}: nothing to rotate`);
          for (const s of victims) {
            await deleteOld(run, target.serverId, s, `rotation, keep ${settings.keep}`).catch(
              (error: unknown) => {
                problems.push(
                  `server ${target.serverId}: could not delete snapshot ${s.id}: ${errorMessage(error)}`,
                );
              },
            );
          }
        }
      },
    ),
  );
  if (problems.length === 0) return;
  core.warning(
    `${problems.join('\n')}\nThe new snapshot is complete; the old ones stay until the next run rotates them, or delete them with operation: delete.`,
    { title: 'Rotation incomplete' },
  );
  ctx.report.notes.push(`Rotation incomplete: ${problems.join('; ')}`);
}

function explainEnd(target: SnapshotTarget, outcome: SnapshotOutcome | undefined, timeoutMs: number): string {
  const what = `snapshot ${target.id} '${target.name}'`;
  switch (outcome?.end) {
    case 'failed':
      return `${what} failed at the provider. Check the server's state, then run the workflow again.`;
    case 'vanished':
      return `${what} disappeared while being waited on (deleted by someone else?). Run the workflow again.`;
    case 'timeout':
      return `${what} was still in progress after ${formatDuration(timeoutMs)}. Raise timeout, or check it later with operation: list; the snapshot_id output names it.`;
    default:
      return `${what} ended in an unknown state.`;
  }
}

function failIfAny({ failures, ctx }: CreateRun): void {
  if (failures.length === 0) return;
  throw new ActionError(
    failures.length === 1 ? 'Snapshot failed' : `${failures.length} snapshots failed`,
    failures.join('\n'),
    ctx.report,
  );
}
