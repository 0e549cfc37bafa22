// create at the provider's limit and with keep: making room, rotation after completion, and their dry run.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { addRunningSnapshot, DEFAULT_NAME, fillServer, summarySection } from './action-helpers.ts';
import { Fixture } from './fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture().start();
});
afterEach(() => f.stop());

describe('the limit and rotation', () => {
  it('at the limit without keep fails with the list and creates nothing', async () => {
    fillServer(f, 12345, ['a', 'b', 'c']);
    const run = await f.run('main', { server_id: '12345' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /title=Snapshot limit reached::server 12345 has 5 snapshots.*801 'pre-migration-snapshot'.*set keep/s,
    );
    expect(f.mutations()).toHaveLength(0);
  });

  it('at the limit with keep deletes the oldest pre-deploy snapshot first, then rotates after completion', async () => {
    fillServer(f, 12345, ['pre-deploy-old1', 'pre-deploy-old2', 'manual-keepme']);
    const run = await f.run('main', { server_id: '12345', keep: '1' });
    expect(run.exitCode).toBe(0);
    const deleted = JSON.parse(run.outputs.deleted_ids ?? '[]');
    expect(deleted).toEqual([500, 501]);
    expect(run.outputs.snapshot_name).toMatch(DEFAULT_NAME);
    expect(
      f
        .snapshots()
        .map((s) => s.name)
        .sort(),
    ).toEqual(
      [
        run.outputs.snapshot_name,
        'manual-keepme',
        'pre-migration-snapshot',
        'weekly-snapshot-2025-01-08',
      ].sort(),
    );
    const order = f.mutations().map((r) => `${r.method} ${r.path}`);
    expect(order).toEqual([
      'DELETE /api/v1/snapshots/500/',
      'POST /api/v1/snapshots/',
      'DELETE /api/v1/snapshots/501/',
    ]);
    expect(summarySection(run, '**Deleted**')).toEqual([
      '- snapshot 500 pre-deploy-old1 on server 12345: room under the limit of 5',
      '- snapshot 501 pre-deploy-old2 on server 12345: rotation, keep 1',
    ]);
    expect(run.summary).not.toContain('Would delete');
  });

  it('rotation below the limit never touches other names or in-progress snapshots', async () => {
    fillServer(f, 12345, ['pre-deploy-a']);
    addRunningSnapshot(f, 700, 'pre-deploy-running');
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

  it('dry_run reads and plans, and changes nothing', async () => {
    fillServer(f, 12345, ['pre-deploy-a', 'pre-deploy-b', 'pre-deploy-c']);
    const run = await f.run('main', { server_id: '12345', keep: '2', dry_run: 'true' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('planned');
    expect(run.stdout).toMatch(/dry run: would delete 500 'pre-deploy-a'/);
    expect(run.stdout).toMatch(/dry run: would create snapshot/);
    expect(run.stdout).toMatch(/rotation would delete 501 'pre-deploy-b'/);
    expect(f.mutations()).toHaveLength(0);
    expect(run.summary).toMatch(/dry run: nothing was changed/);
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

  it('a snapshot a concurrent run already deleted counts as rotated, without a warning', async () => {
    fillServer(f, 12345, ['pre-deploy-old']);
    f.emulator.faults.add(parseFault('delete:gone@1'));
    const run = await f.run('main', { server_id: '12345', keep: '1' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.deleted_ids).toBe('[500]');
    expect(run.warnings).toEqual([]);
    expect(summarySection(run, '**Deleted**')).toEqual([
      '- snapshot 500 pre-deploy-old on server 12345: rotation, keep 1 (it was already gone)',
    ]);
  });
});
