// The Snapshots API client: one method per endpoint, typed results, retries that never duplicate work.
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { type Logger, silentLogger } from '../logger.ts';
import { ApiError, hintFor, providerMessage } from './errors.ts';
import { backoffDelay, DEFAULT_RETRY, parseRetryAfter, type RetryPolicy } from './retry.ts';
import {
  createMessage,
  parseRestoreAccepted,
  parseServer,
  parseSnapshot,
  parseSnapshotPage,
  type RestoreAccepted,
  type ServerInfo,
  ShapeError,
  type Snapshot,
} from './schema.ts';
import { checkApiUrl } from './url.ts';

export interface Timeouts {
  connectMs: number;
  /** From sending the request to the answer's headers. */
  headersMs: number;
  /** Between chunks of the answer's body. */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };

export interface ClientOptions {
  baseUrl: string;
  token: string;
  logger?: Logger;
  timeouts?: Partial<Timeouts>;
  /** Sets both the headers and the body time-out (env VPS_API_REQUEST_TIMEOUT). */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  userAgent?: string;
}

export interface CreateInput {
  serverId: number;
  name: string;
  description?: string;
}

export interface CreateResult {
  snapshot: Snapshot;
  /** The provider's message, e.g. how long it expects to take. */
  message: string;
  /** True when an ambiguous failure was settled by finding the snapshot this call had made. */
  adopted: boolean;
}

interface Answer {
  status: number;
  body: unknown;
  /** The body was not JSON. */
  raw: boolean;
  headers: Record<string, string | string[] | undefined>;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const MAX_REDIRECTS = 3;
const MAX_PAGES = 1_000;
const PAGE_SIZE = 100;
/** The longest delay a Node timer takes. */
const MAX_TIMER_MS = 2_147_483_647;
const MAX_CREATE_ATTEMPTS = 3;
/** Codes that prove the request never reached the provider, so even a POST may be sent again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

export class SnapshotsClient {
  readonly baseUrl: URL;
  /** HTTP requests sent, every attempt counted; read by the benchmark and the tests. */
  requestCount = 0;
  private readonly token: string;
  private readonly logger: Logger;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly userAgent: string;
  private readonly dispatcher: Agent;

