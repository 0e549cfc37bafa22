// prune: the retention policy (retention.ts) applied to one server, several, or every server that holds a
// snapshot the token sees. It deletes only completed prune_prefix snapshots the policy leaves out, a few at
// a time; a server whose list cannot be read is skipped with an error row, and the others go on. A dry run
// reports the same plan and sends nothing.
import { errorMessage } from '../api/errors.ts';
import type { Snapshot } from '../api/schema.ts';
import { workFailure } from '../reporting/failure.ts';
import { describeSnapshot } from '../reporting/format.ts';
import type { PruneSettings } from '../settings/types.ts';
import type { OperationContext } from './context.ts';
import { deleteEach } from './delete.ts';
import { parseInstant, unreadableTime } from './instant.ts';
import { applyRetention, describePolicy, formatAge, keptReason } from './retention.ts';
import { inFleet } from './targets.ts';

export async function runPrune(settings: PruneSettings, ctx: OperationContext): Promise<void> {
  const { record } = ctx;
  const lists = await record.phase('read', () =>
    ctx.group('Reading the snapshots', () => read(settings, ctx)),
  );
  const policy = `${describePolicy(settings)} for '${settings.prunePrefix}*'`;
  const deletions = await ctx.group(`Applying the policy: ${policy}`, async () =>
    [...lists].flatMap(([serverId, list]) => planServer(serverId, list, settings, ctx)),
  );
  if (settings.dryRun) {
    record.dryRun = true;
    for (const { snapshot: s, why } of deletions) {
      const row = { serverId: s.server.id, snapshotId: s.id, name: s.name };
      record.row({ ...row, state: 'planned' });
      record.deleted.push({ ...row, why, planned: true });
    }
  } else
    await record.phase('delete', () =>
      ctx.group(`Deleting ${deletions.length} snapshot(s)`, () => deleteEach(deletions, ctx, skipped(false))),
    );
  const failure = workFailure(record);
  if (failure) throw failure;
}

/** Every server's list, or why it could not be read: one read of the account for `all`, else one per server. */
async function read(
  settings: PruneSettings,
  ctx: OperationContext,
): Promise<Map<number, Snapshot[] | string>> {
  if (settings.servers === 'all') {
    const all = await ctx.client.listSnapshots();
    const ids = [...new Set(all.map((s) => s.server.id))].sort((a, b) => a - b);
    ctx.logger.info(`read ${all.length} snapshot(s) of the account, on ${ids.length} server(s)`);
    return new Map(ids.map((id) => [id, all.filter((s) => s.server.id === id)]));
  }
  const servers = settings.servers;
  const results = await inFleet(servers, (id) => ctx.client.listSnapshots(id));
  return new Map(
    results.map((r, i): [number, Snapshot[] | string] => {
      if (r.status === 'rejected') return [servers[i] as number, errorMessage(r.reason)];
      ctx.logger.info(`server ${servers[i]}: read ${r.value.length} snapshot(s)`);
      return [servers[i] as number, r.value];
    }),
  );
}

/** What a row skipped says of the rest, and the next step. */
function skipped(dryRun: boolean): string {
  const rest = dryRun ? 'the rest was planned' : 'the rest was pruned';
  return `. Only this was skipped, ${rest}; run the prune again: it deletes only what the policy leaves out.`;
}

/** The policy on one server: each snapshot kept (and why) or to be deleted, in the log and a summary note. */
function planServer(
  serverId: number,
  list: Snapshot[] | string,
  settings: PruneSettings,
  ctx: OperationContext,
) {
  if (typeof list === 'string') {
    const line = `server ${serverId}: could not list its snapshots, so nothing of it was deleted: ${list}`;
    ctx.logger.info(line);
    const error = `${line.replace(/\.$/, '')}${skipped(settings.dryRun)}`;
    ctx.record.row({ serverId, name: `${settings.prunePrefix}*`, state: 'failed', error });
    return [];
  }
  const { kept, deleted, anchor } = applyRetention(list, settings);
  const verb = settings.dryRun ? 'would delete' : 'delete';
  for (const k of kept)
    if (k.why === 'unreadable time')
      ctx.logger.warning(unreadableTime(k.snapshot, 'prune'), 'Unreadable created_at');
  const keptWords = kept.map(
    (k) => `${k.snapshot.id} '${k.snapshot.name}' (${keptReason(k.why, k.snapshot, settings)})`,
  );
  const deletions = deleted.map((snapshot) => {
    const age = anchor === undefined ? undefined : anchor - (parseInstant(snapshot.created_at) ?? anchor);
    const when = age === undefined ? '' : `, made ${formatAge(age)} before the newest`;
    return { snapshot, why: `outside the policy (${describePolicy(settings)})${when}` };
  });
  const none = list.length === 0 ? ' (no snapshots)' : '';
  ctx.logger.info(`server ${serverId}: keeps ${kept.length}, ${verb} ${deleted.length}${none}`);
  for (const line of keptWords) ctx.logger.info(`  keep ${line}`);
  for (const d of deletions) ctx.logger.info(`  ${verb} ${describeSnapshot(d.snapshot)}: ${d.why}`);
  const keeps = kept.length === 0 ? 'nothing' : keptWords.join('; ');
  ctx.record.notes.push(`Server ${serverId} keeps ${keeps}; ${verb}s ${deleted.length}.`);
  return deletions;
}
