// Waiting for snapshots to be made: one list request per poll for all of them, whatever their servers.
import type { Snapshot } from '../api/schema.ts';
import { formatDuration } from '../reporting/format.ts';
import { DEFAULT_LAG_WINDOW_MS, pollUntil, type WaitOptions } from './poll.ts';

export type SnapshotEnd = 'completed' | 'failed' | 'vanished' | 'timeout';

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
 */
export async function waitForSnapshots(
  client: SnapshotLister,
  targets: readonly SnapshotTarget[],
  options: WaitOptions,
): Promise<Map<number, SnapshotOutcome>> {
  const { clock, logger } = options;
  const startedAt = options.startedAt ?? clock.now();
  const lagWindow = options.lagWindowMs ?? DEFAULT_LAG_WINDOW_MS;
  const outcomes = new Map<number, SnapshotOutcome>();
  const pending = new Map(targets.map((t) => [t.id, { target: t, lastSeenAt: clock.now(), status: '' }]));
  const last = new Map<number, Snapshot>();
  const servers = new Set(targets.map((t) => t.serverId));
  const serverFilter = servers.size === 1 ? [...servers][0] : undefined;
  const finish = (target: SnapshotTarget, end: SnapshotEnd) => {
    pending.delete(target.id);
    const snapshot = last.get(target.id);
    outcomes.set(target.id, {
      target,
      end,
      elapsedMs: clock.now() - startedAt,
      ...(snapshot ? { snapshot } : {}),
    });
  };

  const result = await pollUntil(options, {
    poll: (call) =>
      client.listSnapshots(serverFilter, {
        ...call,
        enough: (soFar) => [...pending.keys()].every((id) => soFar.some((s) => s.id === id)),
      }),
    take: (seen, elapsedMs) => {
      let changed = false;
      const elapsed = formatDuration(elapsedMs);
      for (const entry of [...pending.values()]) {
        const { target } = entry;
        const label = `snapshot ${target.id} '${target.name}' on server ${target.serverId}`;
        const snapshot = seen.find((s) => s.id === target.id && s.server.id === target.serverId);
        if (!snapshot) {
          if (clock.now() - entry.lastSeenAt < lagWindow) continue;
          logger.warning(
            `${label} is gone: it has not been in the server's snapshot list for ${formatDuration(clock.now() - entry.lastSeenAt)} (after ${elapsed}).`,
          );
          finish(target, 'vanished');
          continue;
        }
        entry.lastSeenAt = clock.now();
        last.set(target.id, snapshot);
        if (entry.status !== snapshot.status) {
          changed = true;
          const size = snapshot.size_mb !== null ? `, ${snapshot.size_mb} MB` : '';
          logger.info(
            `${label}: ${entry.status ? `${entry.status} → ` : ''}${snapshot.status}${size} (${elapsed})`,
          );
          if (
            !KNOWN_IN_PROGRESS.has(snapshot.status) &&
            snapshot.status !== 'completed' &&
            !FAILED.has(snapshot.status)
          ) {
            logger.warning(
              `${label} has the unknown status '${snapshot.status}': treating it as still in progress.`,
            );
          }
          entry.status = snapshot.status;
        }
        if (snapshot.status === 'completed') finish(target, 'completed');
        else if (FAILED.has(snapshot.status)) finish(target, 'failed');
      }
      if (pending.size === 0) return 'done';
      return changed ? 'changed' : 'same';
    },
    waitingFor: () => `waiting for ${pending.size} of ${targets.length} snapshot(s) to complete`,
  });
  if (result === 'timeout') for (const { target } of [...pending.values()]) finish(target, 'timeout');
  return outcomes;
}
