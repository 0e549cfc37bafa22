// The step's context: one client bounded by the step's deadline, on the step's clock.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Emulator, parseFault, VirtualClock } from '../../emulator/index.ts';
import { Step } from '../../src/step/runner.ts';
import { TOKEN } from '../helpers/emulator.ts';

let emulator: Emulator;
let step: Step;
beforeEach(async () => {
  emulator = new Emulator({ token: TOKEN });
  await emulator.start();
});
afterEach(async () => {
  await step?.close();
  await emulator.stop();
});

it('gives the operation a record and a client on the API it was given', async () => {
  const clock = new VirtualClock();
  step = new Step(clock);
  const ctx = step.begin('list', 'list snapshots', {
    baseUrl: emulator.baseUrl,
    token: TOKEN,
    timeoutMs: 60_000,
  });
  expect(step.record).toBe(ctx.record);
  expect(ctx.record.operation).toBe('list');
  expect(ctx.clock).toBe(clock);
  expect(ctx.client.lagWindowMs).toBe(30_000);
  expect((await ctx.client.listSnapshots(12345)).map((s) => s.id)).toEqual([801, 798]);
});

it("gives the client the step's clock, so a deadline on it means the same to both", async () => {
  step = new Step(new VirtualClock(Date.parse('2020-01-01T00:00:00Z')));
  const ctx = step.begin('list', 'list snapshots', {
    baseUrl: emulator.baseUrl,
    token: TOKEN,
    timeoutMs: 60_000,
  });
  emulator.faults.add(parseFault('list:latency:50@1'));
  const listed = await ctx.client.listSnapshots(12345, { deadline: ctx.clock.now() + 60_000 });
  expect(listed).toHaveLength(2);
});
