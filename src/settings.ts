// Inputs -> one typed, validated settings object. Every malformed input is refused here, before any request.
import { checkApiUrl, DEFAULT_API_URL } from './api/url.ts';
import { parseDuration } from './duration.ts';

export const OPERATIONS = ['create', 'restore', 'delete', 'list'] as const;
export type Operation = (typeof OPERATIONS)[number];
export const MAX_KEEP = 5;
export const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
export const DEFAULT_TIMEOUT = '30m';
export const DEFAULT_PRUNE_PREFIX = 'pre-deploy-';
/** Most servers one step snapshots at once. */
export const MAX_FLEET = 100;

interface Common {
  apiUrl: string;
  token: string;
  dryRun: boolean;
  wait: boolean;
  timeoutMs: number;
  /** Longest wait for one answer (env VPS_API_REQUEST_TIMEOUT); the client's default when absent. */
  requestTimeoutMs?: number;
}

/** Which snapshot a restore or delete acts on. */
export type SnapshotRef =
  | { by: 'id'; snapshotId: number; serverId?: number }
  | { by: 'name'; name: string; serverId: number }
  | { by: 'latest'; serverId: number };

export interface CreateSettings extends Common {
  operation: 'create';
  serverIds: number[];
  /** Undefined: made from the GitHub context. */
  name?: string;
  description?: string;
  restoreOnFailure: boolean;
  keep: number;
  prunePrefix: string;
}

export interface RestoreSettings extends Common {
  operation: 'restore';
  target: SnapshotRef;
}

export interface DeleteSettings extends Common {
  operation: 'delete';
  target: SnapshotRef;
}

export interface ListSettings extends Common {
  operation: 'list';
  serverId?: number;
}

export type Settings = CreateSettings | RestoreSettings | DeleteSettings | ListSettings;

/** Every problem found, one line each, so a user fixes them all in one go. */
export class SettingsError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'SettingsError';
    this.problems = problems;
  }
}

export type InputReader = (name: string) => string;

const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

/** The inputs that make sense for each operation; others given are named in a warning. */
const INPUTS_FOR: Record<Operation, string[]> = {
  create: [
    'server_id',
    'name',
    'description',
    'wait',
    'timeout',
    'restore_on_failure',
    'keep',
    'prune_prefix',
  ],
  restore: ['server_id', 'name', 'snapshot_id', 'wait', 'timeout'],
  delete: ['server_id', 'name', 'snapshot_id'],
  list: ['server_id'],
};
/** action.yml's defaults: the runner passes them for every step, so only other values were chosen. */
const DEFAULTS: Record<string, string> = {
  wait: 'true',
  timeout: DEFAULT_TIMEOUT,
  restore_on_failure: 'false',
  keep: '0',
  prune_prefix: DEFAULT_PRUNE_PREFIX,
};

/** The token from the input, else from VPS_API_TOKEN; main and post steps read it the same way. */
export function readToken(read: InputReader, env: NodeJS.ProcessEnv = process.env): string {
  return read('api_token') || (env.VPS_API_TOKEN ?? '').trim();
}

/** VPS_API_REQUEST_TIMEOUT in milliseconds, undefined when unset; throws when it does not parse. */
export function readRequestTimeout(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = (env.VPS_API_REQUEST_TIMEOUT ?? '').trim();
  if (!text) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new SettingsError([
      `VPS_API_REQUEST_TIMEOUT '${text}' is not a duration: give seconds (30) or with a unit (30s)`,
    ]);
  }
  return ms;
}

export interface ParsedSettings {
  settings: Settings;
  warnings: string[];
}

