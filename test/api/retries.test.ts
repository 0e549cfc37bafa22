// The one retry loop, over HTTP: transient failures retried with backoff, Retry-After honoured within the
// step's deadline, client errors not retried. Real-time limits (stalls, hangs) are in time-limits.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { failure, type Harness, startHarness } from '../helpers/emulator.ts';

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops) await stop();
  stops = [];
});

async function harness(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const started = await startHarness(options);
  stops.push(() => started.stop());
  return started;
}

describe('retries of GET', () => {
  it.each([429, 500, 502, 503, 504])('retries %i with backoff and succeeds', async (status) => {
    const h = await harness();
    h.emulator.faults.add({ route: 'list', kind: 'status', status, count: 2 });
    expect(await h.client.listSnapshots()).toHaveLength(2);
    expect(h.emulator.requests('list')).toHaveLength(3);
    expect(h.sleeps).toEqual([250, 500]);
  });

  it('honours Retry-After in seconds and as a date', async () => {
    const h = await harness();
    h.emulator.faults.add(parseFault('list:status:429:3@1'));
    h.emulator.faults.add({
      route: 'list',
      kind: 'status',
      status: 429,
      retryAfter: new Date(h.clock.time + 7_000).toUTCString(),
      count: 1,
    });
    await h.client.listSnapshots();
    expect(h.sleeps[0]).toBe(3_000);
    expect(h.sleeps[1]).toBeGreaterThan(3_000);
    expect(h.sleeps[1]).toBeLessThanOrEqual(4_000);
  });

  it('does not wait for a Retry-After beyond two minutes', async () => {
    const h = await harness();
    h.emulator.faults.add(parseFault('list:status:429:3600@1'));
    const error = await failure(h.client.listSnapshots());
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(error.message).toMatch(
      /asked to wait 1h 00m \(Retry-After\).*longer than the most this action waits/,
    );
    expect(h.sleeps).toEqual([]);
  });

  it('fails at once when Retry-After reaches past the deadline, and sleeps nothing', async () => {
    const h = await harness({ deadlineAfterMs: 4_000 });
    h.emulator.faults.add(parseFault('list:status:429:40'));
    const deadline = h.clock.time + 4_000;
    const error = await failure(h.client.listSnapshots(12345));
    expect(error.message).toContain(
      'The provider asked to wait 40s (Retry-After) before trying again, longer than the time left before timeout; run again later, or raise timeout',
    );
    expect(h.emulator.requests('list')).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
    expect(h.clock.time).toBeLessThanOrEqual(deadline);
  });

  it('gives up before a backoff would cross the deadline', async () => {
    const h = await harness({ deadlineAfterMs: 0, client: { retry: { baseDelayMs: 2_000 } } });
    h.emulator.faults.add(parseFault('list:status:503'));
    const start = h.clock.time;
    const error = await failure(h.client.listSnapshots());
    expect(error.status).toBe(503);
    // A call near the deadline still gets 5 s: backoffs of 1 s and 2 s fit, 4 s would not.
    expect(h.sleeps).toEqual([1_000, 2_000]);
    expect(h.clock.time - start).toBeLessThanOrEqual(5_000);
  });

  it('gives up after a bounded number of attempts', async () => {
    const h = await harness();
    h.emulator.faults.add(parseFault('list:status:503'));
    const error = await failure(h.client.listSnapshots());
    expect(error.status).toBe(503);
    expect(h.emulator.requests('list')).toHaveLength(5);
    expect(h.sleeps).toEqual([250, 500, 1000, 2000]);
  });

  it('does not retry a client error', async () => {
    const h = await harness();
    await failure(h.client.getServer(31337));
    expect(h.emulator.requests('server')).toHaveLength(1);
  });
});