  constructor(options: ClientOptions) {
    this.baseUrl = checkApiUrl(options.baseUrl);
    if (!options.token) throw new Error('api_token is empty: pass the API token as a secret');
    this.token = options.token;
    this.logger = options.logger ?? silentLogger;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.userAgent = options.userAgent ?? 'vps-snapshot-action';
    const perRequest = options.requestTimeoutMs
      ? { headersMs: options.requestTimeoutMs, bodyMs: options.requestTimeoutMs }
      : {};
    const timeouts = { ...DEFAULT_TIMEOUTS, ...perRequest, ...options.timeouts };
    this.dispatcher = new Agent({
      connect: { timeout: timeouts.connectMs },
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
      keepAliveTimeout: 4_000,
    });
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /**
   * Every snapshot of the account, or of one server, following `next` to the end.
   * `enough` may end the walk early, once the pages read so far hold what the caller needs.
   * `budgetMs` bounds the whole call, retries and the wait for each answer included.
   */
  async listSnapshots(
    serverId?: number,
    enough?: (seen: readonly Snapshot[]) => boolean,
    budgetMs?: number,
  ): Promise<Snapshot[]> {
    const deadline = budgetMs === undefined ? undefined : this.now() + budgetMs;
    let path = serverId === undefined ? '/snapshots/' : `/snapshots/?server_id=${serverId}`;
    const seen: Snapshot[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const answer = await this.call('GET', path, undefined, deadline === undefined ? {} : { deadline });
      const parsed = this.parse(answer, 'GET', path, parseSnapshotPage);
      seen.push(...parsed.results);
      if (!parsed.next || enough?.(seen)) return seen;
      path = this.pathOf(parsed.next, 'GET', path);
    }
    throw new ApiError({
      kind: 'invalid-response',
      method: 'GET',
      path,
      detail: `more than ${MAX_PAGES} pages`,
      hint: 'The provider kept sending a next page; report this to the provider',
    });
  }

  async getServer(serverId: number, budgetMs?: number): Promise<ServerInfo> {
    const path = `/servers/${serverId}/`;
    const deadline = budgetMs === undefined ? undefined : this.now() + budgetMs;
    const answer = await this.call('GET', path, undefined, deadline === undefined ? {} : { deadline });
    return this.parse(answer, 'GET', path, parseServer);
  }

  /**
   * Creates a snapshot without ever making two. After an ambiguous failure (reset, time-out, 5xx) it
   * lists the server's snapshots and adopts one of this name that was not there before; only when there
   * is none does it send the POST again.
   * @param existingIds the server's snapshot IDs before this call; listed first when not given.
   */
  async createSnapshot(input: CreateInput, existingIds?: ReadonlySet<number>): Promise<CreateResult> {
    const method = 'POST';
    const path = '/snapshots/';
    const known = existingIds ?? new Set((await this.listSnapshots(input.serverId)).map((s) => s.id));
    const body = {
      server_id: input.serverId,
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
    };
    let lastError: ApiError | undefined;
    for (let attempt = 1; attempt <= MAX_CREATE_ATTEMPTS; attempt++) {
      if (attempt > 1) await this.pause(attempt - 1, lastError, `POST ${path} for '${input.name}'`);
      let answer: Answer;
      try {
        answer = await this.send(method, path, body);
      } catch (error) {
        if (!(error instanceof ApiError) || error.kind === 'http') throw error;
        lastError = error;
        if (error.notSent) continue;
        const adopted = await this.adopt(input, known, error);
        if (adopted) return adopted;
        continue;
      }
      if (answer.status === 201 || answer.status === 200) {
        try {
          return {
            snapshot: parseSnapshot(answer.body),
            message: createMessage(answer.body),
            adopted: false,
          };
        } catch (error) {
          lastError = this.shapeError(error, method, path, answer);
          const adopted = await this.adopt(input, known, lastError);
          if (adopted) return adopted;
          continue;
        }
      }
      lastError = this.statusError(method, path, answer);
      if (answer.status === 429) continue;
      if (answer.status < 500) throw lastError;
      const adopted = await this.adopt(input, known, lastError);
      if (adopted) return adopted;
    }
    throw new ApiError({
      kind: 'ambiguous',
      method,
      path,
      detail: `no snapshot after ${MAX_CREATE_ATTEMPTS} attempts (last: ${lastError?.message ?? 'unknown'})`,
      hint: `No snapshot named '${input.name}' exists on server ${input.serverId}; try again later`,
      cause: lastError,
    });
  }

  /**
   * Starts a restore. After an ambiguous failure it reads the server: `restoring` (or `stopped` where it was
   * not before) means the restore was taken; otherwise the POST is sent once more.
   */
  async restoreSnapshot(
    snapshotId: number,
    server?: { id: number; statusBefore?: string },
  ): Promise<RestoreAccepted & { adopted: boolean }> {
    const method = 'POST';
    const path = `/snapshots/${snapshotId}/restore/`;
    let lastError: ApiError | undefined;
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (attempt > 1) await this.pause(attempt - 1, lastError, `POST ${path}`);
      try {
        const answer = await this.send(method, path, undefined);
        if (answer.status === 200 || answer.status === 202) {
          return { ...this.parse(answer, method, path, parseRestoreAccepted), adopted: false };
        }
        lastError = this.statusError(method, path, answer);
        if (answer.status !== 429 && answer.status < 500) throw lastError;
      } catch (error) {
        if (!(error instanceof ApiError) || error.kind === 'http') throw error;
        lastError = error;
        if (error.notSent) continue;
      }
      if (lastError.status === 429 || !server) continue;
      const now = await this.getServer(server.id).catch(() => undefined);
      if (
        now &&
        (now.status === 'restoring' || (server.statusBefore !== 'stopped' && now.status === 'stopped'))
      ) {
        this.logger.info(
          `The restore request's answer was lost (${lastError.message}), but server ${server.id} is ${now.status}: the restore was taken.`,
        );
        return {
          message: '',
          snapshot: { id: snapshotId, name: '', created_at: '' },
          server: { id: now.id, name: now.name, status: now.status },
          adopted: true,
        };
      }
    }
    throw lastError ?? new ApiError({ kind: 'ambiguous', method, path });
  }

  /** Deletes a snapshot; a 404 after an earlier attempt that may have gone through counts as deleted. */
  async deleteSnapshot(snapshotId: number): Promise<{ alreadyGone: boolean }> {
    const path = `/snapshots/${snapshotId}/`;
    const answer = await this.call('DELETE', path, undefined, { goneAfterRetry: true });
    return { alreadyGone: answer.status === 404 };
  }

