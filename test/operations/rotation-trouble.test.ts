// Rotation runs after the run's own snapshot completed: the deploy may go ahead, so a rotation that cannot
// even list the snapshots is a warning and a note, never a failure of the step.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCreate } from '../../src/operations/create/index.ts';
import { fakeContext } from '../helpers/context.ts';
import { addCompleted, type Harness, startHarness } from '../helpers/emulator.ts';
import { createSettings } from '../helpers/settings.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ timings: { snapshotMs: 10_000 } });
});
afterEach(() => h.stop());

it('warns, deletes nothing and completes when the list for rotation fails', async () => {
  const old = addCompleted(h, 790, 12345, 'pre-deploy-old', 86_400_000);
  let armed = false;
  // Once the new snapshot is done, the next poll sees it (and takes the no-op), then every attempt of
  // rotation's list gets a 503.
  h.clock.onSleep = (clock) => {
    const own = [...h.emulator.model.snapshots.values()].find((s) => s.name === 'pre-deploy-mine');
    if (armed || !own || clock.time < own.readyAt) return;
    armed = true;
    h.emulator.faults.add(
      { route: 'list', kind: 'latency', ms: 0, count: 1 },
      { route: 'list', kind: 'status', status: 503 },
    );
  };
  const { ctx, rec } = fakeContext(h, 'create');
  await runCreate(createSettings(h, { keep: 1, name: 'pre-deploy-mine' }), ctx);
  expect(armed).toBe(true);
  expect(rec.outputs).toMatchObject({ status: 'completed', deleted_ids: [] });
  expect(h.emulator.model.snapshots.has(old.id)).toBe(true);
  expect(h.emulator.requests('delete')).toEqual([]);
  expect(rec.logger.warnings).toHaveLength(1);
  expect(rec.logger.warnings[0]?.title).toBe('Rotation incomplete');
  expect(rec.logger.warnings[0]?.message).toMatch(/^could not list the snapshots to rotate: .*HTTP 503/);
  expect(rec.record.notes).toEqual([
    expect.stringMatching(/^Rotation incomplete: could not list the snapshots/),
  ]);
});
