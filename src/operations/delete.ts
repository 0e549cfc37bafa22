// delete: exactly the snapshots the inputs name. Also the one way every operation deletes a snapshot and
// records it: a snapshot already gone (a concurrent run) is gone, as asked.
import { ApiError, errorMessage } from '../api/errors.ts';
import type { Snapshot } from '../api/schema.ts';
import type { DeleteResult } from '../api/types.ts';
import { workFailure } from '../reporting/failure.ts';
import { describeSnapshot } from '../reporting/format.ts';
import type { DeleteSettings } from '../settings/types.ts';
import type { OperationContext } from './context.ts';
import { findTargets, inFleet } from './targets.ts';

/** How a snapshot found gone was still deleted, as asked: a note for the list of deletions, and in full. */
const GONE: Record<Exclude<DeleteResult['how'], 'deleted'>, [string, string]> = {
  'already-gone': [
    'it was already gone',
    'it was already gone: deleted by someone else, or by an earlier attempt',
  ],
  'absent-from-list': [
    "the server's list confirms it is gone",
    "the answer was not the API's, but the server's list confirms it is gone",
  ],
};

export async function runDelete(settings: DeleteSettings, ctx: OperationContext): Promise<void> {
  const snapshots = await findTargets(settings.targets, 'delete', ctx);
  for (const s of snapshots)
    if (s.status !== 'completed' && !settings.dryRun)
      ctx.logger.warning(`snapshot ${s.id} is ${s.status}: deleting it anyway, as asked.`);
  const deletions = snapshots.map((snapshot) => ({ snapshot, why: 'named by the inputs' }));
  if (settings.dryRun) planDeletions(deletions, ctx);
  else await ctx.record.phase('delete', () => deleteEach(deletions, ctx));
  const failure = workFailure(ctx.record);
  if (failure) throw failure;
}

/** A dry run's deletions: said and listed, nothing sent. */
export function planDeletions(deletions: { snapshot: Snapshot; why: string }[], ctx: OperationContext): void {
  ctx.record.dryRun = true;
  for (const { snapshot: s, why } of deletions) {
    ctx.logger.info(`dry run: would delete ${describeSnapshot(s)} of server ${s.server.id} (${why})`);
    ctx.record.deleted.push({ serverId: s.server.id, snapshotId: s.id, name: s.name, why, planned: true });
  }
}

/** Deletes one snapshot and lists it with `why`; throws when it was not deleted. Returns how it was gone. */
export async function deleteSnapshot(s: Snapshot, why: string, ctx: OperationContext): Promise<string> {
  const { how } = await ctx.client.deleteSnapshot(s.id, s.server.id);
  const [note, gone = ''] = how === 'deleted' ? [] : GONE[how];
  ctx.logger.info(
    `deleted snapshot ${describeSnapshot(s)} of server ${s.server.id} (${why})${gone && `: ${gone}`}`,
  );
  ctx.record.deleted.push({
    serverId: s.server.id,
    snapshotId: s.id,
    name: s.name,
    why,
    ...(note ? { note } : {}),
  });
  return gone;
}

/** Deletes each (a few at a time), each with its row: deleted, not deleted, or an outcome not seen. */
export async function deleteEach(
  deletions: { snapshot: Snapshot; why: string }[],
  ctx: OperationContext,
  next = '',
) {
  await inFleet(deletions, async ({ snapshot: s, why }) => {
    const row = { serverId: s.server.id, snapshotId: s.id, name: s.name };
    ctx.record.row({ ...row, state: 'sent' });
    try {
      const note = await deleteSnapshot(s, why, ctx);
      ctx.record.row({ ...row, state: 'deleted', ...(note ? { note } : {}) });
    } catch (error) {
      const unknown = error instanceof ApiError && error.kind === 'ambiguous';
      const what = `snapshot ${s.id} '${s.name}' on server ${s.server.id}${unknown ? ':' : ' was not deleted:'}`;
      const message = `${what} ${errorMessage(error)}`;
      ctx.record.row({
        ...row,
        state: unknown ? 'unknown' : 'failed',
        error: next ? `${message.replace(/\.$/, '')}${next}` : message,
      });
    }
  });
}
