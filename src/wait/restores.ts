// Waiting for restores: one poll loop for every server, each read with GET /servers/{id}/. A restore is done
// only once the server has been seen to change (reads lag writes) and then to leave `restoring`.
import type { CallOptions } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import type { ServerInfo } from '../api/schema.ts';
import { formatDuration } from '../reporting/format.ts';
import { DEFAULT_LAG_WINDOW_MS, pollUntil, type WaitOptions } from './poll.ts';

export type RestoreEnd = 'restored' | 'failed' | 'timeout' | 'unconfirmed';

export interface RestoreTarget {
  serverId: number;
  /** The server's status before the restore, when the provider reports it. */
  statusBefore?: string;
}

export interface RestoreOutcome {
  end: RestoreEnd;
  server?: ServerInfo;
  elapsedMs: number;
  /** Why completion could not be confirmed. */
  reason?: 'no-server-endpoint' | 'never-changed';
}

export interface ServerReader {
  getServer(serverId: number, options: CallOptions): Promise<ServerInfo>;
}

type Look = { serverId: number; server?: ServerInfo };

export async function waitForRestores(
  client: ServerReader,
  targets: readonly RestoreTarget[],
  options: WaitOptions,
): Promise<Map<number, RestoreOutcome>> {
  const tracker = new RestoreTracker(targets, options);
  const result = await pollUntil<Look[]>(options, {
    poll: (call) => Promise.all([...tracker.pending.keys()].map((serverId) => look(client, serverId, call))),
    take: (looks, elapsedMs) => tracker.take(looks, elapsedMs),
    waitingFor: () =>
      tracker.pending.size === 1
        ? `waiting for server ${[...tracker.pending.keys()][0]} to finish restoring`
        : `waiting for ${tracker.pending.size} servers to finish restoring`,
  });
  if (result === 'timeout') tracker.timeOut();
  return tracker.outcomes;
}

/** One server's state; none when the provider does not report servers (404). */
function look(client: ServerReader, serverId: number, call: CallOptions): Promise<Look> {
  return client.getServer(serverId, call).then(
    (server) => ({ serverId, server }),
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return { serverId };
      throw error;
    },
  );
}

interface Tracked extends RestoreTarget {
  /** The server was seen to change from its status before (or restoring): the restore has begun. */
  changed: boolean;
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
    this.lagWindow = options.lagWindowMs ?? DEFAULT_LAG_WINDOW_MS;
    this.pending = new Map(targets.map((t) => [t.serverId, { ...t, changed: false }]));
  }

  take(looks: readonly Look[], elapsedMs: number): 'done' | 'changed' | 'same' {
    let changed = false;
    for (const { serverId, server } of looks) {
      const entry = this.pending.get(serverId);
      if (!entry) continue;
      if (server) changed = this.seen(entry, server, elapsedMs) || changed;
      else this.finish(entry, 'unconfirmed', 'no-server-endpoint');
    }
    if (this.pending.size === 0) return 'done';
    return changed ? 'changed' : 'same';
  }

  timeOut(): void {
    for (const entry of [...this.pending.values()]) this.finish(entry, 'timeout');
  }

  private seen(entry: Tracked, server: ServerInfo, elapsedMs: number): boolean {
    const changed = server.status !== entry.last?.status;
    if (changed) {
      const from = entry.last ? `${entry.last.status} → ` : '';
      this.options.logger.info(
        `server ${server.id} '${server.name}': ${from}${server.status} (${formatDuration(elapsedMs)})`,
      );
    }
    entry.last = server;
    if (
      server.status === 'restoring' ||
      (entry.statusBefore !== undefined && server.status !== entry.statusBefore)
    )
      entry.changed = true;
    if (server.status === 'error' || server.status === 'failed') this.finish(entry, 'failed');
    else if (entry.changed && server.status !== 'restoring') this.finish(entry, 'restored');
    else if (!entry.changed && this.options.clock.now() - this.startedAt >= this.lagWindow)
      this.finish(entry, 'unconfirmed', 'never-changed');
    return changed;
  }

  private finish(entry: Tracked, end: RestoreEnd, reason?: RestoreOutcome['reason']): void {
    this.pending.delete(entry.serverId);
    this.outcomes.set(entry.serverId, {
      end,
      elapsedMs: this.options.clock.now() - this.startedAt,
      ...(entry.last ? { server: entry.last } : {}),
      ...(reason ? { reason } : {}),
    });
  }
}