export function parseSettings(read: InputReader, env: NodeJS.ProcessEnv = process.env): ParsedSettings {
  const problems: string[] = [];
  const warnings: string[] = [];

  const operationText = read('operation') || 'create';
  const operation = OPERATIONS.find((op) => op === operationText);
  if (!operation) {
    problems.push(`operation '${operationText}' is not one of ${OPERATIONS.join(', ')}`);
  }

  const token = readToken(read, env);
  if (!token) {
    problems.push(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, shown to the user as is
      'api_token is missing: pass it as an input (api_token: ${{ secrets.VPS_API_TOKEN }}) or set VPS_API_TOKEN',
    );
  }

  let apiUrl = DEFAULT_API_URL;
  try {
    apiUrl = checkApiUrl(read('api_url') || DEFAULT_API_URL).href.replace(/\/$/, '');
  } catch (error) {
    problems.push((error as Error).message);
  }

  const bool = (name: string, fallback: boolean): boolean => {
    const text = read(name);
    if (text === '') return fallback;
    if (TRUE.has(text)) return true;
    if (FALSE.has(text)) return false;
    problems.push(`${name} '${text}' is not a boolean: use true or false`);
    return fallback;
  };
  const dryRun = bool('dry_run', false);
  const wait = bool('wait', true);
  const restoreOnFailure = bool('restore_on_failure', false);

  const timeoutText = read('timeout') || DEFAULT_TIMEOUT;
  const timeoutMs = parseDuration(timeoutText);
  if (timeoutMs === undefined || timeoutMs <= 0) {
    problems.push(
      `timeout '${timeoutText}' is not a duration: give seconds (900) or a number with a unit (90s, 15m, 1h)`,
    );
  }

  let requestTimeoutMs: number | undefined;
  try {
    requestTimeoutMs = readRequestTimeout(env);
  } catch (error) {
    problems.push((error as Error).message);
  }

  const serverText = read('server_id');
  const serverParts = serverText.split(/[\s,]+/).filter(Boolean);
  const serverIds: number[] = [];
  for (const part of serverParts) {
    if (!/^\d{1,15}$/.test(part) || Number(part) <= 0) {
      problems.push(`server_id '${part}' is not a number: give one or more numeric server IDs`);
    } else if (serverIds.includes(Number(part))) {
      problems.push(`server_id ${part} is given twice: name each server once`);
    } else serverIds.push(Number(part));
  }
  if (serverIds.length > 1 && operation !== undefined && operation !== 'create') {
    problems.push(
      `server_id '${serverText}' names ${serverIds.length} servers: ${operation} takes one server ID`,
    );
  }
  if (serverIds.length > MAX_FLEET) {
    problems.push(`server_id names ${serverIds.length} servers: at most ${MAX_FLEET} in one step`);
  }
  const serverId = serverIds[0];

  const name = read('name');
  if (name && !NAME_PATTERN.test(name)) {
    problems.push(`name '${name}' may contain only letters, digits, '-' and '_'`);
  }

  const snapshotText = read('snapshot_id');
  let snapshotId: number | 'latest' | undefined;
  if (snapshotText === 'latest') snapshotId = 'latest';
  else if (snapshotText !== '') {
    if (/^\d{1,15}$/.test(snapshotText) && Number(snapshotText) > 0) snapshotId = Number(snapshotText);
    else
      problems.push(`snapshot_id '${snapshotText}' is not a number: give a numeric snapshot ID or 'latest'`);
  }

  const keepText = read('keep') || '0';
  let keep = 0;
  if (!/^\d+$/.test(keepText))
    problems.push(`keep '${keepText}' is not a whole number: give 0 (no rotation) to ${MAX_KEEP}`);
  else if (Number(keepText) > MAX_KEEP) {
    problems.push(
      `keep ${keepText} is above ${MAX_KEEP}, the provider's limit of snapshots per server: give 0 to ${MAX_KEEP}`,
    );
  } else keep = Number(keepText);

  const prunePrefix = read('prune_prefix') || DEFAULT_PRUNE_PREFIX;
  if (!NAME_PATTERN.test(prunePrefix)) {
    problems.push(`prune_prefix '${prunePrefix}' may contain only letters, digits, '-' and '_'`);
  }

  const description = read('description');

  if (operation) {
    const given = ['server_id', 'name', 'description', 'snapshot_id', ...Object.keys(DEFAULTS)].filter(
      (input) =>
        read(input) !== '' && read(input) !== DEFAULTS[input] && !INPUTS_FOR[operation].includes(input),
    );
    if (given.length > 0)
      warnings.push(
        `${given.join(', ')} ${given.length > 1 ? 'do' : 'does'} not apply to ${operation}: ignored`,
      );
  }

  let target: SnapshotRef | undefined;
  if (operation === 'restore' || operation === 'delete') {
    if (snapshotId !== undefined && name) {
      problems.push(
        `snapshot_id and name are both given: ${operation} one snapshot by snapshot_id, or by name with server_id`,
      );
    } else if (snapshotId === 'latest' || (snapshotId === undefined && name)) {
      if (serverId === undefined) {
        problems.push(
          `server_id is missing: ${snapshotId === 'latest' ? "snapshot_id 'latest'" : `name '${name}'`} picks a snapshot of one server`,
        );
      } else target = snapshotId === 'latest' ? { by: 'latest', serverId } : { by: 'name', name, serverId };
    } else if (typeof snapshotId === 'number') {
      target = { by: 'id', snapshotId, ...(serverId !== undefined ? { serverId } : {}) };
    } else if (snapshotText === '') {
      problems.push(
        `${operation} needs snapshot_id (a numeric ID or 'latest' with server_id) or name with server_id`,
      );
    }
  }
  if (operation === 'create' && serverIds.length === 0 && !serverParts.length) {
    problems.push(
      'server_id is missing: create needs one server ID, or several separated by commas, spaces or new lines',
    );
  }

  if (problems.length > 0 || !operation) throw new SettingsError(problems);
  const common: Common = {
    apiUrl,
    token,
    dryRun,
    wait,
    timeoutMs: timeoutMs as number,
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
  };
  switch (operation) {
    case 'create':
      return {
        settings: {
          ...common,
          operation,
          serverIds,
          ...(name ? { name } : {}),
          ...(description ? { description } : {}),
          restoreOnFailure,
          keep,
          prunePrefix,
        },
        warnings,
      };
    case 'restore':
    case 'delete':
      return { settings: { ...common, operation, target: target as SnapshotRef }, warnings };
    case 'list':
      return {
        settings: { ...common, operation, ...(serverId !== undefined ? { serverId } : {}) },
        warnings,
      };
  }
}
