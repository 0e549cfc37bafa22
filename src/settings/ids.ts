// Readers for server_id and snapshot_id: one or more numeric IDs, separated by commas, spaces or new lines.
import { MAX_FLEET } from './constants.ts';
import { parseId, type ReaderContext, shown, splitList } from './context.ts';
import type { Operation } from './types.ts';

/** Valid IDs in the order given; a line for each part that is not one, or is given twice. */
function readIdList(
  ctx: ReaderContext,
  input: string,
  parts: string[],
  noun: string,
  hint: string,
): number[] {
  const ids: number[] = [];
  const seen = new Set<number>();
  for (const part of parts) {
    const id = parseId(part);
    if (id === undefined) ctx.problem(`${input} '${shown(part)}' is not a number: ${hint}`);
    else if (seen.has(id)) ctx.problem(`${input} ${part} is given twice: name each ${noun} once`);
    else {
      seen.add(id);
      ids.push(id);
    }
  }
  if (ids.length > MAX_FLEET) {
    ctx.problem(`${input} names ${ids.length} ${noun}s: at most ${MAX_FLEET} in one step`);
  }
  return ids;
}

export interface ServerInput {
  /** As given; '' when not given. */
  text: string;
  ids: number[];
  /** `all`: every server that holds a snapshot the token sees (prune only). */
  all?: boolean;
}

/** The operations that take several servers. */
const FLEET_OPERATIONS: readonly Operation[] = ['create', 'prune'];

/** `server_id`: several only for create and prune (a fleet); `all` only for prune. */
export function readServerIds(ctx: ReaderContext, operation: Operation | undefined): ServerInput {
  const text = ctx.read('server_id');
  const parts = splitList(text);
  if (parts.includes('all')) {
    if (parts.length > 1)
      ctx.problem(
        `server_id '${shown(text)}' mixes all with server IDs: give all alone (every server holding a snapshot) or only IDs`,
      );
    else if (operation !== undefined && operation !== 'prune')
      ctx.problem(
        `server_id 'all' is for operation prune only: ${operation} takes ${operation === 'create' ? 'one or more numeric server IDs' : 'one numeric server ID'}`,
      );
    return { text, ids: [], all: true };
  }
  const hint = `give one or more numeric server IDs${operation === 'prune' ? ', or all' : ''}`;
  const ids = readIdList(ctx, 'server_id', parts, 'server', hint);
  if (ids.length > 1 && operation !== undefined && !FLEET_OPERATIONS.includes(operation)) {
    ctx.problem(`server_id '${shown(text)}' names ${ids.length} servers: ${operation} takes one server ID`);
  }
  return { text, ids };
}

export interface SnapshotIdInput {
  text: string;
  ids: number[];
  /** `latest`: the newest completed snapshot of server_id (restore only). */
  latest: boolean;
}

const NOT_A_NUMBER: Partial<Record<Operation, string>> = {
  restore: "give a numeric snapshot ID or 'latest'",
  delete: 'give one or more numeric snapshot IDs',
  wait: 'give one or more numeric snapshot IDs',
};

/** `latest` is for restore; delete and wait refuse it, create and list ignore snapshot_id. */
function checkLatest(ctx: ReaderContext, operation: Operation | undefined): void {
  if (operation === 'delete') {
    ctx.problem(
      "snapshot_id 'latest' is refused for delete: which snapshot is the latest changes with every snapshot made, so deleting by it is too easy to get wrong; give the numeric ID of the snapshot to delete",
    );
  } else if (operation === 'wait') {
    ctx.problem(
      "snapshot_id 'latest' does not apply to wait: give the numeric IDs of the snapshots to wait for (the create step's snapshot_id output)",
    );
  }
}

/** `snapshot_id`: one ID or `latest` for restore; one or more IDs for delete and wait. */
export function readSnapshotId(
  ctx: ReaderContext,
  operation: Operation | undefined,
): SnapshotIdInput | undefined {
  const text = ctx.read('snapshot_id');
  if (!text) return undefined;
  if (text === 'latest') {
    checkLatest(ctx, operation);
    return { text, ids: [], latest: true };
  }
  const parts = splitList(text);
  const hint =
    (operation && NOT_A_NUMBER[operation]) ??
    "give one or more numeric snapshot IDs, or 'latest' for restore";
  const ids = readIdList(ctx, 'snapshot_id', parts, 'snapshot', hint);
  if (operation === 'restore' && parts.length > 1) {
    ctx.problem(
      `snapshot_id '${shown(text)}' names ${parts.length} snapshots: restore takes one snapshot ID or 'latest'; to roll back a fleet, give the create step's snapshot_ids output as snapshot_ids`,
    );
  }
  return { text, ids, latest: false };
}
