// Readers for the inputs every operation shares: operation, token, URL, booleans, timeouts.
import { checkApiUrl, DEFAULT_API_URL } from '../api/url.ts';
import { DEFAULT_TIMEOUT, OPERATIONS } from './constants.ts';
import { oneLine, type ReaderContext, shown } from './context.ts';
import { parseDuration } from './duration.ts';
import { SettingsError } from './errors.ts';
import type { CommonSettings, InputReader, Operation } from './types.ts';

/** YAML 1.2 booleans only: not yes/no/on/off/1/0. */
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

/** The token from the input, else from VPS_API_TOKEN; main and post steps read it the same way. */
export function readToken(read: InputReader, env: NodeJS.ProcessEnv = process.env): string {
  return read('api_token') || (env.VPS_API_TOKEN ?? '').trim();
}

/** A duration from an environment variable, in milliseconds; undefined when unset; throws when it does not parse. */
function readEnvDuration(env: NodeJS.ProcessEnv, name: string, allowZero: boolean): number | undefined {
  const text = (env[name] ?? '').trim();
  if (!text) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms < 0 || (ms === 0 && !allowZero)) {
    throw new SettingsError([
      `${name} '${shown(text)}' is not a duration: give seconds (30) or with a unit (30s)`,
    ]);
  }
  return ms;
}

/** VPS_API_REQUEST_TIMEOUT in milliseconds, undefined when unset; throws when it does not parse. */
export function readRequestTimeout(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return readEnvDuration(env, 'VPS_API_REQUEST_TIMEOUT', false);
}

/**
 * VPS_API_SETTLE_WINDOW: how long a write may take to show in the provider's lists (30 s when unset).
 * Lower it only for a provider whose lists are known to be current.
 */
export function readLagWindow(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return readEnvDuration(env, 'VPS_API_SETTLE_WINDOW', true);
}

export function readOperation(ctx: ReaderContext): Operation | undefined {
  const text = ctx.read('operation') || 'create';
  const operation = OPERATIONS.find((op) => op === text);
  if (!operation) ctx.problem(`operation '${shown(text)}' is not one of ${OPERATIONS.join(', ')}`);
  return operation;
}

function readTokenInput(ctx: ReaderContext): string {
  const token = readToken(ctx.read, ctx.env);
  if (!token) {
    ctx.problem(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, shown to the user as is
      'api_token is missing: pass it as an input (api_token: ${{ secrets.VPS_API_TOKEN }}) or set VPS_API_TOKEN',
    );
  }
  return token;
}

function readApiUrl(ctx: ReaderContext): string {
  try {
    return checkApiUrl(ctx.read('api_url') || DEFAULT_API_URL).href.replace(/\/$/, '');
  } catch (error) {
    ctx.problem(oneLine((error as Error).message));
    return DEFAULT_API_URL;
  }
}

export function readBoolean(ctx: ReaderContext, name: string, fallback: boolean): boolean {
  const text = ctx.read(name);
  if (text === '') return fallback;
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  ctx.problem(`${name} '${shown(text)}' is not a boolean: use true or false`);
  return fallback;
}

/** `wait`; false is refused for operation wait, which does nothing but wait. */
function readWait(ctx: ReaderContext, operation: Operation | undefined): boolean {
  const wait = readBoolean(ctx, 'wait', true);
  if (!wait && operation === 'wait') {
    ctx.problem(
      `wait '${ctx.read('wait')}' with operation wait would wait for nothing: leave wait at true (its default), or drop the step`,
    );
  }
  return wait;
}

function readTimeout(ctx: ReaderContext): number {
  const text = ctx.read('timeout') || DEFAULT_TIMEOUT;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    ctx.problem(
      `timeout '${shown(text)}' is not a duration: give seconds (900) or a number with a unit (90s, 15m, 1h)`,
    );
    return 0;
  }
  return ms;
}

function fromEnv(
  ctx: ReaderContext,
  reader: (env: NodeJS.ProcessEnv) => number | undefined,
): number | undefined {
  try {
    return reader(ctx.env);
  } catch (error) {
    for (const line of (error as SettingsError).problems) ctx.problem(line);
    return undefined;
  }
}

/** The fields of every operation's settings. */
export function readCommon(ctx: ReaderContext, operation: Operation | undefined): CommonSettings {
  const token = readTokenInput(ctx);
  const apiUrl = readApiUrl(ctx);
  const dryRun = readBoolean(ctx, 'dry_run', false);
  const wait = readWait(ctx, operation);
  const timeoutMs = readTimeout(ctx);
  const requestTimeoutMs = fromEnv(ctx, readRequestTimeout);
  const lagWindowMs = fromEnv(ctx, readLagWindow);
  return {
    apiUrl,
    token,
    dryRun,
    wait,
    timeoutMs,
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    ...(lagWindowMs !== undefined ? { lagWindowMs } : {}),
  };
}
