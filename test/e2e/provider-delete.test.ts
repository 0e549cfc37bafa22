// Deletes against a provider that misbehaves: a 404 because a concurrent run deleted it first, and a proxy's
// page instead of the API's answer. Gone as asked is no failure; a page that is not the API's is no proof.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { Fixture } from './fixture.ts';

const DAY = 86_400_000;
const FEB = Date.parse('2025-02-01T00:00:00Z');

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture().start();
});
afterEach(() => f.stop());

function addOld(id: number, name: string, day: number) {
  f.model.addSnapshot({
    id,
    serverId: 12345,
    name,
    description: '',
    createdAt: FEB + day * DAY,
    readyAt: FEB + day * DAY,
    sizeMb: 100,
  });
}

const deletes = () => f.emulator.requests('delete');

describe('a DELETE answered 404 because it was gone first (delete:gone)', () => {
  it('delete exits 0 with status deleted and the note, no warning', async () => {
    f.emulator.faults.add(parseFault('delete:gone@1'));
    const run = await f.run('main', { operation: 'delete', snapshot_id: '801' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'deleted', snapshot_id: '801', deleted_ids: '[801]' });
    const note = /it was already gone\W+deleted by someone else, or by an earlier attempt/;
    expect(JSON.parse(run.outputs.results ?? '[]')).toEqual([
      { server_id: 12345, snapshot_id: 801, name: 'pre-migration-snapshot', status: 'deleted', error: null },
    ]);
    expect(run.summary).toMatch(note);
    expect(run.stdout).toMatch(note);
    expect(deletes()).toHaveLength(1);
    expect(deletes()[0]).toMatchObject({ status: 404, fault: 'gone' });
    expect(f.model.snapshots.has(801)).toBe(false);
  });

  it("create's make-room and rotation: each delete answered 404, no warning, no failure", async () => {
    // 5 snapshots, the limit: 801, 798 and three old pre-deploy- ones.
    addOld(700, 'pre-deploy-old-a', 0);
    addOld(701, 'pre-deploy-old-b', 1);
    addOld(702, 'pre-deploy-old-c', 2);
    f.emulator.faults.add(parseFault('delete:gone'));
    const run = await f.run('main', { server_id: '12345', keep: '2' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([]);
    // keep 2: 700 to make room before the create, 701 by rotation after it completed.
    expect(run.outputs.deleted_ids).toBe('[700,701]');
    expect(run.outputs.status).toBe('completed');
    expect(deletes().map((r) => [r.path, r.status, r.fault])).toEqual([
      ['/api/v1/snapshots/700/', 404, 'gone'],
      ['/api/v1/snapshots/701/', 404, 'gone'],
    ]);
    expect(run.summary).toMatch(/snapshot 700 .*: room under the limit of 5 \(it was already gone\)/);
    expect(run.summary).toMatch(/snapshot 701 .*: rotation, keep 2 \(it was already gone\)/);
    expect(run.summary).not.toMatch(/Rotation incomplete/);
    expect(
      f
        .snapshots()
        .map((s) => s.id)
        .sort(),
    ).toEqual([702, 798, 801, Number(run.outputs.snapshot_id)]);
  });
});

describe("a proxy's page instead of the API's answer (delete:html, 200 text/html)", () => {
  it('once: not reported deleted until the list shows it still there; then deleted for real', async () => {
    f.emulator.faults.add(parseFault('delete:html@1'));
    const run = await f.run('main', { operation: 'delete', snapshot_id: '801' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'deleted', deleted_ids: '[801]' });
    expect(f.model.snapshots.has(801)).toBe(false);
    // The page, then a look at the server's list (801 still there), then the DELETE again.
    const first = f.emulator.log.findIndex((r) => r.route === 'delete');
    expect(f.emulator.log.slice(first).map((r) => [r.route, r.status, r.fault])).toEqual([
      ['delete', 200, 'html 200'],
      ['list', 200, undefined],
      ['delete', 204, undefined],
    ]);
    expect(run.stdout).not.toMatch(/deleted snapshot 801 .*list confirms/);
  });

  it('every time: the step fails, the snapshot still exists, and nothing says deleted', async () => {
    f.emulator.faults.add(parseFault('delete:html'));
    const run = await f.run('main', { operation: 'delete', snapshot_id: '801' }, { timeoutMs: 40_000 });
    expect(run.exitCode).toBe(1);
    expect(f.model.snapshots.has(801)).toBe(true);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^::error title=Delete failed::snapshot 801 .* was not deleted: /);
    expect(run.errors[0]).toMatch(/not the API's/);
    expect(run.outputs.status).not.toBe('deleted');
    expect(run.outputs.deleted_ids).toBe('[]');
    expect(JSON.parse(run.outputs.results ?? '[]')).toMatchObject([{ snapshot_id: 801, status: 'failed' }]);
    expect(run.stdout).not.toMatch(/deleted snapshot 801/);
    expect(run.summary).not.toMatch(/\*\*Deleted\*\*/);
    // Every answer was the page; each was followed by a look at the list before trying again.
    expect(deletes().length).toBeGreaterThanOrEqual(2);
    expect(deletes().length).toBeLessThanOrEqual(5);
    expect(deletes().every((r) => r.fault === 'html 200')).toBe(true);
    expect(f.emulator.requests('list').length).toBeGreaterThanOrEqual(deletes().length);
  }, 45_000);
});
