// restore, run as the runner runs it, against the emulator over HTTP: by ID, latest and name; what it
// refuses before sending anything; how it ends; and the contract's usage patterns.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { addRunningSnapshot, heading, results, until } from './action-helpers.ts';
import { Fixture, TOKEN } from './fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture().start();
});
afterEach(() => f.stop());

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
    expect(results(run)).toEqual([
      {
        server_id: 12345,
        snapshot_id: 801,
        name: 'pre-migration-snapshot',
        status: 'restored',
        error: null,
      },
    ]);
    expect(run.warnings.some((w) => /ALL its current data overwritten/.test(w))).toBe(true);
    expect(heading(run)).toBe('## VPS Restore: ✅ restored');
    expect(run.summary).toMatch(/Server 12345 web-server-01 is now \*\*stopped\*\*/);
  });

  it('restores latest: the newest completed snapshot of that server', async () => {
    addRunningSnapshot(f, 900, 'newer-but-running');
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
    expect(run.errors[0]).toMatch(/^::error title=Cannot restore: .*801.* server 12346/);
    expect(f.mutations()).toHaveLength(0);
  });

  it('refuses a snapshot that is not completed, before sending anything', async () => {
    addRunningSnapshot(f, 900, 'fresh');
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
    // A restore resets the emulator's failure flag: break the server once its restore is under way.
    await until(() => f.emulator.requests('restore').length === 1);
    const server = f.model.accounts.get(TOKEN)?.servers.get(12345);
    if (server) server.restoreFails = true;
    const run = await promise;
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/title=Restore failed::server 12345 'web-server-01' reports 'error'/);
    expect(run.outputs.status).toBe('failed');
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

describe('restore edge cases', () => {
  it('says plainly when the server endpoint cannot confirm the restore, and never reports restored', async () => {
    f.emulator.faults.add(parseFault('server:status:404'));
    const run = await f.run('main', { operation: 'restore', snapshot_id: '801' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('restoring');
    expect(
      run.warnings.some((w) => /title=Restore not confirmed::.*completion cannot be confirmed/.test(w)),
    ).toBe(true);
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
    const started = await f.run('main', { operation: 'restore', snapshot_id: '801', wait: 'false' });
    expect(started.outputs.status).toBe('restoring');
    expect(heading(started)).toBe('## VPS Restore: 🚀 started (not waited for)');
    const again = await f.run('main', { operation: 'restore', snapshot_id: '798' });
    expect(again.exitCode).toBe(1);
    expect(again.errors[0]).toMatch(
      /title=Cannot restore: server busy::server 12345 'web-server-01' is already restoring/,
    );
    expect(f.emulator.requests('restore')).toHaveLength(1);
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
