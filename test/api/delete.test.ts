// DELETE: a 404 is gone as asked; an answer that is not the API's is settled by the server's list, never
// taken as proof.
import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { failure, type Harness, type HarnessOptions, startHarness } from '../helpers/emulator.ts';

let h: Harness;
afterEach(() => h.stop());

async function setup(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness(options);
  return h;
}

const ids = async (serverId = 12345) => (await h.client.listSnapshots(serverId)).map((s) => s.id);

describe('delete', () => {
  it('deletes with one request', async () => {
    await setup();
    expect(await h.client.deleteSnapshot(801, 12345)).toEqual({ how: 'deleted' });
    expect(await ids()).toEqual([798]);
    expect(h.emulator.requests('delete').map((r) => r.status)).toEqual([204]);
  });

  it('counts a DELETE whose retry finds it gone as already gone', async () => {
    await setup();
    h.emulator.faults.add(parseFault('delete:ambiguous:502@1'));
    expect(await h.client.deleteSnapshot(801)).toEqual({ how: 'already-gone' });
    expect(await ids()).toEqual([798]);
    expect(h.emulator.requests('delete').map((r) => r.status)).toEqual([502, 404]);
  });

  it('takes a 404 as gone: a snapshot deleted by someone else is deleted, as asked', async () => {
    await setup();
    h.emulator.faults.add(parseFault('delete:gone@1'));
    expect(await h.client.deleteSnapshot(801, 12345)).toEqual({ how: 'already-gone' });
    expect(h.emulator.requests('delete')).toHaveLength(1);
    expect(await ids()).toEqual([798]);
  });

  it('takes a 404 for a snapshot that never existed as gone too', async () => {
    await setup();
    expect(await h.client.deleteSnapshot(4242)).toEqual({ how: 'already-gone' });
    expect(h.emulator.requests('delete')).toHaveLength(1);
  });

  it('still fails on other client errors', async () => {
    await setup();
    h.emulator.faults.add(parseFault('delete:status:403'));
    const error = await failure(h.client.deleteSnapshot(801, 12345));
    expect(error.status).toBe(403);
    expect(await ids()).toEqual([801, 798]);
  });
});

describe('a DELETE answered by something that is not the API', () => {
  it('sends the DELETE again when the list still shows the snapshot (a proxy page, 200 text/html)', async () => {
    await setup();
    h.emulator.faults.add(parseFault('delete:html@1'));
    expect(await h.client.deleteSnapshot(801, 12345)).toEqual({ how: 'deleted' });
    expect(h.emulator.requests('delete').map((r) => r.status)).toEqual([200, 204]);
    expect(h.emulator.requests('list')).toHaveLength(1);
    expect(await ids()).toEqual([798]);
  });

  it('is settled by the list when the work was done: absent, so gone', async () => {
    await setup();
    // The provider deleted it, then something answered 200 with JSON instead of the documented 204.
    h.emulator.faults.add(parseFault('delete:ambiguous:200@1'));
    expect(await h.client.deleteSnapshot(801, 12345)).toEqual({ how: 'absent-from-list' });
    expect(h.emulator.requests('delete')).toHaveLength(1);
  });

  it('under read lag, never claims gone from the list: the DELETE is sent again and answers 404', async () => {
    await setup({ readLagMs: 10_000 });
    h.emulator.faults.add(parseFault('delete:ambiguous:200@1'));
    expect(await h.client.deleteSnapshot(801, 12345)).toEqual({ how: 'already-gone' });
    expect(h.emulator.requests('delete').map((r) => r.status)).toEqual([200, 404]);
  });

  it('without a server to list, is retried, then an unknown outcome, never reported deleted', async () => {
    await setup();
    h.emulator.faults.add(parseFault('delete:html@10'));
    const error = await failure(h.client.deleteSnapshot(801));
    expect(error.kind).toBe('ambiguous');
    expect(error.message).toMatch(
      /an answer that is not the API's: an undocumented HTTP 200, text\/html.*: snapshot 801 may or may not have been deleted. List the snapshots \(operation: list\)/,
    );
    expect(h.emulator.requests('delete')).toHaveLength(5);
    expect(await ids()).toEqual([801, 798]);
  });
});
