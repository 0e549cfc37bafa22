// restore: the named snapshot onto its server, then wait until the server leaves `restoring`.
import * as core from '@actions/core';
import { ApiError } from '../api/errors.ts';
import { formatDuration } from '../duration.ts';
import { ActionError } from '../failure.ts';
import { RESTORE_ESTIMATE } from '../limits.ts';
import { setOutputs } from '../outputs.ts';
import type { RestoreSettings } from '../settings.ts';
import { waitForRestore } from '../wait.ts';
import type { OperationContext } from './context.ts';
import { describeSnapshot, findTarget } from './resolve.ts';

export async function runRestore(settings: RestoreSettings, ctx: OperationContext): Promise<void> {
  const { client, logger, report } = ctx;
  const { snapshot, row } = await findTarget(settings.target, 'restore', ctx);
  const serverId = snapshot.server.id;
  if (snapshot.status !== 'completed') {
    throw new ActionError(
      'Cannot restore: snapshot not completed',
      `snapshot ${describeSnapshot(snapshot)} on server ${serverId} is not completed, and only a completed snapshot can be restored. Wait for it, or pick another (operation: list).`,
      report,
    );
  }

  const before = await client.getServer(serverId).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  });
  const serverLabel = `server ${serverId}${before?.name || snapshot.server.name ? ` '${before?.name || snapshot.server.name}'` : ''}`;
  if (before?.status === 'restoring') {
    throw new ActionError(
      'Cannot restore: server busy',
      `${serverLabel} is already restoring. Wait for that restore to finish, then run this again.`,
      report,
    );
  }
  const warning = `Restoring ${serverLabel} from snapshot ${describeSnapshot(snapshot)}: the server will be stopped and ALL its current data overwritten. This cannot be undone.`;
  if (settings.dryRun) {
    report.dryRun = true;
    row.status = 'planned';
    logger.info(`dry run: would restore. ${warning}`);
    setOutputs({ status: 'planned' });
    return;
  }
  logger.warning(warning);

  const startedAt = ctx.clock.now();
  const accepted = await report.phase('restore', () =>
    client.restoreSnapshot(snapshot.id, { id: serverId, ...(before ? { statusBefore: before.status } : {}) }),
  );
  logger.info(`${serverLabel}: ${accepted.message || 'restore started'}`);
  setOutputs({ status: 'restoring' });
  report.server = { id: serverId, name: accepted.server.name, status: accepted.server.status };
  row.status = 'restoring';
  if (!settings.wait) {
    logger.info('wait is false: not waiting for the restore to finish.');
    return;
  }

  const outcome = await report.phase('wait', () =>
    core.group(
      `Waiting for ${serverLabel} to finish restoring (timeout ${formatDuration(settings.timeoutMs)})`,
      () =>
        waitForRestore(client, serverId, {
          timeoutMs: settings.timeoutMs,
          logger,
          clock: ctx.clock,
          startedAt,
          estimate: RESTORE_ESTIMATE,
        }),
    ),
  );
  row.elapsedMs = outcome.elapsedMs;
  if (outcome.server)
    report.server = { id: serverId, name: outcome.server.name, status: outcome.server.status };
  switch (outcome.end) {
    case 'restored':
      row.status = 'restored';
      setOutputs({ status: 'restored' });
      logger.info(
        `${serverLabel} is restored from snapshot ${snapshot.id} and ${outcome.server?.status} after ${formatDuration(outcome.elapsedMs)}.`,
      );
      if (outcome.server?.status === 'stopped')
        report.notes.push(`Server ${serverId} is stopped after the restore: start it when ready.`);
      return;
    case 'unconfirmed':
      report.notes.push(
        `The provider does not report server ${serverId}'s state, so the restore's completion could not be confirmed.`,
      );
      logger.warning(
        `The restore of ${serverLabel} was accepted, but GET /servers/${serverId}/ answers 404, so its completion cannot be confirmed. Check the server in the provider's panel.`,
      );
      return;
    case 'failed':
      row.status = 'failed';
      throw new ActionError(
        'Restore failed',
        `${serverLabel} reports '${outcome.server?.status}' after the restore from snapshot ${snapshot.id}. Check the server in the provider's panel; the snapshot is still there to try again.`,
        report,
      );
    case 'timeout':
      throw new ActionError(
        'Restore timed out',
        `${serverLabel} was still restoring from snapshot ${snapshot.id} after ${formatDuration(settings.timeoutMs)}. It may still finish: check the server, and raise timeout for next time.`,
        report,
      );
  }
}
