// A provider whose clock is not the runner's, run as the runner runs the action: created_at without an
// offset is UTC whatever the step's TZ, and a dry run plans the rotation the real run makes.
import { afterEach, describe, expect, it } from 'vitest';
import { summarySection } from './action-helpers.ts';
import { Fixture } from './fixture.ts';

const HOUR = 3_600_000;
let f: Fixture | undefined;
afterEach(() => f?.stop());

function seed(fixture: Fixture, id: number, name: string, createdAt: number): void {
  fixture.model.addSnapshot({ id, serverId: 12345, name, description: '', createdAt, readyAt: 0, sizeMb: 1 });
}

describe("created_at without an offset, in the step's TZ", () => {
  it('restore latest picks the same snapshot with TZ=Asia/Tokyo, UTC and America/Los_Angeles', async () => {
    f = await new Fixture().start();
    const now = Date.now();
    // 900 says "...Z", 2 hours ago. 901 is written in a clock 3 hours ahead, without an offset: 2 hours
    // from now in UTC, the newest. Read in Tokyo's local time it would look 7 hours old.
    seed(f, 900, 'with-offset', now - 2 * HOUR);
    f.emulator.localTimestamps = { shiftMs: 3 * HOUR, fractions: true };
    seed(f, 901, 'without-offset', now - HOUR);
    expect(f.model.snapshots.get(901)?.stamp).not.toMatch(/Z|[+-]\d\d:?\d\d$/);
    for (const TZ of ['Asia/Tokyo', 'UTC', 'America/Los_Angeles']) {
      const run = await f.run(
        'main',
        { operation: 'restore', snapshot_id: 'latest', server_id: '12345', dry_run: 'true' },
        { env: { TZ } },
      );
      expect(run.exitCode, `${TZ}: ${run.stdout}`).toBe(0);
      expect(run.outputs.snapshot_id, TZ).toBe('901');
      expect(run.warnings, TZ).toEqual([]);
    }
    expect(f.mutations()).toEqual([]);
  });
});

describe("rotation with the provider's clock 3 hours ahead", () => {
  it('plans in a dry run exactly what the real run then deletes', async () => {
    f = await new Fixture({ localTimestamps: { shiftMs: 3 * HOUR } }).start();
    const now = Date.now();
    seed(f, 500, 'pre-deploy-10h', now - 10 * HOUR);
    seed(f, 501, 'pre-deploy-2h', now - 2 * HOUR);
    seed(f, 502, 'pre-deploy-1h', now - HOUR);
    // With the reference's 801 and 798 the server is at the limit: room first, then rotation.
    const inputs = { server_id: '12345', keep: '2' };
    const plan = await f.run('main', { ...inputs, dry_run: 'true' });
    expect(plan.exitCode).toBe(0);
    expect(f.mutations()).toEqual([]);
    const real = await f.run('main', inputs);
    expect(real.exitCode).toBe(0);
    expect(JSON.parse(real.outputs.deleted_ids ?? '')).toEqual([500, 501]);
    const wouldDelete = summarySection(plan, '**Would delete**');
    const deleted = summarySection(real, '**Deleted**');
    expect(wouldDelete).toEqual(deleted);
    expect(deleted).toEqual([
      '- snapshot 500 pre-deploy-10h on server 12345: room under the limit of 5',
      '- snapshot 501 pre-deploy-2h on server 12345: rotation, keep 2',
    ]);
  });
});
