// The soak's vocabulary: its servers, modes, run kinds, and the plans of a round and its runs.
import type { Fault } from '../../emulator/index.ts';
import type { FaultChoice } from './chaos-faults.ts';
import type { MadeSnapshot } from './chaos-ledger.ts';

export const SERVERS = [12345, 12346, 12347, 12348] as const;
export const PREFIX = 'pre-deploy-';
export const MODES = ['plain', 'lag', 'filter', 'lag+filter', 'default-window'] as const;
export type Mode = (typeof MODES)[number];

export type RunKind =
  | 'create'
  | 'fleet'
  | 'restore-latest'
  | 'restore-id'
  | 'delete-id'
  | 'delete-name'
  | 'list';

/** A snapshot as the round found it. */
export interface Seen extends MadeSnapshot {
  status: string;
  /** Listed by a (lagged) read at the round's start, and completed there. */
  visiblyCompleted: boolean;
}

export interface RunPlan {
  label: string;
  kind: RunKind;
  inputs: Record<string, string>;
  /** The servers it acts on. */
  servers: number[];
  /** restore-id and delete: the snapshots the inputs name (none when they name a snapshot of another server). */
  named: number[];
  /** restore-latest: the newest completed snapshot of its server that every read showed; it may not pick older. */
  floor?: Seen;
  keep: number;
  wait: boolean;
  offsetMs: number;
}

export interface RoundPlan {
  index: number;
  mode: Mode;
  readLagMs: number;
  ignoreServerFilter: boolean;
  /** VPS_API_SETTLE_WINDOW for the runs; '' leaves the action's default (30 s). */
  settleWindow: string;
  timings: { snapshotMs: number; restoreMs: number };
  failingServer?: number;
  featured: FaultChoice;
  faults: Fault[];
  runs: RunPlan[];
  /** Every snapshot at the round's start, by ID. */
  before: Map<number, Seen>;
}
