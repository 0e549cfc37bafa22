// The one retry loop: every request of the client goes through it. Bounded in attempts and by a
// deadline that no sleep (backoff or Retry-After) may cross.

import type { Logger } from '../logger.ts';
import { formatDuration } from '../reporting/format.ts';
import { ApiError } from './errors.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the call fails instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 120_000,
};

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** A call (or a retry of it) near a deadline still gets this long, so its answer has a real chance. */
export const MIN_CALL_MS = 5_000;

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

/** Full jitter (AWS architecture blog): a random delay up to the capped exponential bound. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number): number {
  const bound = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(bound * random());
}

export interface RetryRuntime {
  policy: RetryPolicy;
  sleep(ms: number): Promise<void>;
  now(): number;
  random(): number;
  logger: Logger;
}

export interface RetrySpec<T> {
  /** e.g. `GET /snapshots/`, for logs. */
  label: string;
  /** No attempt starts, and no sleep ends, after this time. */
  deadline: number;
  /** Most attempts for this call; the policy's when absent. */
  attempts?: number;
  /** Attempt number `attempt` (from 1); `limitMs` is the time it may take. Throws ApiError on failure. */
  attempt(limitMs: number, attempt: number): Promise<T>;
  /**
   * After a failure that may have taken effect: finds out what happened. A value ends the call with it;
   * undefined means the work was not done, so the next attempt may go ahead.
   */
  settle?(error: ApiError): Promise<T | undefined>;
  /** The longest one attempt may take, before the deadline's own bound. */
  attemptLimitMs?: number;
}

export async function withRetries<T>(runtime: RetryRuntime, spec: RetrySpec<T>): Promise<T> {
  const attempts = spec.attempts ?? runtime.policy.attempts;
  let last: ApiError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (last) await pause(runtime, spec, attempt - 1, last);
    const left = spec.deadline - runtime.now();
    // A write retried with next to no time left would only make another unknown outcome.
    if (last && left < (spec.settle ? MIN_CALL_MS : 1)) throw last;
    try {
      return await spec.attempt(
        Math.max(1, Math.min(left, spec.attemptLimitMs ?? Number.POSITIVE_INFINITY)),
        attempt,
      );
    } catch (error) {
      if (!isTransient(error)) throw error;
      last = error;
    }
    if (spec.settle && mayHaveActed(last)) {
      const settled = await spec.settle(last);
      if (settled !== undefined) return settled;
    }
  }
  throw last ?? new ApiError({ kind: 'network', method: spec.label, path: '' });
}

/** Sleeps before retry number `retry`, or fails at once when the wait would cross the deadline. */
async function pause<T>(runtime: RetryRuntime, spec: RetrySpec<T>, retry: number, error: ApiError) {
  const { policy } = runtime;
  const asked = error.retryAfterMs;
  if (asked !== undefined && asked > policy.maxRetryAfterMs) throw tooLong(error, asked, false);
  const wait = asked ?? backoffDelay(policy, retry - 1, runtime.random);
  const left = spec.deadline - runtime.now();
  if (wait >= left) {
    if (asked !== undefined) throw tooLong(error, asked, true);
    runtime.logger.debug(`${spec.label}: no retry, the time limit is near (${error.reason})`);
    throw error;
  }
  runtime.logger.debug(`${spec.label}: retry ${retry} in ${wait} ms after ${error.reason}`);
  await runtime.sleep(wait);
}

/** A Retry-After longer than the action waits, or (`beforeTimeout`) than the time left. */
function tooLong(error: ApiError, askedMs: number, beforeTimeout: boolean): ApiError {
  const bound = beforeTimeout ? 'the time left before timeout' : 'the most this action waits';
  return new ApiError({
    kind: 'http',
    method: error.method,
    path: error.path,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.providerMessage ? { providerMessage: error.providerMessage } : {}),
    retryAfterMs: askedMs,
    hint: `The provider asked to wait ${formatDuration(askedMs)} (Retry-After) before trying again, longer than ${bound}; run again later${beforeTimeout ? ', or raise timeout' : ''}`,
  });
}
