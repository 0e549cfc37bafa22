import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { SnapshotsClient } from '../../src/api/client.ts';
import { ApiError } from '../../src/api/errors.ts';
import { realClock } from '../../src/clock.ts';
import type { Logger } from '../../src/logger.ts';
import { pollInterval, type WaitOptions } from '../../src/wait/poll.ts';
import { type RestoreTarget, waitForRestores } from '../../src/wait/restores.ts';
import { type SnapshotTarget, waitForSnapshots } from '../../src/wait/snapshots.ts';
import { type Harness, startHarness, TOKEN } from '../helpers/emulator.ts';

/** One server's restore, as the old single-server API had it. */
async function waitForRestore(
  client: SnapshotsClient,
  serverId: number,
  options: WaitOptions,
  target: Partial<RestoreTarget> = {},
) {
  const outcome = (await waitForRestores(client, [{ serverId, ...target }], options)).get(serverId);
  if (!outcome) throw new Error('no outcome');
  return outcome;
}

const lines: string[] = [];
const logger: Logger = {
  debug: () => {},
  info: (m) => lines.push(`info ${m}`),
  warning: (m) => lines.push(`warning ${m}`),
};
let h: Harness | undefined;
afterEach(async () => {
  lines.length = 0;
  await h?.stop();
  h = undefined;
});

async function setup(snapshotMs: number, restoreMs = 5_000): Promise<Harness> {
  h = await startHarness({ timings: { snapshotMs, restoreMs } });
  return h;
}

async function createOn(serverId: number, name: string): Promise<SnapshotTarget> {
  if (!h) throw new Error('no harness');
  const { snapshot } = await h.client.createSnapshot({ serverId, name }, new Set());
  return { id: snapshot.id, serverId, name };
}

describe('the poll schedule', () => {
  it('starts quick and grows to a cap', () => {
    expect(pollInterval(0)).toBe(700);
    expect(pollInterval(3_000)).toBeLessThanOrEqual(1_000);
    expect(pollInterval(20_000)).toBe(2_000);
    expect(pollInterval(600_000)).toBe(15_000);
    expect(pollInterval(10 * 3_600_000)).toBe(15_000);
    for (let t = 0; t < 3_600_000; t += 1_000)
      expect(pollInterval(t + 1_000)).toBeGreaterThanOrEqual(pollInterval(t));
  });

  it.each([
    // operation length, most lag allowed, most list requests allowed (the client issue's targets)
    [3_000, 1_000, 10],
    [20_000, 2_000, 20],
    [600_000, 15_000, 70],
    [1_800_000, 15_000, 150],
  ])('notices a %i ms snapshot in time and with few requests', async (duration, maxLag, maxRequests) => {
    const harness = await setup(duration);
    const target = await createOn(12345, 'timed');
    const createdAt = harness.clock.time;
    harness.emulator.log.length = 0;
    const outcomes = await waitForSnapshots(harness.client, [target], {
      timeoutMs: 3_600_000,
      logger,
      clock: harness.clock,
      startedAt: createdAt,
    });
    expect(outcomes.get(target.id)?.end).toBe('completed');
    const lag = harness.clock.time - (createdAt + duration);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThanOrEqual(maxLag);
    expect(harness.emulator.requests('list').length).toBeLessThanOrEqual(maxRequests);
  });
});

