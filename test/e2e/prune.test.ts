// operation: prune, run as the runner runs it, against the emulator over HTTP: the policy on every server,
// its dry run, refusals before the first request, and a server whose list cannot be read.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { heading, results, summarySection } from './action-helpers.ts';
import { Fixture, TOKEN } from './fixture.ts';

const DAY = 86_400_000;
let f: Fixture;
beforeEach(async () => {
  f = await new Fixture().start();
  f.model.addServer(TOKEN, 12346, 'db-server-01');
});
afterEach(() => f.stop());

/** Nightly pre-deploy snapshots, the newest `days` of them, a day apart; IDs from `firstId`. */
function nightly(serverId: number, firstId: number, days: number): void {
  for (let i = 0; i < days; i++) {
    const createdAt = Date.now() - (days - i) * DAY;
    f.model.addSnapshot({
      ...{ id: firstId + i, serverId, name: `pre-deploy-night-${i}`, description: '', sizeMb: 1 },
      ...{ createdAt, readyAt: createdAt },
    });
  }
}

const ids = (serverId: number) =>
  f
    .snapshots(serverId)
    .map((s) => s.id)
    .sort();

describe('prune', () => {
  it('server_id all: a dry run says what it would delete, and the real run deletes exactly that', async () => {
    nightly(12345, 500, 3);
    nightly(12346, 600, 5);
    const inputs = { operation: 'prune', server_id: 'all', keep: '1', keep_within: '36h' };
    const plan = await f.run('main', { ...inputs, dry_run: 'true' });
    expect(plan.exitCode).toBe(0);
    expect(f.mutations()).toEqual([]);
    expect(plan.outputs).toMatchObject({ status: 'planned', deleted_ids: '[]' });
    expect(heading(plan)).toBe('## VPS Prune snapshots: 🧪 dry run: nothing was changed');
    const wouldDelete = summarySection(plan, '**Would delete**');
    expect(wouldDelete).toHaveLength(4);
    expect(wouldDelete[0]).toMatch(
      /^- snapshot 500 pre-deploy-night-0 on server 12345: outside the policy \(keep 1, keep_within 36h\), made 2d 0h before the newest$/,
    );

    const run = await f.run('main', inputs);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.deleted_ids ?? '')).toEqual([500, 600, 601, 602]);
    expect(results(run).map((r) => [r.snapshot_id, r.status])).toEqual([
      [500, 'deleted'],
      [600, 'deleted'],
      [601, 'deleted'],
      [602, 'deleted'],
    ]);
    expect(summarySection(run, '**Deleted**')).toEqual(wouldDelete);
    expect(heading(run)).toBe('## VPS Prune snapshots: ✅ deleted');
    expect(run.summary).toContain(
      "Server 12346 keeps 604 'pre-deploy-night-4' (the newest completed snapshot of the server); 603 'pre-deploy-night-3' (within 36h of the newest); deletes 3.",
    );
    expect(ids(12345)).toEqual([501, 502, 798, 801]);
    expect(ids(12346)).toEqual([603, 604]);
  });

  it.each([
    [{ server_id: '', keep: '2' }, 'server_id is missing: prune needs one or more server IDs, or all'],
    [{ server_id: 'all' }, 'prune has no policy: set keep'],
    [{ server_id: 'all', keep_within: '14' }, "keep_within '14' has no unit"],
    [{ server_id: 'all', keep_within: '0d' }, "keep_within '0d' is zero"],
  ])('refuses %j before the first request', async (inputs, message) => {
    const run = await f.run('main', { operation: 'prune', ...inputs });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([expect.stringContaining(`::error title=Invalid input::${message}`)]);
    expect(f.emulator.log).toEqual([]);
  });

  it('skips a server whose list cannot be read, prunes the others, and fails the step naming it', async () => {
    nightly(12345, 500, 3);
    nightly(12346, 600, 3);
    f.emulator.faults.add(parseFault('list:status:403@1'));
    const run = await f.run('main', { operation: 'prune', server_id: '12345 12346', keep: '1' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^::error title=Prune incomplete: 1 of 3::server 12345: could not list its snapshots, so nothing of it was deleted: .*403/,
    );
    expect(run.outputs.status).toBe('partial');
    expect(JSON.parse(run.outputs.deleted_ids ?? '')).toEqual([600, 601]);
    expect(ids(12345)).toEqual([500, 501, 502, 798, 801]);
    expect(ids(12346)).toEqual([602]);
  });
});

describe('prune against hostile provider text', () => {
  it("shows third parties' snapshot names as data: no output, state or annotation comes from them", async () => {
    const hostile = await new Fixture({ hostile: true }).start();
    try {
      const createdAt = Date.now() - 3 * DAY;
      for (const [i, id] of [500, 501, 502].entries()) {
        hostile.model.addSnapshot({
          ...{ id, serverId: 12345, name: `pre-deploy-${i}`, description: '', sizeMb: 1 },
          ...{ createdAt: createdAt + i * DAY, readyAt: 0 },
        });
      }
      const run = await hostile.run('main', { operation: 'prune', server_id: 'all', keep: '1' });
      expect(run.exitCode, run.stdout).toBe(0);
      // The hostile names hold ::set-output, ::save-state, ::error, line breaks: none of it was obeyed.
      expect(run.stdout).toMatch(/keep 79\d '/);
      expect(Object.keys(run.outputs).sort()).toEqual(['deleted_ids', 'results', 'status']);
      expect(run.outputs).toMatchObject({ status: 'deleted', deleted_ids: '[500,501]' });
      expect(run.state).toEqual({});
      expect(run.errors).toEqual([]);
      expect(run.warnings).toEqual([]);
      expect(hostile.snapshots(66601).length + hostile.snapshots(66602).length).toBe(6);
    } finally {
      await hostile.stop();
    }
  });
});
