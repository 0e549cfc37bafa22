// Waiting for restores: one poll loop for every server, each read with GET /servers/{id}/. A restore is done
// only once the server has been seen `restoring` and then leaving it: reads lag writes, and a server is
// stopped before a restore begins, so neither its old status nor `stopped` alone says anything.
import { ApiError } from '../api/errors.ts';
import type { ServerInfo } from '../api/schema.ts';
import type { CallOptions } from '../api/types.ts';
import { type Ended, type WaitOptions, watch } from './poll.ts';

export interface RestoreTarget {
  serverId: number;
  /** The server's status before the restore, when the provider reports it. */
  statusBefore?: string;
  /** A read already showed it restoring (settling a lost answer did). */
  seenRestoring?: boolean;
}

/**
 * 'unconfirmed': never seen restoring within the lag window; 'unreported': the provider does not report the
 * server's state (GET /servers/{id}/ answers 404).
 */
export type RestoreOutcome = Ended<ServerInfo, 'restored' | 'failed' | 'unconfirmed' | 'unreported'>;

export interface ServerReader {
  getServer(serverId: number, options: CallOptions): Promise<ServerInfo>;
}

export function waitForRestores(
  client: ServerReader,
  targets: readonly RestoreTarget[],
  options: WaitOptions,
): Promise<Map<number, RestoreOutcome>> {
  const before = new Map(targets.map((t) => [t.serverId, t.statusBefore]));
  const begun = new Set(targets.filter((t) => t.seenRestoring).map((t) => t.serverId));
  return watch<ServerInfo, 'restored' | 'failed' | 'unconfirmed' | 'unreported'>(
    [...before.keys()],
    options,
    {
      async look(ids, call) {
        const looks = new Map<number, ServerInfo | ApiError>();
        const read = (id: number) =>
          client.getServer(id, call).then(
            (server) => looks.set(id, server),
            (error: unknown) => {
              if (!(error instanceof ApiError)) throw error;
              if (error.status !== 404) looks.set(id, error);
            },
          );
        await Promise.all(ids.map(read));
        return looks;
      },
      status: (server) => server.status,
      label: (_, server) => `server ${server.id} '${server.name}'`,
      judge(w, server, elapsedMs) {
        if (!server) return 'unreported';
        const failed = server.status === 'error' || server.status === 'failed';
        if (server.status === 'restoring') begun.add(w.key);
        else if (begun.has(w.key)) return failed ? 'failed' : 'restored';
        // A server that turns to error from another status failed its restore, seen restoring or not.
        else if (failed && before.get(w.key) !== undefined && server.status !== before.get(w.key))
          return 'failed';
        else if (elapsedMs >= options.lagWindowMs) return 'unconfirmed';
        return undefined;
      },
      waitingFor: (pending) =>
        pending.length === 1
          ? `waiting for server ${pending[0]} to finish restoring`
          : `waiting for ${pending.length} servers to finish restoring`,
    },
  );
}
