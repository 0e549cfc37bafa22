// list: every snapshot of the account or of one server, every page.
import type { ListSettings } from '../settings/types.ts';
import type { OperationContext } from './context.ts';

export async function runList(settings: ListSettings, ctx: OperationContext): Promise<void> {
  const { client, logger, record, outputs } = ctx;
  const snapshots = await record.phase('list', () => client.listSnapshots(settings.serverId));
  logger.info(
    `${snapshots.length} snapshot(s)${settings.serverId !== undefined ? ` on server ${settings.serverId}` : ' in this account'}`,
  );
  for (const s of snapshots) {
    logger.info(
      `  ${s.id}\tserver ${s.server.id}\t${s.status}\t${s.size_mb ?? '-'} MB\t${s.created_at}\t${s.name}`,
    );
  }
  record.listed = snapshots;
  outputs.set({ snapshots });
}
