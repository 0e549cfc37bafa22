// Soak: the bundle, many times, against the emulator with random faults on every route and random
// timings; invariants checked after every run, not only exit codes. Bounded in runs and time; loopback only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fault, Route } from '../../emulator/index.ts';
import { ROUTES } from '../../emulator/index.ts';
import type { ActionRun } from '../../scripts/run-action.ts';
import { Fixture, TOKEN } from './fixture.ts';

const RUNS = Number(process.env.CHAOS_RUNS ?? 40);
const TIME_BUDGET_MS = Number(process.env.CHAOS_SECONDS ?? 150) * 1_000;
const SEED = Number(process.env.CHAOS_SEED ?? 20261122);
const SERVERS = [12345, 12346, 12347];
const PREFIX = 'pre-deploy-';

/** mulberry32: a small seeded generator, so a failing soak can be replayed with CHAOS_SEED. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const random = seeded(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const chance = (p: number) => random() < p;

function randomFaults(): Fault[] {
  const faults: Fault[] = [];
  for (const route of ROUTES as readonly Route[]) {
    if (!chance(0.8)) continue;
    const rate = 0.2 + random() * 0.4;
    const count = 1 + Math.floor(random() * 4);
    const kind = pick([
      '429',
      '5xx',
      'reset',
      'latency',
      'hang',
      'ambiguous',
      'ambiguous502',
      'garbage',
    ] as const);
    const base = { route, rate, count };
    switch (kind) {
      case '429':
        faults.push({ ...base, kind: 'status', status: 429, retryAfter: pick(['0', '1']) });
        break;
      case '5xx':
        faults.push({ ...base, kind: 'status', status: pick([500, 502, 503, 504]) });
        break;
      case 'latency':
        faults.push({ ...base, kind: 'latency', ms: 50 + Math.floor(random() * 250) });
        break;
      case 'ambiguous':
        faults.push({ ...base, kind: 'ambiguous' });
        break;
      case 'ambiguous502':
        faults.push({ ...base, kind: 'ambiguous', status: 502 });
        break;
      default:
        faults.push({ ...base, kind });
    }
  }
  return faults;
}

interface Scenario {
  label: string;
  inputs: Record<string, string>;
  /** Snapshot IDs the inputs name for restore or delete, resolved from the state before the run. */
  named: number[];
}

type Snap = { id: number; serverId: number; name: string; status: string; readyAt: number; fails: boolean };

function scenario(f: Fixture, snaps: Snap[]): Scenario {
  const server = pick(SERVERS);
  const onServer = snaps.filter((s) => s.serverId === server);
  const kind = pick([
    'create',
    'create',
    'create',
    'fleet',
    'restore-latest',
    'restore-id',
    'delete',
    'list',
  ] as const);
  switch (kind) {
    case 'create':
    case 'fleet': {
      const servers = kind === 'fleet' ? [server, pick(SERVERS.filter((s) => s !== server))] : [server];
      return {
        label: `${kind} on ${servers.join(',')}`,
        inputs: {
          server_id: servers.join(','),
          keep: String(pick([0, 1, 2, 3])),
          restore_on_failure: String(chance(0.3)),
          timeout: '20s',
        },
        named: [],
      };
    }
    case 'restore-latest': {
      const latest = onServer
        .filter((s) => s.status === 'completed')
        .sort(
          (a, b) =>
            (f.model.snapshots.get(b.id)?.createdAt ?? 0) - (f.model.snapshots.get(a.id)?.createdAt ?? 0) ||
            b.id - a.id,
        )[0];
      return {
        label: `restore latest on ${server}`,
        inputs: { operation: 'restore', snapshot_id: 'latest', server_id: String(server), timeout: '20s' },
        named: latest ? [latest.id] : [],
      };
    }
    case 'restore-id':
    case 'delete': {
      const target = pick(onServer.length ? onServer : snaps);
      const operation = kind === 'delete' ? 'delete' : 'restore';
      return {
        label: `${operation} ${target?.id}`,
        inputs: { operation, snapshot_id: String(target?.id ?? 999_999), timeout: '20s' },
        named: target ? [target.id] : [],
      };
    }
    case 'list':
      return { label: 'list', inputs: { operation: 'list' }, named: [] };
  }
}

