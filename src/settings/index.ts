// Inputs -> one typed Settings. Every input is read, and so checked, whatever the operation (inputs.ts); this
// file combines them per operation, and all problems are thrown together before any request.
import {
  type ById,
  DEFAULT_PRUNE_PREFIX,
  DEFAULT_TIMEOUT,
  type Reader,
  readBoolean,
  readCommon,
  readName,
  readRetention,
  readServerIds,
  readSnapshotId,
  readSnapshotIds,
  SettingsError,
  shown,
} from './inputs.ts';
import { type InputReader, OPERATIONS, type Operation, type Settings, type SnapshotRef } from './types.ts';

export { parseDuration } from './duration.ts';
export {
  DEFAULT_PRUNE_PREFIX,
  DEFAULT_TIMEOUT,
  MAX_FLEET,
  MAX_KEEP,
  NAME_PATTERN,
  readLagWindow,
  readRequestTimeout,
  readToken,
  SettingsError,
} from './inputs.ts';
export type * from './types.ts';
export { OPERATIONS } from './types.ts';

/** The inputs each operation takes; others given a value of their own (not action.yml's) make one warning. */
const INPUTS_FOR: Record<Operation, string> = {
  create:
    'server_id name description wait timeout restore_on_failure restore_on_cancel keep keep_within prune_prefix',
  restore: 'server_id name snapshot_id snapshot_ids wait timeout',
  delete: 'server_id name snapshot_id snapshot_ids',
  list: 'server_id',
  wait: 'server_id snapshot_id snapshot_ids wait timeout',
  prune: 'server_id keep keep_within prune_prefix',
};
/** action.yml's defaults: the runner passes them for every step, so they were not chosen. */
const DEFAULTS: Record<string, string> = {
  wait: 'true',
  timeout: DEFAULT_TIMEOUT,
  restore_on_failure: 'false',
  restore_on_cancel: 'false',
  keep: '0',
  prune_prefix: DEFAULT_PRUNE_PREFIX,
};
const takes = (operation: Operation, input: string) => INPUTS_FOR[operation].split(' ').includes(input);

/** How restore, delete and wait may name the snapshots they act on. */
const WAYS: Partial<Record<Operation, string>> = {
  restore: "snapshot_id (one ID, or 'latest' with server_id), name with server_id, or snapshot_ids alone",
  delete: 'snapshot_id (one or more IDs), name with server_id, or snapshot_ids alone',
  wait: 'snapshot_id (one or more IDs) or snapshot_ids alone',
};

type Given = { serverId: number | undefined; snapshot: number[] | 'latest'; fleet: ById[] | undefined };

/** The snapshots restore, delete or wait act on, named in one of its WAYS. */
function readTargets(r: Reader, operation: Operation, { serverId, snapshot, fleet }: Given): SnapshotRef[] {
  const ways = `${WAYS[operation]} (the create step's output)`;
  const given = ['snapshot_id', 'name', 'snapshot_ids'].filter(
    (input) => r.read(input) && takes(operation, input),
  );
  if (r.read('snapshot_ids') && r.read('server_id')) given.push('server_id');
  if (given.length > 1)
    r.problem(
      `${given.join(', ').replace(/, (\w+)$/, ' and $1')} are given together: ${operation} takes ${ways}`,
    );
  if (given.length === 0) r.problem(`${operation} needs ${ways}`);
  const [way] = given;
  const name = r.read('name');
  if (given.length > 1 || way === undefined) return [];
  if (way === 'snapshot_ids' && fleet?.length === 0) {
    const none = '(its create step made none, or was a dry run): give those of a create step that made some';
    r.problem(`snapshot_ids '${shown(r.read('snapshot_ids'))}' names no snapshot ${none}`);
  }
  if (way === 'snapshot_ids') return fleet ?? [];
  if (way === 'snapshot_id' && snapshot !== 'latest')
    return snapshot.map((snapshotId) => ({ by: 'id', snapshotId, serverId }));
  if (serverId) return [snapshot === 'latest' ? { by: 'latest', serverId } : { by: 'name', name, serverId }];
  const pick = snapshot === 'latest' ? "snapshot_id 'latest'" : `name '${shown(name)}'`;
  // A server_id that is given but malformed has its line already.
  if (!r.read('server_id')) r.problem(`server_id is missing: ${pick} picks a snapshot of one server`);
  return [];
}

/** At most one warning: the inputs given a value of their own (not action.yml's) that the operation ignores. */
function ignoredInputs(read: InputReader, operation: Operation): string[] {
  const optional =
    'server_id name description snapshot_id snapshot_ids wait timeout restore_on_failure restore_on_cancel keep';
  const ignored = `${optional} keep_within prune_prefix`
    .split(' ')
    .filter((input) => !takes(operation, input));
  const given = ignored.filter((input) => !['', DEFAULTS[input]].includes(read(input)));
  const verb = given.length > 1 ? 'do' : 'does';
  return given.length > 0 ? [`${given.join(', ')} ${verb} not apply to ${operation}: ignored`] : [];
}

export function parseSettings(
  read: InputReader,
  env: NodeJS.ProcessEnv = process.env,
): { settings: Settings; warnings: string[] } {
  const problems: string[] = [];
  const r: Reader = { read, env, problem: (...lines) => problems.push(...lines) };
  const text = read('operation') || 'create';
  const operation = OPERATIONS.find((op) => op === text);
  if (!operation) r.problem(`operation '${shown(text)}' is not one of ${OPERATIONS.join(', ')}`);
  const common = readCommon(r, operation);
  const servers = readServerIds(r, operation);
  const serverIds = servers === 'all' ? [] : servers;
  const name = readName(r, 'name') || undefined;
  const snapshot = readSnapshotId(r, operation);
  const fleet = readSnapshotIds(r);
  const restoreOnFailure = readBoolean(r, 'restore_on_failure', false);
  // Read by the post step; checked here, so a value the post step would refuse is refused before any work.
  readBoolean(r, 'restore_on_cancel', false);
  const retention = readRetention(r);
  let settings: Settings | undefined;
  if (operation === 'create') {
    if (!read('server_id')) r.problem('server_id is missing: create needs one or more server IDs');
    const description = read('description') || undefined;
    settings = { ...common, operation, serverIds, name, description, restoreOnFailure, ...retention };
  } else if (operation === 'list') {
    settings = { ...common, operation, serverId: serverIds[0] };
  } else if (operation === 'prune') {
    const never = 'an empty server_id is never read as all';
    if (!read('server_id'))
      r.problem(`server_id is missing: prune needs one or more server IDs, or all; ${never}`);
    const rules = 'set keep (the newest N to keep, 1-5), keep_within (a window like 14d), or both';
    const why = 'with neither it would delete every snapshot but the newest';
    // A keep or keep_within that is given but malformed has its line already.
    if (/^0*$/.test(read('keep')) && !read('keep_within')) r.problem(`prune has no policy: ${rules}; ${why}`);
    settings = { ...common, operation, servers, ...retention };
  } else if (operation) {
    const targets = readTargets(r, operation, { serverId: serverIds[0], snapshot, fleet });
    const ids = targets.filter((target) => target.by === 'id').map(({ by: _, ...target }) => target);
    settings =
      operation === 'wait' ? { ...common, operation, targets: ids } : { ...common, operation, targets };
  }
  if (problems.length > 0 || !settings) throw new SettingsError(problems);
  return { settings, warnings: ignoredInputs(read, settings.operation) };
}
