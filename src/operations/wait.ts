// wait: for snapshots that already exist (started with wait: false), with the same engine, the same single
// poll for a fleet and the same outputs as a waiting create.
import { ActionError } from '../reporting/failure.ts';
import type { WaitSettings } from '../settings/types.ts';
import type { SnapshotTarget } from '../wait/snapshots.ts';
import { awaitSnapshots, failIfUnfinished, writeSnapshotOutputs } from './await-snapshots.ts';
import type { OperationContext } from './context.ts';
import { readFor } from './resolve.ts';

export async function runWait(settings: WaitSettings, ctx: OperationContext): Promise<void> {
  const startedAt = ctx.clock.now();
  const targets = await ctx.record.phase('read', () =>
    ctx.group('Finding the snapshot(s)', () => findTargets(settings, ctx)),
  );
  for (const t of targets)
    ctx.record.row({ serverId: t.serverId, snapshotId: t.id, name: t.name, status: 'in_progress' });
  const servers = new Set(targets.map((t) => t.serverId));
  const single = servers.size === 1 && targets.length === 1 ? targets[0] : undefined;
  ctx.outputs.set({
    snapshot_ids: Object.fromEntries(targets.map((t) => [String(t.serverId), t.id])),
    ...(single ? { snapshot_id: single.id, snapshot_name: single.name, server_id: single.serverId } : {}),
  });
  if (settings.dryRun) {
    ctx.record.dryRun = true;
    ctx.logger.info('dry run: nothing to change; waiting is read-only, so the wait runs as usual.');
  }
  await awaitSnapshots(targets, ctx, { timeoutMs: settings.timeoutMs, startedAt });
  writeSnapshotOutputs(ctx, single?.serverId);
  failIfUnfinished(ctx);
}

/** Each ID's snapshot, from one read; one of another server than the inputs say is refused. */
async function findTargets(settings: WaitSettings, ctx: OperationContext): Promise<SnapshotTarget[]> {
  const list = await readFor(settings.targets, ctx);
  const problems: string[] = [];
  const targets: SnapshotTarget[] = [];
  for (const t of settings.targets) {
    const found = list.find((s) => s.id === t.snapshotId);
    if (found && t.serverId !== undefined && found.server.id !== t.serverId) {
      problems.push(
        `snapshot ${found.id} '${found.name}' belongs to server ${found.server.id}, not server ${t.serverId}. Check server_id, or the snapshot_ids entry for server ${t.serverId}.`,
      );
    } else if (found) targets.push({ id: found.id, serverId: found.server.id, name: found.name });
    else if (t.serverId !== undefined) {
      ctx.logger.info(
        `snapshot ${t.snapshotId} is not in server ${t.serverId}'s list yet; waiting for it to appear (lists lag).`,
      );
      targets.push({ id: t.snapshotId, serverId: t.serverId, name: '' });
    } else
      problems.push(
        `snapshot_id ${t.snapshotId}: no such snapshot in this account. Check the ID (the create step's snapshot_id output) with operation: list.`,
      );
  }
  if (problems.length > 0)
    throw new ActionError(
      problems.length === 1 ? 'Cannot wait: snapshot not found' : `Cannot wait: ${problems.length} problems`,
      problems.join('\n'),
      ctx.record,
    );
  return targets;
}
