// Which snapshots rotation and make-room may delete: completed, prefixed, older than the run's own, oldest
// first; never the run's own, a newer one, or one in progress.
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/api/schema.ts';
import { planRotation, roomToMake, rotationOf } from '../../src/operations/create/rotation.ts';
import { snap } from '../helpers/snapshots.ts';

const policy = (keep: number, prunePrefix = 'pre-deploy-', keepWithinMs = 0) => ({
  keep,
  prunePrefix,
  keepWithinMs,
});
const ids = (list: { id: number }[] | undefined) => list?.map((s) => s.id);

/** The snapshots rotation deletes after `own` completed; fails the test when it refuses to decide. */
function rotationVictims(list: Snapshot[], own: Snapshot, p: ReturnType<typeof policy>): Snapshot[] {
  const retention = rotationOf(list, own, p);
  if (typeof retention === 'string') throw new Error(retention);
  return retention.deleted;
}

describe("the provider's times, never the runner's", () => {
  it('orders by created_at, then by ID for the same time, offsets and fractions read as instants', () => {
    const own = snap(10, 'pre-deploy-own', '2026-01-10T12:00:00');
    const list = [
      snap(4, 'pre-deploy-an-hour-newer', '2026-01-10T13:00:00'),
      snap(3, 'pre-deploy-c', '2026-01-10T21:00:00+09:00'),
      snap(12, 'pre-deploy-same-time-later-id', '2026-01-10T12:00:00.000Z'),
      snap(2, 'pre-deploy-b', '2026-01-10T11:59:59.999999'),
      own,
    ];
    // 3 is 12:00 UTC like own, with a lower ID: older. 12 has the same time and a higher ID: newer, kept.
    // 4 is an hour newer in UTC; read in Tokyo's local time it would look 8 hours older.
    const tz = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo';
    try {
      expect(ids(rotationVictims(list, own, policy(1)))).toEqual([2, 3]);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('leaves a snapshot whose created_at cannot be read out of rotation, and says why', () => {
    const own = snap(10, 'pre-deploy-own', 10);
    const odd = snap(1, 'pre-deploy-odd', 'yesterday');
    const retention = rotationOf([odd, snap(2, 'pre-deploy-a', 2), own], own, policy(1));
    expect(typeof retention === 'string' ? retention : ids(retention.deleted)).toEqual([2]);
    expect(typeof retention !== 'string' && retention.kept).toEqual([
      { snapshot: odd, why: 'unreadable time' },
    ]);
  });

  it("deletes nothing when the run's own created_at cannot be read", () => {
    const own = snap(10, 'pre-deploy-own', '');
    expect(rotationOf([snap(1, 'pre-deploy-a', 1), own], own, policy(1))).toMatch(
      /its own snapshot 10 'pre-deploy-own' has a created_at that cannot be read .*nothing was rotated/,
    );
  });

  it("plans against a snapshot newer than every one listed, whatever the runner's clock says", () => {
    // The provider's clock is ahead of the runner's: its snapshots look "in the future" to the runner.
    const future = [1, 2, 3].map((d) => snap(d, `pre-deploy-${d}`, `2099-01-0${d}T00:00:00`));
    expect(ids(planRotation(future, 'pre-deploy-new', policy(2)).retention.deleted)).toEqual([1, 2]);
  });
});

describe('roomToMake', () => {
  const four = [
    snap(1, 'pre-deploy-a', 1),
    snap(2, 'pre-deploy-b', 2),
    snap(3, 'other', 3),
    snap(4, 'pre-deploy-c', 4),
  ];

  it('needs nothing below the limit', () => {
    expect(roomToMake(four.slice(0, 3), 'pre-deploy-new', policy(0))).toEqual([]);
    expect(roomToMake(four, 'pre-deploy-new', policy(0))).toEqual([]);
  });

  it('refuses at the limit without keep', () => {
    const five = [...four, snap(5, 'pre-deploy-d', 5)];
    expect(roomToMake(five, 'pre-deploy-new', policy(0))).toBeUndefined();
  });

  it('deletes the oldest completed prefixed one at the limit, as keep allows', () => {
    const five = [...four, snap(5, 'pre-deploy-d', 5)];
    expect(ids(roomToMake(five, 'pre-deploy-new', policy(1)))).toEqual([1]);
    expect(ids(roomToMake(five, 'pre-deploy-new', policy(4)))).toEqual([1]);
    expect(roomToMake(five, 'pre-deploy-new', policy(5))).toBeUndefined();
  });

  it('counts the new snapshot toward keep only when it has the prefix', () => {
    const five = [...four, snap(5, 'pre-deploy-d', 5)];
    expect(ids(roomToMake(five, 'manual', policy(3)))).toEqual([1]);
    expect(roomToMake(five, 'manual', policy(4))).toBeUndefined();
  });

  it('never picks one in progress or without the prefix', () => {
    const five = [
      snap(1, 'pre-deploy-a', 1, { status: 'in_progress' }),
      snap(2, 'other', 2),
      snap(3, 'pre-deploy-b', 3),
      snap(4, 'pre-deploy-c', 4),
      snap(5, 'keep-me', 5),
    ];
    expect(ids(roomToMake(five, 'pre-deploy-new', policy(1)))).toEqual([3]);
    const none = five.map((s) => (s.name.startsWith('pre-deploy-') ? { ...s, status: 'in_progress' } : s));
    expect(roomToMake(none, 'pre-deploy-new', policy(1))).toBeUndefined();
  });
});

describe('rotationVictims', () => {
  const own = snap(10, 'pre-deploy-own', 10);

  it('keeps nothing out of reach with keep 0', () => {
    expect(rotationVictims([snap(1, 'pre-deploy-a', 1), own], own, policy(0))).toEqual([]);
  });

  it('deletes the oldest prefixed ones beyond keep, the own snapshot counted', () => {
    const list = [snap(3, 'pre-deploy-c', 3), snap(1, 'pre-deploy-a', 1), snap(2, 'pre-deploy-b', 2), own];
    expect(ids(rotationVictims(list, own, policy(1)))).toEqual([1, 2, 3]);
    expect(ids(rotationVictims(list, own, policy(2)))).toEqual([1, 2]);
    expect(ids(rotationVictims(list, own, policy(4)))).toEqual([]);
  });

  it('never deletes the own snapshot, a newer one, or one in progress, even beyond keep', () => {
    const newer = snap(11, 'pre-deploy-other-run', 11);
    const sameSecondLater = snap(12, 'pre-deploy-same-second', 10);
    const unfinished = snap(5, 'pre-deploy-unfinished', 5, { status: 'in_progress' });
    const old = snap(1, 'pre-deploy-old', 1);
    const list = [newer, sameSecondLater, unfinished, old, own];
    expect(ids(rotationVictims(list, own, policy(1)))).toEqual([1]);
  });

  it('leaves snapshots without the prefix alone and does not count them', () => {
    const list = [snap(1, 'weekly', 1), snap(2, 'pre-deploy-a', 2), own];
    expect(ids(rotationVictims(list, own, policy(2)))).toEqual([]);
    expect(ids(rotationVictims(list, own, policy(1)))).toEqual([2]);
  });

  it('counts the own snapshot toward keep only when it has the prefix', () => {
    const manual = snap(10, 'manual', 10);
    const list = [snap(1, 'pre-deploy-a', 1), snap(2, 'pre-deploy-b', 2), manual];
    expect(ids(rotationVictims(list, manual, policy(2)))).toEqual([]);
    expect(ids(rotationVictims(list, manual, policy(1)))).toEqual([1]);
  });
});
