// delete: exactly the snapshots the inputs name. One that is already gone (a concurrent run) is gone, as asked.
import { errorMessage } from '../api/errors.ts';
import type { Snapshot } from '../api/schema.ts';
import { FLEET_CONCURRENCY } from '../limits.ts';
import { ActionError } from '../reporting/failure.ts';
import { describeSnapshot } from '../reporting/format.ts';
import { overallStatus, resultsOf } from '../reporting/outcome.ts';
import type { DeleteSettings } from '../settings/types.ts';
import type { OperationContext } from './context.ts';
import { mapSettled } from './fleet.ts';
import { findTargets } from './resolve.ts';

const HOW: Record<string, string | undefined> = {
  'already-gone': 'it was already gone: deleted by someone else, or by an earlier attempt',
  'absent-from-list': "the answer was not the API's, but the server's list confirms it is gone",
};

export async function runDelete(settings: DeleteSettings, ctx: OperationContext): Promise<void> {
  const { logger, record, outputs } = ctx;
  const snapshots = await findTargets(settings.targets, 'delete', ctx);
  if (settings.dryRun) {
    record.dryRun = true;
    for (const s of snapshots) {
      logger.info(`dry run: would delete snapshot ${describeSnapshot(s)} of server ${s.server.id}`);
      record.deleted.push({
        serverId: s.server.id,
        snapshotId: s.id,
        name: s.name,
        why: 'named by the inputs',
        planned: true,
      });
    }
    outputs.set({ status: 'planned', deleted_ids: [], results: resultsOf(record) });
    return;
  }
  const results = await record.phase('delete', () =>
    mapSettled(snapshots, FLEET_CONCURRENCY, (s) => deleteOne(s, ctx)),
  );
  const deletedIds = snapshots.filter((_, i) => results[i]?.status === 'fulfilled').map((s) => s.id);
  const failures = results.flatMap((r, i) =>
    r.status === 'rejected' ? [failRow(snapshots[i] as Snapshot, r.reason, ctx)] : [],
  );
  outputs.set({
    status: overallStatus(record) ?? 'failed',
    deleted_ids: deletedIds,
    results: resultsOf(record),
  });
  if (failures.length > 0) {
    throw new ActionError(
      failures.length === snapshots.length
        ? 'Delete failed'
        : `Delete failed for ${failures.length} of ${snapshots.length} snapshots`,
      failures,
      record,
    );
  }
}

async function deleteOne(s: Snapshot, { client, logger, record }: OperationContext): Promise<void> {
  if (s.status !== 'completed')
    logger.warning(`snapshot ${s.id} is ${s.status}: deleting it anyway, as asked.`);
  record.row({ serverId: s.server.id, snapshotId: s.id, name: s.name, status: 'deleting' });
  const { how } = await client.deleteSnapshot(s.id, s.server.id);
  const note = HOW[how];
  logger.info(`deleted snapshot ${describeSnapshot(s)} of server ${s.server.id}${note ? `: ${note}` : ''}`);
  record.row({
    serverId: s.server.id,
    snapshotId: s.id,
    name: s.name,
    status: 'deleted',
    ...(note ? { note } : {}),
  });
  record.deleted.push({
    serverId: s.server.id,
    snapshotId: s.id,
    name: s.name,
    why: 'named by the inputs',
    ...(note ? { note } : {}),
  });
}

function failRow(s: Snapshot, reason: unknown, { record }: OperationContext): string {
  const error = `snapshot ${s.id} '${s.name}' on server ${s.server.id} was not deleted: ${errorMessage(reason)}`;
  record.row({ serverId: s.server.id, snapshotId: s.id, name: s.name, status: 'failed', error });
  return error;
}
