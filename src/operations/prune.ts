// prune: the retention policy (retention.ts) applied to one server, several, or every server that holds a
// snapshot the token sees. It deletes only completed prune_prefix snapshots the policy leaves out, a few
// at a time like a fleet's creates; a server whose list cannot be read is skipped with an error row, and
// the others go on. A dry run reports the same plan and sends nothing.
import { ApiError, errorMessage } from '../api/errors.ts';
import type { Snapshot } from '../api/schema.ts';
import { FLEET_CONCURRENCY } from '../limits.ts';
import { workFailure } from '../reporting/failure.ts';
import { describeSnapshot } from '../reporting/format.ts';
import type { PruneSettings } from '../settings/types.ts';
import type { OperationContext } from './context.ts';
import { mapSettled } from './fleet.ts';
import { parseInstant, unreadableTime } from './instant.ts';
import { applyRetention, describePolicy, formatAge, keptReason } from './retention.ts';

/** One server's snapshots, or why they could not be read. */
type ServerList = { serverId: number; snapshots: Snapshot[] } | { serverId: number; error: string };

interface Deletion {
  serverId: number;
  snapshot: Snapshot;
  why: string;
}

export async function runPrune(settings: PruneSettings, ctx: OperationContext): Promise<void> {
  const { record } = ctx;
  const lists = await record.phase('read', () =>
    ctx.group('Reading the snapshots', () => readServers(settings, ctx)),
  );
  const deletions: Deletion[] = [];
  await ctx.group(
    `Applying the policy: ${describePolicy(settings)} for '${settings.prunePrefix}*'`,
    async () => {
      for (const list of lists) {
        if ('error' in list) skipServer(list.serverId, list.error, settings, ctx);
        else deletions.push(...planServer(list.serverId, list.snapshots, settings, ctx));
      }
    },
  );
  if (settings.dryRun) reportDryRun(deletions, ctx);
  else
    await record.phase('delete', () =>
      ctx.group(`Deleting ${deletions.length} snapshot(s)`, () =>
        mapSettled(deletions, FLEET_CONCURRENCY, (d) => deleteOne(d, ctx)),
      ),
    );
  const failure = workFailure(record);
  if (failure) throw failure;
}

/** Every server's list: one read of the account for `all`, else one per server, a few at a time. */
async function readServers(settings: PruneSettings, ctx: OperationContext): Promise<ServerList[]> {
  if (settings.servers === 'all') {
    const all = await ctx.client.listSnapshots();
    const ids = [...new Set(all.map((s) => s.server.id))].sort((a, b) => a - b);
    ctx.logger.info(`read ${all.length} snapshot(s) of the account, on ${ids.length} server(s)`);
    return ids.map((serverId) => ({ serverId, snapshots: all.filter((s) => s.server.id === serverId) }));
  }
  const servers = settings.servers;
  const results = await mapSettled(servers, FLEET_CONCURRENCY, (id) => ctx.client.listSnapshots(id));
  return results.map((r, i) => {
    const serverId = servers[i] as number;
    if (r.status === 'rejected') return { serverId, error: errorMessage(r.reason) };
    ctx.logger.info(`server ${serverId}: read ${r.value.length} snapshot(s)`);
    return { serverId, snapshots: r.value };
  });
}

function skipServer(serverId: number, error: string, s: PruneSettings, ctx: OperationContext): void {
  const line = `server ${serverId}: could not list its snapshots, so nothing of it was deleted: ${error}`;
  ctx.logger.info(line);
  ctx.record.row({
    serverId,
    name: `${s.prunePrefix}*`,
    state: 'failed',
    error: onlySkipped(line, s.dryRun),
  });
}

/** A server or snapshot skipped: what the rest did, and the next step. */
function onlySkipped(line: string, dryRun: boolean): string {
  const rest = dryRun ? 'the rest was planned' : 'the rest was pruned';
  return `${line.replace(/\.$/, '')}. Only this was skipped, ${rest}; run the prune again: it deletes only what the policy leaves out.`;
}

/** The policy on one server: each snapshot kept (and why) or to be deleted, in the log and a summary note. */
function planServer(
  serverId: number,
  snapshots: Snapshot[],
  settings: PruneSettings,
  ctx: OperationContext,
): Deletion[] {
  const { kept, deleted, anchor } = applyRetention(snapshots, settings);
  const verb = settings.dryRun ? 'would delete' : 'delete';
  const keptWords = kept.map(
    (k) => `${k.snapshot.id} '${k.snapshot.name}' (${keptReason(k.why, k.snapshot, settings)})`,
  );
  for (const k of kept) {
    if (k.why === 'unreadable time')
      ctx.logger.warning(unreadableTime(k.snapshot, 'prune'), 'Unreadable created_at');
  }
  const deletions = deleted.map((snapshot) => {
    const age = anchor === undefined ? undefined : anchor - (parseInstant(snapshot.created_at) ?? anchor);
    const when = age === undefined ? '' : `, made ${formatAge(age)} before the newest`;
    return { serverId, snapshot, why: `outside the policy (${describePolicy(settings)})${when}` };
  });
  ctx.logger.info(
    `server ${serverId}: keeps ${kept.length}, ${verb} ${deleted.length}${snapshots.length === 0 ? ' (no snapshots)' : ''}`,
  );
  for (const line of keptWords) ctx.logger.info(`  keep ${line}`);
  for (const d of deletions) ctx.logger.info(`  ${verb} ${describeSnapshot(d.snapshot)}: ${d.why}`);
  ctx.record.notes.push(
    `Server ${serverId} keeps ${kept.length === 0 ? 'nothing' : keptWords.join('; ')}; ${verb}s ${deleted.length}.`,
  );
  return deletions;
}

function reportDryRun(deletions: Deletion[], { record }: OperationContext): void {
  record.dryRun = true;
  for (const { serverId, snapshot, why } of deletions) {
    record.row({ serverId, snapshotId: snapshot.id, name: snapshot.name, state: 'planned' });
    record.deleted.push({ serverId, snapshotId: snapshot.id, name: snapshot.name, why, planned: true });
  }
}

/** Deletes one snapshot and records how it ended: deleted, not deleted, or an outcome not seen. */
async function deleteOne({ serverId, snapshot: s, why }: Deletion, ctx: OperationContext): Promise<void> {
  const { client, record } = ctx;
  const row = { serverId, snapshotId: s.id, name: s.name };
  record.row({ ...row, state: 'sent' });
  try {
    const { how } = await client.deleteSnapshot(s.id, serverId);
    const note = how === 'deleted' ? undefined : 'it was already gone';
    record.row({ ...row, state: 'deleted', ...(note ? { note } : {}) });
    record.deleted.push({ ...row, why, ...(note ? { note } : {}) });
    ctx.logger.info(`deleted ${describeSnapshot(s)} on server ${serverId}${note ? `: ${note}` : ''}`);
  } catch (error) {
    const unknown = error instanceof ApiError && error.kind === 'ambiguous';
    const what = `snapshot ${s.id} '${s.name}' on server ${serverId}${unknown ? ':' : ' was not deleted:'}`;
    record.row({
      ...row,
      state: unknown ? 'unknown' : 'failed',
      error: onlySkipped(`${what} ${errorMessage(error)}`, false),
    });
  }
}
