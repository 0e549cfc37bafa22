// The one poll loop, for whatever is watched until it ends (snapshots being made, servers restoring): a
// schedule that is quick at first and sparse later, a deadline, a time limit per poll that follows the
// schedule (so a stalled answer is abandoned in time), a heartbeat, and a few failed reads tolerated. What a
// look means is the caller's (snapshots.ts, restores.ts); what was seen before an error is kept.
import { ApiError } from '../api/errors.ts';
import { isTransient, MIN_CALL_MS } from '../api/retry.ts';
import type { CallOptions } from '../api/types.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { formatDuration } from '../reporting/format.ts';

/** `startedAt`: when the create or restore was sent; `estimate`: the provider's, for heartbeats; `lagWindowMs`:
 * how long a write may take to show in reads (within it, "not there yet" is not "gone"). */
export interface WaitOptions {
  deadline: number;
  logger: Logger;
  clock: Clock;
  startedAt?: number;
  heartbeatMs?: number;
  estimate?: string;
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

/** Reads of one thing that may fail in a row (each already retried by the client) before it is unreadable. */
const MAX_FAILED_READS = 5;

/**
 * How one watched thing ended: an end of its own; 'timeout' (the deadline passed, or `error`'s Retry-After
 * asked past it); or 'unreadable' (its reads failed for good: `error`). `last` is what it was last seen as.
 */
export interface Ended<S, E extends string> {
  end: E | 'timeout' | 'unreadable';
  last?: S;
  elapsedMs: number;
  error?: ApiError;
}

/** One thing watched: what and when it was last seen (while `judge` reads a new look, the one before). */
export interface Watch<S> {
  key: number;
  last?: S;
  seenAt: number;
  failedReads: number;
}

export interface Watcher<S, E extends string> {
  /** Each pending key's state, or why it could not be read; a key left out was not there. */
  look(keys: number[], call: CallOptions): Promise<Map<number, S | ApiError>>;
  /** A change is logged as `<label>: <old> → <status><detail> (<elapsed>)`. */
  status(state: S): string;
  label(key: number, state: S): string;
  detail?(state: S): string;
  /** What a look means: an end, or undefined to look again. */
  judge(w: Watch<S>, state: S | undefined, elapsedMs: number): E | undefined;
  waitingFor(pending: number[]): string;
}

/** Looks at every key until each has ended or the deadline passed; a thrown ApiError is a failed read of each. */
export async function watch<S, E extends string>(
  keys: readonly number[],
  options: WaitOptions,
  watcher: Watcher<S, E>,
): Promise<Map<number, Ended<S, E>>> {
  const { clock, logger, deadline } = options;
  const startedAt = options.startedAt ?? clock.now();
  const pending = new Map(
    keys.map((key): [number, Watch<S>] => [key, { key, seenAt: clock.now(), failedReads: 0 }]),
  );
  const ended = new Map<number, Ended<S, E>>();
  const finish = (w: Watch<S>, end: Ended<S, E>['end'], error?: ApiError) => {
    pending.delete(w.key);
    const last = w.last === undefined ? {} : { last: w.last };
    ended.set(w.key, { end, elapsedMs: clock.now() - startedAt, ...last, ...(error ? { error } : {}) });
  };
  let quietSince = clock.now();
  await sleepUntil(clock, startedAt + pollInterval(0), deadline);
  while (pending.size > 0) {
    const pollStart = clock.now();
    const call = {
      deadline: Math.max(deadline, pollStart + MIN_CALL_MS),
      attemptLimitMs: pollAttemptLimit(pollStart - startedAt),
    };
    const looks = await watcher.look([...pending.keys()], call).catch((error: unknown) => {
      if (!(error instanceof ApiError)) throw error;
      return new Map([...pending.keys()].map((key) => [key, error]));
    });
    const elapsedMs = clock.now() - startedAt;
    let warned = false;
    for (const w of [...pending.values()]) {
      const state = looks.get(w.key);
      if (state instanceof ApiError) {
        // The provider asks to be left alone past the deadline (Retry-After): the time is up.
        if (state.retryAfterMs !== undefined && state.retryAfterMs >= deadline - clock.now())
          finish(w, 'timeout', state);
        else if (!isTransient(state) || ++w.failedReads >= MAX_FAILED_READS) finish(w, 'unreadable', state);
        else if (!warned) {
          warned = true;
          logger.warning(`A status poll failed (${state.reason}); polling again.`);
        }
        continue;
      }
      w.failedReads = 0;
      if (state !== undefined && logChange(watcher, w, state, elapsedMs, logger)) quietSince = clock.now();
      const end = watcher.judge(w, state, elapsedMs);
      if (state !== undefined) Object.assign(w, { last: state, seenAt: clock.now() });
      if (end) finish(w, end);
    }
    if (pending.size === 0) break;
    if (clock.now() >= deadline) {
      for (const w of [...pending.values()]) finish(w, 'timeout');
      break;
    }
    if (clock.now() - quietSince >= (options.heartbeatMs ?? 30_000))
      quietSince = heartbeat(options, startedAt, watcher.waitingFor([...pending.keys()]));
    await sleepUntil(clock, pollStart + pollInterval(pollStart - startedAt), deadline);
  }
  return ended;
}

/** A line while nothing changes, with the elapsed time and the provider's estimate; returns when. */
function heartbeat({ clock, logger, estimate }: WaitOptions, startedAt: number, what: string): number {
  const now = clock.now();
  const guess = estimate ? `; the provider estimates ${estimate}` : '';
  logger.info(`… still ${what}: ${formatDuration(now - startedAt)} elapsed${guess}`);
  return now;
}

/** Logs a change of status; says whether there was one. */
function logChange<S, E extends string>(
  watcher: Watcher<S, E>,
  w: Watch<S>,
  state: S,
  elapsedMs: number,
  logger: Logger,
) {
  const before = w.last === undefined ? undefined : watcher.status(w.last);
  if (watcher.status(state) === before) return false;
  const change = `${before === undefined ? '' : `${before} → `}${watcher.status(state)}${watcher.detail?.(state) ?? ''}`;
  logger.info(`${watcher.label(w.key, state)}: ${change} (${formatDuration(elapsedMs)})`);
  return true;
}

/** Sleeps until `at`, or the deadline if sooner. */
async function sleepUntil(clock: Clock, at: number, deadline: number): Promise<void> {
  const wait = Math.min(at, deadline) - clock.now();
  if (wait > 0) await clock.sleep(wait);
}
