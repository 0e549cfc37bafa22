// What a lost answer may be settled by: only a new snapshot of this name on this server is the lost create's;
// a restore was taken when the server shows restoring, or a status other than before (never, with no status
// known from before, a server as it was). A restore whose look fails is an unknown outcome ('ambiguous'),
// and is not sent again.
import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { ApiError } from '../../src/api/errors.ts';
import { DEFAULT_RETRY, type Runtime } from '../../src/api/retry.ts';
import { settleCreate } from '../../src/api/settle.ts';
import {
  addCompleted,
  addServers,
  failure,
  type Harness,
  type HarnessOptions,
  startHarness,
} from '../helpers/emulator.ts';
import { RecordingLogger } from '../helpers/logger.ts';

let h: Harness;
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function setup(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ timings: { snapshotMs: 10_000, restoreMs: 10_000 }, ...options });
  stop = () => h.stop();
  return h;
}

const named = (name: string) => [...h.emulator.model.snapshots.values()].filter((s) => s.name === name);

describe('a lost create adopts only its own snapshot', () => {
  it('does not adopt a snapshot of another name that appeared on the server (another run): it sends again', async () => {
    await setup();
    // The run read 801 and 798; before its create, another run's snapshot appeared on the same server.
    const intruder = addCompleted(h, 900, 12345, 'another-runs-snapshot', 0);
    h.emulator.faults.add(parseFault('create:status:502@1'));
    const result = await h.client.createSnapshot({ serverId: 12345, name: 'mine' }, new Set([801, 798]));
    expect(result.adopted).toBe(false);
    expect(result.snapshot).toMatchObject({ name: 'mine', server: { id: 12345 } });
    expect(result.snapshot.id).not.toBe(intruder.id);
    expect(named('mine')).toHaveLength(1);
    expect(h.emulator.requests('create')).toHaveLength(2);
  });

  it('adopts the snapshot of its name, not the other new one listed beside it', async () => {
    const logger = new RecordingLogger();
    await setup({ client: { logger } });
    addCompleted(h, 900, 12345, 'another-runs-snapshot', 0);
    h.emulator.faults.add(parseFault('create:ambiguous:502@1'));
    const result = await h.client.createSnapshot({ serverId: 12345, name: 'mine' }, new Set([801, 798]));
    expect(result).toMatchObject({ adopted: true, snapshot: { name: 'mine', server: { id: 12345 } } });
    expect(result.snapshot.id).toBe(named('mine')[0]?.id);
    expect(h.emulator.requests('create')).toHaveLength(1);
    // One of its name: nothing to warn about.
    expect(logger.warnings).toEqual([]);
  });

  describe('given the whole account to look at (a provider that ignores the server filter)', () => {
    function looking(logger = new RecordingLogger()): Runtime {
      return {
        now: h.clock.now,
        sleep: async (ms: number) => {
          h.clock.time += ms;
        },
        random: () => 0.5,
        lagWindowMs: 5_000,
        logger,
        policy: DEFAULT_RETRY,
      };
    }
    const lost = { serverId: 12345, name: 'pre-deploy-7' };
    const known = new Set([801, 798]);
    const lostAnswer = new ApiError({ kind: 'http', method: 'POST', path: '/snapshots/', status: 502 });
    const wholeAccount = (until: number) => h.client.listSnapshots(undefined, { deadline: until });

    it("does not take another server's new snapshot of the same name for its own", async () => {
      await setup();
      addServers(h, 12346);
      const elsewhere = await h.client.createSnapshot({ serverId: 12346, name: 'pre-deploy-7' }, new Set());
      expect((await wholeAccount(h.clock.time + 5_000)).map((s) => s.id)).toContain(elsewhere.snapshot.id);
      const settled = await settleCreate(
        looking(),
        lostAnswer,
        h.clock.time + 60_000,
        lost,
        known,
        wholeAccount,
      );
      // The whole window showed none on server 12345: the create did not go through there.
      expect(settled).toBeUndefined();
    });

    it('adopts the one on its server when both servers have one', async () => {
      await setup();
      addServers(h, 12346);
      await h.client.createSnapshot({ serverId: 12346, name: 'pre-deploy-7' }, new Set());
      const own = await h.client.createSnapshot({ serverId: 12345, name: 'pre-deploy-7' }, new Set());
      const settled = await settleCreate(
        looking(),
        lostAnswer,
        h.clock.time + 60_000,
        lost,
        known,
        wholeAccount,
      );
      expect(settled?.snapshot).toMatchObject({ id: own.snapshot.id, server: { id: 12345 } });
    });
  });
});

