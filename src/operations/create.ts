// create: a snapshot per server, tracked by ID, waited for, then rotation.
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
import { type SnapshotTarget, waitForSnapshots } from '../wait.ts';
import type { OperationContext } from './context.ts';
import { describeSnapshot } from './resolve.ts';

interface ServerPlan {
  serverId: number;
  existing: Snapshot[];
  /** Deleted before the create, to get under the limit. */
  makeRoom: Snapshot[];
}

export async function runCreate(settings: CreateSettings, ctx: OperationContext): Promise<void> {
  const { client, logger, report } = ctx;
  const name = settings.name ?? (await defaultName(settings.prunePrefix));
  const description = settings.description ?? (await defaultDescription());
  const single = settings.serverIds.length === 1;
  setOutputs({ snapshot_name: name, ...(single ? { server_id: settings.serverIds[0] } : {}) });

  const existing = await report.phase('read', () =>
    core.group('Reading current snapshots', async () => {
      const all = await client.listSnapshots(single ? settings.serverIds[0] : undefined);
      const byServer = new Map(settings.serverIds.map((id) => [id, all.filter((s) => s.server.id === id)]));
      for (const [id, list] of byServer)
        logger.info(`server ${id}: ${list.length} of ${SNAPSHOT_LIMIT} snapshots`);
      return byServer;
    }),
  );
  const plans = settings.serverIds.map((serverId) =>
    plan(serverId, existing.get(serverId) ?? [], name, settings),
  );

  if (settings.dryRun) {
    report.dryRun = true;
    for (const p of plans) {
      for (const s of p.makeRoom)
        logger.info(
          `dry run: would delete ${describeSnapshot(s)} on server ${p.serverId} to get under the limit`,
        );
      logger.info(`dry run: would create snapshot '${name}' on server ${p.serverId}`);
      const after = p.existing.filter((s) => !p.makeRoom.includes(s));
      const pretend: Snapshot = {
        id: -1,
        server: { id: p.serverId, name: '' },
        name,
        status: 'completed',
        size_mb: null,
        created_at: new Date(ctx.clock.now()).toISOString(),
        description,
      };
      for (const s of rotationVictims([...after, pretend], -1, settings)) {
        logger.info(`dry run: after it completes, rotation would delete ${describeSnapshot(s)}`);
        report.deleted.push({
          serverId: p.serverId,
          snapshotId: s.id,
          name: s.name,
          why: 'rotation (planned)',
        });
      }
      for (const s of p.makeRoom)
        report.deleted.push({
          serverId: p.serverId,
          snapshotId: s.id,
          name: s.name,
          why: 'room under the limit (planned)',
        });
      report.row({ serverId: p.serverId, name, status: 'planned' });
    }
    setOutputs({ status: 'planned', snapshot_ids: {}, deleted_ids: [] });
    return;
  }

  saveRestorePlan({
    restoreOnFailure: settings.restoreOnFailure,
    apiUrl: settings.apiUrl,
    timeoutMs: settings.timeoutMs,
  });
  const deletedIds: number[] = [];
  const deleteSnapshot = async (serverId: number, s: Snapshot, why: string) => {
    await client.deleteSnapshot(s.id);
    deletedIds.push(s.id);
    report.deleted.push({ serverId, snapshotId: s.id, name: s.name, why });
    logger.info(`deleted ${describeSnapshot(s)} on server ${serverId} (${why})`);
  };

  const created: CreatedSnapshot[] = [];
  const failures: string[] = [];
  const startedAt = ctx.clock.now();
  await report.phase('create', () =>
    core.group(
      `Creating snapshot '${name}' on ${single ? `server ${settings.serverIds[0]}` : `${plans.length} servers`}`,
      async () => {
        const results = await mapSettled(plans, FLEET_CONCURRENCY, async (p) => {
          for (const s of p.makeRoom)
            await deleteSnapshot(p.serverId, s, `room under the limit of ${SNAPSHOT_LIMIT}`);
          const result = await client.createSnapshot(
            { serverId: p.serverId, name, description },
            new Set(p.existing.map((s) => s.id)),
          );
          const entry = { serverId: p.serverId, snapshotId: result.snapshot.id, name };
          created.push(entry);
          saveCreated(created);
          if (single) setOutputs({ snapshot_id: result.snapshot.id });
          report.row({
            serverId: p.serverId,
            snapshotId: result.snapshot.id,
            name,
            status: result.snapshot.status,
          });
          logger.info(
            `server ${p.serverId}: snapshot ${result.snapshot.id} '${name}' ${result.adopted ? 'found after a lost answer' : 'started'}${result.message ? `: ${result.message}` : ''}`,
          );
          return result;
        });
        results.forEach((r, i) => {
          if (r.status === 'rejected') {
            const serverId = plans[i]?.serverId as number;
            report.row({ serverId, name, status: 'not created' });
            failures.push(`server ${serverId}: ${errorMessage(r.reason)}`);
          }
        });
      },
    ),
  );
  setOutputs({ snapshot_ids: Object.fromEntries(created.map((c) => [String(c.serverId), c.snapshotId])) });

  if (!settings.wait || created.length === 0) {
    setOutputs({ status: 'in_progress', deleted_ids: deletedIds });
    if (created.length > 0) {
      logger.info('wait is false: not waiting for the snapshot(s) to complete.');
      if (settings.keep > 0)
        report.notes.push('Rotation skipped: it runs only after the new snapshot completed (wait: true).');
      if (settings.restoreOnFailure) {
        report.notes.push(
          'restore_on_failure restores only a completed snapshot; with wait: false it may still be in progress.',
        );
      }
    }
    fail(failures, report);
    return;
  }

  const targets: SnapshotTarget[] = created.map((c) => ({
    id: c.snapshotId,
    serverId: c.serverId,
    name: c.name,
  }));
  const outcomes = await report.phase('wait', () =>
    core.group(
      `Waiting for ${targets.length} snapshot(s) to complete (timeout ${formatDuration(settings.timeoutMs)})`,
      () =>
        waitForSnapshots(client, targets, {
          timeoutMs: settings.timeoutMs,
          logger,
          clock: ctx.clock,
          startedAt,
          estimate: SNAPSHOT_ESTIMATE,
        }),
    ),
  );
  const completed: SnapshotTarget[] = [];
  for (const target of targets) {
    const outcome = outcomes.get(target.id);
    const status =
      outcome?.end === 'completed' ? 'completed' : (outcome?.snapshot?.status ?? outcome?.end ?? 'unknown');
    report.row({
      serverId: target.serverId,
      snapshotId: target.id,
      name,
      status: outcome?.end === 'vanished' ? 'vanished' : status,
      sizeMb: outcome?.snapshot?.size_mb ?? null,
      ...(outcome ? { elapsedMs: outcome.elapsedMs } : {}),
    });
    if (outcome?.end === 'completed') completed.push(target);
    else failures.push(`server ${target.serverId}: ${explainEnd(target, outcome?.end, settings.timeoutMs)}`);
  }
  if (single) {
    const only = outcomes.get(targets[0]?.id ?? -1);
    setOutputs({
      status: only?.end === 'completed' ? 'completed' : 'in_progress',
      ...(only?.end === 'completed' ? { size_mb: only.snapshot?.size_mb ?? null } : {}),
    });
  } else {
    setOutputs({ status: failures.length === 0 ? 'completed' : 'in_progress' });
  }

  if (settings.keep > 0 && completed.length > 0) {
    // The snapshots are done, so the deploy may go ahead: rotation trouble is a warning, not a failure.
    const rotationProblems: string[] = [];
    await report.phase('rotate', () =>
      core.group(
        `Rotating: keeping ${settings.keep} snapshot(s) named '${settings.prunePrefix}*' per server`,
        async () => {
          const fresh = await client
            .listSnapshots(single ? targets[0]?.serverId : undefined)
            .catch((error: unknown) => {
              rotationProblems.push(`could not list the snapshots to rotate: ${errorMessage(error)}`);
              return [];
            });
          for (const target of completed) {
            const onServer = fresh.filter((s) => s.server.id === target.serverId);
            const victims = rotationVictims(onServer, target.id, settings);
            if (victims.length === 0) logger.info(`server ${target.serverId}: nothing to rotate`);
            for (const s of victims) {
              try {
                await deleteSnapshot(target.serverId, s, `rotation, keep ${settings.keep}`);
              } catch (error) {
                rotationProblems.push(
                  `server ${target.serverId}: could not delete snapshot ${s.id}: ${errorMessage(error)}`,
                );
              }
            }
          }
        },
      ),
    );
    if (rotationProblems.length > 0) {
      const text = `${rotationProblems.join('\n')}\nThe new snapshot is complete; the old ones stay until the next run rotates them, or delete them with operation: delete.`;
      core.warning(text, { title: 'Rotation incomplete' });
      report.notes.push(`Rotation incomplete: ${rotationProblems.join('; ')}`);
    }
  }
  setOutputs({ deleted_ids: deletedIds });
  fail(failures, report);
}

