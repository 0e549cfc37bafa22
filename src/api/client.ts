// The Snapshots API client: one method per endpoint, typed results, every request through one retry loop,
// and lost answers settled by looking, so work is never done twice.
import { setTimeout as delay } from 'node:timers/promises';
import { type Logger, silentLogger } from '../logger.ts';
import { ApiError, type Expected, expectAnswer, notTheApi } from './errors.ts';
import { pageSize, walkPages } from './pages.ts';
import { DEFAULT_RETRY, MIN_CALL_MS, mayHaveActed, type RetryRuntime, withRetries } from './retry.ts';
import {
  createMessage,
  parseRestoreAccepted,
  parseServer,
  parseSnapshot,
  parseSnapshotPage,
  type RestoreAccepted,
  type ServerInfo,
  type Snapshot,
} from './schema.ts';
import { DEFAULT_LAG_WINDOW_MS, type Looking, settleCreate, settleRestore } from './settle.ts';
import { DEFAULT_TIMEOUTS, Transport } from './transport.ts';
import type {
  CallOptions,
  ClientOptions,
  CreateInput,
  CreateResult,
  DeleteResult,
  ListOptions,
} from './types.ts';
import { checkApiUrl } from './url.ts';

const MAX_CREATE_ATTEMPTS = 3;
const MAX_RESTORE_ATTEMPTS = 2;

export class SnapshotsClient {
  readonly baseUrl: URL;
  /** How long a write may take to show in reads (lists lag writes): the one place its default is applied. */
  readonly lagWindowMs: number;
  private readonly transport: Transport;
  private readonly runtime: RetryRuntime & Looking;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly deadline: number;
  private readonly attemptLimitMs: number;

