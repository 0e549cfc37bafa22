// What an operation acts on: the snapshots the inputs name, found from one read of the list, and many of
// them worked on a few at a time. Every match checks the snapshot's own server.id, whatever the provider's
// filter returned; every problem is reported at once, before any change.
import type { Snapshot } from '../api/schema.ts';
import { FLEET_CONCURRENCY } from '../limits.ts';
import { type Problem, refusal } from '../reporting/failure.ts';
import { describeSnapshot } from '../reporting/format.ts';
import type { SnapshotRef } from '../settings/types.ts';
import type { OperationContext } from './context.ts';
import { newerThan, parseInstant, unreadableTime } from './instant.ts';

/** Runs `work` over `items`, FLEET_CONCURRENCY at once; settles every item, like Promise.allSettled. */
export async function inFleet<T, R>(
  items: readonly T[],
  work: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) {
      results[i] = await work(items[i] as T).then(
        (value) => ({ status: 'fulfilled', value }),
        (reason: unknown) => ({ status: 'rejected', reason }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(FLEET_CONCURRENCY, items.length) }, worker));
  return results;
}

/**
 * One read for all the refs: the one server's list when they pick by name or `latest` on one server, else the
 * account's, so that an ID given with the wrong server is found, and refused naming its real server. With
 * `untilListed`, the account is read again over the lag window until every ID without a server is listed.
 */
export async function readFor(refs: readonly SnapshotRef[], ctx: OperationContext, untilListed = false) {
  const servers = new Set(refs.map((r) => r.serverId));
  const only = servers.size === 1 && refs.every((r) => r.by !== 'id') ? refs[0]?.serverId : undefined;
  const read = async () => {
    const list = await ctx.client.listSnapshots(only);
    const which = refs.length === 1 ? 'the one named' : `the ${refs.length} named`;
    ctx.logger.info(
      `read ${list.length} snapshot(s)${only !== undefined ? ` of server ${only}` : ' of the account'} to find ${which}`,
    );
    return list;
  };
  let list = await read();
  const unplaced = refs.flatMap((r) =>
    untilListed && r.by === 'id' && r.serverId === undefined ? r.snapshotId : [],
  );
  const { lagWindowMs } = ctx.client;
  const until = Math.min(ctx.clock.now() + lagWindowMs, ctx.deadline);
  for (
    let look = 1;
    unplaced.some((id) => !list.some((s) => s.id === id)) && ctx.clock.now() < until;
    look++
  ) {
    if (look === 1)
      ctx.logger.info(
        `snapshot ${unplaced.join(', ')} not listed yet; reading again for up to ${Math.round(lagWindowMs / 1000)} s (lists lag).`,
      );
    await ctx.clock.sleep(Math.min(1_000 * look, until - ctx.clock.now()));
    list = await read();
  }
  return list;
}

/** The one snapshot a ref names in `list`, or why there is none; `warn` hears of each left out of `latest`. */
export function match(
  ref: SnapshotRef,
  list: readonly Snapshot[],
  warn = (_: string) => {},
): Snapshot | Problem {
  const notFound = (message: string): Problem => ({ kind: 'not-found', message });
  const mine = list.filter((s) => s.server.id === ref.serverId);
  const available = mine.length
    ? `Its snapshots: ${mine.map(describeSnapshot).join('; ')}.`
    : 'It has no snapshots.';
  if (ref.by === 'id') {
    const found = list.find((s) => s.id === ref.snapshotId);
    const on = ref.serverId !== undefined ? ` on server ${ref.serverId}` : '';
    if (!found)
      return notFound(
        `snapshot_id ${ref.snapshotId}: no such snapshot${on} in this account. Check the ID with operation: list.`,
      );
    if (ref.serverId === undefined || found.server.id === ref.serverId) return found;
    return {
      kind: 'other-server',
      message: `snapshot ${found.id} '${found.name}' belongs to server ${found.server.id}, not server ${ref.serverId}: nothing was changed. Check server_id, or the snapshot_ids entry for server ${ref.serverId}.`,
    };
  }
  if (ref.by === 'name') {
    const named = mine.filter((s) => s.name === ref.name);
    if (named.length === 1) return named[0] as Snapshot;
    if (named.length === 0)
      return notFound(
        `name '${ref.name}': server ${ref.serverId} has no snapshot of this name. ${available}`,
      );
    return {
      kind: 'ambiguous-name',
      message: `name '${ref.name}': server ${ref.serverId} has ${named.length} snapshots of this name (${named.map((s) => s.id).join(', ')}). Give snapshot_id instead.`,
    };
  }
  // latest: the newest completed snapshot by the provider's own times; unreadable ones are left out.
  let newest: { at: number; id: number; snapshot: Snapshot } | undefined;
  for (const s of mine.filter((s) => s.status === 'completed')) {
    const at = parseInstant(s.created_at);
    if (at === undefined) warn(unreadableTime(s, "snapshot_id 'latest'"));
    else if (!newest || newerThan({ at, id: s.id }, newest)) newest = { at, id: s.id, snapshot: s };
  }
  return (
    newest?.snapshot ??
    notFound(
      `snapshot_id 'latest': server ${ref.serverId} has no completed snapshot with a readable created_at. ${available}`,
    )
  );
}

/**
 * The first phase of restore and delete: every snapshot the inputs name, or a refusal naming each that is
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
  const warn = (message: string) => ctx.logger.warning(message, 'Unreadable created_at');
  const results = refs.map((ref) => match(ref, list, warn));
  const problems = results.filter((r): r is Problem => 'kind' in r);
  const found = results.filter((r): r is Snapshot => !('kind' in r));
  const servers = found.map((s) => s.server.id);
  const twice = servers.find((id, i) => servers.indexOf(id) !== i);
  if (operation === 'restore' && twice !== undefined)
    problems.push({
      kind: 'named-twice',
      message: `server ${twice} is named twice: a server can be restored from one snapshot at a time.`,
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
