// The one poll loop: a schedule that is quick at first and sparse later, a deadline, a time limit per poll
// that follows the schedule (so a stalled answer is abandoned in time), a heartbeat, and a few failed
// polls tolerated.

import { ApiError } from '../api/errors.ts';
import { isTransient, MIN_CALL_MS } from '../api/retry.ts';
import type { CallOptions } from '../api/types.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { formatDuration } from '../reporting/format.ts';

export interface WaitOptions {
  /** The step's deadline on `clock`: the wait ends by it. */
  deadline: number;
  logger: Logger;
  clock: Clock;
  /** When the operation began (the create or restore request), for the schedule and the elapsed time. */
  startedAt?: number;
  heartbeatMs?: number;
  /** The provider's estimate, e.g. "3-10 minutes", shown in heartbeats. */
  estimate?: string;
  /** How long a write may take to show in reads: within it, "not there yet" is not "gone". */
  lagWindowMs: number;
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

/** One poll's time limit: a few intervals, at least 2 s, so a stalled answer is retried well within the wait. */
export function pollAttemptLimit(elapsedMs: number): number {
  return Math.min(30_000, Math.max(2_000, 3 * pollInterval(elapsedMs)));
}

/** Gives up after this many polls in a row that got no answer (each already retried by the client). */
const MAX_FAILED_POLLS = 5;

export interface PollLoop<R> {
  /** One look at the provider, within `call`'s bounds. */
  poll(call: CallOptions): Promise<R>;
  /** Takes one look's result: the wait is over, something changed (a log line was written), or nothing did. */
  take(result: R, elapsedMs: number): 'done' | 'changed' | 'same';
  /** What is being waited for, for the heartbeat. */
  waitingFor(): string;
}

/**
 * How a poll loop ended: done; out of time (the deadline passed, or the provider asked to wait past it:
 * `error` says so); or unreadable (a poll failed for good). The caller keeps what it saw before.
 */
export type PollEnd =
  | { end: 'done' }
  | { end: 'timeout'; error?: ApiError }
  | { end: 'unreadable'; error: ApiError };

/** Polls until `take` says done or the time is up; a poll that fails for good ends it; anything but an ApiError is thrown. */
export async function pollUntil<R>(options: WaitOptions, loop: PollLoop<R>): Promise<PollEnd> {
  const { clock, logger, deadline } = options;
  const startedAt = options.startedAt ?? clock.now();
  const heartbeat = new Heartbeat(options, startedAt);
  let failedPolls = 0;
  await sleepUntil(clock, startedAt + pollInterval(0), deadline);
  for (;;) {
    const pollStart = clock.now();
    try {
      const result = await loop.poll({
        deadline: Math.max(deadline, pollStart + MIN_CALL_MS),
        attemptLimitMs: pollAttemptLimit(pollStart - startedAt),
      });
      failedPolls = 0;
      const taken = loop.take(result, clock.now() - startedAt);
      if (taken === 'done') return { end: 'done' };
      if (taken === 'changed') heartbeat.reset();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // The provider asks to be left alone past the deadline (Retry-After): the time is up.
      if (error.retryAfterMs !== undefined && error.retryAfterMs >= deadline - clock.now())
        return { end: 'timeout', error };
      if (!isTransient(error) || failedPolls + 1 >= MAX_FAILED_POLLS) return { end: 'unreadable', error };
      logger.warning(`A status poll failed (${error.reason}); polling again.`);
      failedPolls += 1;
    }
    if (clock.now() >= deadline) return { end: 'timeout' };
    heartbeat.maybe(loop.waitingFor());
    await sleepUntil(clock, pollStart + pollInterval(pollStart - startedAt), deadline);
  }
}

/** Sleeps until `at`, or the deadline if sooner. */
async function sleepUntil(clock: Clock, at: number, deadline: number): Promise<void> {
  const wait = Math.min(at, deadline) - clock.now();
  if (wait > 0) await clock.sleep(wait);
}

/** A line every 30 s while nothing changes, with the elapsed time and the provider's estimate. */
class Heartbeat {
  private readonly options: WaitOptions;
  private readonly startedAt: number;
  private readonly every: number;
  private last: number;

  constructor(options: WaitOptions, startedAt: number) {
    this.options = options;
    this.startedAt = startedAt;
    this.every = options.heartbeatMs ?? 30_000;
    this.last = options.clock.now();
  }

  reset(): void {
    this.last = this.options.clock.now();
  }

  maybe(what: string): void {
    const now = this.options.clock.now();
    if (now - this.last < this.every) return;
    this.last = now;
    const estimate = this.options.estimate ? `; the provider estimates ${this.options.estimate}` : '';
    this.options.logger.info(`… still ${what}: ${formatDuration(now - this.startedAt)} elapsed${estimate}`);
  }
}