function plan(serverId: number, existing: Snapshot[], name: string, settings: CreateSettings): ServerPlan {
  const clash = existing.find((s) => s.name === name);
  if (clash) {
    throw new ActionError(
      'Snapshot name already in use',
      `name '${name}': server ${serverId} already has snapshot ${describeSnapshot(clash)}. Leave name empty for a unique one per run, or delete the old snapshot first.`,
    );
  }
  const makeRoom = roomToMake(existing, name, settings);
  if (!makeRoom) {
    throw new ActionError(
      'Snapshot limit reached',
      `server ${serverId} has ${existing.length} snapshots, the provider's limit of ${SNAPSHOT_LIMIT}: ${existing.map(describeSnapshot).join('; ')}. ${
        settings.keep === 0
          ? `Delete one (operation: delete), or set keep (1-${SNAPSHOT_LIMIT}) so rotation may delete the oldest completed '${settings.prunePrefix}*' snapshot.`
          : `keep ${settings.keep} allows deleting no completed '${settings.prunePrefix}*' snapshot: lower keep, or delete one (operation: delete).`
      }`,
    );
  }
  return { serverId, existing, makeRoom };
}

function explainEnd(target: SnapshotTarget, end: string | undefined, timeoutMs: number): string {
  const what = `snapshot ${target.id} '${target.name}'`;
  switch (end) {
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

function fail(failures: string[], report: OperationContext['report']): void {
  if (failures.length === 0) return;
  throw new ActionError(
    failures.length === 1 ? 'Snapshot failed' : `${failures.length} snapshots failed`,
    failures.join('\n'),
    report,
  );
}
