// The main step: inputs -> settings -> operation; outputs and the summary come from the run record.
import { type Clock, realClock } from '../clock.ts';
import type { OperationContext } from '../operations/context.ts';
import { runCreate } from '../operations/create/index.ts';
import { runDelete } from '../operations/delete.ts';
import { runList } from '../operations/list.ts';
import { runPrune } from '../operations/prune.ts';
import { runRestore } from '../operations/restore.ts';
import { runWait } from '../operations/wait.ts';
import { parseSettings } from '../settings/index.ts';
import type { Settings, SnapshotRef } from '../settings/types.ts';
import { coreLogger, input } from './actions.ts';
import { runStep } from './runner.ts';
import { markMainSucceeded } from './state.ts';

/** The operations that take the timeout input. */
const TIMED = new Set(['create', 'restore', 'wait']);

export function run(clock: Clock = realClock): Promise<void> {
  return runStep(clock, async (step) => {
    const { settings, warnings } = parseSettings(input);
    for (const warning of warnings) coreLogger.warning(warning, 'Input ignored');
    coreLogger.debug(`settings: ${JSON.stringify({ ...settings, token: '***' })}`);
    const ctx = step.begin(settings.operation, describe(settings), {
      baseUrl: settings.apiUrl,
      token: settings.token,
      // timeout bounds the work where it applies; list and delete are bounded by their requests alone.
      timeoutMs: TIMED.has(settings.operation) ? settings.timeoutMs : Number.POSITIVE_INFINITY,
      ...(settings.requestTimeoutMs ? { requestTimeoutMs: settings.requestTimeoutMs } : {}),
      ...(settings.lagWindowMs !== undefined ? { lagWindowMs: settings.lagWindowMs } : {}),
    });
    await perform(settings, ctx);
    if (settings.operation === 'create' && !settings.dryRun) markMainSucceeded();
  });
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
    case 'wait':
      return runWait(settings, ctx);
    case 'prune':
      return runPrune(settings, ctx);
  }
}

/** What the step is doing, for error titles. */
function describe(settings: Settings): string {
  switch (settings.operation) {
    case 'create':
      return `create snapshot on server ${settings.serverIds.join(', ')}`;
    case 'list':
      return `list snapshots${settings.serverId !== undefined ? ` of server ${settings.serverId}` : ''}`;
    case 'wait':
      return `wait for snapshot ${settings.targets.map((t) => t.snapshotId).join(', ')}`;
    case 'prune':
      return `prune snapshots of ${settings.servers === 'all' ? 'every server (server_id: all)' : `server ${settings.servers.join(', ')}`}`;
    default:
      return `${settings.operation} ${settings.targets.map(describeRef).join(', ')}`;
  }
}

function describeRef(t: SnapshotRef): string {
  const which =
    t.by === 'id'
      ? `snapshot ${t.snapshotId}`
      : t.by === 'name'
        ? `snapshot '${t.name}'`
        : 'the latest snapshot';
  return `${which}${t.serverId !== undefined ? ` of server ${t.serverId}` : ''}`;
}
