// Fleets end to end, as a deploy pipeline chains them: create on several servers, then restore or delete with
// the create's snapshot_ids. Run as the runner runs the action, against the emulator over HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../emulator/index.ts';
import { fillServer, heading, results, serverStatus, summarySection, until } from './action-helpers.ts';
import { Fixture, TOKEN } from './fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture().start();
});
afterEach(() => f.stop());

const FLEET = [12345, 12346, 12347];

/** A waiting create on the three servers; its snapshot_ids output, as text and parsed. */
async function createFleet(): Promise<{ text: string; ids: Record<string, number> }> {
  f.model.addServer(TOKEN, 12346);
  f.model.addServer(TOKEN, 12347);
  const run = await f.run('main', { server_id: FLEET.join(',') });
  expect(run.exitCode).toBe(0);
  const text = run.outputs.snapshot_ids ?? '';
  return { text, ids: JSON.parse(text) };
}

/** Requests that arrived close together (less than 300 ms apart) as one round. */
function rounds(requests: LoggedRequest[]): LoggedRequest[][] {
  const out: LoggedRequest[][] = [];
  for (const r of requests) {
    const last = out.at(-1);
    if (last && r.at - (last.at(-1)?.at ?? 0) < 300) last.push(r);
    else out.push([r]);
  }
  return out;
}