  constructor(options: ClientOptions) {
    this.baseUrl = checkApiUrl(options.baseUrl);
    if (!options.token) throw new Error('api_token is empty: pass the API token as a secret');
    const perRequest = options.requestTimeoutMs
      ? { headersMs: options.requestTimeoutMs, bodyMs: options.requestTimeoutMs }
      : {};
    const timeouts = { ...DEFAULT_TIMEOUTS, ...perRequest, ...options.timeouts };
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.transport = new Transport({
      baseUrl: this.baseUrl,
      token: options.token,
      timeouts,
      logger: this.logger,
      now: this.now,
    });
    this.lagWindowMs = options.lagWindowMs ?? DEFAULT_LAG_WINDOW_MS;
    this.runtime = {
      policy: { ...DEFAULT_RETRY, ...options.retry },
      sleep: options.sleep ?? ((ms: number) => delay(ms)),
      now: this.now,
      random: options.random ?? Math.random,
      logger: this.logger,
      lagWindowMs: this.lagWindowMs,
    };
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
  async listSnapshots(serverId?: number, options: ListOptions = {}): Promise<Snapshot[]> {
    const first = serverId === undefined ? '/snapshots/' : `/snapshots/?server_id=${serverId}`;
    const deadline = this.callDeadline(options);
    const all = await walkPages(this.baseUrl, first, options.enough, (path) =>
      this.get(path, parseSnapshotPage, { ...options, deadline }),
    );
    if (serverId === undefined) return all;
    const mine = all.filter((s) => s.server.id === serverId);
    if (mine.length < all.length) {
      this.logger.debug(
        `GET ${first}: the provider returned ${all.length - mine.length} snapshot(s) of other servers; ignored`,
      );
    }
    return mine;
  }

  getServer(serverId: number, options: CallOptions = {}): Promise<ServerInfo> {
    return this.get(`/servers/${serverId}/`, parseServer, options);
  }

  /**
   * Creates a snapshot without ever making two. After a failure that may have gone through (a reset, a
   * time-out, a 5xx, an answer that is not the API's) it watches the server's list over the lag window
   * and adopts a new snapshot of this name; only when none appeared in the whole window is the POST sent again.
   * @param existingIds the server's snapshot IDs before this call; listed first when not given.
   */
  async createSnapshot(input: CreateInput, existingIds?: ReadonlySet<number>): Promise<CreateResult> {
    const known = existingIds ?? new Set((await this.listSnapshots(input.serverId)).map((s) => s.id));
    const body = {
      server_id: input.serverId,
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
    };
    const path = '/snapshots/';
    const deadline = this.callDeadline({});
    // Every failure that may have taken effect is settled before the next attempt, so an error thrown
    // here means no snapshot was made, unless it is an 'ambiguous' one (the outcome is unknown).
    return withRetries<CreateResult>(this.runtime, {
      label: `POST ${path} for '${input.name}'`,
      deadline,
      attempts: MAX_CREATE_ATTEMPTS,
      attemptLimitMs: this.attemptLimitMs,
      attempt: async (limitMs, attempt) => {
        const answer = await this.transport.exchange({ method: 'POST', path, attempt }, body, limitMs);
        const snapshot = expectAnswer(answer, this.expected('POST', path, [201], parseSnapshot));
        return { snapshot, message: createMessage(answer.json), adopted: false };
      },
      settle: (failure) =>
        settleCreate(this.runtime, { ...input, known }, failure, deadline, (until) =>
          this.listSnapshots(input.serverId, { deadline: until }),
        ),
    });
  }

  /**
   * Starts a restore. After a failure that may have gone through it watches the server over the lag
   * window: `restoring`, or any status other than the one before, means the restore was taken.
   */
  async restoreSnapshot(
    snapshotId: number,
    server?: { id: number; statusBefore?: string },
  ): Promise<RestoreAccepted & { adopted: boolean }> {
    const path = `/snapshots/${snapshotId}/restore/`;
    const deadline = this.callDeadline({});
    return withRetries<RestoreAccepted & { adopted: boolean }>(this.runtime, {
      label: `POST ${path}`,
      deadline,
      attempts: MAX_RESTORE_ATTEMPTS,
      attemptLimitMs: this.attemptLimitMs,
      attempt: async (limitMs, attempt) => {
        const answer = await this.transport.exchange({ method: 'POST', path, attempt }, undefined, limitMs);
        const accepted = expectAnswer(answer, this.expected('POST', path, [200, 202], parseRestoreAccepted));
        return { ...accepted, adopted: false };
      },
      settle: (failure) =>
        settleRestore(this.runtime, snapshotId, server, failure, deadline, (id, until) =>
          this.getServer(id, { deadline: until }),
        ),
    });
  }

  /**
   * Deletes a snapshot. A 404 means it is gone already (a concurrent run, or an earlier attempt), as asked.
   * An answer that is not the API's is settled by the server's list before anything is said.
   */
  async deleteSnapshot(snapshotId: number, serverId?: number): Promise<DeleteResult> {
    const path = `/snapshots/${snapshotId}/`;
    const deadline = this.callDeadline({});
    let looked = false;
    return withRetries<DeleteResult>(this.runtime, {
      label: `DELETE ${path}`,
      deadline,
      attemptLimitMs: this.attemptLimitMs,
      attempt: async (limitMs, attempt) => {
        looked = false;
        const answer = await this.transport.exchange({ method: 'DELETE', path, attempt }, undefined, limitMs);
        // Only the API's own 404 says it is gone; a gateway's page is settled by the list.
        if (answer.status === 404 && answer.isJson) return { how: 'already-gone' };
        if (answer.status === 404) throw notTheApi(this.expected('DELETE', path, [204]), answer);
        expectAnswer(answer, this.expected('DELETE', path, [204]));
        return { how: 'deleted' };
      },
      settle: async (failure) => {
        if (failure.kind !== 'invalid-response' || serverId === undefined) return undefined;
        const listed = await this.listSnapshots(serverId, {
          deadline: Math.max(deadline, this.now() + MIN_CALL_MS),
        });
        looked = true;
        if (!listed.some((s) => s.id === snapshotId)) return { how: 'absent-from-list' };
        this.logger.debug(`DELETE ${path}: settled, snapshot ${snapshotId} is still listed; not deleted`);
        return undefined;
      },
    }).catch((error: unknown) => {
      if (!(error instanceof ApiError) || looked || !mayHaveActed(error)) throw error;
      throw new ApiError({
        kind: 'ambiguous',
        method: 'DELETE',
        path,
        detail: `${error.reason}: snapshot ${snapshotId} may or may not have been deleted`,
        hint: `List ${serverId !== undefined ? `server ${serverId}'s` : 'the'} snapshots (operation: list) to see whether it is still there`,
        cause: error,
      });
    });
  }

  /** A GET through the retry loop, checked against what the API documents. */
  private get<T>(path: string, parse: (body: unknown) => T, options: CallOptions): Promise<T> {
    return withRetries(this.runtime, {
      label: `GET ${path}`,
      deadline: this.callDeadline(options),
      attemptLimitMs: Math.min(options.attemptLimitMs ?? this.attemptLimitMs, this.attemptLimitMs),
      attempt: async (limitMs, attempt) => {
        const call = { method: 'GET', path, attempt };
        const answer = await this.transport.exchange(call, undefined, limitMs, pageSize('GET', path));
        return expectAnswer(answer, this.expected('GET', path, [200], parse));
      },
    });
  }

  private expected<T>(method: string, path: string, ok: number[], parse?: (body: unknown) => T): Expected<T> {
    const clean = (text: string) => this.transport.clean(text);
    return { method, path, ok, clean, now: this.now(), ...(parse ? { parse } : {}) };
  }

  private callDeadline(options: CallOptions): number {
    return options.deadline ?? Math.max(this.deadline, this.now() + MIN_CALL_MS);
  }
}
