// The provider's domain model: accounts, servers and snapshots, with time-driven status changes.
// Statuses are derived from the clock when read, so a simulated clock drives the emulator too.
// Writes act on the state as it is now; reads may lag behind it by `readLagMs` (an eventually
// consistent provider): they show the state as it was `readLagMs` ago.
import { type LocalTimestamps, localStamp } from './timestamps.ts';

export type Clock = () => number;

export interface ServerRecord {
  id: number;
  name: string;
  /** While `now < restoringUntil` the server is `restoring`; afterwards `stopped` (or `error` with restoreFails). */
  restoringUntil: number;
  restoreFails: boolean;
  baseStatus: 'running' | 'stopped' | 'error';
  /** When the last restore was accepted, and the status the server had just before it (for lagged reads). */
  restoreStartedAt?: number;
  statusBefore?: string;
}

export interface SnapshotRecord {
  id: number;
  serverId: number;
  name: string;
  description: string;
  createdAt: number;
  readyAt: number;
  fails: boolean;
  sizeMb: number;
  /** When the API accepted its creation; lagged reads show it from then on. Unset for seeded snapshots. */
  acceptedAt?: number;
  /** created_at as the provider wrote it (the local-timestamps mode, or a test's); formatTime(createdAt) when unset. */
  stamp?: string;
}

/** A snapshot deleted less than `readLagMs` ago: gone for writes, still shown by lagged reads. */
interface Tombstone {
  snapshot: SnapshotRecord;
  deletedAt: number;
}

export interface Account {
  token: string;
  servers: Map<number, ServerRecord>;
}

export interface Timings {
  /** How long a new snapshot stays `in_progress`. */
  snapshotMs: number;
  /** How long a restore keeps the server `restoring`. */
  restoreMs: number;
}

export const SNAPSHOT_LIMIT = 5;
export const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
export const NAME_MAX_LENGTH = 100;
export const DESCRIPTION_MAX_LENGTH = 500;

/** `2025-01-15T18:30:00Z`: the reference's format, whole seconds. */
export function formatTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** A snapshot's created_at as the API shows it. */
export function createdAtOf(snapshot: SnapshotRecord): string {
  return snapshot.stamp ?? formatTime(snapshot.createdAt);
}

export class ProviderModel {
  readonly accounts = new Map<string, Account>();
  readonly snapshots = new Map<number, SnapshotRecord>();
  timings: Timings;
  /** Snapshots created from now on end as `failed` while this is set (per server ID, or every server: '*'). */
  readonly failingServers = new Set<number | '*'>();
  /** Reads (lists, server status) show the state as of this many milliseconds ago; writes see it now. */
  readLagMs: number;
  /** Snapshots added while this is set get created_at in the provider's shifted local time, without an offset. */
  localTimestamps: LocalTimestamps | undefined;
  private readonly tombstones = new Map<number, Tombstone>();
  private nextId: number;
  readonly now: Clock;

  constructor(
    options: {
      now?: Clock;
      timings?: Partial<Timings>;
      firstId?: number;
      readLagMs?: number;
      localTimestamps?: LocalTimestamps;
    } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.timings = { snapshotMs: 2_000, restoreMs: 3_000, ...options.timings };
    this.nextId = options.firstId ?? 802;
    this.readLagMs = options.readLagMs ?? 0;
    this.localTimestamps = options.localTimestamps;
  }

  /** The moment whose state reads show: `now - readLagMs`. */
  readTime(): number {
    return this.now() - this.readLagMs;
  }

  addAccount(token: string): Account {
    const existing = this.accounts.get(token);
    if (existing) return existing;
    const account: Account = { token, servers: new Map() };
    this.accounts.set(token, account);
    return account;
  }

  addServer(token: string, id: number, name = `server-${id}`): ServerRecord {
    for (const account of this.accounts.values()) {
      if (account.servers.has(id)) throw new Error(`server ${id} already exists`);
    }
    const server: ServerRecord = { id, name, restoringUntil: 0, restoreFails: false, baseStatus: 'running' };
    this.addAccount(token).servers.set(id, server);
    return server;
  }

  /** Adds a snapshot as it exists already (seed data); `readyAt` in the past means completed. */
  addSnapshot(init: Omit<SnapshotRecord, 'fails'> & { fails?: boolean }): SnapshotRecord {
    const mode = this.localTimestamps;
    const stamp = init.stamp ?? (mode ? localStamp(init.createdAt, init.id, mode) : undefined);
    const snapshot: SnapshotRecord = { fails: false, ...init, ...(stamp !== undefined ? { stamp } : {}) };
    this.snapshots.set(snapshot.id, snapshot);
    this.nextId = Math.max(this.nextId, snapshot.id + 1);
    return snapshot;
  }

