// The retention policy as a pure function: keep (the newest N) and keep_within (a window back from the
// newest completed snapshot), either rule keeping; and what no policy can break, for any snapshot set.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/api/schema.ts';
import { newerThan, parseInstant } from '../../src/operations/instant.ts';
import {
  applyRetention,
  describePolicy,
  formatAge,
  type OwnSnapshot,
  type RetentionPolicy,
} from '../../src/operations/retention.ts';
import { snap } from '../helpers/snapshots.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const policy = (keep: number, keepWithinMs = 0, prunePrefix = 'pre-deploy-'): RetentionPolicy => ({
  keep,
  keepWithinMs,
  prunePrefix,
});
const ids = (list: Snapshot[]) => list.map((s) => s.id);
const why = (r: ReturnType<typeof applyRetention>) =>
  Object.fromEntries(r.kept.map((k) => [k.snapshot.id, k.why]));
/** A snapshot made `daysAgo` days before 2026-01-31T12:00:00Z. */
const at = (id: number, name: string, daysAgo: number, over: Partial<Snapshot> = {}) =>
  snap(id, name, new Date(Date.UTC(2026, 0, 31, 12) - daysAgo * DAY).toISOString(), over);

describe('the rules', () => {
  // Nightly snapshots, 0 to 6 days old; a manual one 1 day old; one still in progress.
  const nightly = [0, 1, 2, 3, 4, 5, 6].map((d) => at(100 - d, `pre-deploy-${d}`, d));
  const manual = at(200, 'manual-before-migration', 1);
  const running = at(300, 'pre-deploy-running', -0.1, { status: 'in_progress' });
  const all = [...nightly, manual, running];

  it('keep: the newest N completed prefixed snapshots; the rest go, oldest first', () => {
    const r = applyRetention(all, policy(3));
    expect(ids(r.deleted)).toEqual([94, 95, 96, 97]);
    expect(why(r)).toEqual({
      100: 'newest completed',
      99: 'newest N',
      98: 'newest N',
      200: 'other prefix',
      300: 'not completed',
    });
  });

  it('keep_within: back from the newest completed snapshot, the boundary included', () => {
    const r = applyRetention(all, policy(0, 2 * DAY));
    expect(ids(r.deleted)).toEqual([94, 95, 96, 97]);
    expect(why(r)[98]).toBe('within window');
    expect(r.anchor).toBe(Date.UTC(2026, 0, 31, 12));
  });

  it('either rule keeps: keep 1 and keep_within 4d keep five', () => {
    const r = applyRetention(all, policy(1, 4 * DAY));
    expect(ids(r.deleted)).toEqual([94, 95]);
  });

  it('measures the window from the newest completed snapshot, whatever its name, never from a clock', () => {
    // Everything is years ahead of the runner's clock: only the provider's times are compared.
    const future = [at(1, 'pre-deploy-a', -3650), at(2, 'pre-deploy-b', -3645), at(3, 'manual', -3652)];
    const r = applyRetention(future, policy(0, 3 * DAY));
    expect(r.anchor).toBe(parseInstant(future[2]?.created_at ?? ''));
    expect(ids(r.deleted)).toEqual([2]);
  });

  it('neither counts nor deletes one not completed, one failed, one with an unreadable time', () => {
    const list = [
      at(10, 'pre-deploy-new', -1, { status: 'in_progress' }),
      at(9, 'pre-deploy-broken', 0, { status: 'failed' }),
      snap(8, 'pre-deploy-odd', 'last tuesday'),
      at(7, 'pre-deploy-a', 1),
      at(6, 'pre-deploy-b', 2),
      at(5, 'pre-deploy-c', 3),
    ];
    const r = applyRetention(list, policy(2));
    expect(ids(r.deleted)).toEqual([5]);
    expect(why(r)).toMatchObject({ 10: 'not completed', 9: 'not completed', 8: 'unreadable time' });
  });

  it('orders the same instant by ID, and offsets and fractions as instants', () => {
    const list = [
      snap(1, 'pre-deploy-a', '2026-01-10T12:00:00.5'),
      snap(2, 'pre-deploy-b', '2026-01-10T21:00:00.5+09:00'),
      snap(3, 'pre-deploy-c', '2026-01-10T12:00:00.499999Z'),
    ];
    expect(ids(applyRetention(list, policy(1)).deleted)).toEqual([3, 1]);
  });

  it("counts and keeps the run's own snapshot; never deletes one newer than it", () => {
    const list = [at(5, 'pre-deploy-newer', 0), at(3, 'pre-deploy-a', 2), at(2, 'pre-deploy-b', 3)];
    const own: OwnSnapshot = { id: 4, name: 'pre-deploy-own', at: Date.UTC(2026, 0, 30, 12) };
    const r = applyRetention(list, policy(1), own);
    expect(ids(r.deleted)).toEqual([2, 3]);
    expect(why(r)).toEqual({ 5: 'newer than own' });
  });

  it('in words', () => {
    expect(describePolicy(policy(3, 14 * DAY))).toBe('keep 3, keep_within 2w');
    expect(describePolicy(policy(0, 36 * HOUR))).toBe('keep_within 36h');
    expect(describePolicy(policy(2, 10 * DAY))).toBe('keep 2, keep_within 10d');
    expect(formatAge(20 * DAY + 4 * HOUR + 59_000)).toBe('20d 4h');
    expect(formatAge(5.5 * HOUR)).toBe('5h 30m');
    expect(formatAge(42_000)).toBe('42s');
  });
});

