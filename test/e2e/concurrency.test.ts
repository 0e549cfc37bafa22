// Concurrent runs against one provider: two deploys of one server a moment apart, and a mix of create,
// restore, delete and list at once. Each run is the action as the runner runs it; the emulator's model is
// watched (chaos-ledger.ts), so what happened is known even where an answer was a 404 for another's work.
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../emulator/index.ts';
import type { ActionRun } from '../../scripts/run-action.ts';
import { type Ledger, olderThan, watchModel } from './chaos-ledger.ts';
import { Fixture, TOKEN } from './fixture.ts';

const DAY = 86_400_000;
const FEB = Date.parse('2025-02-01T00:00:00Z');

let f: Fixture | undefined;
let ledger: Ledger | undefined;
afterEach(async () => {
  ledger?.stop();
  await f?.stop();
  f = undefined;
  ledger = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<{ fx: Fixture; book: Ledger }> {
  f = await new Fixture({ timings: { snapshotMs: 1_500, restoreMs: 1_500 }, ...options }).start();
  ledger = watchModel(f.model);
  return { fx: f, book: ledger };
}

function add(fx: Fixture, id: number, serverId: number, name: string, day: number) {
  fx.model.addSnapshot({
    id,
    serverId,
    name,
    description: '',
    createdAt: FEB + day * DAY,
    readyAt: FEB + day * DAY,
    sizeMb: 100,
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ids = (run: ActionRun, output = 'deleted_ids'): number[] => JSON.parse(run.outputs[output] ?? '[]');

type Ended = ActionRun & { endedAt: number };

/** Starts the runs `gapMs` apart, each as its own workflow run; resolves when all have ended. */
async function together(
  fx: Fixture,
  gapMs: number,
  runs: Record<string, string>[],
  env: Record<string, string> = {},
): Promise<Ended[]> {
  const started: Promise<Ended>[] = [];
  for (const [i, inputs] of runs.entries()) {
    if (i > 0) await pause(gapMs);
    started.push(
      fx
        .run('main', inputs, { context: { runId: String(5_000 + i) }, env })
        .then((run) => Object.assign(run, { endedAt: Date.now() })),
    );
  }
  return Promise.all(started);
}

describe('two creates on one server, 300 ms apart', () => {
  it('keep 1: neither deletes a snapshot newer than its own nor one unfinished; both exit 0', async () => {
    const { fx, book } = await start();
    add(fx, 700, 12345, 'pre-deploy-old', 0);
    const [a, b] = (await together(fx, 300, [
      { server_id: '12345', keep: '1', timeout: '30s' },
      { server_id: '12345', keep: '1', timeout: '30s' },
    ])) as [Ended, Ended];
    for (const run of [a, b]) {
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.errors).toEqual([]);
      expect(run.warnings).toEqual([]);
      expect(run.outputs.status).toBe('completed');
    }
    const x = Number(a.outputs.snapshot_id);
    const y = Number(b.outputs.snapshot_id);
    expect(x).not.toBe(y);
    expect(fx.emulator.requests('create')).toHaveLength(2);
    // The first never touches the second's (newer) snapshot; the newer one survives, completed.
    expect(ids(a)).not.toContain(y);
    expect(fx.snapshots()).toContainEqual({ id: y, name: b.outputs.snapshot_name, status: 'completed' });
    // Whatever each deleted was older than its own snapshot and completed when it was deleted.
    for (const [run, own] of [
      [a, x],
      [b, y],
    ] as const) {
      const mine = book.made.find((s) => s.id === own);
      expect(mine).toBeDefined();
      for (const id of ids(run)) {
        const gone = book.deleted.find((d) => d.id === id);
        expect(gone, `snapshot ${id}`).toBeDefined();
        if (!gone || !mine) continue;
        expect(olderThan(gone, mine), `${id} older than ${own}`).toBe(true);
        expect(gone.at).toBeGreaterThanOrEqual(gone.readyAt);
        expect(gone.name.startsWith('pre-deploy-')).toBe(true);
      }
    }
    // The old one is gone once; a second DELETE of it, if any, was a 404 and no warning.
    expect(book.deleted.filter((d) => d.id === 700)).toHaveLength(1);
    expect(book.deleted.map((d) => d.id).every((id) => id === 700 || id === x)).toBe(true);
  }, 40_000);

  it('keep 2: both new snapshots survive, only the old one is rotated', async () => {
    const { fx, book } = await start();
    add(fx, 700, 12345, 'pre-deploy-old', 0);
    const [a, b] = (await together(fx, 300, [
      { server_id: '12345', keep: '2', timeout: '30s' },
      { server_id: '12345', keep: '2', timeout: '30s' },
    ])) as [Ended, Ended];
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    expect([...a.warnings, ...b.warnings]).toEqual([]);
    expect(book.deleted.map((d) => d.id)).toEqual([700]);
    expect(
      fx
        .snapshots()
        .map((s) => s.id)
        .sort(),
    ).toEqual([798, 801, Number(a.outputs.snapshot_id), Number(b.outputs.snapshot_id)].sort());
    expect([...ids(a), ...ids(b)]).toContain(700);
  }, 40_000);
});

describe.each([
  ['an honest provider', {}, {}],
  [
    'a provider that ignores the filter and lags 800 ms',
    { ignoreServerFilter: true, readLagMs: 800 },
    { VPS_API_SETTLE_WINDOW: '2s' },
  ],
] as const)('create, restore, delete and list at once, on %s', (_label, options, env) => {
  it('each run changes exactly what its inputs name, and all exit 0', async () => {
    const { fx, book } = await start(options);
    fx.model.addServer(TOKEN, 12346, 'db-server-01');
    fx.model.addServer(TOKEN, 12347, 'cache-server-01');
    add(fx, 710, 12346, 'nightly-a', 0);
    add(fx, 711, 12346, 'nightly-b', 1);
    add(fx, 720, 12347, 'pre-deploy-x', 0);
    add(fx, 721, 12347, 'manual-keep', 30); // the newest of the account, on another server than 12346
    const before12345 = fx.snapshots(12345);
    const [create, restore, del, list] = (await together(
      fx,
      100,
      [
        { server_id: '12347', keep: '1', timeout: '30s' },
        { operation: 'restore', snapshot_id: 'latest', server_id: '12346', timeout: '30s' },
        { operation: 'delete', snapshot_id: '720', server_id: '12347' },
        { operation: 'list' },
      ],
      env,
    )) as [Ended, Ended, Ended, Ended];
    for (const run of [create, restore, del, list]) {
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.errors).toEqual([]);
    }
    // create: one snapshot, completed; its rotation may only have taken 720 (or found it gone).
    const own = Number(create.outputs.snapshot_id);
    expect(book.made.map((s) => s.id)).toEqual([own]);
    expect(fx.snapshots(12347)).toContainEqual({
      id: own,
      name: create.outputs.snapshot_name,
      status: 'completed',
    });
    expect(ids(create).every((id) => id === 720)).toBe(true);
    // restore: the newest of 12346's own, not 12347's newer one; restored only after the restore ended.
    expect(restore.outputs).toMatchObject({ snapshot_id: '711', server_id: '12346', status: 'restored' });
    expect(fx.emulator.requests('restore').map((r) => r.path)).toEqual(['/api/v1/snapshots/711/restore/']);
    expect(book.restores.map((r) => r.serverId)).toEqual([12346]);
    expect(restore.endedAt).toBeGreaterThan(book.restores[0]?.until ?? Number.POSITIVE_INFINITY);
    // delete: 720, exactly once at the provider, whoever got there first.
    expect(del.outputs).toMatchObject({ status: 'deleted', deleted_ids: '[720]' });
    expect(book.deleted.map((d) => d.id)).toEqual([720]);
    expect(fx.snapshots(12347).map((s) => s.id)).not.toContain(720);
    // Nothing else changed.
    expect(fx.snapshots(12345)).toEqual(before12345);
    expect(
      fx
        .snapshots(12346)
        .map((s) => s.id)
        .sort(),
    ).toEqual([710, 711]);
    expect(fx.snapshots(12347).map((s) => s.id)).toContain(721);
    // list: the account's snapshots as they were at some moment, each on its own server.
    expect(list.outputs.status).toBe('listed');
    const listed: { id: number; server: { id: number } }[] = JSON.parse(list.outputs.snapshots ?? '[]');
    expect(listed.map((s) => s.id)).toEqual(expect.arrayContaining([798, 801, 710, 711, 721]));
    expect([...create.warnings, ...del.warnings, ...list.warnings]).toEqual([]);
  }, 40_000);
});
