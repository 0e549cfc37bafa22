// Settling a lost answer by looking, never by sending again blindly. Lists lag writes: a snapshot may show
// seconds after its 201 and a server may show `running` seconds after a restore was taken, so each look
// goes on over a window longer than that lag, within the caller's deadline.

import type { Logger } from '../logger.ts';
import { ApiError, errorMessage } from './errors.ts';
import { MIN_CALL_MS } from './retry.ts';
import type { RestoreAccepted, ServerInfo, Snapshot } from './schema.ts';

/** How long a write may take to show in reads, unless VPS_API_SETTLE_WINDOW says otherwise. */
export const DEFAULT_SETTLE_WINDOW_MS = 30_000;

export interface Looking {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** How long a write may take to show in reads. */
  windowMs: number;
  logger: Logger;
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
    const found = match(await read(Math.max(until, looking.now() + MIN_CALL_MS)));
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
  const also =
    cause === undefined
      ? ', and nothing showed within the time left'
      : `, and the check failed too (${errorMessage(cause)})`;
  return new ApiError({
    kind: 'ambiguous',
    method: failure.method,
    path: failure.path,
    detail: `an unknown outcome (${failure.message}${also}): ${what}`,
    outcomeUnknown: true,
    hint: check,
    cause: cause ?? failure,
  });
}

/** A server's state shows that a restore was taken: it is restoring, or stopped where it was not before. */
export function restoreTaken(server: ServerInfo, statusBefore: string | undefined): boolean {
  if (server.status === 'restoring') return true;
  return statusBefore !== undefined && server.status !== statusBefore;
}

/**
 * After a create that may have gone through: watches the server's list over the window and adopts a new
 * snapshot of the name. Undefined when the whole window showed none (the create did not go through).
 */
export async function settleCreate(
  looking: Looking,
  lost: LostCreate,
  failure: ApiError,
  deadline: number,
  list: (deadline: number) => Promise<Snapshot[]>,
): Promise<{ snapshot: Snapshot; message: string; adopted: true } | undefined> {
  looking.logger.info(
    `The create request for '${lost.name}' on server ${lost.serverId} may or may not have gone through (${failure.message}); watching the server's snapshots for up to ${Math.round(looking.windowMs / 1000)} s before deciding.`,
  );
  const check = `Server ${lost.serverId} may have a new snapshot named '${lost.name}': list its snapshots (operation: list) before running again`;
  let look: Awaited<ReturnType<typeof lookOverWindow<Snapshot[], Snapshot[]>>>;
  try {
    look = await lookOverWindow(looking, deadline, list, (listed) => {
      const found = newSnapshotOf(lost, listed);
      return found.length > 0 ? found : undefined;
    });
  } catch (error) {
    throw outcomeUnknown(failure, `the snapshot '${lost.name}' may or may not have been made`, check, error);
  }
  if (!look.found) {
    if (!look.complete)
      throw outcomeUnknown(failure, `the snapshot '${lost.name}' may or may not have been made`, check);
    looking.logger.info(
      `No snapshot '${lost.name}' appeared on server ${lost.serverId}: the create did not go through.`,
    );
    return undefined;
  }
  const [snapshot, ...others] = look.found as [Snapshot, ...Snapshot[]];
  if (others.length > 0) {
    looking.logger.warning(
      `Server ${lost.serverId} has ${others.length + 1} new snapshots named '${lost.name}' (${look.found.map((s) => s.id).join(', ')}); tracking the first, ${snapshot.id}.`,
    );
  }
  looking.logger.info(
    `Found snapshot ${snapshot.id} '${snapshot.name}': the create had gone through; not sending it again.`,
  );
  return { snapshot, message: '', adopted: true };
}

/**
 * After a restore that may have gone through: watches the server over the window; a change from its
 * status before means the restore was taken. Undefined when the whole window showed no change.
 */
export async function settleRestore(
  looking: Looking,
  snapshotId: number,
  server: { id: number; statusBefore?: string } | undefined,
  failure: ApiError,
  deadline: number,
  read: (serverId: number, deadline: number) => Promise<ServerInfo>,
): Promise<(RestoreAccepted & { adopted: true }) | undefined> {
  const check = `Check server ${server?.id ?? '(unknown)'} in the provider's panel: it may be restoring from snapshot ${snapshotId}`;
  if (!server)
    throw outcomeUnknown(
      failure,
      `the restore from snapshot ${snapshotId} may or may not have started`,
      check,
    );
  let look: Awaited<ReturnType<typeof lookOverWindow<ServerInfo, ServerInfo>>>;
  try {
    look = await lookOverWindow(
      looking,
      deadline,
      (until) => read(server.id, until),
      (now) => (restoreTaken(now, server.statusBefore) ? now : undefined),
    );
  } catch (error) {
    throw outcomeUnknown(
      failure,
      `the restore from snapshot ${snapshotId} may or may not have started`,
      check,
      error,
    );
  }
  if (!look.found) {
    if (!look.complete)
      throw outcomeUnknown(
        failure,
        `the restore from snapshot ${snapshotId} may or may not have started`,
        check,
      );
    return undefined;
  }
  looking.logger.info(
    `The restore request's answer was lost (${failure.message}), but server ${server.id} is ${look.found.status}: the restore was taken.`,
  );
  return {
    message: '',
    snapshot: { id: snapshotId, name: '', created_at: '' },
    server: { id: look.found.id, name: look.found.name, status: look.found.status },
    adopted: true,
  };
}
