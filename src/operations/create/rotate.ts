// Rotation after the run's own snapshots completed, and the deletions create makes. The snapshots are
// done, so the deploy may go ahead: trouble here is a warning, not a failure; a snapshot already gone is
// gone, as asked.
import { errorMessage } from '../../api/errors.ts';
import type { Snapshot } from '../../api/schema.ts';
import { describeSnapshot } from '../../reporting/format.ts';
import { unreadableTime } from '../instant.ts';
import { describePolicy, type KeptWhy } from '../retention.ts';
import type { CreateRun } from './index.ts';
import { rotationOf } from './rotation.ts';

/** Why rotation keeps a snapshot, for the debug log. */
const KEPT: Record<KeptWhy, string> = {
  'other prefix': 'its name does not start with prune_prefix',
  'not completed': 'it is not completed',
  'unreadable time': 'its created_at cannot be read',
  'newest completed': 'it is the newest completed snapshot',
  'newest N': 'it is among the newest that keep keeps',
  'within window': 'it is within keep_within',
  'newer than own': "it is newer than this run's snapshot",
};

export async function deleteOld(
  run: CreateRun,
  serverId: number,
  snapshot: Snapshot,
  why: string,
): Promise<void> {
  const { how } = await run.ctx.client.deleteSnapshot(snapshot.id, serverId);
  const note = how === 'deleted' ? undefined : 'it was already gone';
  run.ctx.record.deleted.push({
    serverId,
    snapshotId: snapshot.id,
    name: snapshot.name,
    why,
    ...(note ? { note } : {}),
  });
  run.ctx.logger.info(
    `deleted ${describeSnapshot(snapshot)} on server ${serverId} (${why}${note ? `; ${note}` : ''})`,
  );
}

/** Deletes what the policy leaves out, older than the run's own, on each server whose snapshot completed. */
export async function rotate(run: CreateRun, completed: Snapshot[]): Promise<void> {
  const { ctx, settings } = run;
  const problems: string[] = [];
  const title = `Rotating: ${describePolicy(settings)} for snapshots named '${settings.prunePrefix}*'`;
  await ctx.record.phase('rotate', () =>
    ctx.group(title, async () => {
      const fresh = await ctx.client.listSnapshots(run.single).catch((error: unknown) => {
        problems.push(`could not list the snapshots to rotate: ${errorMessage(error)}`);
        return undefined;
      });
      for (const own of fresh ? completed : []) await rotateServer(run, own, fresh ?? [], problems);
    }),
  );
  if (problems.length === 0) return;
  ctx.logger.warning(
    `${problems.join(' ')} The new snapshot is complete; the old ones stay until the next run rotates them, or delete them with operation: delete.`,
    'Rotation incomplete',
  );
  ctx.record.notes.push(`Rotation incomplete: ${problems.join('; ')}`);
}

/** One server: the policy applied to its fresh list, measured from the run's own snapshot. */
async function rotateServer(run: CreateRun, own: Snapshot, fresh: Snapshot[], problems: string[]) {
  const { ctx, settings } = run;
  const serverId = own.server.id;
  const retention = rotationOf(
    fresh.filter((s) => s.server.id === serverId),
    own,
    settings,
  );
  if (typeof retention === 'string') {
    problems.push(`server ${serverId}: ${retention}`);
    return;
  }
  for (const { snapshot } of retention.kept.filter((k) => k.why === 'unreadable time'))
    ctx.logger.warning(unreadableTime(snapshot, 'rotation'), 'Unreadable created_at');
  for (const { snapshot: s, why } of retention.kept)
    ctx.logger.debug(`rotation on server ${serverId} keeps snapshot ${s.id} '${s.name}': ${KEPT[why]}`);
  if (retention.deleted.length === 0) ctx.logger.info(`server ${serverId}: nothing to rotate`);
  for (const s of retention.deleted) {
    await deleteOld(run, serverId, s, `rotation, ${describePolicy(settings)}`).catch((error: unknown) => {
      problems.push(`server ${serverId}: could not delete snapshot ${s.id}: ${errorMessage(error)}`);
    });
  }
}
