// The one retry loop, which every request of the client goes through: bounded in attempts and by a deadline
// that no sleep (backoff or Retry-After) crosses. A write that may have acted is settled (settle.ts) before
// anything is sent again.
import { formatDuration } from '../reporting/format.ts';
import { ApiError } from './errors.ts';
import type { Request } from './transport.ts';
import type { ClientOptions, RetryPolicy } from './types.ts';

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
export type Runtime = Required<Pick<ClientOptions, 'sleep' | 'now' | 'random' | 'logger' | 'lagWindowMs'>> & {
  policy: RetryPolicy;
};

/**
 * `request` until an attempt succeeds, the attempts run out, or the deadline: no attempt starts, and no sleep
 * ends, after it. `attempt` is given the time left and the attempt's number (from 1). After a failure that may
 * have acted, the request's `settle` runs: a value ends the call with it; undefined lets the next attempt go.
 */
export async function withRetries<T>(
  rt: Runtime,
  request: Request<T>,
  deadline: number,
  attempt: (leftMs: number, attempt: number) => Promise<T>,
): Promise<T> {
  const { settle } = request;
  const label = `${request.method} ${request.path}`;
  let last: ApiError | undefined;
  for (let n = 1; n <= (request.attempts ?? rt.policy.attempts); n++) {
    if (last) await pause(rt, label, deadline, n - 1, last);
    const left = deadline - rt.now();
    // A write retried with next to no time left would only make another unknown outcome.
    if (last && left < (settle ? MIN_CALL_MS : 1)) throw last;
    try {
      return await attempt(left, n);
    } catch (error) {
      if (!isTransient(error)) throw error;
      last = error;
    }
    const settled = settle && mayHaveActed(last) ? await settle(last, deadline) : undefined;
    if (settled !== undefined) return settled;
  }
  throw last;
}

/** Sleeps before retry number `retry`, or fails at once when the wait would cross the deadline. */
async function pause(rt: Runtime, label: string, deadline: number, retry: number, error: ApiError) {
  const { policy } = rt;
  const asked = error.retryAfterMs;
  if (asked !== undefined && asked > policy.maxRetryAfterMs) throw tooLong(error, asked, false);
  // Full jitter (AWS architecture blog): a random delay up to the capped exponential bound.
  const wait =
    asked ?? Math.round(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1)) * rt.random());
  if (wait >= deadline - rt.now()) {
    if (asked !== undefined) throw tooLong(error, asked, true);
    rt.logger.debug(`${label}: no retry, the time limit is near (${error.reason})`);
    throw error;
  }
  rt.logger.debug(`${label}: retry ${retry} in ${wait} ms after ${error.reason}`);
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
