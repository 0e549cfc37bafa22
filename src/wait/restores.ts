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

type Look = { serverId: number; server?: ServerInfo; missing?: true };

export async function waitForRestores(
  client: ServerReader,
  targets: readonly RestoreTarget[],
  options: WaitOptions,
): Promise<Map<number, RestoreOutcome>> {
  const { clock, logger } = options;
  const startedAt = options.startedAt ?? clock.now();
  const lagWindow = options.lagWindowMs ?? DEFAULT_LAG_WINDOW_MS;
  const outcomes = new Map<number, RestoreOutcome>();
  const pending = new Map(
    targets.map((t) => [t.serverId, { ...t, changed: false, last: undefined as ServerInfo | undefined }]),
  );
  const finish = (serverId: number, end: RestoreEnd, reason?: RestoreOutcome['reason']) => {
    const last = pending.get(serverId)?.last;
    pending.delete(serverId);
    outcomes.set(serverId, {
      end,
      elapsedMs: clock.now() - startedAt,
      ...(last ? { server: last } : {}),
      ...(reason ? { reason } : {}),
    });
  };

  const result = await pollUntil<Look[]>(options, {
    poll: (call) =>
      Promise.all(
        [...pending.keys()].map((serverId) =>
          client.getServer(serverId, call).then(
            (server): Look => ({ serverId, server }),
            (error: unknown): Look => {
              if (error instanceof ApiError && error.status === 404) return { serverId, missing: true };
              throw error;
            },
          ),
        ),
      ),
    take: (looks, elapsedMs) => {
      let changed = false;
      for (const look of looks) {
        const entry = pending.get(look.serverId);
        if (!entry) continue;
        if (!look.server) {
          finish(look.serverId, 'unconfirmed', 'no-server-endpoint');
          continue;
        }
        const server = look.server;
        if (server.status !== entry.last?.status) {
          changed = true;
          logger.info(
            `server ${server.id} '${server.name}': ${entry.last ? `${entry.last.status} → ` : ''}${server.status} (${formatDuration(elapsedMs)})`,
          );
        }
        entry.last = server;
        if (
          server.status === 'restoring' ||
          (entry.statusBefore !== undefined && server.status !== entry.statusBefore)
        )
          entry.changed = true;
        if (server.status === 'error' || server.status === 'failed') finish(server.id, 'failed');
        else if (entry.changed && server.status !== 'restoring') finish(server.id, 'restored');
        else if (!entry.changed && clock.now() - startedAt >= lagWindow)
          finish(server.id, 'unconfirmed', 'never-changed');
      }
      if (pending.size === 0) return 'done';
      return changed ? 'changed' : 'same';
    },
    waitingFor: () =>
      pending.size === 1
        ? `waiting for server ${[...pending.keys()][0]} to finish restoring`
        : `waiting for ${pending.size} servers to finish restoring`,
  });
  if (result === 'timeout') for (const serverId of [...pending.keys()]) finish(serverId, 'timeout');
  return outcomes;
}
