// Rotation after the run's own snapshots completed, and the deletions create makes. The snapshots are
// done, so the deploy may go ahead: trouble here is a warning, not a failure; a snapshot already gone is
// gone, as asked.
import { errorMessage } from '../../api/errors.ts';
import type { Snapshot } from '../../api/schema.ts';
import { describeSnapshot } from '../../reporting/format.ts';
import type { CreateRun } from './index.ts';
import { keptBecause, rotationVictims } from './rotation.ts';

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

/** Deletes the older completed prune_prefix snapshots beyond keep, on each server whose snapshot completed. */
export async function rotate(run: CreateRun, completed: Snapshot[]): Promise<void> {
  const { ctx, settings } = run;
  const problems: string[] = [];
  await ctx.record.phase('rotate', () =>
    ctx.group(
      `Rotating: keeping ${settings.keep} snapshot(s) named '${settings.prunePrefix}*' per server`,
      async () => {
        const fresh = await ctx.client.listSnapshots(run.single).catch((error: unknown) => {
          problems.push(`could not list the snapshots to rotate: ${errorMessage(error)}`);
          return undefined;
        });
        if (!fresh) return;
        for (const own of completed) {
          const serverId = own.server.id;
          const mine = fresh.filter((s) => s.server.id === serverId);
          const victims = rotationVictims(mine, own, settings);
          if (victims.length === 0) ctx.logger.info(`server ${serverId}: nothing to rotate`);
          for (const s of mine.filter((s) => s.id !== own.id && !victims.includes(s)))
            ctx.logger.debug(
              `rotation on server ${serverId} keeps snapshot ${s.id} '${s.name}': ${keptBecause(s, own, settings)}`,
            );
          for (const s of victims) {
            await deleteOld(run, serverId, s, `rotation, keep ${settings.keep}`).catch((error: unknown) => {
              problems.push(`server ${serverId}: could not delete snapshot ${s.id}: ${errorMessage(error)}`);
            });
          }
        }
      },
    ),
  );
  if (problems.length === 0) return;
  ctx.logger.warning(
    `${problems.join(' ')} The new snapshot is complete; the old ones stay until the next run rotates them, or delete them with operation: delete.`,
    'Rotation incomplete',
  );
  ctx.record.notes.push(`Rotation incomplete: ${problems.join('; ')}`);
}
