// The overlap pattern of a deploy pipeline: create with wait: false, deploy meanwhile, then a separate
// `operation: wait` step with the create's outputs. Run as the runner runs the action, against the emulator.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_NAME, heading, results, until } from './action-helpers.ts';
import { Fixture, TOKEN } from './fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture().start();
});
afterEach(() => f.stop());

/** The list requests sent since the log had `from` entries. */
function listsSince(from: number) {
  return f.emulator.log.slice(from).filter((r) => r.route === 'list');
}

describe('create with wait: false, then operation: wait', () => {
  it('starts the snapshot, says so, and a later wait step ends it with the outputs of a waiting create', async () => {
    f.model.timings.snapshotMs = 2_000;
    const started = await f.run('main', { server_id: '12345', wait: 'false' });
    expect(started.exitCode).toBe(0);
    expect(started.outputs).toMatchObject({ snapshot_id: '802', server_id: '12345', status: 'in_progress' });
    expect(started.outputs.snapshot_name).toMatch(DEFAULT_NAME);
    expect(results(started)).toMatchObject([{ snapshot_id: 802, status: 'in_progress', error: null }]);
    expect(heading(started)).toBe('## VPS Snapshot: 🚀 started (not waited for)');
    expect(heading(started)).not.toMatch(/done|✅|completed/);
    expect(f.snapshots()).toContainEqual({
      id: 802,
      name: started.outputs.snapshot_name,
      status: 'in_progress',
    });

    const waited = await f.run('main', { operation: 'wait', snapshot_id: started.outputs.snapshot_id ?? '' });
    expect(waited.exitCode).toBe(0);
    expect(waited.errors).toEqual([]);
    expect(waited.outputs).toMatchObject({
      snapshot_id: '802',
      snapshot_name: started.outputs.snapshot_name,
      server_id: '12345',
      snapshot_ids: started.outputs.snapshot_ids,
      status: 'completed',
    });
    expect(Number(waited.outputs.size_mb)).toBeGreaterThan(0);
    expect(results(waited)).toEqual([
      {
        server_id: 12345,
        snapshot_id: 802,
        name: started.outputs.snapshot_name,
        status: 'completed',
        error: null,
      },
    ]);
    expect(heading(waited)).toBe('## VPS Wait for snapshots: ✅ completed');
    expect(f.snapshots()).toContainEqual({
      id: 802,
      name: started.outputs.snapshot_name,
      status: 'completed',
    });
    expect(f.mutations()).toHaveLength(1);

    // The same outputs as a create that waited itself (deleted_ids is create's own).
    f.model.addServer(TOKEN, 12346);
    f.model.timings.snapshotMs = 300;
    const created = await f.run('main', { server_id: '12346' });
    expect(created.exitCode).toBe(0);
    const names = (run: typeof created) =>
      Object.keys(run.outputs)
        .filter((name) => name !== 'deleted_ids')
        .sort();
    expect(names(waited)).toEqual(names(created));
  });

  it('a fleet of 3: snapshot_ids from the create, one list request per poll, every output', async () => {
    f.model.addServer(TOKEN, 12346);
    f.model.addServer(TOKEN, 12347);
    f.model.timings.snapshotMs = 4_000;
    const started = await f.run('main', { server_id: '12345,12346,12347', wait: 'false' });
    expect(started.exitCode).toBe(0);
    expect(started.outputs.status).toBe('in_progress');
    const from = f.emulator.log.length;
    const waited = await f.run('main', {
      operation: 'wait',
      snapshot_ids: started.outputs.snapshot_ids ?? '',
    });
    expect(waited.exitCode).toBe(0);
    expect(waited.outputs).toMatchObject({ snapshot_ids: started.outputs.snapshot_ids, status: 'completed' });
    expect(waited.outputs.snapshot_id).toBeUndefined();
    expect(results(waited).map((r) => [r.server_id, r.snapshot_id, r.status, r.error])).toEqual([
      [12345, 802, 'completed', null],
      [12346, 803, 'completed', null],
      [12347, 804, 'completed', null],
    ]);
    // One read to find them, then one list request per poll for all three, never one per server.
    const [find, ...polls] = listsSince(from);
    expect(find?.query.server_id).toBeUndefined();
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.every((r) => r.query.server_id === undefined)).toBe(true);
    const gaps = polls.slice(1).map((r, i) => r.at - (polls[i]?.at ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
    const span = (polls.at(-1)?.at ?? 0) - (find?.at ?? 0);
    expect(polls.length).toBeLessThanOrEqual(Math.ceil(span / 700) + 1);
    expect(f.emulator.log.slice(from).filter((r) => r.route !== 'list')).toEqual([]);
  });

  it('a snapshot that fails at the provider fails the wait step, naming it', async () => {
    f.model.failingServers.add(12345);
    f.model.timings.snapshotMs = 1_000;
    const started = await f.run('main', { server_id: '12345', wait: 'false' });
    expect(started.exitCode).toBe(0);
    const waited = await f.run('main', { operation: 'wait', snapshot_id: '802' });
    expect(waited.exitCode).toBe(1);
    expect(waited.errors).toHaveLength(1);
    expect(waited.errors[0]).toContain(
      `title=Snapshot failed::snapshot 802 '${started.outputs.snapshot_name}' on server 12345 failed at the provider`,
    );
    expect(waited.outputs).toMatchObject({ snapshot_id: '802', status: 'failed' });
    expect(waited.outputs.size_mb).toBeUndefined();
    expect(results(waited)[0]).toMatchObject({ snapshot_id: 802, status: 'failed' });
    expect(results(waited)[0]?.error).toMatch(/failed at the provider/);
    expect(heading(waited)).toBe('## VPS Wait for snapshots: ❌ failed');
  });

  it('a snapshot deleted while waited on fails the wait step, naming it, once missing for the settle window', async () => {
    f.model.timings.snapshotMs = 60_000;
    const started = await f.run('main', { server_id: '12345', wait: 'false' });
    const from = f.emulator.log.length;
    const waiting = f.run(
      'main',
      { operation: 'wait', snapshot_id: '802', timeout: '30s' },
      { env: { VPS_API_SETTLE_WINDOW: '1s' } },
    );
    // Someone else's cleanup deletes it after the wait step has seen it.
    const polls = () => listsSince(from).filter((r) => r.query.server_id === '12345');
    await until(() => polls().length >= 1);
    const cleanup = await f.run('main', { operation: 'delete', snapshot_id: '802' });
    expect(cleanup.outputs.status).toBe('deleted');
    const waited = await waiting;
    expect(waited.exitCode).toBe(1);
    expect(waited.errors).toHaveLength(1);
    expect(waited.errors[0]).toMatch(
      new RegExp(
        `snapshot 802 '${started.outputs.snapshot_name}' on server 12345 disappeared while being waited on`,
      ),
    );
    expect(waited.errors[0]).not.toMatch(/timed out/);
    expect(waited.outputs.status).toBe('failed');
    expect(results(waited)[0]?.error).toMatch(/disappeared/);
    // Not gone at the first miss (lists lag writes): only once unseen for the settle window, 1 s here.
    const deletedAt = f.emulator.requests('delete')[0]?.at ?? 0;
    const lastSighting =
      polls()
        .filter((r) => r.at < deletedAt)
        .at(-1)?.at ?? 0;
    const lastLook = polls().at(-1)?.at ?? 0;
    expect(lastLook).toBeGreaterThan(deletedAt);
    expect(lastLook - lastSighting).toBeGreaterThanOrEqual(900);
    expect(waited.durationMs).toBeLessThan(15_000);
  });
});

describe('what operation wait refuses before any request', () => {
  it('wait: false, and a snapshot_ids that is not the create step output', async () => {
    const run = await f.run('main', { operation: 'wait', snapshot_id: '802', wait: 'false' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(/^::error title=Invalid input::wait 'false' with operation wait/),
    ]);
    const notJson = await f.run('main', { operation: 'wait', snapshot_ids: '12345=802' });
    expect(notJson.exitCode).toBe(1);
    expect(notJson.errors).toEqual([
      expect.stringMatching(/Invalid input::snapshot_ids '12345=802' is not JSON/),
    ]);
    expect(f.emulator.log).toHaveLength(0);
  });
});

describe('a snapshot of another server than snapshot_ids says', () => {
  it('is refused at once, naming its server, in a fleet', async () => {
    f.model.addServer(TOKEN, 12346);
    const run = await f.run('main', { operation: 'wait', snapshot_ids: '{"12345": 798, "12346": 801}' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /snapshot 801 'pre-migration-snapshot' belongs to server 12345, not server 12346/,
    );
    expect(f.emulator.requests('list')).toHaveLength(1);
  });

  it('is titled as a snapshot of another server, like restore and delete', async () => {
    f.model.addServer(TOKEN, 12346);
    const run = await f.run('main', { operation: 'wait', snapshot_ids: '{"12345": 798, "12346": 801}' });
    expect(run.errors[0]).toMatch(/^::error title=Cannot wait: snapshot of another server::/);
  });

  it('is refused at once, naming its server, when it is the only entry', async () => {
    f.model.addServer(TOKEN, 12346);
    const run = await f.run(
      'main',
      { operation: 'wait', snapshot_ids: '{"12346": 801}' },
      { env: { VPS_API_SETTLE_WINDOW: '1s' } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).not.toMatch(/disappeared/);
    expect(run.errors[0]).toMatch(/801.*belongs to server 12345, not server 12346/);
  });
});

describe('operation wait with dry_run', () => {
  it('reports what the wait found, not a plan', async () => {
    f.model.failingServers.add(12345);
    await f.run('main', { server_id: '12345', wait: 'false' });
    const run = await f.run('main', { operation: 'wait', snapshot_id: '802', dry_run: 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/title=Snapshot failed::/);
    expect(run.outputs.status).toBe('failed');
    expect(heading(run)).toBe('## VPS Wait for snapshots: ❌ failed');
  });
});
