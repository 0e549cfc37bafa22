// The client's options and results: what callers (operations, the waiter, tests) work with.
import type { Logger } from '../logger.ts';
import type { RetryPolicy } from './retry.ts';
import type { Snapshot } from './schema.ts';
import type { Timeouts } from './transport.ts';

export interface ClientOptions {
  baseUrl: string;
  token: string;
  logger?: Logger;
  timeouts?: Partial<Timeouts>;
  /** Sets both the headers and the body time-out, and each attempt's limit (env VPS_API_REQUEST_TIMEOUT). */
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

export interface CreateResult {
  snapshot: Snapshot;
  /** The provider's message, e.g. how long it expects to take. */
  message: string;
  /** True when a lost answer was settled by finding the snapshot this call had made. */
  adopted: boolean;
}

export type DeleteResult = { how: 'deleted' | 'already-gone' | 'absent-from-list' };
