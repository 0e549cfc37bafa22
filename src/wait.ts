// The waiting engine: polls until snapshots or a restore are finished, failed, gone, or out of time.
import { setTimeout as delay } from 'node:timers/promises';
import type { SnapshotsClient } from './api/client.ts';
import { ApiError } from './api/errors.ts';
import type { ServerInfo, Snapshot } from './api/schema.ts';
import { formatDuration } from './duration.ts';
import type { Logger } from './logger.ts';

export interface WaitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: WaitClock = { now: () => Date.now(), sleep: (ms) => delay(ms) };

export interface WaitOptions {
  timeoutMs: number;
  logger: Logger;
  clock?: WaitClock;
  /** When the operation began (the create or restore request), for the schedule and the elapsed time. */
  startedAt?: number;
  heartbeatMs?: number;
  /** The provider's estimate, e.g. "3-10 minutes", shown in heartbeats. */
  estimate?: string;
}

/**
 * Time from one poll's start to the next, by time since the operation began. Quick at first, so a short
 * operation is noticed within a second; then growing, so a long one costs few requests:
 * 0.7 s + 6.5% of elapsed up to 20 s (2 s there), then 2 s + 12% of the time past 20 s, at most 15 s.
 * Measured by npm run bench: 3 s is seen within 0.9 s (4 polls), 20 s within 2 s (17), 10 min in 66, 30 min in 146.
 */
export function pollInterval(elapsedMs: number): number {
  const t = Math.max(0, elapsedMs);
  if (t < 20_000) return 700 + 0.065 * t;
  return Math.min(15_000, 2_000 + 0.12 * (t - 20_000));
}

/** Sleeps until `at`, or the deadline if sooner. */
async function sleepUntil(clock: WaitClock, at: number, deadline: number): Promise<void> {
  const wait = Math.min(at, deadline) - clock.now();
  if (wait > 0) await clock.sleep(wait);
}

/**
 * A poll near the deadline still gets this long for its answer and retries, so the last look is a real one;
 * a hung provider can overrun `timeout` by at most this much.
 */
const POLL_GRACE_MS = 5_000;

/** Gives up after this many polls in a row that got no answer (each already retried by the client). */
const MAX_FAILED_POLLS = 5;

export type SnapshotEnd = 'completed' | 'failed' | 'vanished' | 'timeout';

export interface SnapshotTarget {
  id: number;
  serverId: number;
  name: string;
}

export interface SnapshotOutcome {
  target: SnapshotTarget;
  end: SnapshotEnd;
  /** The last state seen; absent when it vanished before it was ever seen. */
  snapshot?: Snapshot;
  elapsedMs: number;
}

const FAILED = new Set(['failed', 'error']);
const KNOWN_IN_PROGRESS = new Set(['in_progress', 'pending', 'creating']);

/**
 * Waits for every target to leave `in_progress`, with one list request per poll for all of them
 * (filtered by server when they are all on one).
 */
export async function waitForSnapshots(
  client: SnapshotsClient,
  targets: readonly SnapshotTarget[],
  options: WaitOptions,
): Promise<Map<number, SnapshotOutcome>> {
  const clock = options.clock ?? realClock;
  const { logger } = options;
  const startedAt = options.startedAt ?? clock.now();
  const deadline = clock.now() + options.timeoutMs;
  const outcomes = new Map<number, SnapshotOutcome>();
  const lastStatus = new Map<number, string>();
  const pending = new Map(targets.map((t) => [t.id, t]));
  const servers = new Set(targets.map((t) => t.serverId));
  const serverFilter = servers.size === 1 ? [...servers][0] : undefined;
  const heartbeat = new Heartbeat(options, startedAt, clock);
  let failedPolls = 0;
  await sleepUntil(clock, startedAt + pollInterval(0), deadline);

  const finish = (target: SnapshotTarget, end: SnapshotEnd, snapshot?: Snapshot) => {
    pending.delete(target.id);
    outcomes.set(target.id, {
      target,
      end,
      elapsedMs: clock.now() - startedAt,
      ...(snapshot ? { snapshot } : {}),
    });
  };

  while (pending.size > 0) {
    const pollStart = clock.now();
    let seen: Snapshot[] | undefined;
    try {
      seen = await client.listSnapshots(
        serverFilter,
        (soFar) => {
          const ids = new Set(soFar.map((s) => s.id));
          return [...pending.keys()].every((id) => ids.has(id));
        },
        Math.max(deadline - clock.now(), POLL_GRACE_MS),
      );
      failedPolls = 0;
    } catch (error) {
      failedPolls = handlePollFailure(error, failedPolls, logger);
    }
    if (seen) {
      const byId = new Map(seen.map((s) => [s.id, s]));
      for (const target of [...pending.values()]) {
        const snapshot = byId.get(target.id);
        const label = `snapshot ${target.id} '${target.name}' on server ${target.serverId}`;
        const elapsed = formatDuration(clock.now() - startedAt);
        if (!snapshot) {
          logger.warning(
            `${label} is gone: it is no longer in the server's snapshot list (after ${elapsed}).`,
          );
          finish(target, 'vanished');
          continue;
        }
        const previous = lastStatus.get(target.id);
        if (previous !== snapshot.status) {
          lastStatus.set(target.id, snapshot.status);
          const size = snapshot.size_mb !== null ? `, ${snapshot.size_mb} MB` : '';
          logger.info(`${label}: ${previous ? `${previous} → ` : ''}${snapshot.status}${size} (${elapsed})`);
          if (
            !KNOWN_IN_PROGRESS.has(snapshot.status) &&
            snapshot.status !== 'completed' &&
            !FAILED.has(snapshot.status)
          ) {
            logger.warning(
              `${label} has the unknown status '${snapshot.status}': treating it as still in progress.`,
            );
          }
          heartbeat.reset();
        }
        if (snapshot.status === 'completed') finish(target, 'completed', snapshot);
        else if (FAILED.has(snapshot.status)) finish(target, 'failed', snapshot);
      }
    }
    if (pending.size === 0) break;
    if (clock.now() >= deadline) {
      for (const target of pending.values()) {
        const last = seen?.find((s) => s.id === target.id);
        finish(target, 'timeout', last);
      }
      break;
    }
    heartbeat.maybe(`waiting for ${pending.size} of ${targets.length} snapshot(s) to complete`);
    await sleepUntil(clock, pollStart + pollInterval(pollStart - startedAt), deadline);
  }
  return outcomes;
}