describe('restore with snapshot_ids', () => {
  it("restores every server of a create's fleet to its own snapshot, in one wait", async () => {
    const { text, ids } = await createFleet();
    f.model.timings.restoreMs = 2_000;
    const from = f.emulator.log.length;
    const run = await f.run('main', { operation: 'restore', snapshot_ids: text });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('restored');
    expect(results(run).map((r) => [r.server_id, r.snapshot_id, r.status, r.error])).toEqual(
      FLEET.map((id) => [id, ids[id], 'restored', null]),
    );
    // Each server to its own snapshot: every restore names a snapshot of the server it is keyed by.
    const restores = f.emulator.requests('restore');
    expect(restores.map((r) => r.path).sort()).toEqual(
      FLEET.map((id) => `/api/v1/snapshots/${ids[id]}/restore/`).sort(),
    );
    for (const id of FLEET) expect(f.model.snapshots.get(ids[id] ?? 0)?.serverId).toBe(id);
    expect(FLEET.map((id) => serverStatus(f, id))).toEqual(['stopped', 'stopped', 'stopped']);
    // One poll loop: every restore sent first, then rounds that look at each server at most once.
    const lastRestore = Math.max(...restores.map((r) => f.emulator.log.indexOf(r)));
    const looks = f.emulator.log.slice(lastRestore + 1).filter((r) => r.route === 'server');
    const byRound = rounds(looks).map((round) => round.map((r) => r.path).sort());
    expect(byRound.length).toBeGreaterThanOrEqual(2);
    expect(byRound[0]).toEqual(FLEET.map((id) => `/api/v1/servers/${id}/`));
    for (const round of byRound) expect(new Set(round).size).toBe(round.length);
    expect(run.stdout.match(/::group::Waiting for/g)).toEqual(['::group::Waiting for']);
    expect(run.stdout).toContain('::group::Waiting for 3 servers to finish restoring');
    expect(f.emulator.log.slice(from).filter((r) => r.method !== 'GET')).toHaveLength(3);
    expect(heading(run)).toBe('## VPS Restore: ✅ restored');
  });

  it('refuses an entry whose snapshot belongs to another server, before any restore is sent', async () => {
    f.model.addServer(TOKEN, 12346);
    const run = await f.run('main', { operation: 'restore', snapshot_ids: '{"12345": 798, "12346": 801}' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /title=Cannot restore: snapshot of another server::snapshot 801 'pre-migration-snapshot' belongs to server 12345, not server 12346/,
    );
    const alone = await f.run('main', { operation: 'restore', snapshot_ids: '{"12346": 801}' });
    expect(alone.exitCode).toBe(1);
    expect(alone.errors[0]).toMatch(/801/);
    expect(f.emulator.requests('restore')).toEqual([]);
    expect(f.mutations()).toEqual([]);
    expect([serverStatus(f, 12345), serverStatus(f, 12346)]).toEqual(['running', 'running']);
  });

  it("names the server a lone entry's snapshot belongs to", async () => {
    f.model.addServer(TOKEN, 12346);
    const run = await f.run('main', { operation: 'restore', snapshot_ids: '{"12346": 801}' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/801 'pre-migration-snapshot' belongs to server 12345, not server 12346/);
  });

  it('a restore that ends in error on one server of three is partial, and names it', async () => {
    const { text, ids } = await createFleet();
    f.model.timings.restoreMs = 1_000;
    const running = f.run('main', { operation: 'restore', snapshot_ids: text });
    // A restore resets the emulator's failure flag: break server 12346 once its restore is under way.
    await until(() => f.emulator.requests('restore').length === 3);
    const broken = f.model.accounts.get(TOKEN)?.servers.get(12346);
    if (broken) broken.restoreFails = true;
    const run = await running;
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      new RegExp(
        `title=Restore failed: 1 of 3::server 12346 'server-12346' reports 'error' after the restore from snapshot ${ids[12346]}`,
      ),
    );
    expect(run.outputs.status).toBe('partial');
    expect(results(run).map((r) => [r.server_id, r.status])).toEqual([
      [12345, 'restored'],
      [12346, 'failed'],
      [12347, 'restored'],
    ]);
    expect(heading(run)).toBe('## VPS Restore: ⚠️ partly done: 2 of 3 restored');
  });
});

describe('delete several', () => {
  it('with several IDs deletes exactly those', async () => {
    fillServer(f, 12345, ['pre-deploy-a', 'pre-deploy-b', 'pre-deploy-c']);
    const run = await f.run('main', { operation: 'delete', snapshot_id: '500, 502' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'deleted', deleted_ids: '[500,502]' });
    expect(run.outputs.snapshot_id).toBeUndefined();
    expect(results(run).map((r) => [r.server_id, r.snapshot_id, r.name, r.status, r.error])).toEqual([
      [12345, 500, 'pre-deploy-a', 'deleted', null],
      [12345, 502, 'pre-deploy-c', 'deleted', null],
    ]);
    expect(
      f.emulator
        .requests('delete')
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/api/v1/snapshots/500/', '/api/v1/snapshots/502/']);
    expect(
      f
        .snapshots()
        .map((s) => s.id)
        .sort(),
    ).toEqual([501, 798, 801]);
    expect(summarySection(run, '**Deleted**')).toEqual([
      '- snapshot 500 pre-deploy-a on server 12345: named by the inputs',
      '- snapshot 502 pre-deploy-c on server 12345: named by the inputs',
    ]);
  });

  it("with a create's snapshot_ids deletes exactly the fleet's snapshots", async () => {
    const { text, ids } = await createFleet();
    const run = await f.run('main', { operation: 'delete', snapshot_ids: text });
    expect(run.exitCode).toBe(0);
    const fleet = FLEET.map((id) => ids[id]);
    expect(run.outputs.status).toBe('deleted');
    expect(JSON.parse(run.outputs.deleted_ids ?? '[]').sort()).toEqual(fleet);
    expect(results(run).map((r) => [r.server_id, r.snapshot_id, r.status, r.error])).toEqual(
      FLEET.map((id) => [id, ids[id], 'deleted', null]),
    );
    expect(
      f.emulator
        .requests('delete')
        .map((r) => r.path)
        .sort(),
    ).toEqual(fleet.map((id) => `/api/v1/snapshots/${id}/`).sort());
    expect(FLEET.flatMap((id) => f.snapshots(id).map((s) => s.id)).sort()).toEqual([798, 801]);
    expect(summarySection(run, '**Deleted**')).toHaveLength(3);
  });

  it('refuses a snapshot_ids entry of another server and deletes nothing', async () => {
    f.model.addServer(TOKEN, 12346);
    const run = await f.run('main', { operation: 'delete', snapshot_ids: '{"12345": 798, "12346": 801}' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/belongs to server 12345, not server 12346/);
    expect(f.emulator.requests('delete')).toEqual([]);
    expect(
      f
        .snapshots()
        .map((s) => s.id)
        .sort(),
    ).toEqual([798, 801]);
  });
});
