// The Snapshots API client: one method per endpoint, typed results, every request through the one retry loop,
// and lost answers settled by looking, so work is never done twice.
import { setTimeout as delay } from 'node:timers/promises';
import { silentLogger } from '../logger.ts';
import { ApiError, notTheApi } from './errors.ts';
import * as retry from './retry.ts';
import * as schema from './schema.ts';
import { settleCreate, settleDelete, settleRestore } from './settle.ts';
import { DEFAULT_TIMEOUTS, type Request, Transport } from './transport.ts';
import type * as types from './types.ts';
import { basePath, checkApiUrl } from './url.ts';

const MAX_PAGES = 1_000;

export class SnapshotsClient {
  readonly baseUrl: URL;
  /** How long a write may take to show in reads (lists lag writes): the one place its default is applied. */
  readonly lagWindowMs: number;
  private readonly transport: Transport;
  private readonly rt: retry.Runtime;
  private readonly deadline: number;
  private readonly attemptLimitMs: number;

  constructor(options: types.ClientOptions) {
    this.baseUrl = checkApiUrl(options.baseUrl);
    if (!options.token) throw new Error('api_token is empty: pass the API token as a secret');
    const limit = options.requestTimeoutMs;
    const timeouts = {
      ...DEFAULT_TIMEOUTS,
      ...(limit ? { headersMs: limit, bodyMs: limit } : {}),
      ...options.timeouts,
    };
    this.rt = {
      policy: { ...retry.DEFAULT_RETRY, ...options.retry },
      sleep: options.sleep ?? ((ms: number) => delay(ms)),
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
      logger: options.logger ?? silentLogger,
      lagWindowMs: options.lagWindowMs ?? retry.DEFAULT_LAG_WINDOW_MS,
    };
    this.lagWindowMs = this.rt.lagWindowMs;
    this.transport = new Transport(this.baseUrl, options.token, timeouts, this.rt.logger, this.rt.now);
    this.deadline = options.deadline ?? Number.POSITIVE_INFINITY;
    this.attemptLimitMs = timeouts.connectMs + Math.max(timeouts.headersMs, timeouts.bodyMs);
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  /**
   * Every snapshot of the account, or of one server, following `next` to the end. With a server, only
   * snapshots whose own `server.id` is that server are returned, whatever the provider's filter did.
   */
  async listSnapshots(serverId?: number, options: types.ListOptions = {}): Promise<schema.Snapshot[]> {
    const first = serverId === undefined ? '/snapshots/' : `/snapshots/?server_id=${serverId}`;
    const call = { ...options, deadline: this.callDeadline(options), method: 'GET', ok: [200] };
    // page_size is Django REST Framework's usual parameter: where honoured, a fleet's poll is one request.
    const query = { page_size: '100' };
    const all: schema.Snapshot[] = [];
    const read = new Set<string>();
    let path = first;
    for (let page = 1; page <= MAX_PAGES; page++) {
      read.add(pageKey(path));
      const { results, next } = await this.send({ ...call, path, query, parse: schema.parseSnapshotPage });
      all.push(...results);
      if (!next || options.enough?.(all))
        return serverId === undefined ? all : this.only(serverId, all, first);
      const from = path;
      path = this.nextPath(next, from);
      if (read.has(pageKey(path)))
        throw pageError(
          from,
          `a next link back to a page already read (${path})`,
          "The provider's pagination loops; report this to the provider",
        );
    }
    throw pageError(
      path,
      `more than ${MAX_PAGES} pages`,
      'The provider kept sending a next page; report this to the provider',
    );
  }

  getServer(serverId: number, options: types.CallOptions = {}): Promise<schema.ServerInfo> {
    return this.send({
      ...options,
      method: 'GET',
      path: `/servers/${serverId}/`,
      ok: [200],
      parse: schema.parseServer,
    });
  }

  /**
   * Creates a snapshot without ever making two. After a failure that may have gone through (a reset, a
   * time-out, a 5xx, an answer that is not the API's) it watches the server's list over the lag window
   * and adopts a new snapshot of this name; only when none appeared in the whole window is the POST sent again.
   * An error thrown means no snapshot was made, unless it is an 'ambiguous' one (the outcome is unknown).
   * @param existingIds the server's snapshot IDs before this call; listed first when not given.
   */
  async createSnapshot(
    input: types.CreateInput,
    existingIds?: ReadonlySet<number>,
  ): Promise<types.CreateResult> {
    const { serverId, name, description } = input;
    const known = existingIds ?? new Set((await this.listSnapshots(serverId)).map((s) => s.id));
    return this.send<types.CreateResult>({
      method: 'POST',
      path: '/snapshots/',
      body: { server_id: serverId, name, ...(description !== undefined ? { description } : {}) },
      ok: [201],
      parse: (body) => ({
        snapshot: schema.parseSnapshot(body),
        message: schema.createMessage(body),
        adopted: false,
      }),
      attempts: 3,
      settle: (failure, deadline) =>
        settleCreate(this.rt, failure, deadline, input, known, (until) =>
          this.listSnapshots(serverId, { deadline: until }),
        ),
    });
  }

  /**
   * Starts a restore. After a failure that may have gone through it watches the server over the lag
   * window: `restoring`, or any status other than the one before, means the restore was taken.
   */
  restoreSnapshot(
    snapshotId: number,
    server?: { id: number; statusBefore?: string },
  ): Promise<types.RestoreResult> {
    const path = `/snapshots/${snapshotId}/restore/`;
    return this.send<types.RestoreResult>({
      method: 'POST',
      path,
      ok: [200, 202],
      parse: (body) => ({ ...schema.parseRestoreAccepted(body), adopted: false }),
      attempts: 2,
      settle: (failure, deadline) =>
        settleRestore(this.rt, failure, deadline, snapshotId, server, (id, until) =>
          this.getServer(id, { deadline: until }),
        ),
    });
  }

  /**
   * Deletes a snapshot. A 404 means it is gone already (a concurrent run, or an earlier attempt), as asked.
   * An answer that is not the API's is settled by the server's list before anything is said.
   */
  async deleteSnapshot(snapshotId: number, serverId?: number): Promise<types.DeleteResult> {
    const path = `/snapshots/${snapshotId}/`;
    const list = (server: number, until: number) => this.listSnapshots(server, { deadline: until });
    const settling = settleDelete(this.rt, snapshotId, serverId, list);
    // A 204 has no body to parse: it is the one answer that leaves the result undefined.
    const result = await this.send<types.DeleteResult | undefined>({
      method: 'DELETE',
      path,
      ok: [204],
      // Only the API's own 404 says it is gone; a gateway's page is settled by the list.
      early: (answer) => {
        if (answer.status !== 404) return undefined;
        if (answer.json !== undefined) return { how: 'already-gone' };
        throw notTheApi({ method: 'DELETE', path }, answer);
      },
      settle: settling.settle,
    }).catch((error: unknown) => {
      throw settling.unknown(error);
    });
    return result ?? { how: 'deleted' };
  }

  /** One request through the retry loop. */
  private send<T>(request: Request<T>): Promise<T> {
    const limit = Math.min(request.attemptLimitMs ?? this.attemptLimitMs, this.attemptLimitMs);
    return retry.withRetries(this.rt, request, this.callDeadline(request), (leftMs, attempt) =>
      this.transport.exchange(request, attempt, Math.max(1, Math.min(leftMs, limit))),
    );
  }

  private callDeadline(options: types.CallOptions): number {
    return options.deadline ?? Math.max(this.deadline, this.rt.now() + retry.MIN_CALL_MS);
  }

  /** The path of a `next` link, which must stay on the API's own origin and base path (the token goes with it). */
  private nextPath(next: string, from: string): string {
    const prefix = basePath(this.baseUrl);
    const url = new URL(next, `${this.baseUrl.origin}${prefix}${from}`);
    if (url.origin !== this.baseUrl.origin || !url.pathname.startsWith(`${prefix}/`)) {
      const detail = `a next page outside the API (${url.origin}${url.pathname})`;
      throw pageError(from, detail, 'The token is not sent there; check api_url');
    }
    url.searchParams.delete('page_size');
    return url.pathname.slice(prefix.length) + url.search;
  }

  private only(serverId: number, all: schema.Snapshot[], path: string): schema.Snapshot[] {
    const mine = all.filter((s) => s.server.id === serverId);
    const others = all.length - mine.length;
    if (others)
      this.rt.logger.debug(
        `GET ${path}: the provider returned ${others} snapshot(s) of other servers; ignored`,
      );
    return mine;
  }
}

/** A page's identity: its path and query, the parameters in a stable order. */
function pageKey(path: string): string {
  const url = new URL(path, 'http://page.invalid');
  url.searchParams.delete('page_size');
  url.searchParams.sort();
  if (url.searchParams.get('page') === '1') url.searchParams.delete('page');
  return url.pathname + url.search;
}

function pageError(path: string, detail: string, hint: string): ApiError {
  return new ApiError({ kind: 'invalid-response', method: 'GET', path, detail, hint });
}
