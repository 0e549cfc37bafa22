import { expect } from 'vitest';
import { Emulator, type EmulatorOptions } from '../../emulator/index.ts';
import { VirtualClock } from '../../emulator/virtual-clock.ts';
import { SnapshotsClient } from '../../src/api/client.ts';
import { ApiError } from '../../src/api/errors.ts';
import type { ClientOptions } from '../../src/api/types.ts';

export const TOKEN = 'tok_9f8e7d6c5b4a3210';

export interface Harness {
  emulator: Emulator;
  clock: VirtualClock;
  client: SnapshotsClient;
  /** The client's retry and settling sleeps (the clock's own `sleeps` has the waiter's too). */
  sleeps: number[];
  stop(): Promise<void>;
}

export interface HarnessOptions extends EmulatorOptions {
  headersMs?: number;
  /** The step's deadline, this long after the clock's start. */
  deadlineAfterMs?: number;
  /** Anything else for the client (lagWindowMs, retry, logger, ...). */
  client?: Partial<Omit<ClientOptions, 'baseUrl' | 'token' | 'sleep' | 'now' | 'deadline'>>;
}

/** An emulator on loopback driven by a virtual clock, and a client whose retries sleep on it. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { headersMs, deadlineAfterMs, client: clientOptions, ...emulatorOptions } = options;
  const clock = new VirtualClock();
  const emulator = new Emulator({ token: TOKEN, now: clock.now, ...emulatorOptions });
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
    timeouts: { headersMs: headersMs ?? 2_000, bodyMs: 2_000, connectMs: 2_000 },
    ...(deadlineAfterMs !== undefined ? { deadline: clock.time + deadlineAfterMs } : {}),
    ...clientOptions,
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

/** The ApiError a call rejects with; fails the test if it resolves, or if the message quotes the token. */
export async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect((error as Error).message).not.toContain(TOKEN);
  return error as ApiError;
}

/** Adds servers to the harness's account. */
export function addServers(h: Harness, ...ids: number[]): void {
  for (const id of ids) h.emulator.model.addServer(TOKEN, id);
}

/** A completed snapshot that exists already, `ageMs` before the clock's now. */
export function addCompleted(h: Harness, id: number, serverId: number, name: string, ageMs = 3_600_000) {
  const at = h.clock.time - ageMs;
  return h.emulator.model.addSnapshot({
    id,
    serverId,
    name,
    description: '',
    createdAt: at,
    readyAt: at,
    sizeMb: 1_000 + id,
  });
}
