// What restore, delete and wait act on, from server_id, name, snapshot_id and snapshot_ids together.
import { type ReaderContext, shown } from './context.ts';
import type { ServerInput, SnapshotIdInput } from './ids.ts';
import type { FleetEntry, SnapshotIdsInput } from './snapshot-ids.ts';
import type { SnapshotRef, WaitSettings } from './types.ts';

export interface TargetInputs {
  server: ServerInput;
  name?: string;
  snapshot?: SnapshotIdInput;
  fleet?: SnapshotIdsInput;
}

type TargetOperation = 'restore' | 'delete' | 'wait';

const SNAPSHOT_ID_TAKES: Record<TargetOperation, string> = {
  restore: "one ID or 'latest'",
  delete: 'one or more IDs',
  wait: 'one or more IDs',
};

/** Inputs that cannot go together; false when any clash (each named in a line). */
function checkClashes(ctx: ReaderContext, operation: TargetOperation, inputs: TargetInputs): boolean {
  let ok = true;
  const clash = (line: string) => {
    ctx.problem(line);
    ok = false;
  };
  const { snapshot, fleet, name, server } = inputs;
  if (snapshot && fleet) {
    clash(
      `snapshot_id and snapshot_ids are both given: ${operation} takes snapshot_id (${SNAPSHOT_ID_TAKES[operation]}) or snapshot_ids (the create step's output), not both`,
    );
  }
  if (fleet && server.text) {
    clash(
      'server_id and snapshot_ids are both given: snapshot_ids already names each server (server ID to snapshot ID); drop server_id',
    );
  }
  if (operation !== 'wait' && fleet && name) {
    clash(
      "name and snapshot_ids are both given: snapshot_ids already picks each server's snapshot by ID; drop name",
    );
  }
  if (operation !== 'wait' && snapshot && name) {
    clash(
      `snapshot_id and name are both given: ${operation} one snapshot by snapshot_id, or by name with server_id`,
    );
  }
  return ok;
}

const VERB: Record<TargetOperation, string> = { restore: 'restore', delete: 'delete', wait: 'wait for' };

/** snapshot_ids' entries; `{}` is refused where it applies. */
function fleetEntries(ctx: ReaderContext, operation: TargetOperation, fleet: SnapshotIdsInput): FleetEntry[] {
  if (fleet.entries?.length === 0) {
    ctx.problem(
      `snapshot_ids '${shown(fleet.text)}' names no snapshot, so there is nothing to ${VERB[operation]}: the create step made none (a dry run writes {}); give the snapshot_ids output of a create step that made snapshots`,
    );
  }
  return fleet.entries ?? [];
}

/** The one server that latest or name picks from; a line when server_id is missing. */
function serverFor(ctx: ReaderContext, server: ServerInput, picker: string): number | undefined {
  const id = server.ids[0];
  // A server_id that is given but malformed has its own line already.
  if (id === undefined && !server.text)
    ctx.problem(`server_id is missing: ${picker} picks a snapshot of one server`);
  return id;
}

function byId(snapshotId: number, server: ServerInput): SnapshotRef {
  const serverId = server.ids[0];
  return { by: 'id', snapshotId, ...(serverId !== undefined ? { serverId } : {}) };
}

function byName(ctx: ReaderContext, server: ServerInput, name: string): SnapshotRef[] {
  const serverId = serverFor(ctx, server, `name '${shown(name)}'`);
  return serverId === undefined ? [] : [{ by: 'name', name, serverId }];
}

function fromFleet(ctx: ReaderContext, operation: TargetOperation, fleet: SnapshotIdsInput): SnapshotRef[] {
  return fleetEntries(ctx, operation, fleet).map(({ serverId, snapshotId }) => ({
    by: 'id',
    snapshotId,
    serverId,
  }));
}

/** One snapshot by ID, latest or name, or one per server of snapshot_ids (a fleet's rollback). */
export function restoreTargets(ctx: ReaderContext, inputs: TargetInputs): SnapshotRef[] {
  const { server, name, snapshot, fleet } = inputs;
  if (!checkClashes(ctx, 'restore', inputs)) return [];
  if (fleet) return fromFleet(ctx, 'restore', fleet);
  if (snapshot?.latest) {
    const serverId = serverFor(ctx, server, "snapshot_id 'latest'");
    return serverId === undefined ? [] : [{ by: 'latest', serverId }];
  }
  // Several IDs are refused by the snapshot_id reader.
  if (snapshot) return snapshot.ids.slice(0, 1).map((id) => byId(id, server));
  if (name) return byName(ctx, server, name);
  ctx.problem(
    "restore needs snapshot_id (a numeric ID or 'latest' with server_id), name with server_id, or snapshot_ids (the create step's output)",
  );
  return [];
}

/** One snapshot by name, one or more by ID, or one per server of snapshot_ids. */
export function deleteTargets(ctx: ReaderContext, inputs: TargetInputs): SnapshotRef[] {
  const { server, name, snapshot, fleet } = inputs;
  if (!checkClashes(ctx, 'delete', inputs)) return [];
  if (fleet) return fromFleet(ctx, 'delete', fleet);
  // 'latest' is refused by the snapshot_id reader.
  if (snapshot) return snapshot.ids.map((id) => byId(id, server));
  if (name) return byName(ctx, server, name);
  ctx.problem(
    "delete needs snapshot_id (one or more numeric IDs), name with server_id, or snapshot_ids (the create step's output)",
  );
  return [];
}

/** Snapshots that already exist: by ID (with server_id's server, if given), or snapshot_ids' entries. */
export function waitTargets(ctx: ReaderContext, inputs: TargetInputs): WaitSettings['targets'] {
  const { server, snapshot, fleet } = inputs;
  if (!checkClashes(ctx, 'wait', inputs)) return [];
  if (fleet) return fleetEntries(ctx, 'wait', fleet);
  const serverId = server.ids[0];
  if (snapshot)
    return snapshot.ids.map((snapshotId) => ({
      snapshotId,
      ...(serverId !== undefined ? { serverId } : {}),
    }));
  ctx.problem(
    "wait needs snapshot_id (one or more numeric IDs) or snapshot_ids (the create step's output): the snapshots to wait for",
  );
  return [];
}
