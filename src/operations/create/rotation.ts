// create's rotation, on the retention policy (../retention.ts): room under the limit before the create,
// rotation after the run's own snapshot completed, and the dry run's plan of both. The run's own snapshot
// is counted and kept; nothing newer than it is deleted (a concurrent run's).
import type { Snapshot } from '../../api/schema.ts';
import { SNAPSHOT_LIMIT } from '../../limits.ts';
import { parseInstant } from '../instant.ts';
import { applyRetention, type OwnSnapshot, type Retention, type RetentionPolicy } from '../retention.ts';

/** Rotation runs when the policy has a rule: keep, keep_within, or both. */
export function rotationOn(policy: RetentionPolicy): boolean {
  return policy.keep > 0 || policy.keepWithinMs > 0;
}

/**
 * A snapshot still to be made: newer than every one listed. Unless told otherwise, it is assumed made at the
 * newest time listed: the provider's clock as its own timestamps show it, never the runner's.
 */
export function pendingSnapshot(listed: readonly Snapshot[], name: string, at?: number): OwnSnapshot {
  const times = listed.flatMap((s) => parseInstant(s.created_at) ?? []);
  return { name, at: at ?? Math.max(Number.NEGATIVE_INFINITY, ...times) };
}

/**
 * Snapshots to delete before a create on a server at the provider's limit, so that the create can go
 * through: the oldest of those rotation would delete once the new one is made. Undefined when the policy
 * does not allow making enough room.
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

/** The dry run's plan: what rotation deletes once the new snapshot completes. */
export interface PlannedRotation {
  retention: Retention;
  /**
   * With keep_within: deleted too if the new snapshot is made late enough, since the window is measured
   * from its created_at, which the provider sets only when it makes it.
   */
  maybe: Snapshot[];
}

export function planRotation(
  after: readonly Snapshot[],
  name: string,
  policy: RetentionPolicy,
): PlannedRotation {
  const retention = applyRetention(after, policy, pendingSnapshot(after, name));
  if (policy.keepWithinMs === 0) return { retention, maybe: [] };
  const latest = applyRetention(after, policy, pendingSnapshot(after, name, Number.POSITIVE_INFINITY));
  return { retention, maybe: latest.deleted.filter((s) => !retention.deleted.includes(s)) };
}
