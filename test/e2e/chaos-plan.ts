// One round of the soak: the provider's mode (read lag, ignored filter, settle window), its timings and
// faults, and 2 to 4 runs started together. Servers are shared between creates, deletes and lists (their
// races are the point); a restore gets a server of its own, so "latest" has one right answer.
import type { Route } from '../../emulator/index.ts';
import { FAULT_KINDS, type FaultChoice, roundFaults } from './chaos-faults.ts';
import { olderThan } from './chaos-ledger.ts';
import type { Rng } from './chaos-random.ts';
import {
  MODES,
  type Mode,
  type RoundPlan,
  type RunKind,
  type RunPlan,
  SERVERS,
  type Seen,
} from './chaos-types.ts';
import type { Fixture } from './fixture.ts';

export {
  MODES,
  type Mode,
  PREFIX,
  type RoundPlan,
  type RunKind,
  type RunPlan,
  SERVERS,
  type Seen,
} from './chaos-types.ts';

const KINDS: readonly RunKind[] = [
  'create',
  'create',
  'create',
  'fleet',
  'restore-latest',
  'restore-id',
  'delete-id',
  'delete-name',
  'list',
];

/** The account's snapshots now, with what a lagged read shows of each. */
export function survey(f: Fixture): Map<number, Seen> {
  const model = f.model;
  const account = [...model.accounts.values()][0];
  const visible = new Map(
    account
      ? model.visibleSnapshotsOf(account).map((s) => [s.id, model.snapshotStatus(s, model.readTime())])
      : [],
  );
  return new Map(
    [...model.snapshots.values()].map((s) => [
      s.id,
      {
        id: s.id,
        serverId: s.serverId,
        name: s.name,
        createdAt: s.createdAt,
        readyAt: s.readyAt,
        fails: s.fails,
        status: model.snapshotStatus(s),
        visiblyCompleted: visible.get(s.id) === 'completed',
      },
    ]),
  );
}

/** The API routes the runs will use (list: every run reads first). */
function routesUsed(runs: readonly RunPlan[]): Route[] {
  const used = new Set<Route>(['list']);
  for (const run of runs) {
    if (run.kind === 'create' || run.kind === 'fleet') {
      used.add('create');
      if (run.keep > 0) used.add('delete');
    } else if (run.kind.startsWith('restore')) {
      used.add('server');
      used.add('restore');
    } else if (run.kind.startsWith('delete')) used.add('delete');
  }
  return [...used];
}

