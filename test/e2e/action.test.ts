// The committed bundle, run as the runner runs it, against the emulator over HTTP.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { readActionYml } from '../../scripts/action-yml.ts';
import { DEFAULT_CONTEXT } from '../../scripts/run-action.ts';
import { Fixture, TOKEN } from './fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture().start();
});
afterEach(() => f.stop());

const DEFAULT_NAME = `pre-deploy-${DEFAULT_CONTEXT.sha.slice(0, 7)}-${DEFAULT_CONTEXT.runId}-1`;

function fillServer(serverId: number, names: string[], startMs = Date.parse('2025-02-01T00:00:00Z')) {
  names.forEach((name, i) => {
    f.model.addSnapshot({
      id: 500 + i,
      serverId,
      name,
      description: '',
      createdAt: startMs + i * 86_400_000,
      readyAt: startMs + i * 86_400_000,
      sizeMb: 1000,
    });
  });
}

/** A snapshot on server 12345 that stays in progress for an hour. */
function addRunningSnapshot(id: number, name: string) {
  f.model.addSnapshot({
    id,
    serverId: 12345,
    name,
    description: '',
    createdAt: Date.now(),
    readyAt: Date.now() + 3_600_000,
    sizeMb: 1,
  });
}

describe('action.yml', () => {
  it('runs on node24 with a post step on failure, and names every output of the contract', () => {
    const yml = readActionYml();
    expect(yml).toMatchObject({
      using: 'node24',
      main: 'dist/main/index.js',
      post: 'dist/post/index.js',
      postIf: 'failure()',
    });
    expect(Object.keys(yml.inputs).sort()).toEqual(
      [
        'api_token',
        'api_url',
        'description',
        'dry_run',
        'keep',
        'name',
        'operation',
        'prune_prefix',
        'restore_on_failure',
        'server_id',
        'snapshot_id',
        'timeout',
        'wait',
      ].sort(),
    );
    expect(Object.keys(yml.outputs).sort()).toEqual(
      [
        'deleted_ids',
        'server_id',
        'size_mb',
        'snapshot_id',
        'snapshot_ids',
        'snapshot_name',
        'snapshots',
        'status',
      ].sort(),
    );
  });
});

