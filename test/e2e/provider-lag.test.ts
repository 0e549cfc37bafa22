// A provider whose reads lag its writes (the emulator's readLagMs): a new snapshot is listed seconds after
// its 201, a restored server shows its old status for seconds. The action, run as the runner runs it,
// must neither make a second snapshot, nor call a listed-late one gone, nor call a restore done early.
import { afterEach, describe, expect, it } from 'vitest';
import { type EmulatorOptions, parseFault } from '../../emulator/index.ts';
import { Fixture, TOKEN } from './fixture.ts';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

async function start(options: EmulatorOptions): Promise<Fixture> {
  f = await new Fixture(options).start();
  return f;
}

const posts = (fx: Fixture) => fx.emulator.requests('create');
const gone = /is gone|disappeared/;

describe('create on a provider whose lists lag', () => {
  it.each([1_500, 3_000])(
    'a lost answer (502 after the work) with a read lag of %i ms: one POST, the snapshot adopted, exit 0',
    async (readLagMs) => {
      const fx = await start({ readLagMs });
      fx.emulator.faults.add(parseFault('create:ambiguous:502@1'));
      const run = await fx.run(
        'main',
        { server_id: '12345', timeout: '30s' },
        { env: { VPS_API_SETTLE_WINDOW: '8s' } },
      );
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.errors).toEqual([]);
      expect(posts(fx)).toHaveLength(1);
      expect(posts(fx)[0]).toMatchObject({ status: 502, fault: 'ambiguous' });
      const name = run.outputs.snapshot_name ?? '';
      const mine = fx.snapshots().filter((s) => s.name === name);
      expect(mine).toEqual([{ id: 802, name, status: 'completed' }]);
      expect(run.outputs).toMatchObject({
        snapshot_id: '802',
        status: 'completed',
        snapshot_ids: '{"12345":802}',
      });
      expect(run.stdout).toMatch(/settled, snapshot 802 is new with this name; adopted, not sent again/);
      // The first look after the 502 came before the snapshot was listed: the lag was really there.
      const created = fx.model.snapshots.get(802)?.createdAt ?? 0;
      const looks = fx.emulator.requests('list').filter((r) => r.at > created);
      expect(looks.some((r) => r.at < created + readLagMs)).toBe(true);
      expect(run.stdout).not.toMatch(gone);
    },
    30_000,
  );

  it.each([
    ['a window just over the lag', '4s'],
    ['the default window', ''],
  ])(
    'a snapshot answered 201 but listed only 3 s later completes, never "gone" (%s)',
    async (_label, window) => {
      const fx = await start({ readLagMs: 3_000 });
      const run = await fx.run(
        'main',
        { server_id: '12345', timeout: '30s' },
        { env: { VPS_API_SETTLE_WINDOW: window } },
      );
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs).toMatchObject({ snapshot_id: '802', status: 'completed' });
      expect(run.warnings).toEqual([]);
      expect(run.stdout).not.toMatch(gone);
      expect(run.summary).not.toMatch(gone);
      // Polls ran while the list did not show it yet.
      const created = fx.model.snapshots.get(802)?.createdAt ?? 0;
      const blind = fx.emulator.requests('list').filter((r) => r.at > created && r.at < created + 3_000);
      expect(blind.length).toBeGreaterThanOrEqual(2);
      expect(posts(fx)).toHaveLength(1);
    },
    30_000,
  );
});

describe('restore on a provider whose reads lag', () => {
  it('says restored only after the server was seen to change, and never before the restore ended', async () => {
    const readLagMs = 2_000;
    const fx = await start({ readLagMs, timings: { snapshotMs: 300, restoreMs: 1_000 } });
    const run = await fx.run(
      'main',
      { operation: 'restore', snapshot_id: '801', timeout: '30s' },
      { env: { VPS_API_SETTLE_WINDOW: '6s' } },
    );
    const ended = Date.now();
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'restored', snapshot_id: '801', server_id: '12345' });
    const server = fx.model.account(TOKEN)?.servers.get(12345);
    const restoreEnded = server?.restoringUntil ?? Number.POSITIVE_INFINITY;
    expect(ended).toBeGreaterThan(restoreEnded);
    // Reads showed `running` until the restore was 2 s old: the first looks saw no change...
    const looks = fx.emulator.requests('server').filter((r) => r.at >= (server?.restoreStartedAt ?? 0));
    expect(looks.some((r) => r.at < (server?.restoreStartedAt ?? 0) + readLagMs)).toBe(true);
    expect(run.stdout).toMatch(/server 12345 'web-server-01': running \(/);
    // ...and the last look, the one that decided, read the state after the restore had ended.
    expect(looks.at(-1)?.at).toBeGreaterThanOrEqual(restoreEnded + readLagMs - 50);
    expect(run.stdout).toMatch(/running → (restoring|stopped)/);
    expect(run.warnings.filter((w) => w.includes('Restore not confirmed'))).toEqual([]);
    expect(fx.emulator.requests('restore')).toHaveLength(1);
  }, 30_000);

  it('a server that never changes within the window: warning "Restore not confirmed", status restoring, exit 0', async () => {
    // Reads lag a minute: the server shows `running` for the whole 3 s window.
    const fx = await start({ readLagMs: 60_000 });
    const run = await fx.run(
      'main',
      { operation: 'restore', snapshot_id: '801', timeout: '30s' },
      { env: { VPS_API_SETTLE_WINDOW: '3s' } },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.outputs.status).toBe('restoring');
    const unconfirmed = run.warnings.filter((w) => w.startsWith('::warning title=Restore not confirmed::'));
    expect(unconfirmed).toHaveLength(1);
    expect(unconfirmed[0]).toMatch(/server was never seen restoring \(it showed 'running'/);
    expect(JSON.parse(run.outputs.results ?? '[]')).toMatchObject([
      { server_id: 12345, snapshot_id: 801, status: 'restoring', error: null },
    ]);
    expect(run.durationMs).toBeLessThan(15_000);
    expect(fx.emulator.requests('restore')).toHaveLength(1);
  }, 30_000);
});

describe('wait for a snapshot started with wait: false, not listed yet (reads lag 2 s)', () => {
  async function startedUnlisted(): Promise<{ fx: Fixture; id: string; ids: string }> {
    const fx = await start({ readLagMs: 2_000 });
    const created = await fx.run('main', { server_id: '12345', wait: 'false' });
    expect(created.exitCode, created.stdout).toBe(0);
    expect(created.outputs.status).toBe('in_progress');
    return { fx, id: created.outputs.snapshot_id ?? '', ids: created.outputs.snapshot_ids ?? '' };
  }
  const env = { env: { VPS_API_SETTLE_WINDOW: '4s' } };

  it.each([
    ['snapshot_id with server_id', (id: string) => ({ snapshot_id: id, server_id: '12345' })],
    ["create's snapshot_ids", (_id: string, ids: string) => ({ snapshot_ids: ids })],
  ])(
    'by %s: waits until it is listed and completed',
    async (_label, inputs) => {
      const { fx, id, ids } = await startedUnlisted();
      const run = await fx.run('main', { operation: 'wait', timeout: '30s', ...inputs(id, ids) }, env);
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs).toMatchObject({ snapshot_id: id, status: 'completed' });
      expect(run.stdout).not.toMatch(gone);
    },
    30_000,
  );

  it('by snapshot_id alone: waits until it is listed and completed', async () => {
    const { fx, id } = await startedUnlisted();
    const run = await fx.run('main', { operation: 'wait', snapshot_id: id, timeout: '30s' }, env);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ snapshot_id: id, status: 'completed' });
  }, 30_000);
});
