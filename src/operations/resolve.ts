// Finding the snapshots the inputs name, from one list read. Every match checks the snapshot's own
// server.id, whatever the provider's filter returned; every problem is reported at once, before any change.
import type { Snapshot } from '../api/schema.ts';
import { type Problem, refusal } from '../reporting/failure.ts';
import { describeSnapshot } from '../reporting/format.ts';
import type { SnapshotRef } from '../settings/types.ts';
import type { OperationContext } from './context.ts';
import { newerThan, parseInstant, unreadableTime } from './instant.ts';

/**
 * One read for all the refs: the one server's list when they pick by name or `latest` on one server, else
 * the account's, so that an ID given with the wrong server is found, and refused naming its real server.
 */
export async function readFor(
  refs: readonly { serverId?: number; by?: SnapshotRef['by'] }[],
  ctx: OperationContext,
): Promise<Snapshot[]> {
  const servers = new Set(refs.map((r) => r.serverId));
  const byId = refs.some((r) => r.by === undefined || r.by === 'id');
  const only = servers.size === 1 && !byId ? [...servers][0] : undefined;
  const list = await ctx.client.listSnapshots(only);
  ctx.logger.info(
    `read ${list.length} snapshot(s)${only !== undefined ? ` of server ${only}` : ' of the account'} to find ${refs.length === 1 ? 'the one named' : `the ${refs.length} named`}`,
  );
  return list;
}

/**
 * The one snapshot a ref names in `list`, or the problem that says why there is none. `warn` hears of
 * each snapshot left out of `latest` because its created_at cannot be read.
 */
export function match(
  ref: SnapshotRef,
  list: readonly Snapshot[],
  warn: (message: string) => void = () => {},
): Snapshot | Problem {
  switch (ref.by) {
    case 'id': {
      const found = list.find((s) => s.id === ref.snapshotId);
      if (!found)
        return notFound(
          `snapshot_id ${ref.snapshotId}: no such snapshot${ref.serverId !== undefined ? ` on server ${ref.serverId}` : ''} in this account. Check the ID with operation: list.`,
        );
      if (ref.serverId !== undefined && found.server.id !== ref.serverId)
        return {
          kind: 'other-server',
          message: `snapshot ${found.id} '${found.name}' belongs to server ${found.server.id}, not server ${ref.serverId}: nothing was changed. Check server_id, or the snapshot_ids entry for server ${ref.serverId}.`,
        };
      return found;
    }
    case 'name': {
      const matches = list.filter((s) => s.server.id === ref.serverId && s.name === ref.name);
      if (matches.length === 1) return matches[0] as Snapshot;
      if (matches.length > 1)
        return {
          kind: 'ambiguous-name',
          message: `name '${ref.name}': server ${ref.serverId} has ${matches.length} snapshots of this name (${matches.map((s) => s.id).join(', ')}). Give snapshot_id instead.`,
        };
      return notFound(
        `name '${ref.name}': server ${ref.serverId} has no snapshot of this name. ${available(list, ref.serverId)}`,
      );
    }
    case 'latest': {
      const newest = latestOf(list, ref.serverId, warn);
      return (
        newest ??
        notFound(
          `snapshot_id 'latest': server ${ref.serverId} has no completed snapshot with a readable created_at. ${available(list, ref.serverId)}`,
        )
      );
    }
  }
}

function notFound(message: string): Problem {
  return { kind: 'not-found', message };
}

/** The newest completed snapshot of the server by the provider's own times; unreadable ones are left out. */
function latestOf(
  list: readonly Snapshot[],
  serverId: number,
  warn: (message: string) => void,
): Snapshot | undefined {
  let newest: { at: number; id: number; snapshot: Snapshot } | undefined;
  for (const s of list) {
    if (s.server.id !== serverId || s.status !== 'completed') continue;
    const at = parseInstant(s.created_at);
    if (at === undefined) warn(unreadableTime(s, "snapshot_id 'latest'"));
    else if (!newest || newerThan({ at, id: s.id }, newest)) newest = { at, id: s.id, snapshot: s };
  }
  return newest?.snapshot;
}

function available(list: readonly Snapshot[], serverId: number): string {
  const mine = list.filter((s) => s.server.id === serverId);
  return mine.length ? `Its snapshots: ${mine.map(describeSnapshot).join('; ')}.` : 'It has no snapshots.';
}

/**
 * The first phase of restore and delete: find every snapshot the inputs name, or fail naming each that is
 * missing. Each found snapshot gets its row; one snapshot also gets the single-snapshot outputs.
 */
export async function findTargets(
  refs: readonly SnapshotRef[],
  operation: 'restore' | 'delete',
  ctx: OperationContext,
): Promise<Snapshot[]> {
  const list = await ctx.record.phase('read', () =>
    ctx.group('Finding the snapshot(s)', () => readFor(refs, ctx)),
  );
  const found: Snapshot[] = [];
  const problems: Problem[] = [];
  for (const ref of refs) {
    const result = match(ref, list, (message) => ctx.logger.warning(message, 'Unreadable created_at'));
    if ('kind' in result) problems.push(result);
    else found.push(result);
  }
  const servers = found.map((s) => s.server.id);
  const twice = servers.filter((id, i) => servers.indexOf(id) !== i);
  if (operation === 'restore' && twice.length > 0)
    problems.push({
      kind: 'named-twice',
      message: `server ${twice[0]} is named twice: a server can be restored from one snapshot at a time.`,
    });
  if (problems.length > 0) throw refusal(operation, problems);
  for (const s of found) {
    ctx.logger.info(`found snapshot ${describeSnapshot(s)} of server ${s.server.id}`);
    ctx.record.row({
      serverId: s.server.id,
      snapshotId: s.id,
      name: s.name,
      state: 'planned',
      sizeMb: s.size_mb,
    });
  }
  const [one] = found;
  if (found.length === 1 && one)
    ctx.outputs.set({ snapshot_id: one.id, snapshot_name: one.name, server_id: one.server.id });
  return found;
}
