// Time limits only real time can show: answers that never come, or stall halfway, are abandoned at the
// attempt's limit and retried; a hung provider cannot stretch a wait much past its timeout. The tests run
// concurrently, each with its own emulator, so their waits overlap.
import { describe, it, type TestContext } from 'vitest';
import { Emulator, parseFault } from '../../emulator/index.ts';
import { SnapshotsClient } from '../../src/api/client.ts';
import { realClock } from '../../src/clock.ts';
import { waitForSnapshots } from '../../src/wait/snapshots.ts';
import { type Harness, type HarnessOptions, startHarness, TOKEN } from '../helpers/emulator.ts';
import { RecordingLogger } from '../helpers/logger.ts';

type Finished = TestContext['onTestFinished'];

/** A harness that the test stops when it ends (tests run at once: each cleans up only its own). */
async function harness(onTestFinished: Finished, options: HarnessOptions): Promise<Harness> {
  const h = await startHarness(options);
  onTestFinished(() => h.stop());
  return h;
}

/** A client on the real clock, against an emulator of its own. */
async function realTime(
  onTestFinished: Finished,
  random = 0.2,
): Promise<{ emulator: Emulator; client: SnapshotsClient }> {
  const emulator = new Emulator({ token: TOKEN, timings: { snapshotMs: 60_000 } });
  const client = new SnapshotsClient({ baseUrl: await emulator.start(), token: TOKEN, random: () => random });
  onTestFinished(async () => {
    await client.close();
    await emulator.stop();
  });
  return { emulator, client };
}

describe.concurrent('answers that do not come', () => {
  it('a stalled list is abandoned at the attempt limit and the retry succeeds', async ({
    expect,
    onTestFinished,
  }) => {
    const { emulator, client } = await realTime(onTestFinished);
    emulator.faults.add(parseFault('list:stall@1'));
    const started = performance.now();
    const list = await client.listSnapshots(12345, { attemptLimitMs: 2_000 });
    const took = performance.now() - started;
    expect(list.map((s) => s.id)).toEqual([801, 798]);
    expect(emulator.requests('list').map((r) => r.status)).toEqual(['stall', 200]);
    expect(took).toBeGreaterThanOrEqual(1_900);
    expect(took).toBeLessThan(3_000);
  });

  it('resets and hung answers of GET are retried', async ({ expect, onTestFinished }) => {
    const h = await harness(onTestFinished, { headersMs: 300 });
    h.emulator.faults.add(parseFault('list:reset@1'), parseFault('list:hang@1'));
    expect(await h.client.listSnapshots()).toHaveLength(2);
    expect(h.emulator.requests('list').map((r) => r.status)).toEqual(['reset', 'hang', 200]);
  });

  it('a create is sent again after a hung answer, once the window showed none', async ({
    expect,
    onTestFinished,
  }) => {
    const h = await harness(onTestFinished, { headersMs: 300 });
    h.emulator.faults.add(parseFault('create:hang@1'));
    const result = await h.client.createSnapshot({ serverId: 12345, name: 'after-hang' });
    expect(result.snapshot.name).toBe('after-hang');
    expect(h.emulator.requests('create').map((r) => r.status)).toEqual(['hang', 201]);
  });

  it('a hung provider cannot stretch the wait much past its timeout', async ({ expect, onTestFinished }) => {
    const { emulator, client } = await realTime(onTestFinished, 0.5);
    const { snapshot } = await client.createSnapshot({ serverId: 12345, name: 'stuck' }, new Set());
    emulator.faults.add(parseFault('list:hang'));
    const logger = new RecordingLogger();
    const started = performance.now();
    const target = { id: snapshot.id, serverId: 12345, name: 'stuck' };
    const outcome = await waitForSnapshots(client, [target], {
      deadline: realClock.now() + 1_000,
      lagWindowMs: 30_000,
      logger,
      clock: realClock,
    });
    const took = performance.now() - started;
    expect(outcome.get(target.id)?.end).toBe('timeout');
    expect(took).toBeLessThan(1_000 + 5_000 + 2_000);
    expect(logger.lines.some((l) => /A status poll failed .*no answer in time/.test(l))).toBe(true);
  });
});
