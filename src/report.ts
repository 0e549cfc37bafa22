import type { Operation } from './settings.ts';

/** One snapshot's line in the job summary. */
export interface SnapshotRow {
  serverId: number;
  snapshotId?: number;
  name: string;
  status: string;
  sizeMb?: number | null;
  elapsedMs?: number;
}

export interface DeletedRow {
  serverId: number;
  snapshotId: number;
  name: string;
  why: string;
}

export interface Phase {
  name: string;
  startMs: number;
  endMs: number;
}

/** What a run did, for the job summary; filled in as the operation goes, so a failure still reports. */
export class Report {
  readonly operation: Operation | 'post';
  readonly rows: SnapshotRow[] = [];
  readonly deleted: DeletedRow[] = [];
  readonly notes: string[] = [];
  readonly phases: Phase[] = [];
  server: { id: number; name: string; status: string } | undefined;
  dryRun = false;
  private readonly now: () => number;
  private readonly startedAt: number;

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

  row(row: SnapshotRow): SnapshotRow {
    const existing = this.rows.find(
      (r) =>
        r.serverId === row.serverId &&
        r.name === row.name &&
        (r.snapshotId === undefined || row.snapshotId === undefined || r.snapshotId === row.snapshotId),
    );
    if (existing) return Object.assign(existing, row);
    this.rows.push(row);
    return row;
  }
}
