import { setTimeout as delay } from 'node:timers/promises';

/** Time as the action sees it; tests pass a simulated one that the emulator shares. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: (ms) => delay(ms) };
