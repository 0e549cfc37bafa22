// What every operation works with, passed in: so an operation never imports @actions/*, and a test runs it
// with a fake context against the emulator.
import type { SnapshotsClient } from '../api/client.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { RunRecord } from '../reporting/record.ts';

/** The action's outputs (action.yml), each written as soon as it is known. */
export interface OutputValues {
  snapshot_id: number;
  snapshot_name: string;
  status: string;
  size_mb: number | null;
  server_id: number;
  snapshot_ids: Record<string, number>;
  snapshots: unknown[];
  deleted_ids: number[];
  results: unknown[];
}

export interface Outputs {
  set(values: Partial<OutputValues>): void;
}

export interface CreatedSnapshot {
  serverId: number;
  snapshotId: number;
  name: string;
}

/** What the main step hands to its post step; never a secret. */
export interface StepState {
  saveRestorePlan(plan: { restoreOnFailure: boolean; apiUrl: string; timeoutMs: number }): void;
  saveCreated(created: readonly CreatedSnapshot[]): void;
}

/** The workflow run this step belongs to, for default names and descriptions. */
export interface RunInfo {
  sha: string;
  runId: string;
  runAttempt: string;
  job: string;
  repository: string;
  ref: string;
  workflow: string;
  serverUrl: string;
}

export interface OperationContext {
  client: SnapshotsClient;
  logger: Logger;
  clock: Clock;
  record: RunRecord;
  outputs: Outputs;
  state: StepState;
  /** Runs `work` as one folded group of log lines. */
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
  run: RunInfo;
  /** When the step's timeout runs out, on `clock` (infinite for operations without one). */
  deadline: number;
}
