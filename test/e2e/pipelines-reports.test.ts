// Truthful reports: the status output, the error's title, the summary's heading, its deletions and its chart
// say what really happened. Run as the runner runs the action, against the emulator over HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionRun } from '../../scripts/run-action.ts';
import { emptyGroups, fillServer, heading, results, summarySection } from './action-helpers.ts';
import { Fixture, TOKEN } from './fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture().start();
});
afterEach(() => f.stop());

function addFleet() {
  f.model.addServer(TOKEN, 12346);
  f.model.addServer(TOKEN, 12347);
}

/** Says the wait ran out, and never that the snapshot failed. */
function expectTimedOut(run: ActionRun, what: string) {
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(/^::error title=Snapshot wait timed out::/);
  expect(run.errors[0]).toMatch(/still in progress after 2s: the wait timed out, the snapshot goes on/);
  expect(run.errors.join('\n')).not.toMatch(/Snapshot failed|failed at the provider/);
  expect(run.outputs.status).toBe('in_progress');
  expect(results(run)).toMatchObject([{ snapshot_id: 802, status: 'in_progress' }]);
  expect(heading(run)).toBe(`## VPS ${what}: ⌛ timed out: the work goes on at the provider`);
  expect(run.summary).toContain('| in_progress (timed out) |');
  expect(run.summary).not.toMatch(/❌|✅/);
}

describe('a wait that runs out of time', () => {
  it('in create says it timed out, not that the snapshot failed', async () => {
    f.model.timings.snapshotMs = 60_000;
    const run = await f.run('main', { server_id: '12345', timeout: '2s' });
    expectTimedOut(run, 'Snapshot');
    expect(run.outputs.snapshot_id).toBe('802');
  });

  it('in operation wait says it timed out, not that the snapshot failed', async () => {
    f.model.timings.snapshotMs = 60_000;
    await f.run('main', { server_id: '12345', wait: 'false' });
    const run = await f.run('main', { operation: 'wait', snapshot_id: '802', timeout: '2s' });
    expectTimedOut(run, 'Wait for snapshots');
  });
});

describe('a fleet where one server fails', () => {
  it('is partial, the results say which, and the title counts 1 of 3', async () => {
    addFleet();
    f.model.failingServers.add(12346);
    const run = await f.run('main', { server_id: '12345,12346,12347' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('partial');
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^::error title=Snapshot failed: 1 of 3::snapshot 803 '.*' on server 12346 failed at the provider/,
    );
    expect(run.errors[0]).not.toMatch(/server 1234[57]/);
    expect(results(run).map((r) => [r.server_id, r.status, r.error === null])).toEqual([
      [12345, 'completed', true],
      [12346, 'failed', false],
      [12347, 'completed', true],
    ]);
    expect(heading(run)).toBe('## VPS Snapshot: ⚠️ partly done: 2 of 3 completed');
    expect(run.summary).toMatch(
      /\| 12346 \| 803 \| .* \| failed \| – \| \d+s \| snapshot 803 .* failed at the provider/,
    );
  });
});

describe('wait: false', () => {
  it('says the fleet was started, not done', async () => {
    addFleet();
    f.model.timings.snapshotMs = 60_000;
    const run = await f.run('main', { server_id: '12345,12346,12347', wait: 'false' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('in_progress');
    expect(heading(run)).toBe('## VPS Snapshot: 🚀 started (not waited for)');
    expect(run.summary).not.toMatch(/✅|done|completed/);
  });
});

describe('deletions in the summary', () => {
  it('a dry run with make-room and rotation lists them under Would delete, never under Deleted', async () => {
    fillServer(f, 12345, ['pre-deploy-a', 'pre-deploy-b', 'pre-deploy-c']);
    const run = await f.run('main', { server_id: '12345', keep: '2', dry_run: 'true' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'planned', deleted_ids: '[]' });
    expect(heading(run)).toBe('## VPS Snapshot: 🧪 dry run: nothing was changed');
    expect(run.summary).toContain('**Would delete** (dry run: nothing was deleted)');
    expect(summarySection(run, '**Would delete**')).toEqual([
      '- snapshot 500 pre-deploy-a on server 12345: room under the limit of 5',
      '- snapshot 501 pre-deploy-b on server 12345: rotation, keep 2',
    ]);
    expect(run.summary).not.toContain('**Deleted**');
    expect(f.mutations()).toEqual([]);
  });

  it("a dry run of delete lists under Would delete; the real one under Deleted, 'named by the inputs'", async () => {
    const dry = await f.run('main', { operation: 'delete', snapshot_id: '798', dry_run: 'true' });
    expect(dry.outputs.status).toBe('planned');
    expect(summarySection(dry, '**Would delete**')).toEqual([
      '- snapshot 798 weekly-snapshot-2025-01-08 on server 12345: named by the inputs',
    ]);
    expect(dry.summary).not.toContain('**Deleted**');
    expect(f.mutations()).toEqual([]);
    const real = await f.run('main', { operation: 'delete', snapshot_id: '798' });
    expect(summarySection(real, '**Deleted**')).toEqual([
      '- snapshot 798 weekly-snapshot-2025-01-08 on server 12345: named by the inputs',
    ]);
    expect(real.summary).not.toContain('Would delete');
  });
});

describe('the chart', () => {
  it('is left out for a single quick create, and drawn for a fleet', async () => {
    const single = await f.run('main', { server_id: '12345' });
    expect(single.exitCode).toBe(0);
    expect(single.summary).not.toContain('```mermaid');
    addFleet();
    const fleet = await f.run('main', { server_id: '12346,12347' });
    expect(fleet.exitCode).toBe(0);
    expect(fleet.summary).toMatch(
      /```mermaid\ngantt\n[\s\S]* {2}section create\n {2}read \(\d+s\) : \d+, \d+\n {2}create \(\d+s\) : \d+, \d+\n {2}wait \(\d+s\) : \d+, \d+\n```/,
    );
  });
});

describe('log groups', () => {
  it('create, a fleet create, its dry run and list write no empty ::group:: block', async () => {
    addFleet();
    const runs = [
      await f.run('main', { server_id: '12345' }),
      await f.run('main', { server_id: '12346,12347' }),
      await f.run('main', { server_id: '12345', keep: '1', dry_run: 'true' }),
      await f.run('main', { operation: 'list' }),
    ];
    for (const run of runs) expect(run.exitCode).toBe(0);
    expect(runs.map(emptyGroups)).toEqual([[], [], [], []]);
  });

  it('operation wait writes no empty ::group:: block', async () => {
    await f.run('main', { server_id: '12345', wait: 'false' });
    const run = await f.run('main', { operation: 'wait', snapshot_id: '802' });
    expect(run.exitCode).toBe(0);
    expect(emptyGroups(run)).toEqual([]);
  });

  it('restore writes no empty ::group:: block', async () => {
    const run = await f.run('main', { operation: 'restore', snapshot_id: '801' });
    expect(run.exitCode).toBe(0);
    expect(emptyGroups(run)).toEqual([]);
  });

  it('delete writes no empty ::group:: block', async () => {
    const run = await f.run('main', { operation: 'delete', snapshot_id: '798' });
    expect(run.exitCode).toBe(0);
    expect(emptyGroups(run)).toEqual([]);
  });
});
