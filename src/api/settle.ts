// Settling a lost answer by looking, never by sending again blindly. Lists lag writes: a snapshot may show
// seconds after its 201 and a server may show `running` seconds after a restore was taken, so each look
// goes on over the lag window, within the caller's deadline.

import type { Logger } from '../logger.ts';
import { ApiError, errorMessage } from './errors.ts';
import { MIN_CALL_MS } from './retry.ts';
import type { RestoreAccepted, ServerInfo, Snapshot } from './schema.ts';

/** How long a write may take to show in reads, unless VPS_API_SETTLE_WINDOW says otherwise. */
export const DEFAULT_LAG_WINDOW_MS = 30_000;

/** What looking needs: the client's clock, sleep and logger, and the lag window. */
export interface Looking {
  now(): number;
  sleep(ms: number): Promise<void>;
  lagWindowMs: number;
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
  const windowEnd = looking.now() + looking.lagWindowMs;
  const until = Math.min(windowEnd, deadline);
  for (let look = 0; ; look++) {
    const found = match(await read(Math.max(until, looking.now() + MIN_CALL_MS)));
    if (found !== undefined) return { found };
    const now = looking.now();
    if (now >= until) return { found: undefined, complete: now >= windowEnd };
    await looking.sleep(Math.min(Math.min(1_000 * 1.5 ** look, 5_000), until - now));
  }
}

/** The error for a write whose outcome could not be settled: what failed, what may have happened, what to check. */
function outcomeUnknown(failure: ApiError, what: string, check: string, cause?: unknown): ApiError {
  const checked =
    cause === undefined
      ? 'nothing showed within the time left'
      : `the check failed too (${cause instanceof ApiError ? `${cause.method} ${cause.path}: ${cause.reason}` : errorMessage(cause)})`;
  return new ApiError({
    kind: 'ambiguous',
    method: failure.method,
    path: failure.path,
    detail: `${failure.reason}, and ${checked}: ${what}`,
    hint: check,
    cause: cause ?? failure,
  });
}

/** Looks over the window; a look that fails, or a window cut short, is an unknown outcome. */
async function settle<R, T>(
  looking: Looking,
  failure: ApiError,
  deadline: number,
  read: (deadline: number) => Promise<R>,
  match: (read: R) => T | undefined,
  unknown: { what: string; check: string },
): Promise<T | undefined> {
  let look: LookResult<T>;
  try {
    look = await lookOverWindow(looking, deadline, read, match);
  } catch (error) {
    throw outcomeUnknown(failure, unknown.what, unknown.check, error);
  }
  if ('complete' in look && !look.complete) throw outcomeUnknown(failure, unknown.what, unknown.check);
  return look.found;
}

export interface LostCreate {
  serverId: number;
  name: string;
  /** The server's snapshot IDs before the create. */
  known: ReadonlySet<number>;
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
  const { logger } = looking;
  const label = `POST ${failure.path} for '${lost.name}' on server ${lost.serverId}`;
  logger.info(
    `The create request for '${lost.name}' on server ${lost.serverId} may or may not have gone through (${failure.reason}); watching the server's snapshots for up to ${Math.round(looking.lagWindowMs / 1000)} s before deciding.`,
  );
  const found = await settle(
    looking,
    failure,
    deadline,
    list,
    (listed) => {
      const made = listed
        .filter((s) => s.name === lost.name && s.server.id === lost.serverId && !lost.known.has(s.id))
        .sort((a, b) => a.id - b.id);
      return made.length > 0 ? made : undefined;
    },
    {
      what: `the snapshot '${lost.name}' may or may not have been made`,
      check: `List server ${lost.serverId}'s snapshots (operation: list) for a new one named '${lost.name}' before running again`,
    },
  );
  if (!found) {
    logger.debug(`${label}: settled, no new snapshot of this name in the whole window; sending it again`);
    return undefined;
  }
  const [snapshot] = found as [Snapshot, ...Snapshot[]];
  if (found.length > 1)
    logger.warning(
      `Server ${lost.serverId} has ${found.length} new snapshots named '${lost.name}' (${found.map((s) => s.id).join(', ')}); tracking the first, ${snapshot.id}.`,
    );
  logger.debug(`${label}: settled, snapshot ${snapshot.id} is new with this name; adopted, not sent again`);
  return { snapshot, message: '', adopted: true };
}

/**
 * After a restore that may have gone through: watches the server over the window; `restoring`, or a
 * status other than before, means the restore was taken. Undefined when the whole window showed no change.
 */
export async function settleRestore(
  looking: Looking,
  snapshotId: number,
  server: { id: number; statusBefore?: string } | undefined,
  failure: ApiError,
  deadline: number,
  read: (serverId: number, deadline: number) => Promise<ServerInfo>,
): Promise<(RestoreAccepted & { adopted: true }) | undefined> {
  const unknown = {
    what: `the restore from snapshot ${snapshotId} may or may not have started`,
    check: `Check server ${server?.id ?? 'of the snapshot'} in the provider's panel before restoring again`,
  };
  if (!server) throw outcomeUnknown(failure, unknown.what, unknown.check);
  const taken = (now: ServerInfo) =>
    now.status === 'restoring' || (server.statusBefore !== undefined && now.status !== server.statusBefore)
      ? now
      : undefined;
  const found = await settle(looking, failure, deadline, (until) => read(server.id, until), taken, unknown);
  const label = `POST ${failure.path}`;
  if (!found) {
    looking.logger.debug(
      `${label}: settled, server ${server.id} did not change in the whole window; sending it again`,
    );
    return undefined;
  }
  looking.logger.debug(`${label}: settled, server ${server.id} is ${found.status}; the restore was taken`);
  return {
    message: '',
    snapshot: { id: snapshotId, name: '', created_at: '' },
    server: { id: found.id, name: found.name, status: found.status },
    adopted: true,
  };
}
