// Inputs -> one typed, validated settings object. Every malformed input is refused here, before any
// request: each reader checks one input and records a line per problem, and all lines are thrown at once.
import { readCommon, readOperation } from './common.ts';
import { createContext, type ReaderContext } from './context.ts';
import { SettingsError } from './errors.ts';
import { readServerIds, readSnapshotId } from './ids.ts';
import { type CreateOptions, readCreateOptions, readName } from './readers.ts';
import { readSnapshotIds } from './snapshot-ids.ts';
import { deleteTargets, restoreTargets, type TargetInputs, waitTargets } from './targets.ts';
import type {
  CommonSettings,
  InputReader,
  Operation,
  ParsedSettings,
  PruneSettings,
  Settings,
} from './types.ts';
import { ignoredInputs } from './warnings.ts';

export { readLagWindow, readRequestTimeout, readToken } from './common.ts';
export {
  DEFAULT_PRUNE_PREFIX,
  DEFAULT_TIMEOUT,
  MAX_FLEET,
  MAX_KEEP,
  NAME_PATTERN,
  OPERATIONS,
} from './constants.ts';
export { SettingsError } from './errors.ts';
export type {
  CreateSettings,
  DeleteSettings,
  InputReader,
  ListSettings,
  Operation,
  ParsedSettings,
  PruneSettings,
  RestoreSettings,
  Settings,
  SnapshotRef,
  WaitSettings,
} from './types.ts';

interface Inputs extends TargetInputs {
  common: CommonSettings;
  create: CreateOptions;
}

function settingsFor(ctx: ReaderContext, operation: Operation, inputs: Inputs): Settings {
  const { common, server } = inputs;
  switch (operation) {
    case 'create': {
      const name = inputs.name;
      if (server.ids.length === 0 && !server.text) {
        ctx.problem(
          'server_id is missing: create needs one server ID, or several separated by commas, spaces or new lines',
        );
      }
      return { ...common, operation, serverIds: server.ids, ...(name ? { name } : {}), ...inputs.create };
    }
    case 'restore':
      return { ...common, operation, targets: restoreTargets(ctx, inputs) };
    case 'delete':
      return { ...common, operation, targets: deleteTargets(ctx, inputs) };
    case 'wait':
      return { ...common, operation, targets: waitTargets(ctx, inputs) };
    case 'list': {
      const serverId = server.ids[0];
      return { ...common, operation, ...(serverId !== undefined ? { serverId } : {}) };
    }
    case 'prune':
      return pruneSettings(ctx, inputs);
  }
}

/** The servers (or all), never read from an empty server_id, and a policy with at least one rule. */
function pruneSettings(ctx: ReaderContext, { common, server, create }: Inputs): PruneSettings {
  if (!server.text)
    ctx.problem(
      'server_id is missing: prune needs one or more server IDs, or all for every server that holds a snapshot; an empty server_id is never read as all',
    );
  const { keep, keepWithinMs, prunePrefix } = create;
  // keep or keep_within given but malformed has its own line already.
  if (/^0*$/.test(ctx.read('keep')) && !ctx.read('keep_within'))
    ctx.problem(
      'prune has no policy: set keep (the newest N to keep, 1-5), keep_within (a window like 14d), or both; with neither it would delete every snapshot but the newest',
    );
  const servers = server.all ? 'all' : server.ids;
  return { ...common, operation: 'prune', servers, keep, keepWithinMs, prunePrefix };
}

export function parseSettings(read: InputReader, env: NodeJS.ProcessEnv = process.env): ParsedSettings {
  const ctx = createContext(read, env);
  const operation = readOperation(ctx);
  // Every input is read, and so checked, whatever the operation: one run shows every problem.
  const common = readCommon(ctx, operation);
  const server = readServerIds(ctx, operation);
  const name = readName(ctx);
  const snapshot = readSnapshotId(ctx, operation);
  const fleet = readSnapshotIds(ctx);
  const create = readCreateOptions(ctx);
  const inputs: Inputs = {
    common,
    create,
    server,
    ...(name !== undefined ? { name } : {}),
    ...(snapshot ? { snapshot } : {}),
    ...(fleet ? { fleet } : {}),
  };
  const settings = operation && settingsFor(ctx, operation, inputs);
  if (ctx.problems.length > 0 || !operation || !settings) throw new SettingsError(ctx.problems);
  return { settings, warnings: ignoredInputs(read, operation) };
}
