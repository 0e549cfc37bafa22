// Smoke: the committed bundle, dist/, run as the runner runs it (the entries action.yml names), against
// the emulator over HTTP. The other e2e tests run the source; these few prove that what ships works too.
// .ci/run and the Check dist workflow prove dist/ is a fresh build of src/ before this runs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readActionYml } from '../../scripts/action-yml.ts';
import type { ActionRun } from '../../scripts/run-action.ts';
import { DEFAULT_NAME, heading, serverStatus } from './action-helpers.ts';
import { Fixture } from './fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture({}, 'bundle').start();
});
afterEach(() => f.stop());

/** What a user sees in the log: stdout without `::debug::` lines (shown only with step debug logging), and stderr. */
function userLog(run: ActionRun): string {
  const stdout = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::debug::'))
    .join('\n');
  return `${stdout}\n${run.stderr}`;
}

describe('the committed bundle', () => {
  it('creates a snapshot, waits until completed, and writes every output', async () => {
    const run = await f.run('main', { server_id: '12345' });
    expect(run.entry).toBe(readActionYml().main);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      snapshot_id: '802',
      status: 'completed',
      server_id: '12345',
      snapshot_ids: '{"12345":802}',
      deleted_ids: '[]',
    });
    const name = run.outputs.snapshot_name ?? '';
    expect(name).toMatch(DEFAULT_NAME);
    expect(Number(run.outputs.size_mb)).toBeGreaterThan(0);
    expect(f.snapshots()).toContainEqual({ id: 802, name, status: 'completed' });
    expect(run.summary).toContain(`| 12345 | 802 | ${name} | completed |`);
    expect(f.mutations().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/snapshots/']);
    expect(run.stderr).toBe('');
  });

  it('lists the snapshots', async () => {
    const run = await f.run('main', { operation: 'list' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('listed');
    expect(JSON.parse(run.outputs.snapshots ?? '[]').map((s: { id: number }) => s.id)).toEqual([801, 798]);
    expect(run.summary).toMatch(/\| 12345 \| 798 \|/);
    expect(f.mutations()).toHaveLength(0);
  });

  it('restores by ID and waits until the server is restored', async () => {
    const run = await f.run('main', { operation: 'restore', snapshot_id: '801' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      snapshot_id: '801',
      snapshot_name: 'pre-migration-snapshot',
      server_id: '12345',
      status: 'restored',
    });
    expect(f.emulator.requests('restore').map((r) => r.path)).toEqual(['/api/v1/snapshots/801/restore/']);
    expect(serverStatus(f, 12345)).toBe('stopped');
    expect(run.summary).toMatch(/Server 12345 web-server-01 is now \*\*stopped\*\*/);
  });

  it('the post step rolls back to the snapshot the main step saved in its state', async () => {
    const main = await f.run('main', { server_id: '12345', restore_on_failure: 'true' });
    expect(main.exitCode).toBe(0);
    const post = await f.run(
      'post',
      { server_id: '12345', restore_on_failure: 'true' },
      { state: main.state },
    );
    expect(post.entry).toBe(readActionYml().post);
    expect(post.exitCode).toBe(0);
    expect(f.emulator.requests('restore').map((r) => r.path)).toEqual(['/api/v1/snapshots/802/restore/']);
    expect(serverStatus(f, 12345)).toBe('stopped');
    expect(heading(post)).toBe('## VPS Rollback after a failed job: ✅ restored');
  });

  it('prunes by count and age, never the newest completed, nothing outside the prefix', async () => {
    const day = 86_400_000;
    for (let i = 0; i < 4; i++) {
      const createdAt = Date.now() - (4 - i) * day;
      f.model.addSnapshot({
        ...{ id: 500 + i, serverId: 12345, name: `pre-deploy-night-${i}`, description: '', sizeMb: 1 },
        ...{ createdAt, readyAt: createdAt },
      });
    }
    const run = await f.run('main', {
      operation: 'prune',
      server_id: '12345',
      keep: '1',
      keep_within: '36h',
    });
    expect(run.exitCode).toBe(0);
    // 503 is the newest completed, 502 within 36 h of it; 801 and 798 are not named pre-deploy-.
    expect(JSON.parse(run.outputs.deleted_ids ?? '')).toEqual([500, 501]);
    expect(
      f.emulator
        .requests('delete')
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/api/v1/snapshots/500/', '/api/v1/snapshots/501/']);
  });

  it('refuses a bad input with exit 1 and sends no request', async () => {
    const run = await f.run('main', { server_id: 'web' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      "::error title=Invalid input::server_id 'web' is not a number: give one or more numeric server IDs",
    ]);
    expect(f.emulator.log).toHaveLength(0);
    expect(userLog(run)).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
