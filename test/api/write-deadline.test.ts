// A write (POST, DELETE) is not sent again with under 5 s left before the deadline: its answer would have
// no real chance, and a POST whose answer is lost then is one more unknown outcome. A read is retried.
import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { failure, type Harness, type HarnessOptions, startHarness } from '../helpers/emulator.ts';

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops) await stop();
  stops = [];
});

async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const started = await startHarness({ timings: { snapshotMs: 10_000 }, ...options });
  stops.push(() => started.stop());
  return started;
}

describe('a write near the deadline', () => {
  it('DELETE: one attempt when a retry would start with under 5 s left; a GET in its place is retried', async () => {
    // The deadline is now: every call still gets 5 s, and the first backoff (250 ms) leaves 4.75 s.
    const h = await harness({ deadlineAfterMs: 0 });
    h.emulator.faults.add(parseFault('delete:status:503@1'));
    const error = await failure(h.client.deleteSnapshot(801, 12345));
    // Not sent again, so what the 503 did is not known.
    expect(error.kind).toBe('ambiguous');
    expect(error.message).toMatch(/HTTP 503.*: snapshot 801 may or may not have been deleted/);
    expect(h.emulator.requests('delete')).toHaveLength(1);
    expect(h.emulator.model.snapshots.has(801)).toBe(true);

    h.emulator.faults.add(parseFault('list:status:503@1'));
    expect((await h.client.listSnapshots(12345)).map((s) => s.id)).toEqual([801, 798]);
    expect(h.emulator.requests('list')).toHaveLength(2);
  });

  it('DELETE: retried when the deadline is far', async () => {
    const h = await harness({ deadlineAfterMs: 60_000 });
    h.emulator.faults.add(parseFault('delete:status:503@1'));
    expect(await h.client.deleteSnapshot(801, 12345)).toEqual({ how: 'deleted' });
    expect(h.emulator.requests('delete')).toHaveLength(2);
  });

  it('POST: not sent again after the lag window, with under 5 s left; fails with the 503', async () => {
    // A 2 s window watched after the 503 (the create did not go through), then 250 ms of backoff: ~2.7 s left.
    const h = await harness({ deadlineAfterMs: 5_000, client: { lagWindowMs: 2_000 } });
    h.emulator.faults.add(parseFault('create:status:503@1'));
    const error = await failure(
      h.client.createSnapshot({ serverId: 12345, name: 'late' }, new Set([801, 798])),
    );
    // The whole window showed no snapshot: the 503 made none, and the error is the 503 itself.
    expect(error).toMatchObject({ kind: 'http', status: 503 });
    expect(h.emulator.requests('create')).toHaveLength(1);
    expect([...h.emulator.model.snapshots.values()].filter((s) => s.name === 'late')).toEqual([]);
  });

  it('POST: sent again after the same window when the deadline is far', async () => {
    const h = await harness({ deadlineAfterMs: 60_000, client: { lagWindowMs: 2_000 } });
    h.emulator.faults.add(parseFault('create:status:503@1'));
    const result = await h.client.createSnapshot({ serverId: 12345, name: 'late' }, new Set([801, 798]));
    expect(result).toMatchObject({ adopted: false, snapshot: { name: 'late' } });
    expect(h.emulator.requests('create')).toHaveLength(2);
  });
});