describe('create', () => {
  it('takes a snapshot, waits until completed, and writes every output', async () => {
    const run = await f.run('main', { server_id: '12345' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      snapshot_id: '802',
      snapshot_name: DEFAULT_NAME,
      status: 'completed',
      server_id: '12345',
      snapshot_ids: '{"12345":802}',
      deleted_ids: '[]',
    });
    expect(Number(run.outputs.size_mb)).toBeGreaterThan(0);
    expect(f.snapshots()).toContainEqual({ id: 802, name: DEFAULT_NAME, status: 'completed' });
    expect(f.model.snapshots.get(802)?.description).toMatch(
      /acme\/shop@main \(3f2a9c1\).*runs\/9876543210\/attempts\/1/,
    );
    expect(run.summary).toMatch(
      /\| 12345 \| 802 \| `pre-deploy-3f2a9c1-9876543210-1` \| completed \| \d+ MB \|/,
    );
    expect(run.summary).toMatch(
      /```mermaid\ngantt\n[\s\S]* {2}read \(\d+s\) : \d+, \d+\n {2}create [\s\S]* {2}wait /,
    );
    expect(run.stdout).toMatch(/::group::Waiting for 1 snapshot/);
    expect(run.stdout).toMatch(/snapshot 802 '.*' on server 12345: (in_progress → )?completed, \d+ MB/);
    expect(JSON.parse(run.state.created_snapshots ?? '')).toEqual([
      { serverId: 12345, snapshotId: 802, name: DEFAULT_NAME },
    ]);
    expect(f.mutations()).toHaveLength(1);
  });

  it('a re-run of the same workflow run gets a new name', async () => {
    await f.run('main', { server_id: '12345' });
    const rerun = await f.run('main', { server_id: '12345' }, { context: { runAttempt: '2' } });
    expect(rerun.exitCode).toBe(0);
    expect(rerun.outputs.snapshot_name).toBe(DEFAULT_NAME.replace(/-1$/, '-2'));
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
    expect(f.emulator.requests('list')).toHaveLength(1);
  });

  it('at the limit without keep fails with the list and creates nothing', async () => {
    fillServer(12345, ['a', 'b', 'c']);
    const run = await f.run('main', { server_id: '12345' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /title=Snapshot limit reached::server 12345 has 5 snapshots.*801 'pre-migration-snapshot'.*set keep/s,
    );
    expect(f.mutations()).toHaveLength(0);
  });

  it('at the limit with keep deletes the oldest pre-deploy snapshot first, then rotates after completion', async () => {
    fillServer(12345, ['pre-deploy-old1', 'pre-deploy-old2', 'manual-keepme']);
    const run = await f.run('main', { server_id: '12345', keep: '1' });
    expect(run.exitCode).toBe(0);
    const deleted = JSON.parse(run.outputs.deleted_ids ?? '[]');
    expect(deleted).toEqual([500, 501]);
    expect(
      f
        .snapshots()
        .map((s) => s.name)
        .sort(),
    ).toEqual([DEFAULT_NAME, 'manual-keepme', 'pre-migration-snapshot', 'weekly-snapshot-2025-01-08'].sort());
    const order = f.mutations().map((r) => `${r.method} ${r.path}`);
    expect(order).toEqual([
      'DELETE /api/v1/snapshots/500/',
      'POST /api/v1/snapshots/',
      'DELETE /api/v1/snapshots/501/',
    ]);
    expect(run.summary).toMatch(/snapshot 500 `pre-deploy-old1` on server 12345: room under the limit/);
    expect(run.summary).toMatch(/snapshot 501 `pre-deploy-old2` on server 12345: rotation, keep 1/);
  });

  it('rotation below the limit never touches other names or in-progress snapshots', async () => {
    fillServer(12345, ['pre-deploy-a']);
    addRunningSnapshot(700, 'pre-deploy-running');
    const run = await f.run('main', { server_id: '12345', keep: '1' });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.deleted_ids ?? '')).toEqual([500]);
    expect(
      f
        .snapshots()
        .map((s) => s.id)
        .sort(),
    ).toEqual([700, 798, 801, 802]);
  });

  it('a failed snapshot fails the step and rotates nothing', async () => {
    fillServer(12345, ['pre-deploy-a']);
    f.model.failingServers.add(12345);
    const run = await f.run('main', { server_id: '12345', keep: '1' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.snapshot_id).toBe('802');
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/server 12345: snapshot 802 '.*' failed at the provider/);
    expect(f.emulator.requests('delete')).toHaveLength(0);
    expect(run.state.main_succeeded).toBeUndefined();
  });

  it('times out with the snapshot ID already written', async () => {
    f.model.timings.snapshotMs = 3_600_000;
    const run = await f.run('main', { server_id: '12345', timeout: '2s' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ snapshot_id: '802', status: 'in_progress' });
    expect(run.errors[0]).toMatch(/still in progress after 2s. Raise timeout/);
  });

  it('dry_run reads and plans, and changes nothing', async () => {
    fillServer(12345, ['pre-deploy-a', 'pre-deploy-b', 'pre-deploy-c']);
    const run = await f.run('main', { server_id: '12345', keep: '2', dry_run: 'true' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('planned');
    expect(run.stdout).toMatch(/dry run: would delete 500 'pre-deploy-a'/);
    expect(run.stdout).toMatch(/dry run: would create snapshot/);
    expect(run.stdout).toMatch(/rotation would delete 501 'pre-deploy-b'/);
    expect(f.mutations()).toHaveLength(0);
    expect(run.summary).toMatch(/dry run: nothing was changed/);
  });

  it('adopts the snapshot after an ambiguous failure of the create request', async () => {
    f.emulator.faults.add(parseFault('create:ambiguous@1'));
    const run = await f.run('main', { server_id: '12345' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/found after a lost answer/);
    expect(f.snapshots().filter((s) => s.name === DEFAULT_NAME)).toHaveLength(1);
  });
});

describe('restore', () => {
  it('restores by ID, says the data will be overwritten, and waits', async () => {
    const run = await f.run('main', { operation: 'restore', snapshot_id: '801' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      snapshot_id: '801',
      snapshot_name: 'pre-migration-snapshot',
      server_id: '12345',
      status: 'restored',
    });
    expect(run.warnings.some((w) => /ALL its current data overwritten/.test(w))).toBe(true);
    expect(run.summary).toMatch(/Server 12345 `web-server-01` is now \*\*stopped\*\*/);
  });

  it('restores latest: the newest completed snapshot of that server', async () => {
    addRunningSnapshot(900, 'newer-but-running');
    const run = await f.run('main', { operation: 'restore', snapshot_id: 'latest', server_id: '12345' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.snapshot_id).toBe('801');
    expect(f.emulator.requests('restore').map((r) => r.path)).toEqual(['/api/v1/snapshots/801/restore/']);
  });

  it('restores by name', async () => {
    const run = await f.run('main', {
      operation: 'restore',
      name: 'weekly-snapshot-2025-01-08',
      server_id: '12345',
    });
    expect(run.outputs.snapshot_id).toBe('798');
  });

  it('refuses a snapshot of another server than server_id', async () => {
    f.model.addServer(TOKEN, 12346);
    const run = await f.run('main', { operation: 'restore', snapshot_id: '801', server_id: '12346' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/snapshot_id 801: no such snapshot on server 12346/);
    expect(f.mutations()).toHaveLength(0);
  });

  it('refuses a snapshot that is not completed, before sending anything', async () => {
    addRunningSnapshot(900, 'fresh');
    const run = await f.run('main', { operation: 'restore', snapshot_id: '900' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      /title=Cannot restore: snapshot not completed::snapshot 900 'fresh' \(in_progress/,
    );
    expect(f.mutations()).toHaveLength(0);
  });

  it('fails loudly when the restore ends in error', async () => {
    f.model.timings.restoreMs = 1_000;
    const promise = f.run('main', { operation: 'restore', snapshot_id: '801' });
    setTimeout(() => {
      const server = f.model.accounts.get(TOKEN)?.servers.get(12345);
      if (server) server.restoreFails = true;
    }, 200);
    const run = await promise;
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/title=Restore failed::server 12345 'web-server-01' reports 'error'/);
  });

  it('dry_run says what it would restore and sends nothing', async () => {
    const run = await f.run('main', {
      operation: 'restore',
      snapshot_id: 'latest',
      server_id: '12345',
      dry_run: 'true',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('planned');
    expect(run.stdout).toMatch(/dry run: would restore/);
    expect(f.mutations()).toHaveLength(0);
  });
});

describe('delete and list', () => {
  it('deletes by ID', async () => {
    const run = await f.run('main', { operation: 'delete', snapshot_id: '798' });
    expect(run.outputs).toMatchObject({ status: 'deleted', snapshot_id: '798', deleted_ids: '[798]' });
    expect(f.snapshots().map((s) => s.id)).toEqual([801]);
  });

  it('deletes by name and fails on an unknown name, listing what exists', async () => {
    expect(
      (await f.run('main', { operation: 'delete', name: 'pre-migration-snapshot', server_id: '12345' }))
        .outputs.deleted_ids,
    ).toBe('[801]');
    const missing = await f.run('main', { operation: 'delete', name: 'nope', server_id: '12345' });
    expect(missing.exitCode).toBe(1);
    expect(missing.errors[0]).toMatch(
      /name 'nope': server 12345 has no snapshot of this name. Its snapshots: 798/,
    );
  });

  it('lists every page as the snapshots output', async () => {
    f.emulator.paginate(1);
    const run = await f.run('main', { operation: 'list' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('listed');
    expect(JSON.parse(run.outputs.snapshots ?? '[]').map((s: { id: number }) => s.id)).toEqual([801, 798]);
    expect(f.emulator.requests('list')).toHaveLength(2);
    expect(run.summary).toMatch(/\| 12345 \| 798 \|/);
    expect(run.warnings).toEqual([]);
  });
});

describe('failures', () => {
  it('refuses bad inputs with one error each and sends no request', async () => {
    const run = await f.run('main', { operation: 'create', server_id: 'web', keep: '9', timeout: 'soon' });
    expect(run.exitCode).toBe(1);
    expect(run.errors.map((e) => e.replace(/^::error title=Invalid input::/, ''))).toEqual([
      "timeout 'soon' is not a duration: give seconds (900) or a number with a unit (90s, 15m, 1h)",
      "server_id 'web' is not a number: give one or more numeric server IDs",
      "keep '9' is above 5, the provider's limit of snapshots per server: give 0 to 5".replace("'9'", '9'),
    ]);
    expect(f.emulator.log).toHaveLength(0);
    expect(run.stdout + run.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('a wrong token is one clear error pointing at the secret', async () => {
    const run = await f.run('main', { operation: 'list', api_token: 'wrong-token-123' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /list snapshots: GET \/snapshots\/ failed with HTTP 401: Invalid token. Check the api_token secret/,
    );
  });

  it('rides out throttling and outages on reads', async () => {
    f.emulator.faults.add(
      parseFault('list:status:429:1@1'),
      parseFault('list:status:503@1'),
      parseFault('list:reset@1'),
    );
    const run = await f.run('main', { operation: 'list', server_id: '12345' });
    expect(run.exitCode).toBe(0);
    expect(f.emulator.requests('list')).toHaveLength(4);
  });

  it('a hung provider does not hang the job', async () => {
    f.emulator.faults.add(parseFault('list:hang'));
    const run = await f.run('main', { operation: 'list' }, { env: { VPS_API_REQUEST_TIMEOUT: '300ms' } });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/no answer in time/);
  }, 60_000);
});

describe('the post step', () => {
  it('rolls back when a later step failed (restore_on_failure)', async () => {
    const main = await f.run('main', { server_id: '12345', restore_on_failure: 'true' });
    expect(main.exitCode).toBe(0);
    const post = await f.run(
      'post',
      { server_id: '12345', restore_on_failure: 'true' },
      { state: main.state },
    );
    expect(post.exitCode).toBe(0);
    expect(f.emulator.requests('restore').map((r) => r.path)).toEqual(['/api/v1/snapshots/802/restore/']);
    expect(post.stdout).toMatch(/rolling back server 12345 to snapshot 802/);
    expect(post.summary).toMatch(/Rollback after a failed job: ✅ done/);
  });

  it('does nothing without restore_on_failure', async () => {
    const main = await f.run('main', { server_id: '12345' });
    const post = await f.run('post', { server_id: '12345' }, { state: main.state });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toMatch(/Nothing to roll back/);
    expect(f.emulator.requests('restore')).toHaveLength(0);
  });

  it('does not roll back when the snapshot step itself failed', async () => {
    f.model.timings.snapshotMs = 3_600_000;
    const main = await f.run('main', { server_id: '12345', restore_on_failure: 'true', timeout: '1s' });
    expect(main.exitCode).toBe(1);
    const post = await f.run('post', { restore_on_failure: 'true' }, { state: main.state });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toMatch(/Not rolling back/);
    expect(f.emulator.requests('restore')).toHaveLength(0);
  });

  it('a rollback that fails is a loud error', async () => {
    const main = await f.run('main', { server_id: '12345', restore_on_failure: 'true' });
    f.model.snapshots.delete(802);
    const post = await f.run('post', { restore_on_failure: 'true' }, { state: main.state });
    expect(post.exitCode).toBe(1);
    expect(post.errors).toHaveLength(1);
    expect(post.errors[0]).toMatch(
      /title=Rollback failed::The job failed and the rollback did not complete.*snapshot_id 802: no such snapshot on server 12345/s,
    );
  });
});

describe('the usage patterns of the contract', () => {
  it('pre-deploy job, then a rollback job with its output', async () => {
    const snapshot = await f.run('main', { server_id: '12345' });
    const rollback = await f.run('main', {
      operation: 'restore',
      snapshot_id: snapshot.outputs.snapshot_id ?? '',
    });
    expect(rollback.exitCode).toBe(0);
    expect(rollback.outputs).toMatchObject({ status: 'restored', snapshot_id: snapshot.outputs.snapshot_id });
  });

  it('a manual latest rollback picks the newest completed snapshot', async () => {
    const snapshot = await f.run('main', { server_id: '12345' });
    const rollback = await f.run('main', { operation: 'restore', snapshot_id: 'latest', server_id: '12345' });
    expect(rollback.outputs.snapshot_id).toBe(snapshot.outputs.snapshot_id);
  });
});

describe('fuzzed inputs through the bundle', () => {
  it('malformed inputs always end in clear errors and never send a request', async () => {
    const bad = fc.record(
      {
        server_id: fc.constantFrom('web-1', '12a', '-5', '1;2', '0'),
        keep: fc.constantFrom('6', '-1', 'all', '2.5'),
        timeout: fc.constantFrom('soon', '10 min', '-1s', '0'),
        wait: fc.constantFrom('yes', 'no', '1', 'on'),
        name: fc.constantFrom('has space', 'semi;colon', 'ü', 'a/b'),
        api_url: fc.constantFrom('http://example.com/api/v1', 'ftp://x', 'nope'),
        operation: fc.constantFrom('backup', 'Create', 'remove'),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(bad, async (inputs) => {
        fc.pre(Object.keys(inputs).length > 0);
        f.emulator.log.length = 0;
        const run = await f.run('main', { server_id: '12345', ...inputs });
        expect(run.exitCode).toBe(1);
        expect(run.errors.length).toBeGreaterThan(0);
        for (const error of run.errors) expect(error).toMatch(/^::error title=Invalid input::\S.{20,}/);
        expect(f.emulator.log).toHaveLength(0);
      }),
      { numRuns: 12 },
    );
  }, 60_000);
});

describe('rotation trouble', () => {
  it('is a warning, not a failure, once the new snapshot is complete', async () => {
    f.model.addSnapshot({
      id: 500,
      serverId: 12345,
      name: 'pre-deploy-old',
      description: '',
      createdAt: Date.parse('2025-02-01T00:00:00Z'),
      readyAt: 0,
      sizeMb: 1,
    });
    f.emulator.faults.add(parseFault('delete:status:500'));
    const run = await f.run('main', { server_id: '12345', keep: '1' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'completed', deleted_ids: '[]' });
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(
      /title=Rotation incomplete::server 12345: could not delete snapshot 500: DELETE \/snapshots\/500\/ failed with HTTP 500/,
    );
    expect(run.state.main_succeeded).toBe('true');
    expect(f.snapshots().map((s) => s.id)).toContain(500);
  }, 30_000);
});

describe('the remaining inputs', () => {
  it('takes the token from VPS_API_TOKEN, and a custom description and prune_prefix', async () => {
    const run = await f.run(
      'main',
      {
        api_token: '',
        server_id: '12345',
        description: 'Before the 2.0 migration',
        prune_prefix: 'release-',
      },
      { env: { VPS_API_TOKEN: TOKEN } },
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
    expect(run.outputs.snapshot_name).toBe(
      `release-${DEFAULT_CONTEXT.sha.slice(0, 7)}-${DEFAULT_CONTEXT.runId}-1`,
    );
    expect(f.model.snapshots.get(802)?.description).toBe('Before the 2.0 migration');
  });

  it('rotates only within a custom prune_prefix', async () => {
    f.model.addSnapshot({
      id: 500,
      serverId: 12345,
      name: 'release-old',
      description: '',
      createdAt: Date.parse('2025-02-01T00:00:00Z'),
      readyAt: 0,
      sizeMb: 1,
    });
    f.model.addSnapshot({
      id: 501,
      serverId: 12345,
      name: 'pre-deploy-old',
      description: '',
      createdAt: Date.parse('2025-02-02T00:00:00Z'),
      readyAt: 0,
      sizeMb: 1,
    });
    const run = await f.run('main', { server_id: '12345', prune_prefix: 'release-', keep: '1' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.deleted_ids).toBe('[500]');
    expect(f.snapshots().map((s) => s.id)).toContain(501);
  });
});

describe('restore edge cases', () => {
  it('says plainly when the server endpoint cannot confirm the restore, and never reports restored', async () => {
    f.emulator.faults.add(parseFault('server:status:404'));
    const run = await f.run('main', { operation: 'restore', snapshot_id: '801' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('restoring');
    expect(run.warnings.some((w) => /completion cannot be confirmed/.test(w))).toBe(true);
    expect(f.emulator.requests('restore')).toHaveLength(1);
  });

  it('times out with a clear error while the server is still restoring', async () => {
    f.model.timings.restoreMs = 3_600_000;
    const run = await f.run('main', { operation: 'restore', snapshot_id: '801', timeout: '2s' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('restoring');
    expect(run.errors[0]).toMatch(
      /title=Restore timed out::server 12345 'web-server-01' was still restoring/,
    );
  });

  it('refuses to restore a server that is already restoring', async () => {
    f.model.timings.restoreMs = 3_600_000;
    await f.run('main', { operation: 'restore', snapshot_id: '801', wait: 'false' });
    const again = await f.run('main', { operation: 'restore', snapshot_id: '798' });
    expect(again.exitCode).toBe(1);
    expect(again.errors[0]).toMatch(
      /title=Cannot restore: server busy::server 12345 'web-server-01' is already restoring/,
    );
    expect(f.emulator.requests('restore')).toHaveLength(1);
  });

  it('the post step rolls back every server of a fleet', async () => {
    f.model.addServer(TOKEN, 12346);
    const main = await f.run('main', { server_id: '12345,12346', restore_on_failure: 'true' });
    expect(main.exitCode).toBe(0);
    const post = await f.run('post', {}, { state: main.state });
    expect(post.exitCode).toBe(0);
    expect(
      f.emulator
        .requests('restore')
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/api/v1/snapshots/802/restore/', '/api/v1/snapshots/803/restore/']);
  });
});
