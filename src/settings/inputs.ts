// One reader per input: each checks its input alone and records a line per problem, naming the input, its value
// and what would be accepted. How the inputs combine for each operation is in index.ts.
import { checkApiUrl, DEFAULT_API_URL } from '../api/url.ts';
import { parseDuration } from './duration.ts';
import type { InputReader, Operation, SnapshotRef } from './types.ts';

export const MAX_KEEP = 5;
export const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
export const DEFAULT_TIMEOUT = '30m';
export const DEFAULT_PRUNE_PREFIX = 'pre-deploy-';
/** Most servers (or snapshots) one step acts on at once. */
export const MAX_FLEET = 100;
/** A default name adds at most 50 characters to prune_prefix, and the provider takes at most 100. */
const MAX_PREFIX_LENGTH = 40;

/** Every problem found, one line each, so a user fixes them all in one go. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

export type Reader = { read: InputReader; env: NodeJS.ProcessEnv; problem: (...lines: string[]) => void };

/** A value as a problem quotes it: on one line, and cut short when long. */
export function shown(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** The token from the input, else from VPS_API_TOKEN; main and post steps read it the same way. */
export function readToken(read: InputReader, env: NodeJS.ProcessEnv = process.env): string {
  return read('api_token') || (env.VPS_API_TOKEN ?? '').trim();
}

/** A duration from the environment, in ms: undefined when unset; a problem (thrown, unless given) when malformed. */
function envDuration(env: NodeJS.ProcessEnv, name: string, zero: boolean, problem?: Reader['problem']) {
  const text = (env[name] ?? '').trim();
  const ms = text ? parseDuration(text) : undefined;
  if (!text || (ms !== undefined && (ms > 0 || zero))) return ms;
  const line = `${name} '${shown(text)}' is not a duration: give seconds (30) or with a unit (30s)`;
  if (!problem) throw new SettingsError([line]);
  problem(line);
}

/** VPS_API_REQUEST_TIMEOUT: the longest wait for one answer. */
export const readRequestTimeout = (env: NodeJS.ProcessEnv = process.env): number | undefined =>
  envDuration(env, 'VPS_API_REQUEST_TIMEOUT', false);

/** VPS_API_SETTLE_WINDOW: how long a write may take to show in the provider's lists (30 s when unset). */
export const readLagWindow = (env: NodeJS.ProcessEnv = process.env): number | undefined =>
  envDuration(env, 'VPS_API_SETTLE_WINDOW', true);

/** YAML 1.2 booleans only: not yes/no/on/off/1/0. */
export function readBoolean(r: Reader, input: string, fallback: boolean): boolean {
  const text = r.read(input);
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  if (['false', 'False', 'FALSE'].includes(text)) return false;
  if (text) r.problem(`${input} '${shown(text)}' is not a boolean: use true or false`);
  return fallback;
}

/** name and prune_prefix: letters, digits, '-' and '_'. */
export function readName(r: Reader, input: string, fallback = ''): string {
  const name = r.read(input) || fallback;
  const limit = `at most ${MAX_PREFIX_LENGTH}, so that default names stay within the provider's 100`;
  if (name && !NAME_PATTERN.test(name)) {
    r.problem(`${input} '${shown(name)}' may contain only letters, digits, '-' and '_'`);
  } else if (input === 'prune_prefix' && name.length > MAX_PREFIX_LENGTH) {
    r.problem(`prune_prefix '${name}' is ${name.length} characters: ${limit}`);
  }
  return name;
}

export function readCommon(r: Reader, operation: Operation | undefined) {
  const token = readToken(r.read, r.env);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, shown to the user as is
  const input = 'as an input (api_token: ${{ secrets.VPS_API_TOKEN }})';
  if (!token) r.problem(`api_token is missing: pass it ${input} or set VPS_API_TOKEN`);
  let apiUrl = DEFAULT_API_URL;
  try {
    apiUrl = checkApiUrl(r.read('api_url') || DEFAULT_API_URL).href.replace(/\/$/, '');
  } catch (error) {
    r.problem((error as Error).message.replace(/\s+/g, ' '));
  }
  const dryRun = readBoolean(r, 'dry_run', false);
  const wait = readBoolean(r, 'wait', true);
  const nothing = 'would wait for nothing: leave wait at true (its default), or drop the step';
  if (!wait && operation === 'wait') r.problem(`wait '${r.read('wait')}' with operation wait ${nothing}`);
  const timeout = r.read('timeout') || DEFAULT_TIMEOUT;
  const timeoutMs = parseDuration(timeout) ?? 0;
  const units = 'give seconds (900) or a number with a unit (90s, 15m, 1h)';
  if (timeoutMs <= 0) r.problem(`timeout '${shown(timeout)}' is not a duration: ${units}`);
  const requestTimeoutMs = envDuration(r.env, 'VPS_API_REQUEST_TIMEOUT', false, r.problem);
  const lagWindowMs = envDuration(r.env, 'VPS_API_SETTLE_WINDOW', true, r.problem);
  return { apiUrl, token, dryRun, wait, timeoutMs, requestTimeoutMs, lagWindowMs };
}

/** keep, keep_within (a window with its unit: 36h, 14d, 2w, 1w3d) and prune_prefix: create's and prune's. */
export function readRetention(r: Reader) {
  const keep = r.read('keep') || '0';
  const limit = `the provider's limit of snapshots per server: give 0 to ${MAX_KEEP}`;
  if (!/^\d+$/.test(keep)) r.problem(`keep '${shown(keep)}' is not a whole number: give 0 to ${MAX_KEEP}`);
  else if (Number(keep) > MAX_KEEP) r.problem(`keep ${keep} is above ${MAX_KEEP}, ${limit}`);
  const window = r.read('keep_within');
  let keepWithinMs = 0;
  for (const [, amount, unit] of window.toLowerCase().matchAll(/(\d+)([hdw])/g)) {
    keepWithinMs += Number(amount) * 3_600_000 * (unit === 'h' ? 1 : unit === 'd' ? 24 : 168);
  }
  let why = '';
  if (/^-?\d+(\.\d+)?$/.test(window)) why = 'has no unit, and a bare number is never what a window means';
  else if (window && !/^(\d{1,6}[hdw])+$/i.test(window)) why = 'is not a window';
  else if (window && keepWithinMs === 0) why = 'is zero, which keeps nothing';
  const next = 'give whole hours, days or weeks with their unit, like 36h, 14d or 2w, or leave it empty';
  if (why) r.problem(`keep_within '${shown(window)}' ${why}: ${next}`);
  return { keep: Number(keep), keepWithinMs, prunePrefix: readName(r, 'prune_prefix', DEFAULT_PRUNE_PREFIX) };
}

/** A numeric ID as inputs give it: digits only, positive, at most 15 of them; 0 when it is not one. */
const parseId = (text: string) => (/^\d{1,15}$/.test(text) ? Number(text) : 0);

/** server_id or snapshot_id: IDs separated by commas, spaces or new lines, each once; at most `max`. */
function readIds(r: Reader, input: string, hint: string, max: number, operation?: Operation): number[] {
  const text = r.read(input);
  const noun = input === 'server_id' ? 'server' : 'snapshot';
  const ids = new Set<number>();
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const id = parseId(part);
    if (!id) r.problem(`${input} '${shown(part)}' is not a number: ${hint}`);
    else if (ids.has(id)) r.problem(`${input} ${part} is given twice: name each ${noun} once`);
    else ids.add(id);
  }
  const many = `${input} '${shown(text)}' names ${ids.size} ${noun}s`;
  if (ids.size > MAX_FLEET)
    r.problem(`${input} names ${ids.size} ${noun}s: at most ${MAX_FLEET} in one step`);
  else if (ids.size > max) r.problem(`${many}: ${operation} takes one ${noun} ID`);
  return [...ids];
}