function checkInvariants(
  f: Fixture,
  s: Scenario,
  run: ActionRun,
  before: Snap[],
  logFrom: number,
  runName: string,
): string[] {
  const violations: string[] = [];
  const after = new Map([...f.model.snapshots.values()].map((x) => [x.id, x]));
  const log = f.emulator.log.slice(logFrom);
  const operation = s.inputs.operation ?? 'create';

  // 1. Never two snapshots of one name from one run on a server.
  for (const server of SERVERS) {
    const mine = [...after.values()].filter((x) => x.serverId === server && x.name === runName);
    if (mine.length > 1) violations.push(`server ${server} holds ${mine.length} snapshots named ${runName}`);
  }
  // 2. The action never trips the limit itself.
  for (const entry of log) {
    if (entry.route === 'create' && entry.status === 400 && /limit/i.test(entry.detail ?? '')) {
      violations.push(`a create hit the provider's limit: ${entry.detail}`);
    }
  }
  // 3. Nothing deleted or restored that the inputs did not name.
  const deleted = before.filter((x) => !after.has(x.id));
  for (const gone of deleted) {
    const allowed =
      operation === 'delete'
        ? s.named.includes(gone.id)
        : operation === 'create' &&
          gone.name.startsWith(PREFIX) &&
          gone.name !== runName &&
          !gone.fails &&
          gone.readyAt <= f.model.now();
    if (!allowed)
      violations.push(`snapshot ${gone.id} '${gone.name}' (${gone.status}) was deleted by ${s.label}`);
  }
  if (operation === 'create' && s.inputs.keep === '0' && deleted.length > 0) {
    violations.push(`create without keep deleted ${deleted.map((d) => d.id).join(', ')}`);
  }
  for (const entry of log.filter(
    (e) => e.route === 'restore' && e.status !== 'hang' && e.fault !== 'reset',
  )) {
    const id = Number(/snapshots\/(\d+)\/restore/.exec(entry.path)?.[1]);
    if (operation !== 'restore' || !s.named.includes(id))
      violations.push(`snapshot ${id} was restored by ${s.label}`);
  }
  // 4. Success means done; failure says why; a written snapshot_id names a real snapshot.
  const snapshotId = Number(run.outputs.snapshot_id);
  if (run.exitCode === 0) {
    if (run.errors.length > 0) violations.push(`exit 0 with errors: ${run.errors.join(' | ')}`);
    if (operation === 'create') {
      const ids: number[] = Object.values(JSON.parse(run.outputs.snapshot_ids ?? '{}'));
      if (ids.length !== s.inputs.server_id?.split(',').length)
        violations.push('snapshot_ids misses a server');
      for (const id of ids) {
        const snap = after.get(id);
        if (!snap || f.model.snapshotStatus(snap) !== 'completed') {
          violations.push(`exit 0 but snapshot ${id} is ${snap ? f.model.snapshotStatus(snap) : 'missing'}`);
        }
      }
    }
    if (operation === 'restore' && run.outputs.status !== 'restored')
      violations.push(`restore exit 0 with status ${run.outputs.status}`);
  } else {
    if (run.exitCode !== 1) violations.push(`exit code ${run.exitCode}`);
    if (run.errors.length === 0 || run.errors.some((e) => e.length < 30))
      violations.push(`failure without a clear error: ${run.stdout.slice(-500)}`);
    if (run.outputs.snapshot_id && operation === 'create' && !after.has(snapshotId)) {
      violations.push(`failed run wrote snapshot_id ${snapshotId}, which does not exist`);
    }
  }
  if (/\n\s+at .+:\d+:\d+/.test(run.stdout)) violations.push('a stack trace was printed');
  return violations;
}

