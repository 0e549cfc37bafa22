// create's rotation, on the retention policy: room under the limit before the create, the dry run's plan, and
// rotation after the run's own snapshots completed (trouble then is a warning: the deploy may go ahead).
import { errorMessage } from '../../api/errors.ts';
import type { Snapshot } from '../../api/schema.ts';
import { SNAPSHOT_LIMIT } from '../../limits.ts';
import { describeSnapshot } from '../../reporting/format.ts';
import type { CreateSettings } from '../../settings/types.ts';
import type { OperationContext } from '../context.ts';
import { deleteSnapshot } from '../delete.ts';
import { parseInstant, unreadableTime } from '../instant.ts';
import {
  applyRetention,
  describePolicy,
  keptReason,
  type OwnSnapshot,
  type Retention,
  type RetentionPolicy,
} from '../retention.ts';

/** Rotation runs when the policy has a rule: keep, keep_within, or both. */
export function rotationOn(policy: RetentionPolicy): boolean {
  return policy.keep > 0 || policy.keepWithinMs > 0;
}

/**
 * A snapshot still to be made: newer than every one listed. Unless told otherwise, it is assumed made at the
 * newest time listed: the provider's clock as its own timestamps show it, never the runner's.
 */
function pendingSnapshot(listed: readonly Snapshot[], name: string, at?: number): OwnSnapshot {
  const times = listed.flatMap((s) => parseInstant(s.created_at) ?? []);
  return { name, at: at ?? Math.max(Number.NEGATIVE_INFINITY, ...times) };
}

/**
 * What to delete before a create on a server at the provider's limit: the oldest of those rotation would
 * delete once the new one is made. Undefined when the policy does not allow making enough room.
 */
export function roomToMake(
  snapshots: readonly Snapshot[],
  newName: string,
  policy: RetentionPolicy,
): Snapshot[] | undefined {
  const needed = snapshots.length - (SNAPSHOT_LIMIT - 1);
  if (needed <= 0) return [];
  if (!rotationOn(policy)) return undefined;
  const victims = applyRetention(snapshots, policy, pendingSnapshot(snapshots, newName)).deleted;
  return victims.length >= needed ? victims.slice(0, needed) : undefined;
}

/**
 * After the run's own snapshot completed: what the policy deletes, measured from the provider's created_at
 * of that snapshot (nothing without a rule); a sentence when that time cannot be read, and nothing is deleted.
 */
export function rotationOf(
  snapshots: readonly Snapshot[],
  own: Snapshot,
  policy: RetentionPolicy,
): Retention | string {
  if (!rotationOn(policy)) return { kept: [], deleted: [], anchor: undefined };
  const at = parseInstant(own.created_at);
  if (at === undefined)
    return `its own snapshot ${own.id} '${own.name}' has a created_at that cannot be read ('${own.created_at.slice(0, 60)}'), so which snapshots are older is unknown: nothing was rotated`;
  return applyRetention(snapshots, policy, { id: own.id, name: own.name, at });
}

/**
 * A dry run's plan: what rotation deletes once the new snapshot completes; `maybe`, with keep_within, what it
 * deletes too if the snapshot is made late enough (the window is measured from its created_at).
 */
export function planRotation(after: readonly Snapshot[], name: string, policy: RetentionPolicy) {
  const retention = applyRetention(after, policy, pendingSnapshot(after, name));
  if (policy.keepWithinMs === 0) return { retention, maybe: [] as Snapshot[] };
  const latest = applyRetention(after, policy, pendingSnapshot(after, name, Number.POSITIVE_INFINITY));
  return { retention, maybe: latest.deleted.filter((s) => !retention.deleted.includes(s)) };
}

/** A dry run: what rotation would delete once the new snapshot on this server completed. */
export function reportRotation(
  serverId: number,
  existing: Snapshot[],
  name: string,
  settings: CreateSettings,
  ctx: OperationContext,
) {
  const { retention, maybe } = planRotation(existing, name, settings);
  const why = `rotation, ${describePolicy(settings)}`;
  for (const { snapshot } of retention.kept.filter((k) => k.why === 'unreadable time'))
    ctx.logger.warning(unreadableTime(snapshot, 'rotation'), 'Unreadable created_at');
  for (const s of retention.deleted) {
    ctx.logger.info(`dry run: after it completes, rotation would delete ${describeSnapshot(s)}`);
    ctx.record.deleted.push({ serverId: s.server.id, snapshotId: s.id, name: s.name, why, planned: true });
  }
  if (maybe.length === 0) return;
  const note = `server ${serverId}: keep_within is measured from the new snapshot's created_at, which the provider sets when it makes it; if it is made late enough, rotation also deletes ${maybe.map(describeSnapshot).join('; ')}`;
  ctx.logger.info(`dry run: ${note}`);
  ctx.record.notes.push(note);
}

/** Deletes what the policy leaves out, older than the run's own, on each server whose snapshot completed. */
export async function rotate(
  settings: CreateSettings,
  ctx: OperationContext,
  completed: Snapshot[],
  only?: number,
) {
  const problems: string[] = [];
  const title = `Rotating: ${describePolicy(settings)} for snapshots named '${settings.prunePrefix}*'`;
  await ctx.record.phase('rotate', () =>
    ctx.group(title, async () => {
      const fresh = await ctx.client.listSnapshots(only).catch((error: unknown) => {
        problems.push(`could not list the snapshots to rotate: ${errorMessage(error)}`);
      });
      for (const own of fresh ? completed : []) {
        const serverId = own.server.id;
        const retention = rotationOf(fresh?.filter((s) => s.server.id === serverId) ?? [], own, settings);
        if (typeof retention === 'string') {
          problems.push(`server ${serverId}: ${retention}`);
          continue;
        }
        for (const { snapshot: s, why } of retention.kept) {
          if (why === 'unreadable time')
            ctx.logger.warning(unreadableTime(s, 'rotation'), 'Unreadable created_at');
          ctx.logger.debug(
            `rotation on server ${serverId} keeps snapshot ${s.id} '${s.name}': ${keptReason(why, s, settings)}`,
          );
        }
        if (retention.deleted.length === 0) ctx.logger.info(`server ${serverId}: nothing to rotate`);
        for (const s of retention.deleted)
          await deleteSnapshot(s, `rotation, ${describePolicy(settings)}`, ctx).catch((error: unknown) => {
            problems.push(`server ${serverId}: could not delete snapshot ${s.id}: ${errorMessage(error)}`);
          });
      }
    }),
  );
  if (problems.length === 0) return;
  ctx.logger.warning(
    `${problems.join(' ')} The new snapshot is complete; the old ones stay until the next run rotates them, or delete them with operation: delete.`,
    'Rotation incomplete',
  );
  ctx.record.notes.push(`Rotation incomplete: ${problems.join('; ')}`);
}