describe('waiting for snapshots', () => {
  it('makes one list request per poll for a fleet, unfiltered', async () => {
    const harness = await setup(10_000);
    for (const id of [12346, 12347, 12348]) harness.emulator.model.addServer('tok_9f8e7d6c5b4a3210', id);
    const targets = [];
    for (const id of [12345, 12346, 12347, 12348]) targets.push(await createOn(id, `fleet-${id}`));
    harness.emulator.log.length = 0;
    const outcomes = await waitForSnapshots(harness.client, targets, {
      timeoutMs: 60_000,
      logger,
      clock: harness.clock,
    });
    expect([...outcomes.values()].map((o) => o.end)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
    const polls = harness.clock.sleeps.length;
    expect(harness.emulator.requests('list')).toHaveLength(polls);
    expect(harness.emulator.requests('list').every((r) => r.query.server_id === undefined)).toBe(true);
  });

  it('filters by server when all targets are on one', async () => {
    const harness = await setup(2_000);
    const target = await createOn(12345, 'one');
    harness.emulator.log.length = 0;
    await waitForSnapshots(harness.client, [target], { timeoutMs: 60_000, logger, clock: harness.clock });
    expect(harness.emulator.requests('list').every((r) => r.query.server_id === '12345')).toBe(true);
  });

  it('reports a failed snapshot', async () => {
    const harness = await setup(4_000);
    harness.emulator.model.failingServers.add(12345);
    const target = await createOn(12345, 'doomed');
    const outcome = (
      await waitForSnapshots(harness.client, [target], { timeoutMs: 60_000, logger, clock: harness.clock })
    ).get(target.id);
    expect(outcome).toMatchObject({ end: 'failed', snapshot: { status: 'failed' } });
  });

  it('reports a snapshot that vanishes while waited on', async () => {
    const harness = await setup(30_000);
    const target = await createOn(12345, 'ghost');
    harness.clock.onSleep = (clock) => {
      if (clock.sleeps.length === 2) harness.emulator.model.snapshots.delete(target.id);
    };
    const outcome = (
      await waitForSnapshots(harness.client, [target], { timeoutMs: 60_000, logger, clock: harness.clock })
    ).get(target.id);
    expect(outcome?.end).toBe('vanished');
    expect(lines.some((l) => l.startsWith('warning') && l.includes('is gone'))).toBe(true);
  });

  it('stops at the deadline with the last state seen', async () => {
    const harness = await setup(600_000);
    const target = await createOn(12345, 'slow');
    const outcome = (
      await waitForSnapshots(harness.client, [target], { timeoutMs: 90_000, logger, clock: harness.clock })
    ).get(target.id);
    expect(outcome).toMatchObject({ end: 'timeout', snapshot: { status: 'in_progress' } });
    expect(outcome?.elapsedMs).toBe(90_000);
  });

  it('logs each status change once and a heartbeat while waiting', async () => {
    const harness = await setup(100_000);
    const target = await createOn(12345, 'chatty');
    await waitForSnapshots(harness.client, [target], {
      timeoutMs: 600_000,
      logger,
      clock: harness.clock,
      estimate: '3-10 minutes',
    });
    const changes = lines.filter((l) => l.includes("snapshot 802 'chatty' on server 12345:"));
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatch(/: in_progress \(1s\)$/);
    expect(changes[1]).toMatch(/in_progress → completed, \d+ MB \(1m 4\ds\)$/);
    const beats = lines.filter((l) => l.includes('still waiting'));
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(beats[0]).toMatch(/elapsed; the provider estimates 3-10 minutes$/);
  });

  it('rides out failed polls but not a client error', async () => {
    const harness = await setup(5_000);
    const target = await createOn(12345, 'bumpy');
    harness.emulator.faults.add(parseFault('list:status:503@5'));
    const outcome = await waitForSnapshots(harness.client, [target], {
      timeoutMs: 60_000,
      logger,
      clock: harness.clock,
    });
    expect(outcome.get(target.id)?.end).toBe('completed');
    expect(lines.some((l) => l.includes('A status poll failed'))).toBe(true);

    harness.emulator.model.accounts.delete('tok_9f8e7d6c5b4a3210');
    await expect(
      waitForSnapshots(harness.client, [target], { timeoutMs: 60_000, logger, clock: harness.clock }),
    ).rejects.toThrow(ApiError);
  });
});

describe('waiting for a restore', () => {
  it('waits until the server leaves restoring', async () => {
    const harness = await setup(1_000, 45_000);
    await harness.client.restoreSnapshot(801);
    const started = harness.clock.time;
    const outcome = await waitForRestore(harness.client, 12345, {
      timeoutMs: 600_000,
      logger,
      clock: harness.clock,
    });
    expect(outcome).toMatchObject({ end: 'restored', server: { status: 'stopped' } });
    expect(harness.clock.time - started - 45_000).toBeLessThanOrEqual(pollInterval(45_000));
  });

  it('reports a restore that ends in error', async () => {
    const harness = await setup(1_000, 10_000);
    await harness.client.restoreSnapshot(801);
    const server = harness.emulator.model.accounts.get('tok_9f8e7d6c5b4a3210')?.servers.get(12345);
    if (server) server.restoreFails = true;
    const outcome = await waitForRestore(harness.client, 12345, {
      timeoutMs: 600_000,
      logger,
      clock: harness.clock,
    });
    expect(outcome).toMatchObject({ end: 'failed', server: { status: 'error' } });
  });

  it('says it cannot confirm when the server endpoint answers 404', async () => {
    const harness = await setup(1_000, 10_000);
    expect(
      await waitForRestore(harness.client, 555, { timeoutMs: 600_000, logger, clock: harness.clock }),
    ).toMatchObject({
      end: 'unconfirmed',
    });
  });

  it('times out', async () => {
    const harness = await setup(1_000, 3_600_000);
    await harness.client.restoreSnapshot(801);
    const outcome = await waitForRestore(harness.client, 12345, {
      timeoutMs: 60_000,
      logger,
      clock: harness.clock,
    });
    expect(outcome).toMatchObject({ end: 'timeout', elapsedMs: 60_000, server: { status: 'restoring' } });
  });
});

describe('a hung provider', () => {
  it('cannot stretch the wait much past its timeout', async () => {
    h = await startHarness({ timings: { snapshotMs: 60_000 }, headersMs: 30_000 });
    const target = await createOn(12345, 'stuck');
    h.emulator.faults.add(parseFault('list:hang'));
    const started = performance.now();
    // A client on the real clock, like the waiter here (the harness's client runs on simulated time).
    const client = new SnapshotsClient({ baseUrl: h.emulator.baseUrl, token: TOKEN });
    const outcome = await waitForSnapshots(client, [target], { timeoutMs: 1_000, logger, clock: realClock });
    await client.close();
    const took = performance.now() - started;
    expect(outcome.get(target.id)?.end).toBe('timeout');
    expect(took).toBeLessThan(1_000 + 5_000 + 2_000);
    expect(lines.some((l) => /A status poll failed .*no answer in time/.test(l))).toBe(true);
  }, 20_000);
});

describe('clocks', () => {
  it("works with a client on another clock than the waiter's (only durations cross between them)", async () => {
    const harness = await setup(600_000);
    const target = await createOn(12345, 'two-clocks');
    const client = new SnapshotsClient({ baseUrl: harness.emulator.baseUrl, token: TOKEN });
    const outcome = await waitForSnapshots(client, [target], {
      timeoutMs: 3_600_000,
      logger,
      clock: harness.clock,
    });
    await client.close();
    expect(outcome.get(target.id)?.end).toBe('completed');
  });
});