/** server_id: several for create and prune (a fleet) only; all (every server holding a snapshot) for prune only. */
export function readServerIds(r: Reader, operation: Operation | undefined): number[] | 'all' {
  const text = r.read('server_id');
  const fleet = !operation || operation === 'create' || operation === 'prune';
  const hint = `give one or more numeric server IDs${operation === 'prune' ? ', or all' : ''}`;
  if (!text.split(/[\s,]+/).includes('all'))
    return readIds(r, 'server_id', hint, fleet ? MAX_FLEET : 1, operation);
  const mixed = 'mixes all with server IDs: give all alone, or only IDs';
  const why = text === 'all' ? 'is for operation prune only: give numeric server IDs' : mixed;
  if (text !== 'all' || (operation && operation !== 'prune')) r.problem(`server_id '${shown(text)}' ${why}`);
  return 'all';
}

/** snapshot_id: one ID or latest for restore; one or more IDs for delete and wait. */
export function readSnapshotId(r: Reader, operation: Operation | undefined): number[] | 'latest' {
  const one = operation === 'restore';
  const hint = one ? "give a numeric snapshot ID or 'latest'" : 'give one or more numeric snapshot IDs';
  if (r.read('snapshot_id') !== 'latest')
    return readIds(r, 'snapshot_id', hint, one ? 1 : MAX_FLEET, operation);
  // Which snapshot is the latest changes with every snapshot made: too easy to delete the wrong one.
  if (operation !== 'delete' && operation !== 'wait') return 'latest';
  r.problem(`snapshot_id 'latest' is for restore only: ${hint}`);
  return [];
}

export type ById = Extract<SnapshotRef, { by: 'id' }>;
const FROM_CREATE = `give the create step's snapshot_ids output, server ID to snapshot ID, like {"12345": 802, "12346": 803}`;

/** snapshot_ids, the JSON object create writes; undefined when not given or malformed. */
export function readSnapshotIds(r: Reader): ById[] | undefined {
  const text = r.read('snapshot_ids');
  let object: unknown;
  try {
    object = text ? JSON.parse(text) : undefined;
  } catch {
    r.problem(`snapshot_ids '${shown(text)}' is not JSON: ${FROM_CREATE}`);
  }
  if (object === undefined) return undefined;
  const entries = typeof object === 'object' && object !== null && !Array.isArray(object) ? object : [];
  const targets = Object.entries(entries).map(([key, value]): ById => {
    const snapshotId = typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
    return { by: 'id', snapshotId, serverId: parseId(key) };
  });
  let why = '';
  if (entries !== object || targets.some((target) => !(target.serverId && target.snapshotId))) {
    why = 'is not a JSON object of server IDs to snapshot IDs';
  } else if (new Set(targets.map((target) => target.serverId)).size < targets.length) {
    why = 'names a server twice'; // as two keys like '012' and '12'
  } else if (targets.length > MAX_FLEET)
    why = `names ${targets.length} servers: at most ${MAX_FLEET} in one step`;
  if (why) r.problem(`snapshot_ids '${shown(text)}' ${why}; ${FROM_CREATE}`);
  return why ? undefined : targets;
}