export type RestoreEnd = 'restored' | 'failed' | 'timeout' | 'unconfirmed';

export interface RestoreOutcome {
  end: RestoreEnd;
  server?: ServerInfo;
  elapsedMs: number;
}

/** Waits for a server to leave `restoring`: `error` is a failed restore; a 404 leaves it unconfirmed. */
export async function waitForRestore(
  client: SnapshotsClient,
  serverId: number,
  options: WaitOptions,
): Promise<RestoreOutcome> {
  const clock = options.clock ?? realClock;
  const { logger } = options;
  const startedAt = options.startedAt ?? clock.now();
  const deadline = clock.now() + options.timeoutMs;
  const heartbeat = new Heartbeat(options, startedAt, clock);
  let failedPolls = 0;
  let last: ServerInfo | undefined;
  await sleepUntil(clock, startedAt + pollInterval(0), deadline);
  for (;;) {
    const pollStart = clock.now();
    try {
      const server = await client.getServer(serverId, Math.max(deadline - clock.now(), POLL_GRACE_MS));
      failedPolls = 0;
      if (server.status !== last?.status) {
        logger.info(
          `server ${serverId} '${server.name}': ${last ? `${last.status} → ` : ''}${server.status} (${formatDuration(clock.now() - startedAt)})`,
        );
        heartbeat.reset();
      }
      last = server;
      if (server.status === 'error' || server.status === 'failed') {
        return { end: 'failed', server, elapsedMs: clock.now() - startedAt };
      }
      if (server.status !== 'restoring')
        return { end: 'restored', server, elapsedMs: clock.now() - startedAt };
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        return { end: 'unconfirmed', elapsedMs: clock.now() - startedAt, ...(last ? { server: last } : {}) };
      }
      failedPolls = handlePollFailure(error, failedPolls, logger);
    }
    if (clock.now() >= deadline) {
      return { end: 'timeout', elapsedMs: clock.now() - startedAt, ...(last ? { server: last } : {}) };
    }
    heartbeat.maybe(`waiting for server ${serverId} to finish restoring`);
    await sleepUntil(clock, pollStart + pollInterval(pollStart - startedAt), deadline);
  }
}

/** A poll that failed after the client's own retries: fatal for a client error, else tolerated a few times. */
function handlePollFailure(error: unknown, failedPolls: number, logger: Logger): number {
  const transient =
    error instanceof ApiError &&
    (error.kind !== 'http' || error.status === 429 || (error.status !== undefined && error.status >= 500));
  if (!transient || failedPolls + 1 >= MAX_FAILED_POLLS) throw error;
  logger.warning(`A status poll failed (${(error as Error).message}); polling again.`);
  return failedPolls + 1;
}

class Heartbeat {
  private readonly options: WaitOptions;
  private readonly startedAt: number;
  private readonly clock: WaitClock;
  private readonly every: number;
  private last: number;

  constructor(options: WaitOptions, startedAt: number, clock: WaitClock) {
    this.options = options;
    this.startedAt = startedAt;
    this.clock = clock;
    this.every = options.heartbeatMs ?? 30_000;
    this.last = clock.now();
  }

  reset(): void {
    this.last = this.clock.now();
  }

  maybe(what: string): void {
    const now = this.clock.now();
    if (now - this.last < this.every) return;
    this.last = now;
    const estimate = this.options.estimate ? `; the provider estimates ${this.options.estimate}` : '';
    this.options.logger.info(`… still ${what}: ${formatDuration(now - this.startedAt)} elapsed${estimate}`);
  }
}
