// The settings an operation runs with: what parseSettings makes of the inputs.

export const OPERATIONS = ['create', 'restore', 'delete', 'list', 'wait', 'prune'] as const;
export type Operation = (typeof OPERATIONS)[number];

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

/** The retention policy over prune_prefix snapshots (create's rotation, and prune); 0 turns a rule off. */
interface Retention {
  /** The newest this many completed ones are kept. */
  keep: number;
  /** Those made this long before the newest completed one are kept. */
  keepWithinMs: number;
  prunePrefix: string;
}

/** Which snapshot a restore or delete acts on. */
export type SnapshotRef =
  | { by: 'id'; snapshotId: number; serverId?: number }
  | { by: 'name'; name: string; serverId: number }
  | { by: 'latest'; serverId: number };

export interface CreateSettings extends Common, Retention {
  operation: 'create';
  serverIds: number[];
  /** Undefined: made from the GitHub context. */
  name?: string;
  description?: string;
  restoreOnFailure: boolean;
}

/** By ID, latest or name, or one by ID per entry of snapshot_ids (a fleet's rollback). */
export interface RestoreSettings extends Common {
  operation: 'restore';
  targets: SnapshotRef[];
}

/** By name, one or more by ID, or one by ID per entry of snapshot_ids; never latest. */
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
export interface PruneSettings extends Common, Retention {
  operation: 'prune';
  servers: number[] | 'all';
}

export type Settings =
  | CreateSettings
  | RestoreSettings
  | DeleteSettings
  | ListSettings
  | WaitSettings
  | PruneSettings;