  /** A request with retries for GET and DELETE; answers with a 2xx (or the 404 of a repeated DELETE). */
  private async call(
    method: 'GET' | 'DELETE',
    path: string,
    body?: unknown,
    options: { goneAfterRetry?: boolean; deadline?: number } = {},
  ): Promise<Answer> {
    let lastError: ApiError | undefined;
    let mayHaveHappened = false;
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      if (attempt > 1 && !(await this.pause(attempt - 1, lastError, `${method} ${path}`, options.deadline)))
        break;
      let answer: Answer;
      try {
        answer = await this.send(method, path, body, options.deadline);
      } catch (error) {
        // A refused redirect is an answer, not a fault: sending again cannot change it.
        if (!(error instanceof ApiError) || error.kind === 'http') throw error;
        lastError = error;
        mayHaveHappened ||= !error.notSent;
        continue;
      }
      if (answer.status >= 200 && answer.status < 300) {
        if (method === 'GET' && answer.raw) {
          lastError = this.shapeError(new Error('the body is not JSON'), method, path, answer);
          continue;
        }
        return answer;
      }
      if (answer.status === 404 && options.goneAfterRetry && mayHaveHappened) {
        this.logger.debug(
          `${method} ${path}: 404 after an earlier attempt that may have gone through: already done`,
        );
        return answer;
      }
      lastError = this.statusError(method, path, answer);
      if (!RETRYABLE_STATUS.has(answer.status)) throw lastError;
      mayHaveHappened ||= answer.status !== 429;
      if (lastError.retryAfterMs !== undefined && lastError.retryAfterMs > this.retry.maxRetryAfterMs)
        throw lastError;
    }
    throw lastError ?? new ApiError({ kind: 'network', method, path });
  }

  /**
   * Waits before retry number `retry`: `Retry-After` when the provider gave one, else jittered backoff.
   * Returns false, without waiting, when the retry would start after the deadline.
   */
  private async pause(
    retry: number,
    error: ApiError | undefined,
    label: string,
    deadline?: number,
  ): Promise<boolean> {
    const backoff = backoffDelay(this.retry, retry - 1, this.random);
    const wait =
      error?.retryAfterMs !== undefined ? Math.min(error.retryAfterMs, this.retry.maxRetryAfterMs) : backoff;
    if (deadline !== undefined && this.now() + wait >= deadline) {
      this.logger.debug(`${label}: no retry, the time limit is near (${error?.message ?? 'a failure'})`);
      return false;
    }
    this.logger.debug(`${label}: retry ${retry} in ${wait} ms after ${error?.message ?? 'a failure'}`);
    await this.sleep(wait);
    return true;
  }

  private async adopt(
    input: CreateInput,
    known: ReadonlySet<number>,
    failure: ApiError,
  ): Promise<CreateResult | undefined> {
    this.logger.info(
      `The create request for '${input.name}' on server ${input.serverId} may or may not have gone through (${failure.message}); checking the server's snapshots before trying again.`,
    );
    const listed = await this.listSnapshots(input.serverId).catch((error: unknown) => {
      throw new ApiError({
        kind: 'ambiguous',
        method: 'POST',
        path: '/snapshots/',
        detail: `an unknown outcome (${failure.message}), and the check failed too (${error instanceof Error ? error.message : String(error)})`,
        hint: `Server ${input.serverId} may have a new snapshot named '${input.name}': list its snapshots before running again`,
        cause: error,
      });
    });
    const candidates = listed
      .filter((s) => s.name === input.name && s.server.id === input.serverId && !known.has(s.id))
      .sort((a, b) => a.id - b.id);
    const [snapshot] = candidates;
    if (!snapshot) return undefined;
    if (candidates.length > 1) {
      this.logger.warning(
        `Server ${input.serverId} has ${candidates.length} new snapshots named '${input.name}' (${candidates.map((s) => s.id).join(', ')}); tracking the first, ${snapshot.id}.`,
      );
    }
    this.logger.info(
      `Found snapshot ${snapshot.id} '${snapshot.name}': the create had gone through; not sending it again.`,
    );
    return { snapshot, message: '', adopted: true };
  }

  /** One HTTP exchange, following same-origin redirects; throws ApiError for no answer at all. */
  private async send(method: string, path: string, body: unknown, deadline?: number): Promise<Answer> {
    const signal =
      deadline === undefined
        ? undefined
        : AbortSignal.timeout(Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(deadline - this.now()))));
    let url = new URL(this.baseUrl.href + path);
    // page_size is Django REST Framework's usual parameter: where honoured, a fleet's poll is one request.
    if (method === 'GET' && url.pathname.endsWith('/snapshots/'))
      url.searchParams.set('page_size', String(PAGE_SIZE));
    for (let hop = 0; ; hop++) {
      this.requestCount += 1;
      let response: Awaited<ReturnType<typeof request>>;
      try {
        response = await request(url, {
          method: method as 'GET',
          dispatcher: this.dispatcher,
          ...(signal ? { signal } : {}),
          headers: {
            authorization: `Bearer ${this.token}`,
            'content-type': 'application/json',
            accept: 'application/json',
            'user-agent': this.userAgent,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (error) {
        throw this.transportError(error, method, path);
      }
      let text: string;
      try {
        text = await response.body.text();
      } catch (error) {
        throw this.transportError(error, method, path);
      }
      const location = response.headers.location;
      if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
        const target = new URL(location, url);
        if (target.origin !== this.baseUrl.origin || hop >= MAX_REDIRECTS) {
          throw new ApiError({
            kind: 'http',
            method,
            path,
            status: response.statusCode,
            detail: `a redirect to ${target.origin}${target.pathname}`,
            hint:
              target.origin !== this.baseUrl.origin
                ? `The token is not sent to another origin; set api_url to ${target.origin}${target.pathname.replace(/\/snapshots\/.*$|\/servers\/.*$/, '')} if that is the API`
                : 'Too many redirects; check api_url',
          });
        }
        url = target;
        continue;
      }
      let parsed: unknown;
      let raw = false;
      if (text.trim() !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
          raw = true;
        }
      }
      return { status: response.statusCode, body: parsed, raw, headers: response.headers };
    }
  }

  private parse<T>(answer: Answer, method: string, path: string, parser: (body: unknown) => T): T {
    try {
      if (answer.raw) throw new Error('the body is not JSON');
      return parser(answer.body);
    } catch (error) {
      throw this.shapeError(error, method, path, answer);
    }
  }

  private shapeError(error: unknown, method: string, path: string, answer: Answer): ApiError {
    const reason = error instanceof ShapeError || error instanceof Error ? error.message : String(error);
    const preview = answer.raw ? ` (starts with ${JSON.stringify(String(answer.body).slice(0, 60))})` : '';
    return new ApiError({
      kind: 'invalid-response',
      method,
      path,
      detail: `an answer that is not the documented shape: ${this.redact(reason)}${this.redact(preview)}`,
      hint: 'Check that api_url points at the Snapshots API (it should end in /api/v1)',
    });
  }

  private statusError(method: string, path: string, answer: Answer): ApiError {
    const message = this.redact(providerMessage(answer.raw ? undefined : answer.body) ?? '');
    const retryAfter = answer.headers['retry-after'];
    const retryAfterMs = parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, this.now());
    const hint = hintFor(answer.status, method, path.split('?')[0] ?? path, message);
    return new ApiError({
      kind: 'http',
      method,
      path,
      status: answer.status,
      ...(message ? { providerMessage: message } : {}),
      ...(hint ? { hint } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }

  private transportError(error: unknown, method: string, path: string): ApiError {
    // undici's errors carry a string code; a DOMException (an aborted signal) carries a number.
    const rawCode = (error as { code?: unknown } | null)?.code;
    const code = typeof rawCode === 'string' ? rawCode : '';
    const timeout = code.includes('TIMEOUT') || (error as Error | null)?.name === 'TimeoutError';
    const detail = timeout
      ? code === 'UND_ERR_CONNECT_TIMEOUT'
        ? 'a connect time-out'
        : 'no answer in time'
      : `a network error (${code || (error instanceof Error ? error.message : 'unknown')})`;
    return new ApiError({
      kind: timeout ? 'timeout' : 'network',
      method,
      path,
      detail: this.redact(detail),
      hint: `Check that ${this.baseUrl.origin} is reachable from the runner`,
      notSent: NOT_SENT_CODES.has(code),
      cause: error,
    });
  }

  /** The path of a `next` link, which must stay on the API's own origin (the token goes with it). */
  private pathOf(next: string, method: string, from: string): string {
    const url = new URL(next, this.baseUrl.href + from);
    const base = this.baseUrl.pathname;
    if (url.origin !== this.baseUrl.origin || !url.pathname.startsWith(base)) {
      throw new ApiError({
        kind: 'invalid-response',
        method,
        path: from,
        detail: `a next page on another origin (${url.origin})`,
        hint: 'The token is not sent there; check api_url',
      });
    }
    url.searchParams.delete('page_size');
    return url.pathname.slice(base.length) + url.search;
  }

  private redact(text: string): string {
    return this.token.length >= 4 ? text.split(this.token).join('***') : text;
  }
}