  /** The reference's example data: server 12345 with snapshots 801 and 798. */
  seedReference(token: string): void {
    this.addServer(token, 12345, 'web-server-01');
    const at = (iso: string) => Date.parse(iso);
    this.addSnapshot({
      id: 798,
      serverId: 12345,
      name: 'weekly-snapshot-2025-01-08',
      description: 'Weekly snapshot',
      createdAt: at('2025-01-08T12:00:00Z'),
      readyAt: at('2025-01-08T12:00:00Z'),
      sizeMb: 4856,
    });
    this.addSnapshot({
      id: 801,
      serverId: 12345,
      name: 'pre-migration-snapshot',
      description: 'Before major migration',
      createdAt: at('2025-01-15T18:30:00Z'),
      readyAt: at('2025-01-15T18:30:00Z'),
      sizeMb: 5120,
    });
    this.nextId = Math.max(this.nextId, 802);
  }

  account(token: string): Account | undefined {
    return this.accounts.get(token);
  }

  findServer(account: Account, id: number): ServerRecord | undefined {
    return account.servers.get(id);
  }

  findSnapshot(account: Account, id: number): SnapshotRecord | undefined {
    const snapshot = this.snapshots.get(id);
    return snapshot && account.servers.has(snapshot.serverId) ? snapshot : undefined;
  }

  snapshotsOf(account: Account, serverId?: number): SnapshotRecord[] {
    return [...this.snapshots.values()]
      .filter((s) => account.servers.has(s.serverId) && (serverId === undefined || s.serverId === serverId))
      .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  }

  /**
   * The account's snapshots as a lagged read shows them, newest first: those accepted by the read time,
   * plus those deleted after it.
   */
  visibleSnapshotsOf(account: Account, serverId?: number): SnapshotRecord[] {
    const at = this.readTime();
    const live = this.snapshotsOf(account, serverId).filter((s) => (s.acceptedAt ?? at) <= at);
    for (const [id, tombstone] of this.tombstones) {
      if (tombstone.deletedAt <= at) this.tombstones.delete(id);
    }
    const deleted = [...this.tombstones.values()]
      .map((t) => t.snapshot)
      .filter(
        (s) =>
          !this.snapshots.has(s.id) &&
          (s.acceptedAt ?? at) <= at &&
          account.servers.has(s.serverId) &&
          (serverId === undefined || s.serverId === serverId),
      );
    return [...live, ...deleted].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  }

  /** Deletes at once for writes; with a read lag, lists keep showing it for `readLagMs`. */
  deleteSnapshot(snapshot: SnapshotRecord): void {
    this.snapshots.delete(snapshot.id);
    if (this.readLagMs > 0) this.tombstones.set(snapshot.id, { snapshot, deletedAt: this.now() });
  }

  snapshotStatus(snapshot: SnapshotRecord, at = this.now()): 'in_progress' | 'completed' | 'failed' {
    if (at < snapshot.readyAt) return 'in_progress';
    return snapshot.fails ? 'failed' : 'completed';
  }

  /** The server's status at `at` (now by default; a lagged read passes `readTime()`). */
  serverStatus(server: ServerRecord, at = this.now()): string {
    if (server.restoreStartedAt !== undefined && at < server.restoreStartedAt) {
      return server.statusBefore ?? server.baseStatus;
    }
    if (at < server.restoringUntil) return 'restoring';
    if (server.restoringUntil > 0) return server.restoreFails ? 'error' : 'stopped';
    return server.baseStatus;
  }

  createSnapshot(server: ServerRecord, name: string, description: string): SnapshotRecord {
    const createdAt = this.now();
    const fails = this.failingServers.has(server.id) || this.failingServers.has('*');
    return this.addSnapshot({
      id: this.nextId,
      serverId: server.id,
      name,
      description,
      createdAt,
      readyAt: createdAt + this.timings.snapshotMs,
      acceptedAt: createdAt,
      fails,
      sizeMb: 4096 + ((this.nextId * 37) % 2048),
    });
  }

  startRestore(server: ServerRecord): void {
    server.statusBefore = this.serverStatus(server);
    server.restoreStartedAt = this.now();
    server.restoringUntil = this.now() + this.timings.restoreMs;
    server.restoreFails = false;
  }
}
