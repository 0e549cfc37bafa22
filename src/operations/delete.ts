// delete: the one snapshot the inputs name.
import { setOutputs } from '../outputs.ts';
import type { DeleteSettings } from '../settings.ts';
import type { OperationContext } from './context.ts';
import { describeSnapshot, findTarget } from './resolve.ts';

export async function runDelete(settings: DeleteSettings, ctx: OperationContext): Promise<void> {
  const { client, logger, report } = ctx;
  const { snapshot, row } = await findTarget(settings.target, 'delete', ctx);
  const serverId = snapshot.server.id;
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
