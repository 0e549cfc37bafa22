// Default names never collide: two steps of a job, two jobs, matrix legs and re-runs each get their own
// snapshot, and a clash says what to do. Run as the runner runs the action, against the emulator over HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_NAME, defaultNamePattern } from './action-helpers.ts';
import { Fixture } from './fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture().start();
});
afterEach(() => f.stop());

/** The names of the snapshots on server 12345 that this test made (the seed's are 798 and 801). */
function madeNames(): string[] {
  return f
    .snapshots()
    .filter((s) => s.id >= 802)
    .map((s) => s.name);
}

/**
 * A Node option for the action's process that makes its random source repeat (every byte 0xab), so that
 * two runs with one context get the same default name: the only way a default name can clash.
 */
const REPEATING_RANDOM = `--import=data:text/javascript,${encodeURIComponent(
  "import crypto from 'node:crypto'; import { syncBuiltinESMExports } from 'node:module'; crypto.randomBytes = (n) => Buffer.alloc(n, 0xab); syncBuiltinESMExports();",
)}`;

describe('default names', () => {
  it('two create steps in one job (same context, same server) both succeed with different names', async () => {
    const first = await f.run('main', { server_id: '12345' });
    const second = await f.run('main', { server_id: '12345' });
    expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
    expect(first.outputs.snapshot_name).toMatch(DEFAULT_NAME);
    expect(second.outputs.snapshot_name).toMatch(DEFAULT_NAME);
    expect(second.outputs.snapshot_name).not.toBe(first.outputs.snapshot_name);
    expect(madeNames().sort()).toEqual([first.outputs.snapshot_name, second.outputs.snapshot_name].sort());
  });

  it('two jobs of one run get their own names, each with its job', async () => {
    const build = await f.run('main', { server_id: '12345' }, { env: { GITHUB_JOB: 'build' } });
    const deploy = await f.run('main', { server_id: '12345' }, { env: { GITHUB_JOB: 'deploy' } });
    expect([build.exitCode, deploy.exitCode]).toEqual([0, 0]);
    expect(build.outputs.snapshot_name).toMatch(defaultNamePattern({ job: 'build' }));
    expect(deploy.outputs.snapshot_name).toMatch(defaultNamePattern({ job: 'deploy' }));
    expect(madeNames()).toHaveLength(2);
  });

  it('matrix legs (same job, same step) running at once on one server each get their own', async () => {
    const legs = await Promise.all([
      f.run('main', { server_id: '12345' }),
      f.run('main', { server_id: '12345' }),
      f.run('main', { server_id: '12345' }),
    ]);
    expect(legs.map((leg) => leg.exitCode)).toEqual([0, 0, 0]);
    const names = legs.map((leg) => leg.outputs.snapshot_name ?? '');
    for (const name of names) expect(name).toMatch(DEFAULT_NAME);
    expect(new Set(names).size).toBe(3);
    expect(new Set(legs.map((leg) => leg.outputs.snapshot_id)).size).toBe(3);
    expect(madeNames().sort()).toEqual([...names].sort());
  });

  it('a re-run (GITHUB_RUN_ATTEMPT 2) gets its own, with its attempt', async () => {
    const first = await f.run('main', { server_id: '12345' });
    const rerun = await f.run('main', { server_id: '12345' }, { context: { runAttempt: '2' } });
    expect([first.exitCode, rerun.exitCode]).toEqual([0, 0]);
    expect(rerun.outputs.snapshot_name).toMatch(defaultNamePattern({ context: { runAttempt: '2' } }));
    expect(madeNames()).toHaveLength(2);
  });

  it('a long job ID is cut, so the name stays one the provider takes', async () => {
    const job = 'integration-tests-against-the-production-like-cluster';
    const run = await f.run('main', { server_id: '12345' }, { env: { GITHUB_JOB: job } });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.snapshot_name).toMatch(defaultNamePattern({ job: job.slice(0, 24) }));
    expect((run.outputs.snapshot_name ?? '').length).toBeLessThanOrEqual(100);
  });
});

describe('a name already in use', () => {
  it('given by the user: says to choose another name, and makes nothing', async () => {
    await f.run('main', { server_id: '12345', name: 'release-1' });
    const again = await f.run('main', { server_id: '12345', name: 'release-1' });
    expect(again.exitCode).toBe(1);
    expect(again.errors).toEqual([
      expect.stringMatching(
        /^::error title=Snapshot name already in use::name 'release-1': server 12345 already has snapshot 802 .*Choose another name/,
      ),
    ]);
    expect(f.emulator.requests('create')).toHaveLength(1);
  });

  it('a default one: says to run the step again, never to leave name empty, and makes nothing', async () => {
    const env = { NODE_OPTIONS: REPEATING_RANDOM };
    const first = await f.run('main', { server_id: '12345' }, { env });
    expect(first.exitCode).toBe(0);
    expect(first.outputs.snapshot_name).toMatch(/-ababab$/);
    const again = await f.run('main', { server_id: '12345' }, { env });
    expect(again.exitCode).toBe(1);
    expect(again.errors).toHaveLength(1);
    expect(again.errors[0]).toMatch(
      new RegExp(`^::error title=Snapshot name already in use::name '${first.outputs.snapshot_name}'`),
    );
    expect(again.errors[0]).not.toMatch(/leave name empty/i);
    expect(again.errors[0]).toMatch(/Run the step again/);
    expect(f.emulator.requests('create')).toHaveLength(1);
  });
});
