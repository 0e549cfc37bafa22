// Starting a restore over HTTP; a lost answer settled by watching the server, under read lag too.
import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { failure, type Harness, type HarnessOptions, startHarness } from '../helpers/emulator.ts';

let h: Harness;
afterEach(() => h.stop());

async function setup(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ timings: { snapshotMs: 10_000, restoreMs: 30_000 }, ...options });
  return h;
}

describe('restore', () => {
  it('starts a restore and reports the server restoring', async () => {
    await setup();
    const result = await h.client.restoreSnapshot(801, { id: 12345 });
    expect(result).toMatchObject({
      adopted: false,
      server: { id: 12345, status: 'restoring' },
      snapshot: { id: 801 },
    });
    expect(h.emulator.requests('restore')).toHaveLength(1);
  });

  it('adopts a restore whose answer was lost', async () => {
    await setup();
    h.emulator.faults.add(parseFault('restore:ambiguous@1'));
    const result = await h.client.restoreSnapshot(801, { id: 12345, statusBefore: 'running' });
    expect(result).toMatchObject({ adopted: true, server: { status: 'restoring' } });
    expect(h.emulator.requests('restore')).toHaveLength(1);
  });

  it('sends again when the answer was lost before the work', async () => {
    await setup();
    h.emulator.faults.add(parseFault('restore:status:502@1'));
    const result = await h.client.restoreSnapshot(801, { id: 12345, statusBefore: 'running' });
    expect(result.adopted).toBe(false);
    expect(h.emulator.requests('restore')).toHaveLength(2);
  });

  it('passes on the provider refusal of an unfinished snapshot', async () => {
    await setup();
    const created = await h.client.createSnapshot({ serverId: 12345, name: 'fresh' }, new Set());
    const error = await failure(h.client.restoreSnapshot(created.snapshot.id));
    expect(error.providerMessage).toMatch(/is in_progress and cannot be restored/);
  });

  it('says the outcome is unknown when it does not know which server to watch', async () => {
    await setup();
    h.emulator.faults.add(parseFault('restore:ambiguous@1'));
    const error = await failure(h.client.restoreSnapshot(801));
    expect(error.kind).toBe('ambiguous');
    expect(error.message).toMatch(/the restore from snapshot 801 may or may not have started/);
    expect(h.emulator.requests('restore')).toHaveLength(1);
  });
});

describe('a restore whose answer is lost under read lag', () => {
  it('is adopted once the server shows restoring, with one POST', async () => {
    await setup({ readLagMs: 5_000 });
    h.emulator.faults.add(parseFault('restore:ambiguous@1'));
    const result = await h.client.restoreSnapshot(801, { id: 12345, statusBefore: 'running' });
    expect(result).toMatchObject({ adopted: true, server: { id: 12345, status: 'restoring' } });
    expect(h.emulator.requests('restore')).toHaveLength(1);
    // The first looks still showed 'running': it went on watching instead of sending again.
    const looks = h.emulator.requests('server');
    expect(looks.length).toBeGreaterThan(1);
    expect(h.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5_000);
  });

  it('is not adopted, and not sent again, when the deadline ends the watch first', async () => {
    await setup({ readLagMs: 20_000, deadlineAfterMs: 2_000 });
    h.emulator.faults.add(parseFault('restore:ambiguous@1'));
    const error = await failure(h.client.restoreSnapshot(801, { id: 12345, statusBefore: 'running' }));
    expect(error.kind).toBe('ambiguous');
    expect(error.message).toMatch(
      /^POST \/snapshots\/801\/restore\/ failed with a network error \(\w+\), and nothing showed within the time left: the restore from snapshot 801 may or may not have started. Check server 12345 in the provider's panel before restoring again$/,
    );
    expect(h.emulator.requests('restore')).toHaveLength(1);
  });
});
