import * as core from '@actions/core';
import type { SnapshotsClient } from '../api/client.ts';
import type { Snapshot } from '../api/schema.ts';
import { ActionError } from '../failure.ts';
import { setOutputs } from '../outputs.ts';
import type { SnapshotRow } from '../report.ts';
import type { SnapshotRef } from '../settings.ts';
import type { OperationContext } from './context.ts';

export function describeSnapshot(s: Snapshot): string {
  return `${s.id} '${s.name}' (${s.status}, created ${s.created_at || 'at an unknown time'})`;
}

/** Finds the one snapshot the inputs name, or fails saying which input to change. */
export async function resolveSnapshot(
  client: SnapshotsClient,
  ref: SnapshotRef,
  operation: 'restore' | 'delete',
): Promise<Snapshot> {
  const title = `Cannot ${operation}: snapshot not found`;
  const list = await client.listSnapshots(ref.serverId);
  const onServer = ref.serverId !== undefined ? ` on server ${ref.serverId}` : '';
  const available = () =>
    list.length ? `Its snapshots: ${list.map(describeSnapshot).join('; ')}.` : 'It has no snapshots.';
  switch (ref.by) {
    case 'id': {
      const found = list.find((s) => s.id === ref.snapshotId);
      if (!found) {
        throw new ActionError(
          title,
          `snapshot_id ${ref.snapshotId}: no such snapshot${onServer} in this account. Check the ID with operation: list${ref.serverId !== undefined ? ', and that server_id names the server it belongs to' : ''}.`,
        );
      }
      return found;
    }
    case 'name': {
      const matches = list.filter((s) => s.name === ref.name);
      if (matches.length === 0) {
        throw new ActionError(
          title,
          `name '${ref.name}': server ${ref.serverId} has no snapshot of this name. ${available()}`,
        );
      }
      if (matches.length > 1) {
        throw new ActionError(
          `Cannot ${operation}: the name is ambiguous`,
          `name '${ref.name}': server ${ref.serverId} has ${matches.length} snapshots of this name (${matches.map((s) => s.id).join(', ')}). Give snapshot_id instead.`,
        );
      }
      return matches[0] as Snapshot;
    }
    case 'latest': {
      const completed = list
        .filter((s) => s.status === 'completed')
        .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id);
      const [newest] = completed;
      if (!newest) {
        throw new ActionError(
          title,
          `snapshot_id 'latest': server ${ref.serverId} has no completed snapshot. ${available()}`,
        );
      }
      return newest;
    }
  }
}

/** The first phase of restore and delete: find the snapshot, name it in the outputs and the summary. */
export async function findTarget(
  ref: SnapshotRef,
  operation: 'restore' | 'delete',
  { client, report }: OperationContext,
): Promise<{ snapshot: Snapshot; row: SnapshotRow }> {
  const snapshot = await report.phase('read', () =>
    core.group('Finding the snapshot', () => resolveSnapshot(client, ref, operation)),
  );
  setOutputs({ snapshot_id: snapshot.id, snapshot_name: snapshot.name, server_id: snapshot.server.id });
  const row = report.row({
    serverId: snapshot.server.id,
    snapshotId: snapshot.id,
    name: snapshot.name,
    status: snapshot.status,
    sizeMb: snapshot.size_mb,
  });
  return { snapshot, row };
}
