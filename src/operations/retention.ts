// Retention: which of one server's snapshots a policy keeps, which it deletes, and why. Pure, and the one
// decision behind prune and create's rotation (its room under the limit and its dry run too). It compares
// the provider's timestamps with each other only, never with the runner's clock. Whatever the policy, it
// never deletes the newest completed snapshot of the server, one that is not completed, one whose
// created_at cannot be read, one named outside prune_prefix, the run's own snapshot or one newer than it.
import type { Snapshot } from '../api/schema.ts';
import { newerThan, parseInstant } from './instant.ts';

export interface RetentionPolicy {
  prunePrefix: string;
  /** The newest this many completed prune_prefix snapshots are kept; 0: no such rule. */
  keep: number;
  /** Completed prune_prefix snapshots made at most this long before the newest completed one are kept; 0: no such rule. */
  keepWithinMs: number;
}

export type KeptWhy =
  | 'other prefix'
  | 'not completed'
  | 'unreadable time'
  | 'newest completed'
  | 'newest N'
  | 'within window'
  | 'newer than own';

/**
 * The snapshot a create makes, counted and kept: `at` is its created_at. A snapshot still to be made (a
 * plan) has no `id`: it is newer than every one listed, and `at` is when it is assumed to be made.
 */
export interface OwnSnapshot {
  id?: number;
  name: string;
  at: number;
}

export interface Retention {
  /** In the order given. */
  kept: { snapshot: Snapshot; why: KeptWhy }[];
  /** Oldest first. */
  deleted: Snapshot[];
  /** The instant keep_within is measured back from: the newest completed snapshot's; undefined when there is none. */
  anchor: number | undefined;
}

/** Applies `policy` to the snapshots of one server (the caller filters by server). */
export function applyRetention(
  snapshots: readonly Snapshot[],
  policy: RetentionPolicy,
  own?: OwnSnapshot,
): Retention {
  const ownKey = own && { at: own.at, id: own.id ?? Number.POSITIVE_INFINITY };
  const kept: Retention['kept'] = [];
  const candidates: { snapshot?: Snapshot; at: number; id: number }[] =
    ownKey && own.name.startsWith(policy.prunePrefix) ? [ownKey] : [];
  let newest = ownKey;
  for (const s of snapshots) {
    if (own?.id === s.id) continue;
    const at = s.status === 'completed' ? parseInstant(s.created_at) : undefined;
    if (at !== undefined && (!newest || newerThan({ at, id: s.id }, newest))) newest = { at, id: s.id };
    if (!s.name.startsWith(policy.prunePrefix)) kept.push({ snapshot: s, why: 'other prefix' });
    else if (s.status !== 'completed') kept.push({ snapshot: s, why: 'not completed' });
    else if (at === undefined) kept.push({ snapshot: s, why: 'unreadable time' });
    else candidates.push({ snapshot: s, at, id: s.id });
  }
  candidates.sort((a, b) => (newerThan(a, b) ? -1 : newerThan(b, a) ? 1 : 0));
  const deleted: Snapshot[] = [];
  const anchor = newest?.at;
  candidates.forEach((c, rank) => {
    if (!c.snapshot) return;
    const why: KeptWhy | undefined =
      ownKey && newerThan(c, ownKey)
        ? 'newer than own'
        : c.id === newest?.id
          ? 'newest completed'
          : rank < policy.keep
            ? 'newest N'
            : policy.keepWithinMs > 0 && (anchor ?? c.at) - c.at <= policy.keepWithinMs
              ? 'within window'
              : undefined;
    if (why) kept.push({ snapshot: c.snapshot, why });
    else deleted.unshift(c.snapshot);
  });
  const order = new Map(snapshots.map((s, i) => [s.id, i]));
  kept.sort((a, b) => (order.get(a.snapshot.id) ?? 0) - (order.get(b.snapshot.id) ?? 0));
  return { kept, deleted, anchor };
}

/** The policy in words: "keep 3, keep_within 14d". */
export function describePolicy(policy: Pick<RetentionPolicy, 'keep' | 'keepWithinMs'>): string {
  const parts = [
    ...(policy.keep > 0 ? [`keep ${policy.keep}`] : []),
    ...(policy.keepWithinMs > 0 ? [`keep_within ${formatWindow(policy.keepWithinMs)}`] : []),
  ];
  return parts.join(', ') || 'no policy';
}

const [HOUR, DAY, WEEK] = [3_600_000, 86_400_000, 604_800_000];

/** A window as keep_within takes it: `2w`, `14d`... whole weeks, else days, else hours. */
export function formatWindow(ms: number): string {
  if (ms % WEEK === 0) return `${ms / WEEK}w`;
  if (ms % DAY === 0) return `${ms / DAY}d`;
  return `${Math.round((ms / HOUR) * 100) / 100}h`;
}

/** How long before the newest a snapshot was made: `20d 4h`, `5h 30m`, `42s`. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1_000));
  const [d, h, m] = [
    Math.floor(seconds / 86_400),
    Math.floor(seconds / 3_600) % 24,
    Math.floor(seconds / 60) % 60,
  ];
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return m > 0 ? `${m}m` : `${seconds}s`;
}

/** Why a snapshot was kept, as a report says it. */
export function keptReason(why: KeptWhy, snapshot: Snapshot, policy: RetentionPolicy): string {
  const reasons: Record<KeptWhy, string> = {
    'other prefix': `not named ${policy.prunePrefix}*`,
    'not completed': `${snapshot.status}: only completed snapshots are pruned`,
    'unreadable time': 'its created_at cannot be read',
    'newest completed': 'the newest completed snapshot of the server',
    'newest N': `one of the newest ${policy.keep}`,
    'within window': `within ${formatWindow(policy.keepWithinMs)} of the newest`,
    'newer than own': "newer than this run's snapshot",
  };
  return reasons[why];
}
