// The run record: the facts of a run, filled in as it goes, so that a failure, a time-out or a cancellation
// still reports exactly what happened. Outputs, the summary and the error title are derived from it (outcome.ts).
import type { Snapshot } from '../api/schema.ts';
import type { Operation } from '../settings/types.ts';

/** How work fails: the provider failed or refused it, the wait ran out (the work goes on), or it was not seen. */
export type Failure = 'failed' | 'timed_out' | 'unknown';
export type Done = 'completed' | 'restored' | 'deleted';
/**
 * Where a row's work stands: `planned` (nothing sent: a dry run, or checks still to pass), `sent` (no answer
 * yet), `in_progress` or `restoring` (started, not waited for), `unconfirmed` (a restore whose end was not seen:
 * a warning), done, or failed. Its status word, result, cell and the error title follow from it.
 */
export type RowState = 'planned' | 'sent' | 'in_progress' | 'restoring' | 'unconfirmed' | Done | Failure;

/** One server's (or snapshot's) line: the summary table and the `results` output. */
export interface Row {
  serverId: number;
  snapshotId?: number;
  name: string;
  state: RowState;
  /** Why it did not end as asked, in sentences: what failed, the provider's words, the next step. */
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
  /** Why, as a fragment: "rotation, keep 3". */
  why: string;
  /** A dry run's plan: nothing was deleted. */
  planned?: boolean;
  note?: string;
}

export class RunRecord {
  readonly operation: Operation | 'post';
  readonly rows: Row[] = [];
  readonly deleted: DeletedRow[] = [];
  readonly notes: string[] = [];
  /** When each phase ran, in ms from the start: the summary's timeline. */
  readonly phases: { name: string; startMs: number; endMs: number }[] = [];
  readonly servers = new Map<number, { name: string; status: string }>();
  /** What a list operation found. */
  listed: Snapshot[] | undefined;
  dryRun = false;
  /** False when the operation did not wait for its work (wait: false). */
  waited = true;
  private readonly now: () => number;
  private readonly startedAt: number;

  constructor(operation: Operation | 'post', now: () => number = Date.now) {
    this.operation = operation;
    this.now = now;
    this.startedAt = now();
  }

  /** Runs one phase of the work, recording when it ran. */
  async phase<T>(name: string, work: () => Promise<T>): Promise<T> {
    const startMs = this.now() - this.startedAt;
    try {
      return await work();
    } finally {
      this.phases.push({ name, startMs, endMs: this.now() - this.startedAt });
    }
  }

  /** Adds a row, or updates the one of the same server and snapshot (or name, before an ID is known). */
  row(row: Row): Row {
    const same = (r: Row) =>
      r.serverId === row.serverId &&
      (r.snapshotId === undefined || row.snapshotId === undefined
        ? r.name === row.name
        : r.snapshotId === row.snapshotId);
    const existing = this.rows.find(same);
    if (existing) return Object.assign(existing, row);
    this.rows.push(row);
    return row;
  }

  /** Work started at the provider and not seen to finish: what a cancellation leaves behind. */
  unfinished(): Row[] {
    return this.rows.filter(
      (r) => !['planned', 'completed', 'restored', 'deleted', 'failed'].includes(r.state),
    );
  }
}
