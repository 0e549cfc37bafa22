// Inputs -> one typed, validated settings object. Every malformed input is refused here, before any
// request: each reader checks one input and records a line per problem, and all lines are thrown at once.
import { readCommon, readOperation } from './common.ts';
import { createContext, type ReaderContext } from './context.ts';
import { SettingsError } from './errors.ts';
import { readServerIds, readSnapshotId } from './ids.ts';
import { type CreateOptions, readCreateOptions, readName } from './readers.ts';
import { readSnapshotIds } from './snapshot-ids.ts';
import { deleteTargets, restoreTargets, type TargetInputs, waitTargets } from './targets.ts';
import type { CommonSettings, InputReader, Operation, ParsedSettings, Settings } from './types.ts';
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
  }
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
