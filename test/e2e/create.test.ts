// create, run as the runner runs it, against the emulator over HTTP: the snapshot, its wait and its outputs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { DEFAULT_NAME, defaultNamePattern, fillServer, heading, results } from './action-helpers.ts';
import { Fixture, TOKEN } from './fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture().start();
});
afterEach(() => f.stop());

describe('create', () => {
  it('takes a snapshot, waits until completed, and writes every output', async () => {
    const run = await f.run('main', { server_id: '12345' });
    expect(run.exitCode).toBe(0);
    const name = run.outputs.snapshot_name ?? '';
    expect(name).toMatch(DEFAULT_NAME);
    expect(run.outputs).toMatchObject({
      snapshot_id: '802',
      status: 'completed',
      server_id: '12345',
      snapshot_ids: '{"12345":802}',
      deleted_ids: '[]',
    });
    expect(Number(run.outputs.size_mb)).toBeGreaterThan(0);
    expect(results(run)).toEqual([
      { server_id: 12345, snapshot_id: 802, name, status: 'completed', error: null },
    ]);
    expect(f.snapshots()).toContainEqual({ id: 802, name, status: 'completed' });
    expect(f.model.snapshots.get(802)?.description).toMatch(
      /acme\/shop@main \(3f2a9c1\).*runs\/9876543210\/attempts\/1/,
    );
    expect(heading(run)).toBe('## VPS Snapshot: ✅ completed');
    expect(run.summary).toContain(`| 12345 | 802 | ${name} | completed | ${run.outputs.size_mb} MB |`);
    // One quick snapshot: the table says it all, no chart.
    expect(run.summary).not.toContain('```mermaid');
    expect(run.stdout).toMatch(/::group::Waiting for 1 snapshot/);
    expect(run.stdout).toMatch(/snapshot 802 '.*' on server 12345: (in_progress → )?completed, \d+ MB/);
    expect(JSON.parse(run.state.created_snapshots ?? '')).toEqual([
      { serverId: 12345, snapshotId: 802, name },
    ]);
    expect(f.mutations()).toHaveLength(1);
  });

  it('a re-run of the same workflow run gets a new name', async () => {
    const first = await f.run('main', { server_id: '12345' });
    const rerun = await f.run('main', { server_id: '12345' }, { context: { runAttempt: '2' } });
    expect(rerun.exitCode).toBe(0);
    expect(rerun.outputs.snapshot_name).toMatch(defaultNamePattern({ context: { runAttempt: '2' } }));
    expect(rerun.outputs.snapshot_name).not.toBe(first.outputs.snapshot_name);
  });

  it('refuses a name the server already has instead of making a second', async () => {
    await f.run('main', { server_id: '12345', name: 'release-1' });
    const again = await f.run('main', { server_id: '12345', name: 'release-1' });
    expect(again.exitCode).toBe(1);
    expect(again.errors).toHaveLength(1);
    expect(again.errors[0]).toMatch(
      /title=Snapshot name already in use::name 'release-1': server 12345 already has snapshot 802/,
    );
    expect(f.snapshots().filter((s) => s.name === 'release-1')).toHaveLength(1);
  });

  it('snapshots a fleet with one list request per poll', async () => {
    f.model.addServer(TOKEN, 12346);
    f.model.addServer(TOKEN, 12347);
    f.model.timings.snapshotMs = 2_000;
    const run = await f.run('main', { server_id: '12345, 12346\n12347' });
    expect(run.exitCode).toBe(0);
    const ids = JSON.parse(run.outputs.snapshot_ids ?? '{}');
    expect(Object.keys(ids).sort()).toEqual(['12345', '12346', '12347']);
    expect(run.outputs.snapshot_id).toBeUndefined();
    expect(run.outputs.status).toBe('completed');
    expect(results(run).map((r) => [r.server_id, r.status])).toEqual([
      [12345, 'completed'],
      [12346, 'completed'],
      [12347, 'completed'],
    ]);
    const polls = f.emulator.requests('list').slice(1);
    expect(polls.length).toBeGreaterThan(1);
    expect(polls.every((r) => r.query.server_id === undefined)).toBe(true);
    expect(f.emulator.requests('create')).toHaveLength(3);
  });

  it('with wait: false writes the ID and returns while in progress', async () => {
    f.model.timings.snapshotMs = 60_000;
    const run = await f.run('main', { server_id: '12345', wait: 'false' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ snapshot_id: '802', status: 'in_progress' });
    expect(results(run)).toMatchObject([{ snapshot_id: 802, status: 'in_progress', error: null }]);
    expect(heading(run)).toBe('## VPS Snapshot: 🚀 started (not waited for)');
    expect(f.emulator.requests('list')).toHaveLength(1);
  });

  it('a failed snapshot fails the step and rotates nothing', async () => {
    fillServer(f, 12345, ['pre-deploy-a']);
    f.model.failingServers.add(12345);
    const run = await f.run('main', { server_id: '12345', keep: '1' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ snapshot_id: '802', status: 'failed' });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /title=Snapshot failed::.*snapshot 802 '.*' on server 12345 failed at the provider/,
    );
    expect(results(run)).toMatchObject([{ snapshot_id: 802, status: 'failed' }]);
    expect(results(run)[0]?.error).toMatch(/failed at the provider/);
    expect(f.emulator.requests('delete')).toHaveLength(0);
    expect(run.state.main_succeeded).toBeUndefined();
  });

  it('times out with the snapshot ID already written', async () => {
    f.model.timings.snapshotMs = 3_600_000;
    const run = await f.run('main', { server_id: '12345', timeout: '2s' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ snapshot_id: '802', status: 'in_progress' });
    expect(run.errors[0]).toMatch(
      /title=Snapshot wait timed out::.*still in progress after 2s: the wait timed out.*Raise timeout/,
    );
  });

  it('adopts the snapshot after an ambiguous failure of the create request', async () => {
    f.emulator.faults.add(parseFault('create:ambiguous@1'));
    const run = await f.run('main', { server_id: '12345' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/found after a lost answer/);
    expect(run.outputs.snapshot_name).toMatch(DEFAULT_NAME);
    expect(f.snapshots().filter((s) => s.name === run.outputs.snapshot_name)).toHaveLength(1);
  });
});
