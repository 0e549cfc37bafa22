// Waiting for restores against the emulator: done only once the server was seen to change from its status
// before and then leave restoring; under read lag; a fleet in one loop; unconfirmed when it never changes.
import { afterEach, describe, expect, it } from 'vitest';
import type { WaitOptions } from '../../src/wait/poll.ts';
import { pollInterval } from '../../src/wait/poll.ts';
import { type RestoreTarget, waitForRestores } from '../../src/wait/restores.ts';
import {
  addCompleted,
  addServers,
  type Harness,
  type HarnessOptions,
  startHarness,
  TOKEN,
} from '../helpers/emulator.ts';
import { RecordingLogger } from '../helpers/logger.ts';

const logger = new RecordingLogger();
let h: Harness;
afterEach(async () => {
  logger.clear();
  await h.stop();
});

async function setup(restoreMs: number, options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ timings: { snapshotMs: 1_000, restoreMs }, ...options });
  return h;
}

const options = (extra: Partial<WaitOptions> = {}): WaitOptions => ({
  deadline: h.clock.now() + 600_000,
  lagWindowMs: 30_000,
  logger,
  clock: h.clock,
  ...extra,
});

/** One server's restore. */
async function waitForRestore(
  serverId: number,
  extra: Partial<WaitOptions> = {},
  target: Partial<RestoreTarget> = {},
) {
  const outcome = (await waitForRestores(h.client, [{ serverId, ...target }], options(extra))).get(serverId);
  if (!outcome) throw new Error('no outcome');
  return outcome;
}

describe('waiting for a restore', () => {
  it('waits until the server leaves restoring', async () => {
    await setup(45_000);
    await h.client.restoreSnapshot(801);
    const started = h.clock.time;
    const outcome = await waitForRestore(12345);
    expect(outcome).toMatchObject({ end: 'restored', last: { status: 'stopped' } });
    expect(h.clock.time - started - 45_000).toBeLessThanOrEqual(pollInterval(45_000));
  });

  it('reports a restore that ends in error', async () => {
    await setup(10_000);
    await h.client.restoreSnapshot(801);
    const server = h.emulator.model.accounts.get(TOKEN)?.servers.get(12345);
    if (server) server.restoreFails = true;
    expect(await waitForRestore(12345)).toMatchObject({ end: 'failed', last: { status: 'error' } });
  });

  it('says it cannot confirm when the server endpoint answers 404', async () => {
    await setup(10_000);
    expect(await waitForRestore(555)).toMatchObject({ end: 'unreported' });
  });

  it('times out', async () => {
    await setup(3_600_000);
    await h.client.restoreSnapshot(801);
    const outcome = await waitForRestore(12345, { deadline: h.clock.now() + 60_000 });
    expect(outcome).toMatchObject({ end: 'timeout', elapsedMs: 60_000, last: { status: 'restoring' } });
  });
});

describe('a restore under read lag', () => {
  it('is not restored while the server still shows its status before', async () => {
    await setup(20_000, { readLagMs: 5_000 });
    const startedAt = h.clock.time;
    await h.client.restoreSnapshot(801, { id: 12345, statusBefore: 'running' });
    const outcome = await waitForRestore(12345, { startedAt }, { statusBefore: 'running' });
    expect(outcome).toMatchObject({ end: 'restored', last: { status: 'stopped' } });
    // The lagged reads show running for 5 s, restoring for 20 s, then stopped.
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(25_000);
    const changes = logger.lines.filter((l) => l.startsWith("info server 12345 'web-server-01'"));
    expect(changes.map((l) => l.replace(/ \(.*\)$/, ''))).toEqual([
      "info server 12345 'web-server-01': running",
      "info server 12345 'web-server-01': running → restoring",
      "info server 12345 'web-server-01': restoring → stopped",
    ]);
  });

  it("is 'unconfirmed' when the server never changes within the window", async () => {
    await setup(20_000);
    // No restore reached the provider: the server stays running.
    const outcome = await waitForRestore(12345, { lagWindowMs: 10_000 }, { statusBefore: 'running' });
    expect(outcome).toMatchObject({
      end: 'unconfirmed',
      last: { status: 'running' },
    });
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(10_000);
    expect(outcome.elapsedMs).toBeLessThan(10_000 + pollInterval(10_000));
  });

  it("is 'unconfirmed' when the reads lag longer than the window", async () => {
    await setup(20_000, { readLagMs: 30_000 });
    await h.client.restoreSnapshot(801, { id: 12345, statusBefore: 'running' });
    const outcome = await waitForRestore(12345, { lagWindowMs: 10_000 }, { statusBefore: 'running' });
    expect(outcome).toMatchObject({ end: 'unconfirmed' });
  });

  it('waits for a fleet of 3 servers in one loop, one read per server per poll', async () => {
    await setup(20_000, { readLagMs: 3_000 });
    addServers(h, 12346, 12347);
    addCompleted(h, 700, 12346, 'base-12346');
    addCompleted(h, 701, 12347, 'base-12347');
    const startedAt = h.clock.time;
    for (const [snapshotId, serverId] of [
      [801, 12345],
      [700, 12346],
      [701, 12347],
    ] as const) {
      await h.client.restoreSnapshot(snapshotId, { id: serverId, statusBefore: 'running' });
      h.clock.time += 4_000;
    }
    h.emulator.log.length = 0;
    const targets = [12345, 12346, 12347].map((serverId) => ({ serverId, statusBefore: 'running' }));
    const outcomes = await waitForRestores(h.client, targets, options({ startedAt }));
    expect([...outcomes.entries()].map(([id, o]) => [id, o.end])).toEqual([
      [12345, 'restored'],
      [12346, 'restored'],
      [12347, 'restored'],
    ]);
    const [first, second, third] = [12345, 12346, 12347].map((id) => outcomes.get(id)?.elapsedMs ?? 0);
    expect(first).toBeLessThan(second ?? 0);
    expect(second).toBeLessThan(third ?? 0);
    const polls = new Map<number, string[]>();
    for (const r of h.emulator.requests('server')) polls.set(r.at, [...(polls.get(r.at) ?? []), r.path]);
    // Each poll reads each server still pending once; a server done is read no more.
    const sizes = [...polls.values()].map((paths) => new Set(paths).size);
    expect(sizes).toEqual([...polls.values()].map((paths) => paths.length));
    expect(sizes[0]).toBe(3);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect([...polls.values()].at(-1)).toEqual(['/api/v1/servers/12347/']);
  });
});
