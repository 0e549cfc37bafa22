// Waiting: how long after one snapshot is done the poll loop notices, and how many list requests it costs;
// 3 s and 20 s in real time, 10 and 30 min on a simulated clock.
import { Emulator } from '../emulator/index.ts';
import { VirtualClock } from '../emulator/virtual-clock.ts';
import { SnapshotsClient } from '../src/api/client.ts';
import { type Clock, realClock } from '../src/clock.ts';
import { silentLogger } from '../src/logger.ts';
import { waitForSnapshots } from '../src/wait/snapshots.ts';
import { TOKEN } from './common.ts';

export interface Waiting {
  durationMs: number;
  simulated: boolean;
  detectionLagMs: number;
  listRequests: number;
}

/** What each duration should meet: noticed within `lag` ms, in at most `requests` list requests. */
export const WAIT_TARGETS: Record<number, { lag: number; requests: number }> = {
  3000: { lag: 1_000, requests: Number.POSITIVE_INFINITY },
  20000: { lag: 2_000, requests: 20 },
  600000: { lag: 15_000, requests: 70 },
  1800000: { lag: 15_000, requests: 150 },
};

export async function waiting(durationMs: number, simulated: boolean): Promise<Waiting> {
  const clock = simulated ? new VirtualClock() : undefined;
  const emulator = new Emulator({
    token: TOKEN,
    timings: { snapshotMs: durationMs },
    ...(clock ? { now: clock.now } : {}),
  });
  const baseUrl = await emulator.start();
  // The client on the wait's clock too: the poll loop hands it deadlines on that clock.
  const client = new SnapshotsClient({
    baseUrl,
    token: TOKEN,
    ...(clock ? { now: clock.now, sleep: clock.sleep } : {}),
  });
  try {
    const waitClock: Clock = clock ?? realClock;
    const { snapshot } = await client.createSnapshot({ serverId: 12345, name: 'bench' }, new Set());
    const createdAt = waitClock.now();
    const before = emulator.requests('list').length;
    await waitForSnapshots(client, [{ id: snapshot.id, serverId: 12345, name: 'bench' }], {
      deadline: createdAt + 2 * 3_600_000,
      lagWindowMs: client.lagWindowMs,
      logger: silentLogger,
      clock: waitClock,
      startedAt: createdAt,
    });
    const noticedAt = waitClock.now();
    return {
      durationMs,
      simulated,
      detectionLagMs: noticedAt - createdAt - durationMs,
      listRequests: emulator.requests('list').length - before,
    };
  } finally {
    await client.close();
    await emulator.stop();
  }
}

/** The four durations, one after another. */
export async function waitingFigures(): Promise<Waiting[]> {
  return [
    await waiting(3_000, false),
    await waiting(20_000, false),
    await waiting(600_000, true),
    await waiting(1_800_000, true),
  ];
}
