// Waiting for snapshots against the emulator: one list per poll, failures, time-outs, and a list that lags:
// a target missing from it is gone only once missing for the lag window.
import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { ApiError } from '../../src/api/errors.ts';
import { type SnapshotTarget, waitForSnapshots } from '../../src/wait/snapshots.ts';
import { addServers, type Harness, type HarnessOptions, startHarness, TOKEN } from '../helpers/emulator.ts';
import { RecordingLogger } from '../helpers/logger.ts';

const logger = new RecordingLogger();
let h: Harness;
afterEach(async () => {
  logger.clear();
  await h.stop();
});

async function setup(snapshotMs: number, options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ timings: { snapshotMs }, ...options });
  return h;
}

async function createOn(serverId: number, name: string): Promise<SnapshotTarget> {
  const { snapshot } = await h.client.createSnapshot({ serverId, name }, new Set());
  return { id: snapshot.id, serverId, name };
}

const wait = (targets: SnapshotTarget[], timeoutMs = 60_000, lagWindowMs = 30_000) =>
  waitForSnapshots(h.client, targets, {
    deadline: h.clock.now() + timeoutMs,
    logger,
    clock: h.clock,
    lagWindowMs,
  });

describe('waiting for snapshots', () => {
  it('makes one list request per poll for a fleet, unfiltered', async () => {
    await setup(10_000);
    addServers(h, 12346, 12347, 12348);
    const targets = [];
    for (const id of [12345, 12346, 12347, 12348]) targets.push(await createOn(id, `fleet-${id}`));
    h.emulator.log.length = 0;
    const outcomes = await wait(targets);
    expect([...outcomes.values()].map((o) => o.end)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
    const polls = h.clock.sleeps.length;
    expect(h.emulator.requests('list')).toHaveLength(polls);
    expect(h.emulator.requests('list').every((r) => r.query.server_id === undefined)).toBe(true);
  });

  it('filters by server when all targets are on one', async () => {
    await setup(2_000);
    const target = await createOn(12345, 'one');
    h.emulator.log.length = 0;
    await wait([target]);
    expect(h.emulator.requests('list').every((r) => r.query.server_id === '12345')).toBe(true);
  });

  it('reports a failed snapshot', async () => {
    await setup(4_000);
    h.emulator.model.failingServers.add(12345);
    const target = await createOn(12345, 'doomed');
    expect((await wait([target])).get(target.id)).toMatchObject({
      end: 'failed',
      last: { status: 'failed' },
    });
  });

  it('reports a snapshot that vanishes while waited on', async () => {
    await setup(30_000);
    const target = await createOn(12345, 'ghost');
    h.clock.onSleep = (clock) => {
      if (clock.sleeps.length === 2) h.emulator.model.snapshots.delete(target.id);
    };
    expect((await wait([target])).get(target.id)?.end).toBe('vanished');
    expect(logger.lines.some((l) => l.startsWith('warning') && l.includes('is gone'))).toBe(true);
  });

  it('stops at the deadline with the last state seen', async () => {
    await setup(600_000);
    const target = await createOn(12345, 'slow');
    const outcome = (await wait([target], 90_000)).get(target.id);
    expect(outcome).toMatchObject({ end: 'timeout', last: { status: 'in_progress' } });
    expect(outcome?.elapsedMs).toBe(90_000);
  });

  it('logs each status change once and a heartbeat while waiting', async () => {
    await setup(100_000);
    const target = await createOn(12345, 'chatty');
    await waitForSnapshots(h.client, [target], {
      deadline: h.clock.now() + 600_000,
      logger,
      clock: h.clock,
      estimate: '3-10 minutes',
      lagWindowMs: 30_000,
    });
    const changes = logger.lines.filter((l) => l.includes("snapshot 802 'chatty' on server 12345:"));
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatch(/: in_progress \(1s\)$/);
    expect(changes[1]).toMatch(/in_progress → completed, \d+ MB \(1m 4\ds\)$/);
    const beats = logger.lines.filter((l) => l.includes('still waiting'));
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(beats[0]).toMatch(/elapsed; the provider estimates 3-10 minutes$/);
  });

  it('rides out failed polls; a client error ends the wait with the target unreadable', async () => {
    await setup(5_000);
    const target = await createOn(12345, 'bumpy');
    h.emulator.faults.add(parseFault('list:status:503@5'));
    expect((await wait([target])).get(target.id)?.end).toBe('completed');
    expect(logger.lines.some((l) => l.includes('A status poll failed'))).toBe(true);

    h.emulator.model.accounts.delete(TOKEN);
    const outcome = (await wait([target])).get(target.id);
    expect(outcome).toMatchObject({ end: 'unreadable', error: { kind: 'http', status: 401 } });
    expect(outcome?.error).toBeInstanceOf(ApiError);
  });

  it('ends as a time-out, saying why, when the provider asks to wait past the deadline', async () => {
    await setup(600_000);
    const target = await createOn(12345, 'throttled');
    h.emulator.faults.add(parseFault('list:status:429:120'));
    const outcome = (await wait([target], 60_000)).get(target.id);
    expect(outcome).toMatchObject({ end: 'timeout', error: { status: 429, retryAfterMs: 120_000 } });
    expect(h.emulator.requests('list')).toHaveLength(1);
  });

  it('keeps what it saw when a later poll fails for good: a completed snapshot stays completed', async () => {
    await setup(2_000);
    addServers(h, 12346);
    const done = await createOn(12345, 'quick');
    h.emulator.model.timings.snapshotMs = 3_600_000;
    const slow = await createOn(12346, 'slow');
    // The quick one completes; then the token stops working while the slow one is still in progress.
    const start = h.clock.time;
    h.clock.onSleep = () => {
      if (h.clock.time - start > 10_000) h.emulator.model.accounts.delete(TOKEN);
    };
    const outcomes = await wait([done, slow]);
    expect(outcomes.get(done.id)).toMatchObject({ end: 'completed', last: { status: 'completed' } });
    expect(outcomes.get(done.id)?.last?.size_mb).toBeGreaterThan(0);
    expect(outcomes.get(slow.id)).toMatchObject({ end: 'unreadable', error: { status: 401 } });
  });
});

describe('the lag window', () => {
  it('does not call a target gone until it has been missing for the window, then does', async () => {
    await setup(600_000);
    const target = await createOn(12345, 'deleted-by-someone');
    let deletedAt = 0;
    h.clock.onSleep = (clock) => {
      if (clock.sleeps.length === 3) {
        h.emulator.model.snapshots.delete(target.id);
        deletedAt = clock.time;
      }
    };
    const startedAt = h.clock.time;
    const outcome = (await wait([target], 600_000, 20_000)).get(target.id);
    expect(outcome?.end).toBe('vanished');
    const vanishedAt = startedAt + (outcome?.elapsedMs ?? 0);
    // Last seen one poll (under 1 s) before the delete: gone 20 s after that, not sooner.
    expect(vanishedAt - deletedAt).toBeGreaterThanOrEqual(19_000);
    expect(vanishedAt - deletedAt).toBeLessThan(20_000 + 3_000);
    const missedPolls = h.emulator.requests('list').filter((r) => r.at >= deletedAt);
    expect(missedPolls.length).toBeGreaterThan(5);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]?.message).toMatch(
      /is gone: it has not been in the server's snapshot list for 2\ds/,
    );
  });

  it('waits for a new snapshot the list does not show yet, and sees it complete', async () => {
    await setup(10_000, { readLagMs: 5_000 });
    const target = await createOn(12345, 'not-listed-yet');
    expect((await h.client.listSnapshots(12345)).map((s) => s.id)).not.toContain(target.id);
    const outcome = (await wait([target], 60_000, 30_000)).get(target.id);
    expect(outcome).toMatchObject({ end: 'completed', last: { id: target.id, status: 'completed' } });
    expect(logger.warnings).toEqual([]);
  });

  it('calls it gone when the list lags longer than the window it was given', async () => {
    await setup(10_000, { readLagMs: 5_000 });
    const target = await createOn(12345, 'lagging');
    const outcome = (await wait([target], 60_000, 2_000)).get(target.id);
    expect(outcome?.end).toBe('vanished');
    expect(outcome?.last).toBeUndefined();
    expect(outcome?.elapsedMs).toBeGreaterThanOrEqual(2_000);
    expect(outcome?.elapsedMs).toBeLessThan(5_000);
  });
});
