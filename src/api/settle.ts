// Lost answers, settled by looking: after a write that may have acted, the client reads over the lag window
// (lists lag writes, within the deadline) and decides only from what it saw, so work is never done twice.
import { ApiError, errorMessage } from './errors.ts';
import { MIN_CALL_MS, mayHaveActed, type Runtime } from './retry.ts';
import type { ServerInfo, Snapshot } from './schema.ts';
import type { CreateInput, CreateResult, DeleteResult, RestoreResult } from './types.ts';

/** What a write that could not be settled may have done, and what the user should check. */
type Unsettled = { what: string; check: string };

/**
 * Reads with `read` over the lag window (cut at `deadline`) until `match` finds the work done. Undefined only
 * when the whole window showed nothing: the write was not done. A look that fails, or a window cut short,
 * is an 'ambiguous' error: the outcome is unknown.
 */
async function lookOverWindow<R, T>(
  rt: Runtime,
  failure: ApiError,
  deadline: number,
  read: (deadline: number) => Promise<R>,
  match: (read: R) => T | undefined,
  unsettled: Unsettled,
): Promise<T | undefined> {
  const windowEnd = rt.now() + rt.lagWindowMs;
  const until = Math.min(windowEnd, deadline);
  for (let look = 0; ; look++) {
    let found: T | undefined;
    try {
      found = match(await read(Math.max(until, rt.now() + MIN_CALL_MS)));
    } catch (error) {
      throw outcomeUnknown(failure, unsettled, error);
    }
    if (found !== undefined) return found;
    const now = rt.now();
    if (now >= windowEnd) return undefined;
    if (now >= until) throw outcomeUnknown(failure, unsettled);
    await rt.sleep(Math.min(1_000 * 1.5 ** look, 5_000, until - now));
  }
}

function outcomeUnknown(failure: ApiError, { what, check }: Unsettled, cause?: unknown): ApiError {
  const why =
    cause instanceof ApiError ? `${cause.method} ${cause.path}: ${cause.reason}` : errorMessage(cause);
  const checked =
    cause === undefined ? 'nothing showed within the time left' : `the check failed too (${why})`;
  const { method, path, reason } = failure;
  const detail = `${reason}, and ${checked}: ${what}`;
  return new ApiError({ kind: 'ambiguous', method, path, detail, hint: check, cause: cause ?? failure });
}

/** A lost create: a new snapshot of this name on the server is adopted; undefined (send it again) when none showed. */
export async function settleCreate(
  rt: Runtime,
  failure: ApiError,
  deadline: number,
  { serverId, name }: CreateInput,
  known: ReadonlySet<number>,
  list: (deadline: number) => Promise<Snapshot[]>,
): Promise<CreateResult | undefined> {
  const label = `POST /snapshots/ for '${name}' on server ${serverId}: settled`;
  const isNew = (s: Snapshot) => s.name === name && s.server.id === serverId && !known.has(s.id);
  const unsettled = {
    what: `the snapshot '${name}' may or may not have been made`,
    check: `List server ${serverId}'s snapshots (operation: list) for a new one named '${name}' before running again`,
  };
  rt.logger.info(
    `The create request for '${name}' on server ${serverId} may or may not have gone through (${failure.reason}); watching the server's snapshots for up to ${Math.round(rt.lagWindowMs / 1000)} s before deciding.`,
  );
  const match = (listed: Snapshot[]) => (listed.some(isNew) ? listed.filter(isNew) : undefined);
  const made = await lookOverWindow(rt, failure, deadline, list, match, unsettled);
  const [snapshot] = made?.sort((a, b) => a.id - b.id) ?? [];
  if (!made || !snapshot) {
    rt.logger.debug(`${label}, no new snapshot of this name in the whole window; sending it again`);
    return undefined;
  }
  if (made.length > 1)
    rt.logger.warning(
      `Server ${serverId} has ${made.length} new snapshots named '${name}' (${made.map((s) => s.id).join(', ')}); tracking the first, ${snapshot.id}.`,
    );
  rt.logger.debug(`${label}, snapshot ${snapshot.id} is new with this name; adopted, not sent again`);
  return { snapshot, message: '', adopted: true };
}

/** A lost restore: the server `restoring`, or in any status other than before, means it was taken. */
export async function settleRestore(
  rt: Runtime,
  failure: ApiError,
  deadline: number,
  snapshotId: number,
  server: { id: number; statusBefore?: string } | undefined,
  read: (serverId: number, deadline: number) => Promise<ServerInfo>,
): Promise<RestoreResult | undefined> {
  const unsettled = {
    what: `the restore from snapshot ${snapshotId} may or may not have started`,
    check: `Check server ${server?.id ?? 'of the snapshot'} in the provider's panel before restoring again`,
  };
  if (!server) throw outcomeUnknown(failure, unsettled);
  const taken = (now: ServerInfo) =>
    now.status === 'restoring' || (server.statusBefore !== undefined && now.status !== server.statusBefore);
  const look = (until: number) => read(server.id, until);
  const found = await lookOverWindow(
    rt,
    failure,
    deadline,
    look,
    (now) => (taken(now) ? now : undefined),
    unsettled,
  );
  const label = `POST ${failure.path}: settled, server ${server.id}`;
  if (!found) {
    rt.logger.debug(`${label} did not change in the whole window; sending it again`);
    return undefined;
  }
  rt.logger.debug(`${label} is ${found.status}; the restore was taken`);
  return {
    message: '',
    snapshot: { id: snapshotId, name: '', created_at: '' },
    server: found,
    adopted: true,
  };
}

/**
 * A lost delete. Only an answer that is not the API's is settled, by the server's list: absent is deleted, still
 * listed is not (and it may be sent again). `unknown` turns any other failure that may have acted into an
 * 'ambiguous' error.
 */
export function settleDelete(
  rt: Runtime,
  snapshotId: number,
  serverId: number | undefined,
  list: (serverId: number, deadline: number) => Promise<Snapshot[]>,
) {
  let notDone: ApiError | undefined;
  return {
    async settle(failure: ApiError, deadline: number): Promise<DeleteResult | undefined> {
      if (failure.kind !== 'invalid-response' || serverId === undefined) return undefined;
      const listed = await list(serverId, Math.max(deadline, rt.now() + MIN_CALL_MS));
      if (!listed.some((s) => s.id === snapshotId)) return { how: 'absent-from-list' };
      rt.logger.debug(`DELETE ${failure.path}: settled, snapshot ${snapshotId} is still listed; not deleted`);
      notDone = failure;
      return undefined;
    },
    unknown(error: unknown): unknown {
      if (!(error instanceof ApiError) || error === notDone || !mayHaveActed(error)) return error;
      const { method, path, reason } = error;
      return new ApiError({
        kind: 'ambiguous',
        method,
        path,
        detail: `${reason}: snapshot ${snapshotId} may or may not have been deleted`,
        hint: `List ${serverId !== undefined ? `server ${serverId}'s` : 'the'} snapshots (operation: list) to see whether it is still there`,
        cause: error,
      });
    },
  };
}