/** Sets the provider's mode for round `index` on `f`, then plans the round's runs from what is there. */
export function planRound(index: number, rng: Rng, f: Fixture): RoundPlan {
  const mode = MODES[index % MODES.length] as Mode;
  const lagged = mode === 'lag' || mode === 'lag+filter';
  const defaultWindow = mode === 'default-window';
  const readLagMs = defaultWindow ? rng.int(500, 2_500) : lagged ? rng.int(200, 1_500) : 0;
  const featured = FAULT_KINDS[index % FAULT_KINDS.length] as FaultChoice;
  const ignoreServerFilter = mode === 'filter' || mode === 'lag+filter';
  // The mode first: what reads show at the round's start depends on it.
  f.emulator.readLagMs = readLagMs;
  f.emulator.ignoreServerFilter = ignoreServerFilter;
  const before = survey(f);
  const all = [...before.values()];
  const of = (server: number) => all.filter((s) => s.serverId === server);

  const count = rng.int(2, 4);
  const kinds = Array.from({ length: count }, () => rng.pick(KINDS));
  const servers: number[] = rng.shuffle<number>(SERVERS);
  // A restore gets a server no other run of the round touches; at least two are left for the rest.
  const restoreServers: number[] = [];
  for (const [i, kind] of kinds.entries()) {
    if (!kind.startsWith('restore')) continue;
    if (restoreServers.length >= SERVERS.length - 2) kinds[i] = 'create';
    else restoreServers.push(servers[restoreServers.length] as number);
  }
  const shared = servers.slice(restoreServers.length);
  let nextRestore = 0;
  const runs = kinds.map((kind): RunPlan => {
    const offsetMs = rng.int(0, 300);
    const base = { named: [] as number[], keep: 0, wait: true, offsetMs };
    switch (kind) {
      case 'create':
      case 'fleet': {
        const on = kind === 'fleet' ? rng.shuffle(shared).slice(0, 2) : [rng.pick(shared)];
        const keep = rng.int(0, 3);
        const wait = rng.chance(0.9);
        return {
          ...base,
          kind,
          label: `${kind} on ${on.join(',')} keep ${keep}${wait ? '' : ' (no wait)'}`,
          servers: on,
          keep,
          wait,
          inputs: {
            server_id: on.join(','),
            keep: String(keep),
            restore_on_failure: String(rng.chance(0.3)),
            wait: String(wait),
            timeout: '15s',
          },
        };
      }
      case 'restore-latest': {
        const server = restoreServers[nextRestore++] as number;
        const floor = of(server)
          .filter((s) => s.status === 'completed' && s.visiblyCompleted)
          .sort((a, b) => (olderThan(a, b) ? 1 : olderThan(b, a) ? -1 : 0))[0];
        return {
          ...base,
          kind,
          label: `restore latest on ${server}`,
          servers: [server],
          ...(floor ? { floor } : {}),
          inputs: { operation: 'restore', snapshot_id: 'latest', server_id: String(server), timeout: '15s' },
        };
      }
      case 'restore-id': {
        const server = restoreServers[nextRestore++] as number;
        // Now and then a snapshot of another server, with this server_id: it must be refused.
        const others = all.filter((s) => s.serverId !== server);
        const wrong = others.length > 0 && (rng.chance(0.15) || of(server).length === 0);
        const pool = wrong ? others : of(server);
        const target = pool.length ? rng.pick(pool) : undefined;
        const id = target?.id ?? 999_999;
        const withServer = wrong || rng.chance(0.5);
        return {
          ...base,
          kind,
          label: `restore ${id}${withServer ? ` with server_id ${server}` : ''}`,
          servers: [server],
          named: wrong || !target ? [] : [id],
          inputs: {
            operation: 'restore',
            snapshot_id: String(id),
            ...(withServer ? { server_id: String(server) } : {}),
            timeout: '15s',
          },
        };
      }
      case 'delete-id': {
        const candidates = all.filter((s) => shared.includes(s.serverId));
        const target = candidates.length ? rng.pick(candidates) : undefined;
        const id = target?.id ?? 999_999;
        const server = target?.serverId ?? (shared[0] as number);
        const wrong = rng.chance(0.1) ? (shared.find((s) => s !== server) as number) : undefined;
        return {
          ...base,
          kind,
          label: `delete ${id}${wrong ? ` with server_id ${wrong}` : ''}`,
          servers: [server],
          named: wrong || !target ? [] : [id],
          inputs: {
            operation: 'delete',
            snapshot_id: String(id),
            ...(wrong ? { server_id: String(wrong) } : {}),
          },
        };
      }
      case 'delete-name': {
        const server = rng.pick(shared);
        const names = [...new Set(of(server).map((s) => s.name))];
        const name = names.length ? rng.pick(names) : 'no-such-name';
        return {
          ...base,
          kind,
          label: `delete '${name}' on ${server}`,
          servers: [server],
          named: of(server)
            .filter((s) => s.name === name)
            .map((s) => s.id),
          inputs: { operation: 'delete', name, server_id: String(server) },
        };
      }
      default: {
        const server = rng.chance(0.5) ? rng.pick(SERVERS) : undefined;
        return {
          ...base,
          kind,
          label: `list${server ? ` ${server}` : ''}`,
          servers: server ? [server] : [],
          inputs: { operation: 'list', ...(server ? { server_id: String(server) } : {}) },
        };
      }
    }
  });
  return {
    index,
    mode,
    readLagMs,
    ignoreServerFilter,
    settleWindow: defaultWindow ? '' : '2s',
    timings: defaultWindow
      ? { snapshotMs: rng.int(300, 1_000), restoreMs: rng.int(1_500, 2_500) }
      : { snapshotMs: rng.int(100, 800), restoreMs: rng.int(100, 2_000) },
    ...(rng.chance(0.1) ? { failingServer: rng.pick(SERVERS) } : {}),
    featured,
    faults: roundFaults(rng, featured, defaultWindow, routesUsed(runs)),
    runs,
    before,
  };
}
