// list: every snapshot of the account or of one server, every page.
import { setOutputs } from '../outputs.ts';
import type { ListSettings } from '../settings.ts';
import type { OperationContext } from './context.ts';

export async function runList(settings: ListSettings, ctx: OperationContext): Promise<void> {
  const { client, logger, report } = ctx;
  const snapshots = await report.phase('list', () => client.listSnapshots(settings.serverId));
  logger.info(
    `${snapshots.length} snapshot(s)${settings.serverId !== undefined ? ` on server ${settings.serverId}` : ' in this account'}`,
  );
  for (const s of snapshots) {
    logger.info(
      `  ${s.id}\tserver ${s.server.id}\t${s.status}\t${s.size_mb ?? '-'} MB\t${s.created_at}\t${s.name}`,
    );
    report.row({
      serverId: s.server.id,
      snapshotId: s.id,
      name: s.name,
      status: s.status,
      sizeMb: s.size_mb,
    });
  }
  setOutputs({ snapshots, status: 'listed' });
}
