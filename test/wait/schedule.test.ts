// The poll loop's schedule and its per-poll attempt limit. A hung provider against the real clock is in
// test/api/time-limits.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import type { ListOptions } from '../../src/api/types.ts';
import { pollAttemptLimit, pollInterval } from '../../src/wait/poll.ts';
import { type SnapshotTarget, waitForSnapshots } from '../../src/wait/snapshots.ts';
import { type Harness, startHarness } from '../helpers/emulator.ts';
import { RecordingLogger } from '../helpers/logger.ts';

const logger = new RecordingLogger();
let h: Harness | undefined;
afterEach(async () => {
  logger.clear();
  await h?.stop();
  h = undefined;
});

async function setup(snapshotMs: number): Promise<Harness> {
  h = await startHarness({ timings: { snapshotMs } });
  return h;
}

async function createOn(harness: Harness, serverId: number, name: string): Promise<SnapshotTarget> {
  const { snapshot } = await harness.client.createSnapshot({ serverId, name }, new Set());
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
    const target = await createOn(harness, 12345, 'timed');
    const createdAt = harness.clock.time;
    harness.emulator.log.length = 0;
    const outcomes = await waitForSnapshots(harness.client, [target], {
      deadline: createdAt + 3_600_000,
      lagWindowMs: 30_000,
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

describe("each poll's attempt limit", () => {
  it('is three poll intervals, at least 2 s and at most 30 s', () => {
    expect(pollAttemptLimit(0)).toBe(2_100);
    expect(pollAttemptLimit(10_000)).toBe(3 * pollInterval(10_000));
    expect(pollAttemptLimit(20_000)).toBe(6_000);
    expect(pollAttemptLimit(100_000)).toBe(30_000);
    expect(pollAttemptLimit(3_600_000)).toBe(30_000);
    for (let t = 0; t < 3_600_000; t += 5_000) {
      expect(pollAttemptLimit(t)).toBeGreaterThanOrEqual(2_000);
      expect(pollAttemptLimit(t)).toBeLessThanOrEqual(30_000);
      expect(pollAttemptLimit(t + 5_000)).toBeGreaterThanOrEqual(pollAttemptLimit(t));
    }
  });

  it('is what each poll hands the client, by the time since the operation began', async () => {
    const harness = await setup(30_000);
    const target = await createOn(harness, 12345, 'limited');
    const startedAt = harness.clock.time;
    const seen: { elapsedMs: number; limit: number | undefined }[] = [];
    const lister = {
      listSnapshots: (serverId: number | undefined, options: ListOptions) => {
        seen.push({ elapsedMs: harness.clock.time - startedAt, limit: options.attemptLimitMs });
        return harness.client.listSnapshots(serverId, options);
      },
    };
    await waitForSnapshots(lister, [target], {
      deadline: startedAt + 600_000,
      lagWindowMs: 30_000,
      logger,
      clock: harness.clock,
      startedAt,
    });
    expect(seen.length).toBeGreaterThan(5);
    for (const poll of seen) expect(poll.limit).toBe(pollAttemptLimit(poll.elapsedMs));
    expect(seen[0]?.limit).toBe(pollAttemptLimit(700));
    expect(seen.at(-1)?.limit).toBeGreaterThan(seen[0]?.limit ?? 0);
  });
});
