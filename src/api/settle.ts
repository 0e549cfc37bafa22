// Settling a lost answer by looking, never by sending again blindly. Lists lag writes: a snapshot may show
// seconds after its 201 and a server may show `running` seconds after a restore was taken, so each look
// goes on over a window longer than that lag, within the caller's deadline.
import { ApiError, errorMessage } from './errors.ts';
import type { ServerInfo, Snapshot } from './schema.ts';

export interface Looking {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** How long a write may take to show in reads. */
  windowMs: number;
  info(message: string): void;
}

export type LookResult<T> = { found: T } | { found: undefined; complete: boolean };

/**
 * Reads with `read` until `match` finds something or the window (cut at `deadline`) is over.
 * `complete` tells whether the whole window was watched: only then does "nothing" mean "not done".
 */
export async function lookOverWindow<R, T>(
  looking: Looking,
  deadline: number,
  read: (deadline: number) => Promise<R>,
  match: (read: R) => T | undefined,
): Promise<LookResult<T>> {
  const start = looking.now();
  const windowEnd = start + looking.windowMs;
  const until = Math.min(windowEnd, deadline);
  for (let look = 0; ; look++) {
    const found = match(await read(Math.max(until, looking.now() + 5_000)));
    if (found !== undefined) return { found };
    const now = looking.now();
    if (now >= until) return { found: undefined, complete: now >= windowEnd };
    await looking.sleep(Math.min(Math.min(1_000 * 1.5 ** look, 5_000), until - now));
  }
}

export interface LostCreate {
  serverId: number;
  name: string;
  /** The server's snapshot IDs before the create. */
  known: ReadonlySet<number>;
}

/** A new snapshot of this name on this server that was not there before: what the lost create made. */
export function newSnapshotOf(lost: LostCreate, listed: readonly Snapshot[]): Snapshot[] {
  return listed
    .filter((s) => s.name === lost.name && s.server.id === lost.serverId && !lost.known.has(s.id))
    .sort((a, b) => a.id - b.id);
}

/** The error for a POST whose outcome could not be settled: says so, and what to check. */
export function outcomeUnknown(failure: ApiError, what: string, check: string, cause?: unknown): ApiError {
  const also = cause === undefined ? '' : `, and the check failed too (${errorMessage(cause)})`;
  return new ApiError({
    kind: 'ambiguous',
    method: failure.method,
    path: failure.path,
    detail: `an unknown outcome: ${what} may or may not have happened (${failure.message}${also})`,
    hint: check,
    cause: cause ?? failure,
  });
}

/** A server's state shows that a restore was taken: it is restoring, or stopped where it was not before. */
export function restoreTaken(server: ServerInfo, statusBefore: string | undefined): boolean {
  if (server.status === 'restoring') return true;
  return statusBefore !== undefined && server.status !== statusBefore;
}
