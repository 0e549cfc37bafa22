// run(): inputs -> settings -> operation -> outputs and summary. Nothing runs on import.
import * as core from '@actions/core';
import { coreLogger } from './action-logger.ts';
import { SnapshotsClient } from './api/client.ts';
import { ActionError } from './failure.ts';
import type { OperationContext } from './operations/context.ts';
import { runCreate } from './operations/create.ts';
import { runDelete } from './operations/delete.ts';
import { runList } from './operations/list.ts';
import { runRestore } from './operations/restore.ts';
import { Report } from './report.ts';
import { reportFailure } from './report-failure.ts';
import { parseSettings, readToken, type Settings } from './settings.ts';
import { markMainSucceeded } from './state.ts';
import { writeSummary } from './summary.ts';
import { realClock, type WaitClock } from './wait.ts';

export async function run(clock: WaitClock = realClock): Promise<void> {
  const rawToken = readToken((name) => core.getInput(name));
  if (rawToken) core.setSecret(rawToken);
  let report: Report | undefined;
  let context = 'vps-snapshot';
  try {
    const { settings, warnings } = parseSettings((name) => core.getInput(name));
    for (const warning of warnings) core.warning(warning, { title: 'Input ignored' });
    context = describe(settings);
    core.debug(`settings: ${JSON.stringify({ ...settings, token: '***' })}`);
    report = new Report(settings.operation, clock.now);
    const client = new SnapshotsClient({
      baseUrl: settings.apiUrl,
      token: settings.token,
      logger: coreLogger,
      ...(settings.requestTimeoutMs ? { requestTimeoutMs: settings.requestTimeoutMs } : {}),
    });
    const ctx: OperationContext = { client, logger: coreLogger, clock, report };
    try {
      await perform(settings, ctx);
    } finally {
      await client.close();
    }
    if (settings.operation === 'create' && !settings.dryRun) markMainSucceeded();
    await writeSummary(report);
  } catch (error) {
    const message = reportFailure(error, context);
    const partial = error instanceof ActionError ? (error.report ?? report) : report;
    await writeSummary(partial, message).catch(() => undefined);
  }
}

function perform(settings: Settings, ctx: OperationContext): Promise<void> {
  switch (settings.operation) {
    case 'create':
      return runCreate(settings, ctx);
    case 'restore':
      return runRestore(settings, ctx);
    case 'delete':
      return runDelete(settings, ctx);
    case 'list':
      return runList(settings, ctx);
  }
}

function describe(settings: Settings): string {
  switch (settings.operation) {
    case 'create':
      return `create snapshot on server ${settings.serverIds.join(', ')}`;
    case 'list':
      return `list snapshots${settings.serverId !== undefined ? ` of server ${settings.serverId}` : ''}`;
    default: {
      const t = settings.target;
      const which =
        t.by === 'id'
          ? `snapshot ${t.snapshotId}`
          : t.by === 'name'
            ? `snapshot '${t.name}'`
            : 'the latest snapshot';
      const server = t.serverId !== undefined ? ` of server ${t.serverId}` : '';
      return `${settings.operation} ${which}${server}`;
    }
  }
}
