// The run record: what a run did, filled in as the operation goes, so a failure, a time-out or a
// cancellation still reports exactly what happened. Outputs, the summary and the results come from it.
import type { Snapshot } from '../api/schema.ts';
import type { Operation } from '../settings/types.ts';

/** Statuses a server's row can end in; the contract's words, plus `failed`. */
export type RowStatus =
  | 'completed'
  | 'in_progress'
  | 'restored'
  | 'restoring'
  | 'deleted'
  | 'listed'
  | 'planned'
  | 'failed'
  /** Its DELETE was sent and not yet answered: seen only if the step is cancelled then. */
  | 'deleting';

/** One server's (or snapshot's) line: the summary table and the `results` output. */
export interface Row {
  serverId: number;
  snapshotId?: number;
  name: string;
  status: RowStatus;
  /** Why it did not end as asked, as a sentence; or a note on how it ended. */
  error?: string;
  note?: string;
  /** The wait ran out of time: the work goes on at the provider. */
  timedOut?: boolean;
  /** A request whose answer was lost, and whether it took effect could not be settled. */
  outcomeUnknown?: boolean;
  sizeMb?: number | null;
  elapsedMs?: number;
}

export interface DeletedRow {
  serverId: number;
  snapshotId: number;
  name: string;
  /** Why, as a sentence fragment: "rotation, keep 3". */
  why: string;
  /** A dry run's plan: nothing was deleted. */
  planned?: boolean;
  /** How it ended, when worth saying: "it was already gone". */
  note?: string;
}

export interface Phase {
  name: string;
  startMs: number;
  endMs: number;
}

export class RunRecord {
  readonly operation: Operation | 'post';
  readonly rows: Row[] = [];
  readonly deleted: DeletedRow[] = [];
  readonly notes: string[] = [];
  readonly phases: Phase[] = [];
  readonly servers = new Map<number, { name: string; status: string }>();
  /** What a list operation found. */
  listed: Snapshot[] | undefined;
  dryRun = false;
  /** The operation waited for its work (false with wait: false). */
  waited = true;
  private readonly now: () => number;
  readonly startedAt: number;

  constructor(operation: Operation | 'post', now: () => number = Date.now) {
    this.operation = operation;
    this.now = now;
    this.startedAt = now();
  }

  /** Runs one phase of the work and records how long it took. */
  async phase<T>(name: string, work: () => Promise<T>): Promise<T> {
    const startMs = this.now() - this.startedAt;
    try {
      return await work();
    } finally {
      this.phases.push({ name, startMs, endMs: this.now() - this.startedAt });
    }
  }

  /** Adds a row, or updates the row of the same server and snapshot (or name, before an ID is known). */
  row(row: Row): Row {
    const existing = this.rows.find(
      (r) =>
        r.serverId === row.serverId &&
        (r.snapshotId === undefined || row.snapshotId === undefined
          ? r.name === row.name
          : r.snapshotId === row.snapshotId),
    );
    if (existing) return Object.assign(existing, row);
    this.rows.push(row);
    return row;
  }

  /** Work started at the provider and not seen to finish: what a cancellation or time-out leaves behind. */
  unfinished(): Row[] {
    return this.rows.filter(
      (r) => r.status === 'in_progress' || r.status === 'restoring' || r.status === 'deleting',
    );
  }

  elapsedMs(): number {
    return this.now() - this.startedAt;
  }
}
