// Which snapshots rotation and make-room may delete: completed, prefixed, older than the run's own, oldest
// first; never the run's own, a newer one, or one in progress.
import { describe, expect, it } from 'vitest';
import { olderThan, roomToMake, rotationVictims } from '../../src/operations/create/rotation.ts';
import { snap } from '../helpers/snapshots.ts';

const policy = (keep: number, prunePrefix = 'pre-deploy-') => ({ keep, prunePrefix });
const ids = (list: { id: number }[] | undefined) => list?.map((s) => s.id);

describe('olderThan', () => {
  it('orders by created_at, then by ID when the times are equal', () => {
    expect(olderThan(snap(2, 'a', 1), snap(1, 'b', 2))).toBe(true);
    expect(olderThan(snap(1, 'a', 2), snap(2, 'b', 1))).toBe(false);
    expect(olderThan(snap(1, 'a', 5), snap(2, 'b', 5))).toBe(true);
    expect(olderThan(snap(2, 'a', 5), snap(1, 'b', 5))).toBe(false);
    expect(olderThan(snap(1, 'a', 5), snap(1, 'a', 5))).toBe(false);
  });

  it('compares by ID alone when a created_at is missing or unreadable, so no date makes a newer one look old', () => {
    expect(olderThan(snap(9, 'a', ''), snap(1, 'b', 1))).toBe(false);
    expect(olderThan(snap(9, 'a', 'yesterday'), snap(1, 'b', 1))).toBe(false);
    expect(olderThan(snap(1, 'a', ''), snap(9, 'b', 1))).toBe(true);
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
