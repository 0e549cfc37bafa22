// The client's options and results: what callers (the step, operations, the waiter, tests) work with.
import type { Logger } from '../logger.ts';
import type { RestoreAccepted, Snapshot } from './schema.ts';

export interface Timeouts {
  connectMs: number;
  /** From sending the request to the answer's headers. */
  headersMs: number;
  /** Between chunks of the answer's body. */
  bodyMs: number;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the call fails instead. */
  maxRetryAfterMs: number;
}

export interface ClientOptions {
  baseUrl: string;
  token: string;
  logger?: Logger;
  timeouts?: Partial<Timeouts>;
  /** Sets both the headers and the body time-out, and so each attempt's limit (env VPS_API_REQUEST_TIMEOUT). */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** The step's deadline on `now`'s clock: no retry sleeps past it (a call still gets MIN_CALL_MS). */
  deadline?: number;
  /** How long a write may take to show in reads (env VPS_API_SETTLE_WINDOW); 30 s when absent. */
  lagWindowMs?: number;
}

export interface CallOptions {
  /** This call's own deadline, instead of the step's. */
  deadline?: number;
  /** The longest one attempt may take, e.g. a poll's, so a stalled answer is abandoned in time. */
  attemptLimitMs?: number;
}

export interface ListOptions extends CallOptions {
  /** Ends the walk early, once the pages read so far hold what the caller needs. */
  enough?: (seen: readonly Snapshot[]) => boolean;
}

export interface CreateInput {
  serverId: number;
  name: string;
  description?: string;
}

/** `adopted`: a lost answer was settled by finding the work this call had done. */
export type CreateResult = {
  snapshot: Snapshot /** The provider's word, e.g. how long it takes. */;
  message: string;
  adopted: boolean;
};
export type RestoreResult = RestoreAccepted & { adopted: boolean };
export type DeleteResult = { how: 'deleted' | 'already-gone' | 'absent-from-list' };
