// The debug log (ACTIONS_STEP_DEBUG, through the Logger's debug): a line per HTTP request with its method,
// path, status, attempt and time, and a line per decision; none of it in the log a user always sees.
import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { type Harness, type HarnessOptions, startHarness } from '../helpers/emulator.ts';
import { RecordingLogger } from '../helpers/logger.ts';

const logger = new RecordingLogger();
let h: Harness;
afterEach(async () => {
  logger.clear();
  await h.stop();
});

async function setup(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ timings: { snapshotMs: 10_000 }, client: { logger }, ...options });
  return h;
}

/** Every debug line also printed where debug is off (info or warning) would defeat the point. */
function expectOnlyInDebug(pattern: RegExp) {
  expect(logger.debugs.some((l) => pattern.test(l))).toBe(true);
  expect(logger.lines.filter((l) => pattern.test(l))).toEqual([]);
}

describe('the debug log', () => {
  it('has one line per request: method, path, status, attempt and time taken', async () => {
    await setup();
    h.emulator.faults.add(parseFault('list:status:503@1'));
    await h.client.listSnapshots(12345);
    const requests = logger.debugs.filter((l) => l.startsWith('GET '));
    expect(requests).toEqual([
      expect.stringMatching(/^GET \/snapshots\/\?server_id=12345 → 503 \(attempt 1, \d+ ms\)$/),
      expect.stringMatching(/^GET \/snapshots\/\?server_id=12345: retry 1 in 250 ms after HTTP 503/),
      expect.stringMatching(/^GET \/snapshots\/\?server_id=12345 → 200 \(attempt 2, \d+ ms\)$/),
    ]);
    expectOnlyInDebug(/→ \d{3} \(attempt/);
  });

  it('names a request that got no answer, with why', async () => {
    await setup();
    h.emulator.faults.add(parseFault('server:reset@1'));
    await h.client.getServer(12345);
    expect(logger.debugs[0]).toMatch(
      /^GET \/servers\/12345\/ → a network error \(\w+\) \(attempt 1, \d+ ms\)$/,
    );
    expect(logger.debugs.at(-1)).toMatch(/^GET \/servers\/12345\/ → 200 \(attempt 2, \d+ ms\)$/);
  });

  it('says how a lost create answer was settled: adopted, or not made and sent again', async () => {
    await setup();
    h.emulator.faults.add(parseFault('create:ambiguous@1'));
    await h.client.createSnapshot({ serverId: 12345, name: 'adopted' }, new Set([801, 798]));
    expectOnlyInDebug(
      /^POST \/snapshots\/ for 'adopted' on server 12345: settled, snapshot 802 is new with this name; adopted, not sent again$/,
    );
    h.emulator.faults.add(parseFault('create:status:503@1'));
    await h.client.createSnapshot({ serverId: 12345, name: 'resent' }, new Set([801, 798, 802]));
    expectOnlyInDebug(
      /^POST \/snapshots\/ for 'resent' on server 12345: settled, no new snapshot of this name in the whole window; sending it again$/,
    );
  });

  it('says how a lost restore answer was settled', async () => {
    await setup();
    h.emulator.faults.add(parseFault('restore:ambiguous@1'));
    await h.client.restoreSnapshot(801, { id: 12345, statusBefore: 'running' });
    expectOnlyInDebug(
      /^POST \/snapshots\/801\/restore\/: settled, server 12345 is restoring; the restore was taken$/,
    );
  });
});
