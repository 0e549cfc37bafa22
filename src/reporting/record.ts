// The run record: what a run did, filled in as the operation goes, so a failure, a time-out or a
// cancellation still reports exactly what happened. Outputs, the summary and the results come from it.
import type { Snapshot } from '../api/schema.ts';
import type { Operation } from '../settings/types.ts';

/**
 * Where one row's work stands. Its `status` word, the `results` entry, the summary's cell and the step's
 * error title all follow from it (reporting/outcome.ts); nothing reads the row's sentences.
 */
export type RowState =
  /** Named, nothing sent: a dry run's plan, or checks still to pass. */
  | 'planned'
  /** Its request is out and not answered yet: seen only by a cancellation. */
  | 'sent'
  /** A snapshot that exists, not waited for. */
  | 'in_progress'
  /** A restore accepted, not waited for. */
  | 'restoring'
  /** A restore accepted whose end could not be seen: a warning, not a failure. */
  | 'unconfirmed'
  | 'completed'
  | 'restored'
  | 'deleted'
  | Failure;

/** How work fails: the provider failed or refused it, the wait ran out (the work goes on), or its outcome was not seen. */
export type Failure = 'failed' | 'timed_out' | 'unknown';

/** One server's (or snapshot's) line: the summary table and the `results` output. */
export interface Row {
  serverId: number;
  snapshotId?: number;
  name: string;
  state: RowState;
  /** Why it did not end as asked, as sentences: what failed, the provider's words, the next step. */
  error?: string;
  /** How it ended, when worth saying ("it was already gone"). */
  note?: string;
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

  /** Work started at the provider and not seen to finish: what a cancellation leaves behind. */
  unfinished(): Row[] {
    const going: RowState[] = ['sent', 'in_progress', 'restoring', 'unconfirmed', 'timed_out', 'unknown'];
    return this.rows.filter((r) => going.includes(r.state));
  }
}
