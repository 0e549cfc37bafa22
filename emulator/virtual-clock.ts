/** Simulated time shared by the emulator and the code under test: sleeping advances it at once. */
export class VirtualClock {
  time: number;
  readonly sleeps: number[] = [];
  /** Runs after each sleep, e.g. to change the emulator's state mid-wait. */
  onSleep: ((clock: VirtualClock) => void | Promise<void>) | undefined;

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.time = start;
  }

  now = (): number => this.time;

  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.time += ms;
    await this.onSleep?.(this);
  };
}
