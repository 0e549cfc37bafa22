// The one retry loop, which every request of the client goes through: bounded in attempts and by a deadline
// that no sleep (backoff or Retry-After) crosses. A write that may have acted is settled (settle.ts) before
// anything is sent again.
import type { Logger } from '../logger.ts';
import { formatDuration } from '../reporting/format.ts';
import { ApiError } from './errors.ts';
import type { RetryPolicy } from './types.ts';

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 120_000,
};
/** A call (or a retry of it) near a deadline still gets this long, so its answer has a real chance. */
export const MIN_CALL_MS = 5_000;
/** How long a write may take to show in reads, unless VPS_API_SETTLE_WINDOW says otherwise. */
export const DEFAULT_LAG_WINDOW_MS = 30_000;
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** A failure that another attempt may not repeat: no answer, a time-out, a 429/5xx, an answer that is not the API's. */
export function isTransient(error: unknown): error is ApiError {
  if (!(error instanceof ApiError)) return false;
  if (error.kind === 'http') return error.status !== undefined && RETRYABLE_STATUS.has(error.status);
  return error.kind !== 'ambiguous' && error.kind !== 'certificate';
}

/** A failed write that may have reached the provider and acted: what settling looks for. */
export function mayHaveActed(error: ApiError): boolean {
  return isTransient(error) && !error.notSent && error.status !== 429;
}

/** The client's clock, sleep, randomness, logger, policy and lag window. */
export interface Runtime {
  policy: RetryPolicy;
  sleep(ms: number): Promise<void>;
  now(): number;
  random(): number;
  logger: Logger;
  lagWindowMs: number;
}

export interface RetrySpec<T> {
  /** e.g. `GET /snapshots/`, for the debug log. */
  label: string;
  /** No attempt starts, and no sleep ends, after this time. */
  deadline: number;
  attempts: number;
  /** The longest one attempt may take, before the deadline's own bound. */
  attemptLimitMs: number;
  /** Attempt number `attempt` (from 1), which may take `limitMs`; throws ApiError on failure. */
  attempt(limitMs: number, attempt: number): Promise<T>;
  /** After a failure that may have acted: a value ends the call with it; undefined lets the next attempt go. */
  settle?(failure: ApiError): Promise<T | undefined>;
}

export async function withRetries<T>(rt: Runtime, spec: RetrySpec<T>): Promise<T> {
  let last: ApiError | undefined;
  for (let attempt = 1; attempt <= spec.attempts; attempt++) {
    if (last) await pause(rt, spec, attempt - 1, last);
    const left = spec.deadline - rt.now();
    // A write retried with next to no time left would only make another unknown outcome.
    if (last && left < (spec.settle ? MIN_CALL_MS : 1)) throw last;
    try {
      return await spec.attempt(Math.max(1, Math.min(left, spec.attemptLimitMs)), attempt);
    } catch (error) {
      if (!isTransient(error)) throw error;
      last = error;
    }
    const settled = spec.settle && mayHaveActed(last) ? await spec.settle(last) : undefined;
    if (settled !== undefined) return settled;
  }
  throw last;
}

/** Sleeps before retry number `retry`, or fails at once when the wait would cross the deadline. */
async function pause<T>(rt: Runtime, spec: RetrySpec<T>, retry: number, error: ApiError): Promise<void> {
  const { policy } = rt;
  const asked = error.retryAfterMs;
  if (asked !== undefined && asked > policy.maxRetryAfterMs) throw tooLong(error, asked, false);
  // Full jitter (AWS architecture blog): a random delay up to the capped exponential bound.
  const wait =
    asked ?? Math.round(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1)) * rt.random());
  if (wait >= spec.deadline - rt.now()) {
    if (asked !== undefined) throw tooLong(error, asked, true);
    rt.logger.debug(`${spec.label}: no retry, the time limit is near (${error.reason})`);
    throw error;
  }
  rt.logger.debug(`${spec.label}: retry ${retry} in ${wait} ms after ${error.reason}`);
  await rt.sleep(wait);
}

/** A Retry-After longer than the action waits, or (`beforeTimeout`) than the time left. */
function tooLong(error: ApiError, askedMs: number, beforeTimeout: boolean): ApiError {
  const bound = beforeTimeout ? 'the time left before timeout' : 'the most this action waits';
  return new ApiError({
    kind: 'http',
    method: error.method,
    path: error.path,
    status: error.status,
    providerMessage: error.providerMessage,
    retryAfterMs: askedMs,
    hint: `The provider asked to wait ${formatDuration(askedMs)} (Retry-After) before trying again, longer than ${bound}; run again later${beforeTimeout ? ', or raise timeout' : ''}`,
  });
}
