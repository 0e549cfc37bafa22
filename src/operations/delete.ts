// delete: exactly the snapshots the inputs name. One that is already gone (a concurrent run) is gone, as asked.
import { ApiError, errorMessage } from '../api/errors.ts';
import type { Snapshot } from '../api/schema.ts';
import { FLEET_CONCURRENCY } from '../limits.ts';
import { workFailure } from '../reporting/failure.ts';
import { describeSnapshot } from '../reporting/format.ts';
import type { DeleteSettings } from '../settings/types.ts';
import type { OperationContext } from './context.ts';
import { mapSettled } from './fleet.ts';
import { findTargets } from './resolve.ts';

const HOW: Record<string, string | undefined> = {
  'already-gone': 'it was already gone: deleted by someone else, or by an earlier attempt',
  'absent-from-list': "the answer was not the API's, but the server's list confirms it is gone",
};

export async function runDelete(settings: DeleteSettings, ctx: OperationContext): Promise<void> {
  const { logger, record } = ctx;
  const snapshots = await findTargets(settings.targets, 'delete', ctx);
  if (settings.dryRun) {
    record.dryRun = true;
    for (const s of snapshots) {
      logger.info(`dry run: would delete snapshot ${describeSnapshot(s)} of server ${s.server.id}`);
      record.deleted.push({ ...deletion(s), planned: true });
    }
    return;
  }
  await record.phase('delete', () => mapSettled(snapshots, FLEET_CONCURRENCY, (s) => deleteOne(s, ctx)));
  const failure = workFailure(record);
  if (failure) throw failure;
}

function deletion(s: Snapshot) {
  return { serverId: s.server.id, snapshotId: s.id, name: s.name, why: 'named by the inputs' };
}

/** Deletes one snapshot and records how it ended: deleted, not deleted, or an outcome not seen. */
async function deleteOne(s: Snapshot, { client, logger, record }: OperationContext): Promise<void> {
  if (s.status !== 'completed')
    logger.warning(`snapshot ${s.id} is ${s.status}: deleting it anyway, as asked.`);
  const row = { serverId: s.server.id, snapshotId: s.id, name: s.name };
  record.row({ ...row, state: 'sent' });
  try {
    const note = HOW[(await client.deleteSnapshot(s.id, s.server.id)).how];
    logger.info(`deleted snapshot ${describeSnapshot(s)} of server ${s.server.id}${note ? `: ${note}` : ''}`);
    record.row({ ...row, state: 'deleted', ...(note ? { note } : {}) });
    record.deleted.push({ ...deletion(s), ...(note ? { note } : {}) });
  } catch (error) {
    const unknown = error instanceof ApiError && error.kind === 'ambiguous';
    const what = `snapshot ${s.id} '${s.name}' on server ${s.server.id}`;
    record.row({
      ...row,
      state: unknown ? 'unknown' : 'failed',
      error: `${what}${unknown ? ': ' : ' was not deleted: '}${errorMessage(error)}`,
    });
  }
}
