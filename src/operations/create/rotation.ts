// Which old snapshots rotation may delete: only completed ones named with the prefix, older than the
// run's own snapshot, oldest first. Never the run's own, never a newer one (a concurrent run's), never
// one in progress.
import type { Snapshot } from '../../api/schema.ts';
import { SNAPSHOT_LIMIT } from '../../limits.ts';

export interface RotationPolicy {
  keep: number;
  prunePrefix: string;
}

/** a was made before b: by created_at, then by ID (IDs grow); by ID alone when either date is unreadable. */
export function olderThan(
  a: Pick<Snapshot, 'created_at' | 'id'>,
  b: Pick<Snapshot, 'created_at' | 'id'>,
): boolean {
  const ta = Date.parse(a.created_at);
  const tb = Date.parse(b.created_at);
  if (Number.isNaN(ta) || Number.isNaN(tb) || ta === tb) return a.id < b.id;
  return ta < tb;
}

const oldestFirst = (a: Snapshot, b: Snapshot) => (olderThan(a, b) ? -1 : olderThan(b, a) ? 1 : 0);

function eligible(snapshots: readonly Snapshot[], policy: RotationPolicy, own?: Snapshot): Snapshot[] {
  return snapshots
    .filter(
      (s) =>
        s.name.startsWith(policy.prunePrefix) &&
        s.status === 'completed' &&
        (own === undefined || (s.id !== own.id && olderThan(s, own))),
    )
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

/** After the run's own snapshot completed: the prefixed ones beyond `keep` (it counted), older than it. */
export function rotationVictims(
  snapshots: readonly Snapshot[],
  own: Snapshot,
  policy: RotationPolicy,
): Snapshot[] {
  if (policy.keep === 0) return [];
  const others = snapshots.filter((s) => s.id !== own.id && s.name.startsWith(policy.prunePrefix));
  const prefixed = others.length + (own.name.startsWith(policy.prunePrefix) ? 1 : 0);
  const excess = prefixed - policy.keep;
  return excess > 0 ? eligible(snapshots, policy, own).slice(0, excess) : [];
}

/** Why rotation keeps `s`, a snapshot of the server other than the run's own and not among its victims. */
export function keptBecause(s: Snapshot, own: Snapshot, policy: RotationPolicy): string {
  if (!s.name.startsWith(policy.prunePrefix)) return `its name does not start with '${policy.prunePrefix}'`;
  if (s.status !== 'completed') return `it is ${s.status}, not completed`;
  if (!olderThan(s, own)) return `it is newer than this run's snapshot ${own.id}`;
  return `it is within keep ${policy.keep}`;
}