describe('two new snapshots of its name', () => {
  it('adopts the older (lowest ID) and warns, naming both', async () => {
    const logger = new RecordingLogger();
    await setup({ client: { logger } });
    // Another run made one of the same name on the same server; then this run's create made its own.
    const first = addCompleted(h, 900, 12345, 'mine', 0);
    h.emulator.faults.add(parseFault('create:ambiguous@1'));
    const result = await h.client.createSnapshot({ serverId: 12345, name: 'mine' }, new Set([801, 798]));
    const second = named('mine').find((s) => s.id !== first.id);
    expect(second?.id).toBeGreaterThan(first.id);
    expect(result).toMatchObject({ adopted: true, snapshot: { id: first.id } });
    expect(logger.warnings.map((w) => w.message)).toEqual([
      `Server 12345 has 2 new snapshots named 'mine' (${first.id}, ${second?.id}); tracking the first, ${first.id}.`,
    ]);
    expect(h.emulator.requests('create')).toHaveLength(1);
  });
});

describe('a lost restore whose server cannot be read while looking', () => {
  it('is an unknown outcome, not sent again', async () => {
    await setup();
    h.emulator.faults.add(parseFault('restore:ambiguous@1'), parseFault('server:status:503'));
    const error = await failure(h.client.restoreSnapshot(801, { id: 12345, statusBefore: 'running' }));
    expect(error.kind).toBe('ambiguous');
    expect(error.message).toMatch(
      /the check failed too \(GET \/servers\/12345\/: HTTP 503[^)]*\): the restore from snapshot 801 may or may not have started/,
    );
    expect(error.hint).toBe("Check server 12345 in the provider's panel before restoring again");
    expect(h.emulator.requests('restore')).toHaveLength(1);
  });
});

describe("a lost restore is settled by the server's status", () => {
  it('adopts it when the server is restoring, even with no status known from before', async () => {
    await setup();
    h.emulator.faults.add(parseFault('restore:ambiguous@1'));
    const result = await h.client.restoreSnapshot(801, { id: 12345 });
    expect(result).toMatchObject({ adopted: true, server: { id: 12345, status: 'restoring' } });
    expect(h.emulator.requests('restore')).toHaveLength(1);
    // Seen at the first look: no window watched out.
    expect(h.sleeps).toEqual([]);
  });

  it('adopts it when the server shows a status other than before: a quick restore already over', async () => {
    // Reads lag 0.5 s, the restore takes 0.2 s: the first look shows the server as before (running),
    // the next one already stopped, without ever showing restoring.
    await setup({ readLagMs: 500, timings: { snapshotMs: 10_000, restoreMs: 200 } });
    h.emulator.faults.add(parseFault('restore:ambiguous@1'));
    const result = await h.client.restoreSnapshot(801, { id: 12345, statusBefore: 'running' });
    expect(result).toMatchObject({ adopted: true, server: { id: 12345, status: 'stopped' } });
    expect(h.emulator.requests('restore')).toHaveLength(1);
    expect(h.emulator.requests('server').length).toBeGreaterThan(1);
  });

  it('does not adopt a server that is as it was, with no status known from before: it sends again', async () => {
    await setup();
    h.emulator.faults.add(parseFault('restore:status:502@1'));
    const result = await h.client.restoreSnapshot(801, { id: 12345 });
    expect(result).toMatchObject({ adopted: false, server: { status: 'restoring' } });
    expect(h.emulator.requests('restore')).toHaveLength(2);
  });
});
