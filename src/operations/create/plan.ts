// create's decisions, made from one read before anything is changed: the name is free on every server,
// and every server at the limit can be relieved within keep. A dry run reports the plan and stops.
import type { Snapshot } from '../../api/schema.ts';
import { SNAPSHOT_LIMIT } from '../../limits.ts';
import { refusal } from '../../reporting/failure.ts';
import { describeSnapshot } from '../../reporting/format.ts';
import type { CreateSettings } from '../../settings/types.ts';
import type { OperationContext } from '../context.ts';
import { unreadableTime } from '../instant.ts';
import { describePolicy } from '../retention.ts';
import { planRotation, roomToMake, rotationOn } from './rotation.ts';

/** What one server needs. */
export interface ServerPlan {
  serverId: number;
  existing: Snapshot[];
  /** Deleted before the create, to get under the limit. */
  makeRoom: Snapshot[];
}

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
    throw refusal('create', [
      {
        kind: 'name-in-use',
        message: `name '${name}': server ${serverId} already has snapshot ${describeSnapshot(clash)}. ${next}`,
      },
    ]);
  }
  const makeRoom = roomToMake(existing, name, settings);
  if (!makeRoom) {
    const next = !rotationOn(settings)
      ? `Delete one (operation: delete), or set keep (1-${SNAPSHOT_LIMIT}) so rotation may delete the oldest completed '${settings.prunePrefix}*' snapshot.`
      : `${describePolicy(settings)} allows deleting no completed '${settings.prunePrefix}*' snapshot: lower keep or keep_within, or delete one (operation: delete).`;
    throw refusal('create', [
      {
        kind: 'limit-reached',
        message: `server ${serverId} has ${existing.length} snapshots, the provider's limit of ${SNAPSHOT_LIMIT}: ${existing.map(describeSnapshot).join('; ')}. ${next}`,
      },
    ]);
  }
  return { serverId, existing, makeRoom };
}

/** Says what would be deleted and created, and changes nothing. */
export function reportDryRun(
  plans: ServerPlan[],
  name: string,
  settings: CreateSettings,
  ctx: OperationContext,
): void {
  const { logger, record } = ctx;
  record.dryRun = true;
  for (const p of plans) {
    for (const s of p.makeRoom) {
      logger.info(
        `dry run: would delete ${describeSnapshot(s)} on server ${p.serverId} to get under the limit`,
      );
      record.deleted.push({
        serverId: p.serverId,
        snapshotId: s.id,
        name: s.name,
        why: `room under the limit of ${SNAPSHOT_LIMIT}`,
        planned: true,
      });
    }
    logger.info(`dry run: would create snapshot '${name}' on server ${p.serverId}`);
    if (rotationOn(settings)) planRotationOf(p, name, settings, ctx);
    record.row({ serverId: p.serverId, name, state: 'planned' });
  }
  ctx.outputs.set({ snapshot_ids: {} });
}

/** What rotation would delete once the new snapshot completed: measured from the provider's times only. */
function planRotationOf(p: ServerPlan, name: string, settings: CreateSettings, ctx: OperationContext): void {
  const { logger, record } = ctx;
  const after = p.existing.filter((s) => !p.makeRoom.includes(s));
  const { retention, maybe } = planRotation(after, name, settings);
  const why = `rotation, ${describePolicy(settings)}`;
  for (const { snapshot } of retention.kept.filter((k) => k.why === 'unreadable time'))
    logger.warning(unreadableTime(snapshot, 'rotation'), 'Unreadable created_at');
  for (const s of retention.deleted) {
    logger.info(`dry run: after it completes, rotation would delete ${describeSnapshot(s)}`);
    record.deleted.push({ serverId: p.serverId, snapshotId: s.id, name: s.name, why, planned: true });
  }
  if (maybe.length === 0) return;
  const which = maybe.map(describeSnapshot).join('; ');
  const note = `server ${p.serverId}: keep_within is measured from the new snapshot's created_at, which the provider sets when it makes it; if it is made late enough, rotation also deletes ${which}`;
  logger.info(`dry run: ${note}`);
  record.notes.push(note);
}
