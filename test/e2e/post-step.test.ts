// The post step (post-if: failure() || cancelled()), run as the runner runs it with the main step's state, against the
// emulator over HTTP: restore_on_failure rolls every server back to the snapshot the main step made.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { heading, results, serverStatus } from './action-helpers.ts';
import { Fixture, TOKEN } from './fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture().start();
});
afterEach(() => f.stop());

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
    expect(heading(post)).toBe('## VPS Rollback after a failed job: ✅ restored');
    expect(post.outputs.status).toBe('restored');
    expect(results(post)).toEqual([
      {
        server_id: 12345,
        snapshot_id: 802,
        name: main.outputs.snapshot_name,
        status: 'restored',
        error: null,
      },
    ]);
  });

  it('rolls back a deploy cancelled after the snapshot step (timeout-minutes), with restore_on_cancel', async () => {
    const inputs = { server_id: '12345', restore_on_failure: 'true', restore_on_cancel: 'true' };
    const main = await f.run('main', inputs);
    expect(main.exitCode).toBe(0);
    const post = await f.run('post', inputs, { state: main.state, context: { jobStatus: 'cancelled' } });
    expect(post.skipped).toBe(false);
    expect(post.exitCode).toBe(0);
    expect(f.emulator.requests('restore').map((r) => r.path)).toEqual(['/api/v1/snapshots/802/restore/']);
    expect(post.warnings.join('\n')).toMatch(
      /The job was cancelled \(restore_on_cancel\): rolling back server 12345 to snapshot 802/,
    );
    expect(post.outputs.status).toBe('restored');
  });

  it('does not roll back a cancelled job without restore_on_cancel, and says how to by hand', async () => {
    const inputs = { server_id: '12345', restore_on_failure: 'true' };
    const main = await f.run('main', inputs);
    const post = await f.run('post', inputs, { state: main.state, context: { jobStatus: 'cancelled' } });
    expect(post.exitCode).toBe(0);
    expect(f.emulator.requests('restore')).toHaveLength(0);
    expect(post.warnings).toHaveLength(1);
    expect(post.warnings[0]).toMatch(
      /title=Not rolled back::The job was cancelled after the snapshot step finished.*server 12345: snapshot 802/,
    );
  });

  it('is not started when the job succeeded (post-if)', async () => {
    const inputs = { server_id: '12345', restore_on_failure: 'true', restore_on_cancel: 'true' };
    const main = await f.run('main', inputs);
    const post = await f.run('post', inputs, { state: main.state, context: { jobStatus: 'success' } });
    expect(post.skipped).toBe(true);
    expect(f.emulator.requests('restore')).toHaveLength(0);
  });

  it('refuses a restore_on_cancel that is not true or false, and rolls nothing back', async () => {
    const main = await f.run('main', { server_id: '12345', restore_on_failure: 'true' });
    const post = await f.run(
      'post',
      { restore_on_failure: 'true', restore_on_cancel: 'yes' },
      { state: main.state, context: { jobStatus: 'cancelled' } },
    );
    expect(post.exitCode).toBe(1);
    expect(post.errors.join('\n')).toMatch(/restore_on_cancel is 'yes': give true or false/);
    expect(f.emulator.requests('restore')).toHaveLength(0);
  });

  it('rolls back a failed job whatever restore_on_cancel says, and the main step refuses a bad one', async () => {
    const refused = await f.run('main', {
      server_id: '12345',
      restore_on_failure: 'true',
      restore_on_cancel: 'yes',
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors.join('\n')).toMatch(/title=Invalid input::restore_on_cancel/);
    expect(f.emulator.requests('create')).toHaveLength(0);
    const main = await f.run('main', { server_id: '12345', restore_on_failure: 'true' });
    const post = await f.run(
      'post',
      { restore_on_failure: 'true', restore_on_cancel: 'yes' },
      { state: main.state, context: { jobStatus: 'failure' } },
    );
    expect(post.exitCode).toBe(0);
    expect(f.emulator.requests('restore').map((r) => r.path)).toEqual(['/api/v1/snapshots/802/restore/']);
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
      /title=Rollback failed::The rollback did not complete.*snapshot_id 802: no such snapshot on server 12345/s,
    );
    expect(f.emulator.requests('restore')).toHaveLength(0);
  });

  it('rolls back every server of a fleet', async () => {
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
    expect(results(post).map((r) => [r.server_id, r.snapshot_id, r.status])).toEqual([
      [12345, 802, 'restored'],
      [12346, 803, 'restored'],
    ]);
    expect([serverStatus(f, 12345), serverStatus(f, 12346)]).toEqual(['stopped', 'stopped']);
  });
});
