// Waiting for restores: one poll loop for every server, each read with GET /servers/{id}/. A restore is done
// only once the server has been seen `restoring` and then leaving it: reads lag writes, and a server is
// stopped before a restore begins, so neither its old status nor `stopped` alone says anything.

import { ApiError } from '../api/errors.ts';
import { isTransient } from '../api/retry.ts';
import type { ServerInfo } from '../api/schema.ts';
import type { CallOptions } from '../api/types.ts';
import { formatDuration } from '../reporting/format.ts';
import { pollUntil, type WaitOptions } from './poll.ts';

export type RestoreEnd = 'restored' | 'failed' | 'timeout' | 'unconfirmed' | 'unreadable';

export interface RestoreTarget {
  serverId: number;
  /** The server's status before the restore, when the provider reports it. */
  statusBefore?: string;
  /** A read already showed it restoring (settling a lost answer did). */
  seenRestoring?: boolean;
}

export interface RestoreOutcome {
  end: RestoreEnd;
  server?: ServerInfo;
  elapsedMs: number;
  /** Why completion could not be confirmed. */
  reason?: 'no-server-endpoint' | 'never-restoring';
  /** Why the server's state could not be read (end 'unreadable'). */
  error?: ApiError;
}

export interface ServerReader {
  getServer(serverId: number, options: CallOptions): Promise<ServerInfo>;
}

/** One server's state; none when the provider does not report servers (404); an error when it could not be read. */
type ServerLook = { serverId: number; server?: ServerInfo; error?: ApiError };

/** Reads of one server that may fail in a row before its restore's progress is called unreadable. */
const MAX_FAILED_READS = 5;

export async function waitForRestores(
  client: ServerReader,
  targets: readonly RestoreTarget[],
  options: WaitOptions,
): Promise<Map<number, RestoreOutcome>> {
  const tracker = new RestoreTracker(targets, options);
  const result = await pollUntil<ServerLook[]>(options, {
    poll: (call) => Promise.all([...tracker.pending.keys()].map((serverId) => look(client, serverId, call))),
    take: (looks, elapsedMs) => tracker.take(looks, elapsedMs),
    waitingFor: () =>
      tracker.pending.size === 1
        ? `waiting for server ${[...tracker.pending.keys()][0]} to finish restoring`
        : `waiting for ${tracker.pending.size} servers to finish restoring`,
  });
  if (result.end !== 'done') tracker.endPending(result.end === 'timeout' ? 'timeout' : result.error);
  return tracker.outcomes;
}

function look(client: ServerReader, serverId: number, call: CallOptions): Promise<ServerLook> {
  return client.getServer(serverId, call).then(
    (server) => ({ serverId, server }),
    (error: unknown) => {
      if (!(error instanceof ApiError)) throw error;
      return error.status === 404 ? { serverId } : { serverId, error };
    },
  );
}

interface Tracked extends RestoreTarget {
  /** The server was seen `restoring`: the restore has begun. */
  sawRestoring: boolean;
  failedReads: number;
  last?: ServerInfo;
}

class RestoreTracker {
  readonly pending: Map<number, Tracked>;
  readonly outcomes = new Map<number, RestoreOutcome>();
  private readonly options: WaitOptions;
  private readonly startedAt: number;
  private readonly lagWindow: number;

  constructor(targets: readonly RestoreTarget[], options: WaitOptions) {
    this.options = options;
    this.startedAt = options.startedAt ?? options.clock.now();
    this.lagWindow = options.lagWindowMs;
    this.pending = new Map(
      targets.map((t) => [t.serverId, { ...t, sawRestoring: t.seenRestoring ?? false, failedReads: 0 }]),
    );
  }

  take(looks: readonly ServerLook[], elapsedMs: number): 'done' | 'changed' | 'same' {
    let changed = false;
    for (const { serverId, server, error } of looks) {
      const entry = this.pending.get(serverId);
      if (!entry) continue;
      if (server) changed = this.seen(entry, server, elapsedMs) || changed;
      else if (error) this.unread(entry, error);
      else this.finish(entry, 'unconfirmed', 'no-server-endpoint');
    }
    if (this.pending.size === 0) return 'done';
    return changed ? 'changed' : 'same';
  }

  /** The deadline passed, or (an error) the servers could not be read any more. */
  endPending(why: 'timeout' | ApiError): void {
    for (const entry of [...this.pending.values()])
      if (why === 'timeout') this.finish(entry, 'timeout');
      else this.finish(entry, 'unreadable', undefined, why);
  }

  private seen(entry: Tracked, server: ServerInfo, elapsedMs: number): boolean {
    entry.failedReads = 0;
    const changed = server.status !== entry.last?.status;
    if (changed) {
      const from = entry.last ? `${entry.last.status} → ` : '';
      this.options.logger.info(
        `server ${server.id} '${server.name}': ${from}${server.status} (${formatDuration(elapsedMs)})`,
      );
    }
    entry.last = server;
    const failed = server.status === 'error' || server.status === 'failed';
    if (server.status === 'restoring') entry.sawRestoring = true;
    else if (entry.sawRestoring) this.finish(entry, failed ? 'failed' : 'restored');
    // A server that turns to error from another status failed its restore, seen restoring or not.
    else if (failed && entry.statusBefore !== undefined && server.status !== entry.statusBefore)
      this.finish(entry, 'failed');
    else if (this.options.clock.now() - this.startedAt >= this.lagWindow)
      this.finish(entry, 'unconfirmed', 'never-restoring');
    return changed;
  }

  /** A read that failed after the client's retries: tolerated a few times, then the progress is unreadable. */
  private unread(entry: Tracked, error: ApiError): void {
    entry.failedReads += 1;
    if (entry.failedReads < MAX_FAILED_READS && isTransient(error)) {
      this.options.logger.warning(
        `Reading server ${entry.serverId} failed (${error.reason}); polling again.`,
      );
      return;
    }
    this.finish(entry, 'unreadable', undefined, error);
  }

  private finish(entry: Tracked, end: RestoreEnd, reason?: RestoreOutcome['reason'], error?: ApiError): void {
    this.pending.delete(entry.serverId);
    this.outcomes.set(entry.serverId, {
      end,
      elapsedMs: this.options.clock.now() - this.startedAt,
      ...(entry.last ? { server: entry.last } : {}),
      ...(reason ? { reason } : {}),
      ...(error ? { error } : {}),
    });
  }
}
