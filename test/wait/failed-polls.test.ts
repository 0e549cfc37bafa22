// The poll loop tolerates a few failed polls, but gives up after five in a row (each already retried by the
// client), rather than hammer a provider that is down until the timeout; a poll that answers starts the
// count again, and so does a poll that failed with a Retry-After within the time left.
import { afterEach, describe, expect, it } from 'vitest';
import { type Fault, parseFault } from '../../emulator/index.ts';
import { ApiError } from '../../src/api/errors.ts';
import { type SnapshotTarget, waitForSnapshots } from '../../src/wait/snapshots.ts';
import { type Harness, startHarness } from '../helpers/emulator.ts';
import { RecordingLogger } from '../helpers/logger.ts';

const ATTEMPTS_PER_POLL = 5;

let h: Harness;
const logger = new RecordingLogger();
afterEach(async () => {
  logger.clear();
  await h.stop();
});

async function target(snapshotMs: number): Promise<SnapshotTarget> {
  h = await startHarness({ timings: { snapshotMs } });
  const { snapshot } = await h.client.createSnapshot({ serverId: 12345, name: 'polled' }, new Set());
  h.emulator.log.length = 0;
  return { id: snapshot.id, serverId: 12345, name: 'polled' };
}

const wait = (t: SnapshotTarget) =>
  waitForSnapshots(h.client, [t], {
    deadline: h.clock.now() + 30 * 60_000,
    logger,
    clock: h.clock,
    lagWindowMs: 30_000,
  });
const failedPolls = () => logger.warnings.filter((w) => w.message.startsWith('A status poll failed'));

describe('failed polls', () => {
  it('gives up after five failed polls in a row, with the last error, long before the timeout', async () => {
    const t = await target(10 * 60_000);
    h.emulator.faults.add(parseFault('list:status:503'));
    const start = h.clock.time;
    const outcome = (await wait(t)).get(t.id);
    expect(outcome).toMatchObject({ end: 'unreadable', error: { kind: 'http', status: 503 } });
    expect(outcome?.error).toBeInstanceOf(ApiError);
    // Four tolerated (each a warning), the fifth ends it: five polls, each retried by the client.
    expect(failedPolls()).toHaveLength(4);
    expect(h.emulator.requests('list')).toHaveLength(5 * ATTEMPTS_PER_POLL);
    expect(h.clock.time - start).toBeLessThan(10 * 60_000);
  });

  it('rides out a poll that failed with a Retry-After within the time left', async () => {
    const t = await target(60_000);
    // Every attempt of one poll is a 429 asking for 2 s: that poll fails, the next answers.
    h.emulator.faults.add({
      route: 'list',
      kind: 'status',
      status: 429,
      retryAfter: '2',
      count: ATTEMPTS_PER_POLL,
    });
    expect((await wait(t)).get(t.id)?.end).toBe('completed');
    expect(failedPolls()).toHaveLength(1);
    expect(failedPolls()[0]?.message).toMatch(/HTTP 429/);
  });

  it('counts only failures in a row: six failed polls with answers between them do not end the wait', async () => {
    const t = await target(2 * 60_000);
    // Each failed poll is five 503s (the client's attempts); one answered poll after each.
    const plan: Fault[] = [];
    for (let i = 0; i < 6; i++)
      plan.push(
        { route: 'list', kind: 'status', status: 503, count: ATTEMPTS_PER_POLL },
        { route: 'list', kind: 'latency', ms: 0, count: 1 },
      );
    h.emulator.faults.add(...plan);
    const outcome = (await wait(t)).get(t.id);
    expect(outcome?.end).toBe('completed');
    expect(failedPolls()).toHaveLength(6);
    expect(h.emulator.faults.injected.get('status 503')).toBe(6 * ATTEMPTS_PER_POLL);
  });
});
