// Waiting for snapshots to be made: one list request per poll for all of them, whatever their servers. One
// missing from the list is gone only once missing for the lag window since it was last seen (or since the
// wait began): lists lag writes.
import type { Snapshot } from '../api/schema.ts';
import type { CallOptions } from '../api/types.ts';
import { formatDuration } from '../reporting/format.ts';
import { type Ended, type WaitOptions, watch } from './poll.ts';

export interface SnapshotTarget {
  id: number;
  serverId: number;
  name: string;
}

/** 'vanished': missing from the list for longer than its lag. */
export type SnapshotOutcome = Ended<Snapshot, 'completed' | 'failed' | 'vanished'>;

export interface SnapshotLister {
  listSnapshots(
    serverId: number | undefined,
    options: CallOptions & { enough?: (seen: readonly Snapshot[]) => boolean },
  ): Promise<Snapshot[]>;
}

const FAILED = new Set(['failed', 'error']);
const KNOWN = new Set(['in_progress', 'pending', 'creating', 'completed', ...FAILED]);

export function waitForSnapshots(
  client: SnapshotLister,
  targets: readonly SnapshotTarget[],
  options: WaitOptions,
): Promise<Map<number, SnapshotOutcome>> {
  const byId = new Map(targets.map((t) => [t.id, t]));
  const servers = new Set(targets.map((t) => t.serverId));
  const filter = servers.size === 1 ? targets[0]?.serverId : undefined;
  const label = (id: number) => {
    const t = byId.get(id);
    return `snapshot ${id}${t?.name ? ` '${t.name}'` : ''} on server ${t?.serverId}`;
  };
  return watch<Snapshot, 'completed' | 'failed' | 'vanished'>([...byId.keys()], options, {
    async look(ids, call) {
      const enough = (seen: readonly Snapshot[]) => ids.every((id) => seen.some((s) => s.id === id));
      const list = await client.listSnapshots(filter, { ...call, enough });
      return new Map(list.filter((s) => byId.get(s.id)?.serverId === s.server.id).map((s) => [s.id, s]));
    },
    status: (s) => s.status,
    label,
    detail: (s) => (s.size_mb !== null ? `, ${s.size_mb} MB` : ''),
    judge(w, s, elapsedMs) {
      if (!s) {
        const missingFor = options.clock.now() - w.seenAt;
        if (missingFor < options.lagWindowMs) return undefined;
        options.logger.warning(
          `${label(w.key)} is gone: it has not been in the server's snapshot list for ${formatDuration(missingFor)} (after ${formatDuration(elapsedMs)}).`,
        );
        return 'vanished';
      }
      if (s.status !== w.last?.status && !KNOWN.has(s.status))
        options.logger.warning(
          `${label(w.key)} has the unknown status '${s.status}': treating it as still in progress.`,
        );
      return s.status === 'completed' ? 'completed' : FAILED.has(s.status) ? 'failed' : undefined;
    },
    waitingFor: (pending) => `waiting for ${pending.length} of ${targets.length} snapshot(s) to complete`,
  });
}
