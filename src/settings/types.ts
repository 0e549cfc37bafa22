// The settings an operation runs with: what parseSettings makes of the inputs.

export type Operation = 'create' | 'restore' | 'delete' | 'list' | 'wait' | 'prune';

/** Reads one input by name, trimmed; '' when not given. */
export type InputReader = (name: string) => string;

interface Common {
  apiUrl: string;
  token: string;
  dryRun: boolean;
  wait: boolean;
  timeoutMs: number;
  /** Longest wait for one answer (env VPS_API_REQUEST_TIMEOUT); the client's default when absent. */
  requestTimeoutMs?: number;
  /** How long a write may take to show in reads (env VPS_API_SETTLE_WINDOW); 30 s when absent. */
  lagWindowMs?: number;
}

/** Which snapshot a restore or delete acts on. */
export type SnapshotRef =
  | { by: 'id'; snapshotId: number; serverId?: number }
  | { by: 'name'; name: string; serverId: number }
  | { by: 'latest'; serverId: number };

export interface CreateSettings extends Common {
  operation: 'create';
  serverIds: number[];
  /** Undefined: made from the GitHub context. */
  name?: string;
  description?: string;
  restoreOnFailure: boolean;
  keep: number;
  /** Rotation also keeps prune_prefix snapshots made this long before the newest completed one; 0: no such rule. */
  keepWithinMs: number;
  prunePrefix: string;
}

/** One target, or one {by: 'id', snapshotId, serverId} per entry of snapshot_ids (a fleet's rollback). */
export interface RestoreSettings extends Common {
  operation: 'restore';
  targets: SnapshotRef[];
}

/** One by name or ID, several by ID, or one {by: 'id', snapshotId, serverId} per entry of snapshot_ids. */
export interface DeleteSettings extends Common {
  operation: 'delete';
  targets: SnapshotRef[];
}

export interface ListSettings extends Common {
  operation: 'list';
  serverId?: number;
}

/** Snapshots that already exist (made with wait: false), by ID; serverId when the inputs name it. */
export interface WaitSettings extends Common {
  operation: 'wait';
  targets: { snapshotId: number; serverId?: number }[];
}

/** The retention policy applied to some servers, or to every server holding a snapshot the token sees. */
export interface PruneSettings extends Common {
  operation: 'prune';
  servers: number[] | 'all';
  /** The newest this many completed prune_prefix snapshots are kept; 0: no such rule. */
  keep: number;
  /** prune_prefix snapshots made this long before the newest completed one are kept; 0: no such rule. */
  keepWithinMs: number;
  prunePrefix: string;
}

export type Settings =
  | CreateSettings
  | RestoreSettings
  | DeleteSettings
  | ListSettings
  | WaitSettings
  | PruneSettings;

/** The fields every operation shares. */
export type CommonSettings = Common;

export interface ParsedSettings {
  settings: Settings;
  warnings: string[];
}
