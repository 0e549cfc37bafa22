// A ledger of what the emulator's model really did: every snapshot made, deleted, every restore started,
// with the model's time. The request log says what the action asked; the ledger says what happened, even
// when the answer was lost (ambiguous, gone). Used by the chaos soak and the concurrency tests.
import type { ProviderModel } from '../../emulator/index.ts';
import type { SnapshotRecord } from '../../emulator/model.ts';

export interface MadeSnapshot {
  id: number;
  serverId: number;
  name: string;
  createdAt: number;
  readyAt: number;
  fails: boolean;
}

export interface DeletedSnapshot extends MadeSnapshot {
  at: number;
}

export interface StartedRestore {
  serverId: number;
  at: number;
  /** When the emulator's restore ends (the server leaves `restoring`). */
  until: number;
}

export interface Ledger {
  made: MadeSnapshot[];
  deleted: DeletedSnapshot[];
  restores: StartedRestore[];
  /** Stops recording and puts the model's own methods back. */
  stop(): void;
}

function facts(s: SnapshotRecord): MadeSnapshot {
  return {
    id: s.id,
    serverId: s.serverId,
    name: s.name,
    createdAt: s.createdAt,
    readyAt: s.readyAt,
    fails: s.fails,
  };
}

/** Records the model's writes from now on (snapshots added directly with addSnapshot are not "made"). */
export function watchModel(model: ProviderModel): Ledger {
  const original = {
    createSnapshot: model.createSnapshot,
    deleteSnapshot: model.deleteSnapshot,
    startRestore: model.startRestore,
  };
  const ledger: Ledger = {
    made: [],
    deleted: [],
    restores: [],
    stop() {
      Object.assign(model, original);
    },
  };
  model.createSnapshot = function (this: ProviderModel, ...args) {
    const made = original.createSnapshot.apply(this, args);
    ledger.made.push(facts(made));
    return made;
  };
  model.deleteSnapshot = function (this: ProviderModel, snapshot) {
    ledger.deleted.push({ ...facts(snapshot), at: this.now() });
    original.deleteSnapshot.call(this, snapshot);
  };
  model.startRestore = function (this: ProviderModel, server) {
    original.startRestore.call(this, server);
    ledger.restores.push({ serverId: server.id, at: this.now(), until: server.restoringUntil });
  };
  return ledger;
}

/** As the API orders snapshots by age: created_at in whole seconds, then ID. */
export function olderThan(
  a: { createdAt: number; id: number },
  b: { createdAt: number; id: number },
): boolean {
  const ta = Math.floor(a.createdAt / 1000);
  const tb = Math.floor(b.createdAt / 1000);
  return ta < tb || (ta === tb && a.id < b.id);
}
