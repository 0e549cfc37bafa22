// create never makes a duplicate: a lost answer is settled by watching the server's list over the lag window.
import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { failure, type Harness, type HarnessOptions, startHarness } from '../helpers/emulator.ts';

let h: Harness;
afterEach(() => h.stop());

async function setup(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ timings: { snapshotMs: 10_000, restoreMs: 10_000 }, ...options });
  return h;
}

const named = (name: string) => [...h.emulator.model.snapshots.values()].filter((s) => s.name === name);

describe('create never makes a duplicate', () => {
  it.each([
    ['a reset after the work', 'create:ambiguous@1'],
    ['a 502 after the work', 'create:ambiguous:502@1'],
    ['a 500 after the work', 'create:ambiguous:500@1'],
  ])('adopts the snapshot after %s', async (_, fault) => {
    await setup();
    h.emulator.faults.add(parseFault(fault));
    const result = await h.client.createSnapshot({ serverId: 12345, name: 'pre-deploy-1' });
    expect(result.adopted).toBe(true);
    expect(result.snapshot).toMatchObject({ name: 'pre-deploy-1', status: 'in_progress' });
    expect(named('pre-deploy-1')).toHaveLength(1);
    expect(h.emulator.requests('create')).toHaveLength(1);
  });

  it.each([
    ['a 503 before the work', 'create:status:503@1'],
    ['a reset before the work', 'create:reset@1'],
    ['HTML instead of JSON', 'create:garbage@1'],
    ['an undocumented 200 with JSON', 'create:malformed@1'],
    ['its answer under text/html', 'create:wrongtype@1'],
  ])('sends again after %s, once the whole window showed none', async (_, fault) => {
    await setup();
    h.emulator.faults.add(parseFault(fault));
    const result = await h.client.createSnapshot(
      { serverId: 12345, name: 'pre-deploy-2' },
      new Set([801, 798]),
    );
    expect(result.adopted).toBe(false);
    expect(named('pre-deploy-2')).toHaveLength(1);
    expect(h.emulator.requests('create')).toHaveLength(2);
    // It watched the whole default window (30 s) before sending again.
    expect(h.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(30_000);
  });

  it('waits out a 429 and sends again', async () => {
    await setup();
    h.emulator.faults.add(parseFault('create:status:429:2@1'));
    await h.client.createSnapshot({ serverId: 12345, name: 'throttled' }, new Set());
    expect(h.sleeps).toEqual([2_000]);
    expect(named('throttled')).toHaveLength(1);
  });

  it('does not adopt an older snapshot that has the same name', async () => {
    await setup();
    const old = await h.client.createSnapshot({ serverId: 12345, name: 'same' }, new Set());
    h.emulator.faults.add(parseFault('create:status:502@1'));
    const result = await h.client.createSnapshot({ serverId: 12345, name: 'same' });
    expect(result.snapshot.id).not.toBe(old.snapshot.id);
    expect(named('same')).toHaveLength(2);
  });

  it('stops after three attempts, each settled as not made, with the last error as it was', async () => {
    await setup();
    h.emulator.faults.add(parseFault('create:status:503'));
    const error = await failure(h.client.createSnapshot({ serverId: 12345, name: 'never' }));
    expect(error).toMatchObject({ kind: 'http', status: 503 });
    expect(error.message).toBe(
      'POST /snapshots/ failed with HTTP 503: The service is temporarily unavailable. The provider had a fault; try again later',
    );
    expect(h.emulator.requests('create')).toHaveLength(3);
  });
});

describe('create against a list that lags writes', () => {
  it('adopts the snapshot once the list shows it, with exactly one POST', async () => {
    await setup({ readLagMs: 5_000 });
    h.emulator.faults.add(parseFault('create:ambiguous:502@1'));
    const result = await h.client.createSnapshot({ serverId: 12345, name: 'lagged' });
    expect(result).toMatchObject({ adopted: true, snapshot: { name: 'lagged', server: { id: 12345 } } });
    expect(result.snapshot.id).toBe(named('lagged')[0]?.id);
    expect(h.emulator.requests('create')).toHaveLength(1);
    const watched = h.sleeps.reduce((a, b) => a + b, 0);
    expect(watched).toBeGreaterThanOrEqual(5_000);
    expect(watched).toBeLessThan(30_000);
  });

  it('says the outcome is unknown when the deadline cuts the window short, with one POST', async () => {
    await setup({ readLagMs: 10_000, deadlineAfterMs: 3_000 });
    h.emulator.faults.add(parseFault('create:ambiguous:502@1'));
    const error = await failure(h.client.createSnapshot({ serverId: 12345, name: 'unsure' }));
    expect(error.kind).toBe('ambiguous');
    expect(error.message).toBe(
      "POST /snapshots/ failed with HTTP 502: Bad gateway, and nothing showed within the time left: the snapshot 'unsure' may or may not have been made. List server 12345's snapshots (operation: list) for a new one named 'unsure' before running again",
    );
    expect(h.emulator.requests('create')).toHaveLength(1);
    expect(named('unsure')).toHaveLength(1);
  });

  it('says the outcome is unknown when even the check fails, and sends nothing more', async () => {
    await setup();
    h.emulator.faults.add(parseFault('create:ambiguous@1'), parseFault('list:status:503'));
    const error = await failure(h.client.createSnapshot({ serverId: 12345, name: 'unsure' }, new Set()));
    expect(error.kind).toBe('ambiguous');
    expect(error.message).toMatch(
      /^POST \/snapshots\/ failed with a network error \(\w+\), and the check failed too \(GET \/snapshots\/\?server_id=12345: HTTP 503: [^)]*\): the snapshot 'unsure' may or may not have been made. List server 12345's/,
    );
    expect(h.emulator.requests('create')).toHaveLength(1);
  });
});
