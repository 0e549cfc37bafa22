// Which old snapshots rotation may delete: only completed ones named with the prefix, oldest first,
// never the snapshot just made.
import type { Snapshot } from './api/schema.ts';
import { SNAPSHOT_LIMIT } from './limits.ts';

export interface RotationPolicy {
  keep: number;
  prunePrefix: string;
}

const oldestFirst = (a: Snapshot, b: Snapshot) =>
  Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id;

function eligible(snapshots: readonly Snapshot[], policy: RotationPolicy, exceptId?: number): Snapshot[] {
  return snapshots
    .filter((s) => s.name.startsWith(policy.prunePrefix) && s.status === 'completed' && s.id !== exceptId)
    .sort(oldestFirst);
}

/**
 * Snapshots to delete before a create on a server at the provider's limit, so that the create can go
 * through; undefined when `keep` does not allow making enough room.
 */
export function roomToMake(
  snapshots: readonly Snapshot[],
  newName: string,
  policy: RotationPolicy,
): Snapshot[] | undefined {
  const needed = snapshots.length - (SNAPSHOT_LIMIT - 1);
  if (needed <= 0) return [];
  if (policy.keep === 0) return undefined;
  const prefixedAfter =
    snapshots.filter((s) => s.name.startsWith(policy.prunePrefix)).length +
    (newName.startsWith(policy.prunePrefix) ? 1 : 0);
  const allowed = Math.max(0, prefixedAfter - policy.keep);
  const victims = eligible(snapshots, policy).slice(0, Math.min(allowed, needed));
  return victims.length >= needed ? victims : undefined;
}

/** After the new snapshot completed: the older prefixed ones beyond `keep`, the new one counted. */
export function rotationVictims(
  snapshots: readonly Snapshot[],
  newId: number,
  policy: RotationPolicy,
): Snapshot[] {
  if (policy.keep === 0) return [];
  const prefixed = snapshots.filter((s) => s.name.startsWith(policy.prunePrefix)).length;
  const excess = prefixed - policy.keep;
  return excess > 0 ? eligible(snapshots, policy, newId).slice(0, excess) : [];
}
