// wait: for snapshots that already exist (started with wait: false), with the same engine, the same single
// poll for a fleet and the same outputs as a waiting create.
import { type Problem, refusal, workFailure } from '../reporting/failure.ts';
import { describeSnapshot } from '../reporting/format.ts';
import type { WaitSettings } from '../settings/types.ts';
import type { SnapshotTarget } from '../wait/snapshots.ts';
import { awaitSnapshots } from './await-snapshots.ts';
import type { OperationContext } from './context.ts';
import { match, readFor } from './resolve.ts';

export async function runWait(settings: WaitSettings, ctx: OperationContext): Promise<void> {
  const startedAt = ctx.clock.now();
  const targets = await ctx.record.phase('read', () =>
    ctx.group('Finding the snapshot(s)', () => findTargets(settings, ctx)),
  );
  for (const t of targets)
    ctx.record.row({ serverId: t.serverId, snapshotId: t.id, name: t.name, state: 'in_progress' });
  const servers = new Set(targets.map((t) => t.serverId));
  const single = servers.size === 1 && targets.length === 1 ? targets[0] : undefined;
  ctx.outputs.set({
    snapshot_ids: Object.fromEntries(targets.map((t) => [String(t.serverId), t.id])),
    ...(single ? { snapshot_id: single.id, server_id: single.serverId } : {}),
    ...(single?.name ? { snapshot_name: single.name } : {}),
  });
  // Waiting is read-only: a dry run waits as usual, and reports what it found.
  if (settings.dryRun) ctx.logger.info('dry run: waiting changes nothing, so the wait runs as usual.');
  await awaitSnapshots(targets, ctx, { timeoutMs: settings.timeoutMs, startedAt });
  // A snapshot the lagging list showed only while waiting is named now.
  const name = single && ctx.record.rows.find((r) => r.snapshotId === single.id)?.name;
  if (single && !single.name && name) ctx.outputs.set({ snapshot_name: name });
  const failure = workFailure(ctx.record);
  if (failure) throw failure;
}

/**
 * Each ID's snapshot, from a read of the account; one of another server than the inputs say is refused.
 * One missing from the list may just be new (lists lag): with its server known the waiter watches for it;
 * without, the account is read again over the lag window before the ID is refused.
 */
async function findTargets(settings: WaitSettings, ctx: OperationContext): Promise<SnapshotTarget[]> {
  const list = await readUntilListed(settings, ctx);
  const problems: Problem[] = [];
  const targets: SnapshotTarget[] = [];
  for (const t of settings.targets) {
    const found = match({ by: 'id', ...t }, list);
    if (!('kind' in found)) {
      ctx.logger.info(`found snapshot ${describeSnapshot(found)} of server ${found.server.id}`);
      targets.push({ id: found.id, serverId: found.server.id, name: found.name });
    } else if (t.serverId !== undefined && !list.some((s) => s.id === t.snapshotId)) {
      ctx.logger.info(
        `snapshot ${t.snapshotId} is not listed yet; waiting for it to appear on server ${t.serverId} (lists lag).`,
      );
      targets.push({ id: t.snapshotId, serverId: t.serverId, name: '' });
    } else problems.push(found);
  }
  if (problems.length > 0) throw refusal('wait', problems);
  return targets;
}

/** Reads the account until every ID without a server is listed, or the lag window is over. */
async function readUntilListed(settings: WaitSettings, ctx: OperationContext) {
  const unplaced = settings.targets.filter((t) => t.serverId === undefined).map((t) => t.snapshotId);
  const lagWindowMs = ctx.client.lagWindowMs;
  const until = Math.min(ctx.clock.now() + lagWindowMs, ctx.deadline);
  let list = await readFor(settings.targets, ctx);
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
    list = await readFor(settings.targets, ctx);
  }
  return list;
}
