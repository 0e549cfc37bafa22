import { Emulator, type EmulatorOptions } from '../../emulator/index.ts';
import { VirtualClock } from '../../emulator/virtual-clock.ts';
import { SnapshotsClient } from '../../src/api/client.ts';

export const TOKEN = 'tok_9f8e7d6c5b4a3210';

export interface Harness {
  emulator: Emulator;
  clock: VirtualClock;
  client: SnapshotsClient;
  sleeps: number[];
  stop(): Promise<void>;
}

/** An emulator on loopback driven by a virtual clock, and a client whose retries sleep on it. */
export async function startHarness(options: EmulatorOptions & { headersMs?: number } = {}): Promise<Harness> {
  const clock = new VirtualClock();
  const emulator = new Emulator({ token: TOKEN, now: clock.now, ...options });
  const baseUrl = await emulator.start();
  const sleeps: number[] = [];
  const client = new SnapshotsClient({
    baseUrl,
    token: TOKEN,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.time += ms;
    },
    random: () => 0.5,
    now: clock.now,
    timeouts: { headersMs: options.headersMs ?? 2_000, bodyMs: 2_000, connectMs: 2_000 },
  });
  return {
    emulator,
    clock,
    client,
    sleeps,
    async stop() {
      await client.close();
      await emulator.stop();
    },
  };
}