describe('chaos soak', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await new Fixture({ random }).start();
    for (const id of SERVERS.slice(1)) f.model.addServer(TOKEN, id);
  });
  afterAll(() => f.stop());

  it(`keeps every invariant over up to ${RUNS} runs with random faults (seed ${SEED})`, async () => {
    const started = performance.now();
    const violations: string[] = [];
    const outcomes = { ok: 0, failed: 0 };
    let runs = 0;
    let posts = 0;
    for (let i = 0; i < RUNS && performance.now() - started < TIME_BUDGET_MS; i++) {
      f.emulator.faults.clear();
      f.model.failingServers.clear();
      f.model.timings = {
        snapshotMs: 100 + Math.floor(random() * 700),
        restoreMs: 100 + Math.floor(random() * 500),
      };
      if (chance(0.1)) f.model.failingServers.add(pick(SERVERS));
      const before: Snap[] = [...f.model.snapshots.values()].map((x) => ({
        id: x.id,
        serverId: x.serverId,
        name: x.name,
        status: f.model.snapshotStatus(x),
        readyAt: x.readyAt,
        fails: x.fails,
      }));
      const s = scenario(f, before);
      const runId = String(1_000 + i);
      const runName = `${PREFIX}3f2a9c1-${runId}-1`;
      f.emulator.faults.add(...randomFaults());
      const logFrom = f.emulator.log.length;
      const run = await f.run('main', s.inputs, {
        context: { runId },
        env: { VPS_API_REQUEST_TIMEOUT: '400ms' },
        timeoutMs: 60_000,
      });
      f.emulator.faults.clear();
      runs += 1;
      outcomes[run.exitCode === 0 ? 'ok' : 'failed'] += 1;
      for (const v of checkInvariants(f, s, run, before, logFrom, runName))
        violations.push(`run ${i} (${s.label}): ${v}`);

      // Half the time the "deploy" after a create fails, and the post step runs, under faults too.
      if ((s.inputs.operation ?? 'create') === 'create' && chance(0.5)) {
        f.emulator.faults.add(...randomFaults());
        const postFrom = f.emulator.log.length;
        const post = await f.run('post', s.inputs, {
          state: run.state,
          env: { VPS_API_REQUEST_TIMEOUT: '400ms' },
          timeoutMs: 60_000,
        });
        f.emulator.faults.clear();
        posts += 1;
        const mine = new Set<number>(Object.values(JSON.parse(run.outputs.snapshot_ids ?? '{}')));
        const armed = run.exitCode === 0 && s.inputs.restore_on_failure === 'true';
        for (const entry of f.emulator.log.slice(postFrom)) {
          if (entry.method === 'DELETE' || entry.route === 'create')
            violations.push(`post step of run ${i} sent ${entry.method} ${entry.path}`);
          if (entry.route !== 'restore') continue;
          const id = Number(/snapshots\/(\d+)\/restore/.exec(entry.path)?.[1]);
          if (!armed || !mine.has(id)) violations.push(`post step of run ${i} restored snapshot ${id}`);
        }
        if (!armed && post.exitCode !== 0) violations.push(`post step of run ${i} failed with nothing to do`);
        if (post.exitCode !== 0 && post.errors.length === 0)
          violations.push(`post step of run ${i} failed silently`);
      }
    }
    const injected = [...f.emulator.faults.injected.entries()].map(([k, v]) => `${k}: ${v}`).join(', ');
    const total = [...f.emulator.faults.injected.values()].reduce((a, b) => a + b, 0);
    console.log(
      `chaos: ${runs} runs (${outcomes.ok} succeeded, ${outcomes.failed} failed cleanly) and ${posts} post steps, ${f.emulator.log.length} requests, ${total} faults injected (${injected}), ${violations.length} invariant violations, seed ${SEED}, ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    expect(violations).toEqual([]);
    expect(runs).toBeGreaterThanOrEqual(Math.min(RUNS, 10));
    expect(total).toBeGreaterThan(0);
  }, 300_000);
});
