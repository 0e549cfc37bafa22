// Lost answers to the POSTs, on a provider whose reads lag: the action settles each by looking (the list, or
// the server) over the settle window, sends again only when the whole window showed nothing, and says so when
// it cannot know. Run as the runner runs it; the emulator's model is watched for what really happened.
import { afterEach, describe, expect, it } from 'vitest';
import { type EmulatorOptions, parseFault } from '../../emulator/index.ts';
import { type Ledger, watchModel } from './chaos-ledger.ts';
import { Fixture } from './fixture.ts';

let f: Fixture | undefined;
let ledger: Ledger | undefined;
afterEach(async () => {
  ledger?.stop();
  await f?.stop();
  f = undefined;
  ledger = undefined;
});

async function start(options: EmulatorOptions): Promise<{ fx: Fixture; book: Ledger }> {
  f = await new Fixture(options).start();
  ledger = watchModel(f.model);
  return { fx: f, book: ledger };
}

describe('a create whose answer is lost', () => {
  it.each(['create:reset@1', 'create:status:503@1', 'create:wrongtype@1', 'create:html:502@1'])(
    'not done (%s), reads lagging 1 s: the window shows nothing, the POST goes again, one snapshot',
    async (fault) => {
      const { fx, book } = await start({ readLagMs: 1_000 });
      fx.emulator.faults.add(parseFault(fault));
      const run = await fx.run(
        'main',
        { server_id: '12345', timeout: '30s' },
        { env: { VPS_API_SETTLE_WINDOW: '2s' } },
      );
      expect(run.exitCode, run.stdout).toBe(0);
      expect(fx.emulator.requests('create')).toHaveLength(2);
      expect(book.made).toHaveLength(1);
      expect(run.outputs).toMatchObject({ snapshot_id: String(book.made[0]?.id), status: 'completed' });
      // It looked over the whole window before sending again.
      const [first, second] = fx.emulator.requests('create');
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
      expect(run.stdout).toMatch(
        /settled, no new snapshot of this name in the whole window; sending it again/,
      );
    },
    30_000,
  );

  it('when the deadline cuts the window short: fails as an unknown outcome, saying what to check', async () => {
    const { fx, book } = await start({ readLagMs: 1_000 });
    fx.emulator.faults.add(parseFault('create:status:503'));
    // The default window (30 s) is longer than the step's 4 s.
    const run = await fx.run(
      'main',
      { server_id: '12345', timeout: '4s' },
      { env: { VPS_API_SETTLE_WINDOW: '' } },
    );
    expect(run.exitCode).toBe(1);
    expect(fx.emulator.requests('create')).toHaveLength(1);
    expect(book.made).toEqual([]);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/may or may not have been made/);
    expect(run.errors[0]).toMatch(
      /List server 12345's snapshots \(operation: list\) for a new one named '.*' before running again/,
    );
    expect(run.durationMs).toBeLessThan(15_000);
  }, 30_000);

  it('made, and the provider lists it only after 2 s, under the ignored filter too: adopted, never sent again', async () => {
    const { fx, book } = await start({ readLagMs: 2_000, ignoreServerFilter: true });
    fx.emulator.faults.add(parseFault('create:ambiguous@1'));
    const run = await fx.run(
      'main',
      { server_id: '12345', timeout: '30s' },
      { env: { VPS_API_SETTLE_WINDOW: '5s' } },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    expect(fx.emulator.requests('create')).toHaveLength(1);
    expect(book.made).toHaveLength(1);
    expect(run.outputs.snapshot_id).toBe(String(book.made[0]?.id));
  }, 30_000);
});

describe('a restore whose answer is lost', () => {
  it('taken (restore:ambiguous:502), the server showing it only after 1.5 s: adopted, one restore, restored', async () => {
    const { fx, book } = await start({ readLagMs: 1_500, timings: { snapshotMs: 300, restoreMs: 4_000 } });
    fx.emulator.faults.add(parseFault('restore:ambiguous:502@1'));
    const run = await fx.run(
      'main',
      { operation: 'restore', snapshot_id: '801', timeout: '30s' },
      { env: { VPS_API_SETTLE_WINDOW: '4s' } },
    );
    const ended = Date.now();
    expect(run.exitCode, run.stdout).toBe(0);
    expect(fx.emulator.requests('restore')).toHaveLength(1);
    expect(book.restores).toHaveLength(1);
    expect(run.outputs.status, run.stdout).toBe('restored');
    expect(ended).toBeGreaterThan(book.restores[0]?.until ?? Number.POSITIVE_INFINITY);
    expect(run.stdout).toMatch(/the restore was taken/);
  }, 30_000);

  it('not taken (restore:status:503@1): the window shows no change, sent again, one restore', async () => {
    const { fx, book } = await start({ readLagMs: 500 });
    fx.emulator.faults.add(parseFault('restore:status:503@1'));
    const run = await fx.run(
      'main',
      { operation: 'restore', snapshot_id: '801', timeout: '30s' },
      { env: { VPS_API_SETTLE_WINDOW: '2s' } },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    expect(fx.emulator.requests('restore').map((r) => r.status)).toEqual([503, 200]);
    expect(book.restores).toHaveLength(1);
    expect(run.outputs.status).toBe('restored');
  }, 30_000);
});