describe('the worked example of docs/retention.md', () => {
  const server = [
    snap(910, 'pre-deploy-f', '2026-03-20T09:00:00Z', { status: 'in_progress' }),
    snap(909, 'pre-deploy-e', '2026-03-19T09:00:00.5Z'),
    snap(905, 'manual-before-migration', '2026-03-18T12:00:00Z'),
    snap(903, 'pre-deploy-c', '2026-03-12T09:00:00.5'),
    snap(902, 'pre-deploy-b', '2026-03-10T09:00:00+02:00'),
  ];

  it('keep 1 and keep_within 7d delete 902 alone, whatever the TZ', () => {
    const tz = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo';
    try {
      const r = applyRetention(server, policy(1, 7 * DAY));
      expect(ids(r.deleted)).toEqual([902]);
      expect(why(r)).toEqual({
        910: 'not completed',
        909: 'newest completed',
        905: 'other prefix',
        903: 'within window',
      });
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it.each([
    [policy(1), [902, 903]],
    [policy(0, 7 * DAY), [902]],
    [policy(3), []],
  ])('%j deletes %j', (p, deleted) => {
    expect(ids(applyRetention(server, p).deleted)).toEqual(deleted);
  });
});

const PREFIX = 'pre-deploy-';
const BASE = Date.UTC(2026, 0, 1);

/** A created_at as providers write them: Z, no offset, another offset, any fraction; or not a time at all. */
const createdAt = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 0, max: 60 * DAY }),
      fc.constantFrom('Z', '', '+09:00', '-05:30'),
      fc.integer({ min: 0, max: 9 }),
    )
    .map(([offset, zone, digits]) => {
      const shift = zone === '+09:00' ? 9 * HOUR : zone === '-05:30' ? -5.5 * HOUR : 0;
      const wall = new Date(BASE + offset + shift).toISOString();
      const fraction = digits === 0 ? '' : `.${`${wall.slice(20, 23)}000000`.slice(0, digits)}`;
      return `${wall.slice(0, 19)}${fraction}${zone}`;
    }),
  fc.constantFrom('', 'yesterday', '2026-02-30T00:00:00Z'),
);

const snapshotSet = fc.uniqueArray(
  fc.record({
    id: fc.integer({ min: 1, max: 10_000 }),
    prefixed: fc.boolean(),
    status: fc.constantFrom('completed', 'completed', 'completed', 'in_progress', 'failed', 'queued'),
    createdAt,
  }),
  { selector: (s) => s.id, maxLength: 12 },
);

const anyPolicy = fc.record({
  keep: fc.integer({ min: 0, max: 5 }),
  keepWithinMs: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 30 * 24 }).map((h) => h * HOUR),
  ),
  prunePrefix: fc.constant(PREFIX),
});

const timed = (s: Snapshot) => ({ at: parseInstant(s.created_at) as number, id: s.id });

describe('what no policy can break', () => {
  it('never deletes the newest completed snapshot, an unfinished one, one outside the prefix, or an unreadable one', () => {
    fc.assert(
      fc.property(
        snapshotSet,
        anyPolicy,
        fc.option(fc.record({ at: fc.integer({ min: 0, max: 60 * DAY }), prefixed: fc.boolean() })),
        (specs, p, ownSpec) => {
          const list = specs.map((s) =>
            snap(s.id, `${s.prefixed ? PREFIX : 'manual-'}${s.id}`, s.createdAt, { status: s.status }),
          );
          const own: OwnSnapshot | undefined = ownSpec
            ? { id: 20_000, name: `${ownSpec.prefixed ? PREFIX : 'manual-'}own`, at: BASE + ownSpec.at }
            : undefined;
          const r = applyRetention(list, p, own);
          // Every snapshot is kept or deleted, once.
          expect([...ids(r.deleted), ...r.kept.map((k) => k.snapshot.id)].sort()).toEqual(ids(list).sort());
          const readable = list.filter(
            (s) => s.status === 'completed' && parseInstant(s.created_at) !== undefined,
          );
          const newest = readable.reduce<Snapshot | undefined>(
            (a, s) => (a && newerThan(timed(a), timed(s)) ? a : s),
            undefined,
          );
          for (const d of r.deleted) {
            expect(d.name.startsWith(PREFIX)).toBe(true);
            expect(d.status).toBe('completed');
            expect(parseInstant(d.created_at)).not.toBeUndefined();
            if (!own) expect(d.id).not.toBe(newest?.id);
            if (own) expect(newerThan(timed(d), { at: own.at, id: own.id ?? 0 })).toBe(false);
            // Outside both rules: at least `keep` newer ones counted, and outside the window.
            const counted = [...readable.filter((s) => s.name.startsWith(PREFIX)).map(timed)];
            if (own?.name.startsWith(PREFIX)) counted.push({ at: own.at, id: own.id ?? 0 });
            expect(counted.filter((c) => newerThan(c, timed(d))).length).toBeGreaterThanOrEqual(p.keep);
            if (p.keepWithinMs > 0) expect((r.anchor ?? 0) - timed(d).at).toBeGreaterThan(p.keepWithinMs);
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
