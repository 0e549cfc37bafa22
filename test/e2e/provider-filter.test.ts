// A provider that ignores `?server_id=`: its lists hold every server's snapshots. The action, run as the
// runner runs it, must pick and change only the snapshots of the server the inputs name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Fixture, TOKEN } from './fixture.ts';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture({ ignoreServerFilter: true }).start();
  // Another server of the account, with a completed snapshot NEWER than any of 12345's (801, 2025-01-15)
  // and one with the same name as 12345's 801.
  f.model.addServer(TOKEN, 12346, 'db-server-01');
  f.model.addSnapshot({
    id: 900,
    serverId: 12346,
    name: 'nightly-2025-03-01',
    description: '',
    createdAt: at('2025-03-01T00:00:00Z'),
    readyAt: at('2025-03-01T00:00:00Z'),
    sizeMb: 2048,
  });
  f.model.addSnapshot({
    id: 901,
    serverId: 12346,
    name: 'pre-migration-snapshot',
    description: '',
    createdAt: at('2025-03-01T00:00:00Z') + DAY,
    readyAt: at('2025-03-01T00:00:00Z') + DAY,
    sizeMb: 2048,
  });
});
afterEach(() => f.stop());

const restoresSent = () => f.emulator.requests('restore').map((r) => r.path);
const deletesSent = () => f.emulator.requests('delete').map((r) => r.path);
const server = (id: number) => f.model.account(TOKEN)?.servers.get(id);

describe('a provider that ignores the server filter', () => {
  it('the emulator really returns every server for ?server_id= (so the test below means something)', async () => {
    const run = await f.run('main', { operation: 'list', server_id: '12345' });
    expect(run.exitCode).toBe(0);
    expect(f.emulator.requests('list')[0]?.query.server_id).toBe('12345');
    // list with server_id shows only that server's snapshots, whatever the provider sent.
    const listed: { id: number; server: { id: number } }[] = JSON.parse(run.outputs.snapshots ?? '[]');
    expect(listed.map((s) => s.id).sort()).toEqual([798, 801]);
    expect(listed.every((s) => s.server.id === 12345)).toBe(true);
  });

  it("restore latest restores the newest of server_id's own snapshots, not another server's newer one", async () => {
    const run = await f.run('main', { operation: 'restore', snapshot_id: 'latest', server_id: '12345' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({
      snapshot_id: '801',
      snapshot_name: 'pre-migration-snapshot',
      server_id: '12345',
      status: 'restored',
    });
    expect(f.emulator.requests('list')[0]?.query.server_id).toBe('12345');
    expect(restoresSent()).toEqual(['/api/v1/snapshots/801/restore/']);
    expect(server(12345)?.restoreStartedAt).toBeDefined();
    expect(server(12346)?.restoreStartedAt).toBeUndefined();
    expect(JSON.parse(run.outputs.results ?? '[]')).toEqual([
      { server_id: 12345, snapshot_id: 801, name: 'pre-migration-snapshot', status: 'restored', error: null },
    ]);
  });

  it("delete by name deletes only server_id's snapshot when another server holds one of that name", async () => {
    const run = await f.run('main', {
      operation: 'delete',
      name: 'pre-migration-snapshot',
      server_id: '12345',
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ snapshot_id: '801', status: 'deleted', deleted_ids: '[801]' });
    expect(deletesSent()).toEqual(['/api/v1/snapshots/801/']);
    expect(f.model.snapshots.has(801)).toBe(false);
    expect(f.model.snapshots.has(901)).toBe(true);
    expect(
      f
        .snapshots(12346)
        .map((s) => s.id)
        .sort(),
    ).toEqual([900, 901]);
  });

  it('refuses a snapshot of another server before any change: restore by ID with a server_id it does not belong to', async () => {
    const run = await f.run('main', { operation: 'restore', snapshot_id: '900', server_id: '12345' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    // Either sentence is true: the server's own list has no 900, or 900 is 12346's.
    expect(run.errors[0]).toMatch(
      /snapshot_id 900: no such snapshot on server 12345|belongs to server 12346, not server 12345/,
    );
    expect(f.mutations()).toEqual([]);
    expect(server(12346)?.restoreStartedAt).toBeUndefined();
  });

  it('refuses a fleet rollback whose snapshot_ids swaps two servers, before any change', async () => {
    const run = await f.run('main', { operation: 'restore', snapshot_ids: '{"12345": 900, "12346": 801}' });
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/snapshot 900 .* belongs to server 12346, not server 12345/);
    expect(run.errors.join('\n')).toMatch(/snapshot 801 .* belongs to server 12345, not server 12346/);
    expect(f.mutations()).toEqual([]);
  });

  it('a create with keep rotates only its own server, although the list holds the other server too', async () => {
    for (const [i, id] of [910, 911].entries()) {
      f.model.addSnapshot({
        id,
        serverId: 12346,
        name: `pre-deploy-other-${i}`,
        description: '',
        createdAt: at('2025-02-01T00:00:00Z') + i * DAY,
        readyAt: at('2025-02-01T00:00:00Z') + i * DAY,
        sizeMb: 100,
      });
    }
    f.model.addSnapshot({
      id: 912,
      serverId: 12345,
      name: 'pre-deploy-old',
      description: '',
      createdAt: at('2025-02-01T00:00:00Z'),
      readyAt: at('2025-02-01T00:00:00Z'),
      sizeMb: 100,
    });
    const run = await f.run('main', { server_id: '12345', keep: '1' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.deleted_ids).toBe('[912]');
    expect(deletesSent()).toEqual(['/api/v1/snapshots/912/']);
    expect(
      f
        .snapshots(12346)
        .map((s) => s.id)
        .sort(),
    ).toEqual([900, 901, 910, 911]);
  });
});
