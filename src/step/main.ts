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
import type { Operation, Settings, SnapshotRef } from '../settings/types.ts';
import { coreLogger, input, markMainSucceeded } from './actions.ts';
import { runStep } from './runner.ts';

type Entry<S> = [
  perform: (s: S, ctx: OperationContext) => Promise<void>,
  timed: boolean,
  doing: (s: S) => string,
];
/** Each operation: its function, whether `timeout` bounds it, and what it does in words, for error titles. */
const OPERATIONS: { [O in Operation]: Entry<Extract<Settings, { operation: O }>> } = {
  create: [runCreate, true, (s) => `create snapshot on server ${s.serverIds.join(', ')}`],
  restore: [runRestore, true, (s) => `restore ${s.targets.map(describeRef).join(', ')}`],
  delete: [runDelete, false, (s) => `delete ${s.targets.map(describeRef).join(', ')}`],
  list: [
    runList,
    false,
    (s) => `list snapshots${s.serverId !== undefined ? ` of server ${s.serverId}` : ''}`,
  ],
  wait: [runWait, true, (s) => `wait for snapshot ${s.targets.map((t) => t.snapshotId).join(', ')}`],
  prune: [
    runPrune,
    false,
    (s) =>
      `prune snapshots of ${s.servers === 'all' ? 'every server (server_id: all)' : `server ${s.servers.join(', ')}`}`,
  ],
};

function describeRef(t: SnapshotRef): string {
  const which =
    t.by === 'id'
      ? `snapshot ${t.snapshotId}`
      : t.by === 'name'
        ? `snapshot '${t.name}'`
        : 'the latest snapshot';
  return `${which}${t.serverId !== undefined ? ` of server ${t.serverId}` : ''}`;
}

export function run(clock: Clock = realClock): Promise<void> {
  return runStep(clock, async (step) => {
    const { settings, warnings } = parseSettings(input);
    for (const warning of warnings) coreLogger.warning(warning, 'Input ignored');
    coreLogger.debug(`settings: ${JSON.stringify({ ...settings, token: '***' })}`);
    // Each entry takes its own operation's settings: TypeScript cannot correlate the union by itself.
    const [perform, timed, doing] = OPERATIONS[settings.operation] as Entry<Settings>;
    const ctx = step.begin(settings.operation, doing(settings), {
      baseUrl: settings.apiUrl,
      token: settings.token,
      // timeout bounds the work where it applies; list and delete are bounded by their requests alone.
      timeoutMs: timed ? settings.timeoutMs : Number.POSITIVE_INFINITY,
      requestTimeoutMs: settings.requestTimeoutMs,
      lagWindowMs: settings.lagWindowMs,
    });
    await perform(settings, ctx);
    if (settings.operation === 'create' && !settings.dryRun) markMainSucceeded();
  });
}
