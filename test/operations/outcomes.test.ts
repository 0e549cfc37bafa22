// Honest outcomes through whole operations: what the action saw survives a later error, what it did not see
// is `unknown`, and each failure says one cause and one next step, once.
import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { runCreate } from '../../src/operations/create/index.ts';
import { runRestore } from '../../src/operations/restore.ts';
import type { ActionError } from '../../src/reporting/failure.ts';
import { renderSummary } from '../../src/reporting/summary.ts';
import { fakeContext, rejection } from '../helpers/context.ts';
import {
  addCompleted,
  addServers,
  type Harness,
  type HarnessOptions,
  startHarness,
} from '../helpers/emulator.ts';
import { createSettings, restoreSettings } from '../helpers/settings.ts';

let h: Harness;
afterEach(() => h.stop());

async function setup(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ timings: { snapshotMs: 5_000, restoreMs: 20_000 }, ...options });
  return h;
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe('outcomes already seen survive a later error', () => {
  it('a fleet whose list answers 401 mid-wait: the completed server stays completed and is rotated', async () => {
    await setup();
    addServers(h, 12346);
    const old = addCompleted(h, 790, 12345, 'pre-deploy-old');
    const start = h.clock.time;
    let struck = false;
    h.clock.onSleep = () => {
      // Server 12346's snapshot never finishes; once 12345's has, the next list answers 401.
      for (const s of h.emulator.model.snapshots.values())
        if (s.serverId === 12346 && s.name === 'pre-deploy-test') s.readyAt = Number.POSITIVE_INFINITY;
      if (!struck && h.clock.time - start > 6_000) {
        struck = true;
        h.emulator.faults.add(parseFault('list:status:401@1'));
      }
    };
    const { ctx, rec } = fakeContext(h, 'create');
    const error = await rejection<ActionError>(
      runCreate(createSettings(h, { serverIds: [12345, 12346], keep: 1 }), ctx),
    );
    expect(error.title).toBe('Snapshot outcome unknown: 1 of 2');
    expect(error.message).toMatch(
      /^snapshot 803 'pre-deploy-test' on server 12346 was made, but the list could not be read after that \(GET \/snapshots\/: HTTP 401: [^)]*\), so how it ended was not seen\. Check it with operation: list/,
    );
    expect(rec.record.rows.map((r) => [r.serverId, r.state])).toEqual([
      [12345, 'completed'],
      [12346, 'unknown'],
    ]);
    expect(rec.record.rows[0]?.sizeMb).toBeGreaterThan(0);
    expect(rec.outputs).toMatchObject({
      status: 'partial',
      deleted_ids: [old.id],
      results: [
        { server_id: 12345, snapshot_id: 802, status: 'completed', error: null },
        { server_id: 12346, snapshot_id: 803, status: 'unknown' },
      ],
    });
    expect(h.emulator.model.snapshots.has(old.id)).toBe(false);
    expect(renderSummary(rec.record, error.problems)).toContain(
      '| 12346 | 803 | pre-deploy-test | unknown |',
    );
  });
});

describe('each failure says one cause and one next step, once', () => {
  it('a create whose every attempt failed: no snapshot was made, said once, not an unknown outcome', async () => {
    await setup();
    h.emulator.faults.add(parseFault('create:status:503'));
    const { ctx, rec } = fakeContext(h, 'create');
    const error = await rejection<ActionError>(runCreate(createSettings(h), ctx));
    expect(error).toMatchObject({ kind: 'failed', title: 'Snapshot failed' });
    expect(error.message).toBe(
      'server 12345: no snapshot was made: POST /snapshots/ failed with HTTP 503: The service is temporarily unavailable. The provider had a fault; try again later',
    );
    expect(rec.outputs).toMatchObject({
      status: 'failed',
      results: [{ server_id: 12345, status: 'failed' }],
    });
    expect(h.emulator.requests('create')).toHaveLength(3);
  });

  it("a restore answered by a proxy's page whose effect could not be seen: unknown, checked once", async () => {
    // Reads lag a minute and the step has 5 s: the server cannot be seen to change in time.
    await setup({ readLagMs: 60_000, deadlineAfterMs: 5_000 });
    h.emulator.faults.add(parseFault('restore:html@1'));
    const { ctx, rec } = fakeContext(h, 'restore', { deadlineAfterMs: 5_000 });
    const error = await rejection<ActionError>(runRestore(restoreSettings(h), ctx));
    expect(error).toMatchObject({ kind: 'unknown', title: 'Restore outcome unknown' });
    expect(error.message).toMatch(
      /^server 12345 'web-server-01': POST \/snapshots\/801\/restore\/ failed with an answer that is not the API's: HTTP 200 without JSON, text\/html, starting ".*", and nothing showed within the time left: the restore from snapshot 801 may or may not have started\. Check server 12345 in the provider's panel before restoring again$/,
    );
    expect(count(error.message, 'failed with')).toBe(1);
    expect(count(error.message, "provider's panel")).toBe(1);
    expect(rec.outputs).toMatchObject({
      status: 'unknown',
      results: [{ server_id: 12345, snapshot_id: 801, status: 'unknown' }],
    });
    expect(h.emulator.requests('restore')).toHaveLength(1);
  });
});
