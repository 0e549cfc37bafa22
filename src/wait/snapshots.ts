// Waiting for snapshots to be made: one list request per poll for all of them, whatever their servers.
import type { ApiError } from '../api/errors.ts';
import type { Snapshot } from '../api/schema.ts';
import { formatDuration } from '../reporting/format.ts';
import { pollUntil, type WaitOptions } from './poll.ts';

/** How a snapshot's wait ended; 'unreadable': the list could not be read any more, so its end was not seen. */
export type SnapshotEnd = 'completed' | 'failed' | 'vanished' | 'timeout' | 'unreadable';

export interface SnapshotTarget {
  id: number;
  serverId: number;
  name: string;
}

export interface SnapshotOutcome {
  target: SnapshotTarget;
  end: SnapshotEnd;
  /** The last state seen; absent when it was never seen. */
  snapshot?: Snapshot;
  elapsedMs: number;
  /** Why the list could not be read (end 'unreadable'), or why the wait ended early (a Retry-After past the deadline). */
  error?: ApiError;
}

export interface SnapshotLister {
  listSnapshots(
    serverId: number | undefined,
    options: { enough?: (seen: readonly Snapshot[]) => boolean; deadline?: number; attemptLimitMs?: number },
  ): Promise<Snapshot[]>;
}

const FAILED = new Set(['failed', 'error']);
const KNOWN_IN_PROGRESS = new Set(['in_progress', 'pending', 'creating']);

/**
 * Waits for every target to leave `in_progress`. A target missing from the list is "gone" only once it has
 * been missing for the lag window since it was last seen (or since the wait began): lists lag writes.
 * A list that fails for good ends the wait: what was seen stays, the rest is 'unreadable'.
 */
export async function waitForSnapshots(
  client: SnapshotLister,
  targets: readonly SnapshotTarget[],
  options: WaitOptions,
): Promise<Map<number, SnapshotOutcome>> {
  const tracker = new SnapshotTracker(targets, options);
  const servers = new Set(targets.map((t) => t.serverId));
  const serverFilter = servers.size === 1 ? [...servers][0] : undefined;
  const result = await pollUntil(options, {
    poll: (call) => client.listSnapshots(serverFilter, { ...call, enough: (soFar) => tracker.allIn(soFar) }),
    take: (seen, elapsedMs) => tracker.take(seen, elapsedMs),
    waitingFor: () => `waiting for ${tracker.pending.size} of ${targets.length} snapshot(s) to complete`,
  });
  if (result.end !== 'done') tracker.endPending(result.end, result.error);
  return tracker.outcomes;
}

interface Tracked {
  target: SnapshotTarget;
  lastSeenAt: number;
  status: string;
  last?: Snapshot;
}

/** What each target was last seen as, and how each ended. */
class SnapshotTracker {
  readonly pending: Map<number, Tracked>;
  readonly outcomes = new Map<number, SnapshotOutcome>();
  private readonly options: WaitOptions;
  private readonly startedAt: number;
  private readonly lagWindow: number;

  constructor(targets: readonly SnapshotTarget[], options: WaitOptions) {
    this.options = options;
    const now = options.clock.now();
    this.startedAt = options.startedAt ?? now;
    this.lagWindow = options.lagWindowMs;
    this.pending = new Map(targets.map((t) => [t.id, { target: t, lastSeenAt: now, status: '' }]));
  }

  /** The pages read so far hold every pending target: the list walk may stop. */
  allIn(seen: readonly Snapshot[]): boolean {
    return [...this.pending.keys()].every((id) => seen.some((s) => s.id === id));
  }

  take(seen: readonly Snapshot[], elapsedMs: number): 'done' | 'changed' | 'same' {
    let changed = false;
    for (const entry of [...this.pending.values()]) {
      const { target } = entry;
      const snapshot = seen.find((s) => s.id === target.id && s.server.id === target.serverId);
      if (snapshot) changed = this.seen(entry, snapshot, elapsedMs) || changed;
      else this.missing(entry, elapsedMs);
    }
    if (this.pending.size === 0) return 'done';
    return changed ? 'changed' : 'same';
  }

  endPending(end: 'timeout' | 'unreadable', error?: ApiError): void {
    for (const entry of [...this.pending.values()]) this.finish(entry, end, error);
  }

  /** Logs a change of status; ends the target when it completed or failed. Returns whether it changed. */
  private seen(entry: Tracked, snapshot: Snapshot, elapsedMs: number): boolean {
    const { logger, clock } = this.options;
    entry.lastSeenAt = clock.now();
    entry.last = snapshot;
    const changed = entry.status !== snapshot.status;
    if (changed) {
      const size = snapshot.size_mb !== null ? `, ${snapshot.size_mb} MB` : '';
      const from = entry.status ? `${entry.status} → ` : '';
      logger.info(`${label(entry.target)}: ${from}${snapshot.status}${size} (${formatDuration(elapsedMs)})`);
      const known =
        KNOWN_IN_PROGRESS.has(snapshot.status) ||
        snapshot.status === 'completed' ||
        FAILED.has(snapshot.status);
      if (!known)
        logger.warning(
          `${label(entry.target)} has the unknown status '${snapshot.status}': treating it as still in progress.`,
        );
      entry.status = snapshot.status;
    }
    if (snapshot.status === 'completed') this.finish(entry, 'completed');
    else if (FAILED.has(snapshot.status)) this.finish(entry, 'failed');
    return changed;
  }

  /** Not in the list: gone only once missing for longer than the list's lag. */
  private missing(entry: Tracked, elapsedMs: number): void {
    const missingFor = this.options.clock.now() - entry.lastSeenAt;
    if (missingFor < this.lagWindow) return;
    this.options.logger.warning(
      `${label(entry.target)} is gone: it has not been in the server's snapshot list for ${formatDuration(missingFor)} (after ${formatDuration(elapsedMs)}).`,
    );
    this.finish(entry, 'vanished');
  }

  private finish(entry: Tracked, end: SnapshotEnd, error?: ApiError): void {
    this.pending.delete(entry.target.id);
    this.outcomes.set(entry.target.id, {
      target: entry.target,
      end,
      elapsedMs: this.options.clock.now() - this.startedAt,
      ...(entry.last ? { snapshot: entry.last } : {}),
      ...(error ? { error } : {}),
    });
  }
}

function label(target: SnapshotTarget): string {
  return `snapshot ${target.id}${target.name ? ` '${target.name}'` : ''} on server ${target.serverId}`;
}
