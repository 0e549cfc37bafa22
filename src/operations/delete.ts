// delete: the one snapshot the inputs name.
import * as core from '@actions/core';
import { setOutputs } from '../outputs.ts';
import type { DeleteSettings } from '../settings.ts';
import type { OperationContext } from './context.ts';
import { describeSnapshot, resolveSnapshot } from './resolve.ts';

export async function runDelete(settings: DeleteSettings, ctx: OperationContext): Promise<void> {
  const { client, logger, report } = ctx;
  const snapshot = await report.phase('read', () =>
    core.group('Finding the snapshot', () => resolveSnapshot(client, settings.target, 'delete')),
  );
  const serverId = snapshot.server.id;
  setOutputs({ snapshot_id: snapshot.id, snapshot_name: snapshot.name, server_id: serverId });
  const row = report.row({
    serverId,
    snapshotId: snapshot.id,
    name: snapshot.name,
    status: snapshot.status,
    sizeMb: snapshot.size_mb,
  });
  if (settings.dryRun) {
    report.dryRun = true;
    row.status = 'planned';
    logger.info(`dry run: would delete snapshot ${describeSnapshot(snapshot)} of server ${serverId}`);
    setOutputs({ status: 'planned', deleted_ids: [] });
    return;
  }
  if (snapshot.status !== 'completed') {
    logger.warning(`snapshot ${snapshot.id} is ${snapshot.status}: deleting it anyway, as asked.`);
  }
  const { alreadyGone } = await report.phase('delete', () => client.deleteSnapshot(snapshot.id));
  logger.info(
    `deleted snapshot ${describeSnapshot(snapshot)} of server ${serverId}${alreadyGone ? ' (it was gone on a retry)' : ''}`,
  );
  row.status = 'deleted';
  report.deleted.push({ serverId, snapshotId: snapshot.id, name: snapshot.name, why: 'asked' });
  setOutputs({ status: 'deleted', deleted_ids: [snapshot.id] });
}
