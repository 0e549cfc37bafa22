// The local-timestamps mode: created_at in the provider's own shifted clock, without an offset, optionally
// with fractions of varying length; fixed when a snapshot is made, as a real provider stores it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator, localStamp, parseShift, VirtualClock } from '../../emulator/index.ts';
import { caller, TOKEN } from './helpers.ts';

const START = Date.parse('2026-03-01T10:00:00.250Z');
const HOUR = 3_600_000;
let emulator: Emulator;
let clock: VirtualClock;
let base: string;
const call = caller(() => base);
const createdAt = async () =>
  Object.fromEntries(
    (await call('GET', '/snapshots/?server_id=12345')).json.results.map((s) => [s.id, s.created_at]),
  );

beforeEach(async () => {
  clock = new VirtualClock(START);
  emulator = new Emulator({ token: TOKEN, now: clock.now });
  base = await emulator.start();
});
afterEach(() => emulator.stop());

describe('local timestamps', () => {
  it('are off by default: whole seconds with Z', async () => {
    await call('POST', '/snapshots/', { server_id: 12345, name: 'plain' });
    expect((await createdAt())[802]).toBe('2026-03-01T10:00:00Z');
  });

  it("write the provider's shifted wall time without an offset, in the 201, the list and a restore", async () => {
    emulator.localTimestamps = { shiftMs: 3 * HOUR };
    const created = await call('POST', '/snapshots/', { server_id: 12345, name: 'ahead' });
    expect(created.json.created_at).toBe('2026-03-01T13:00:00');
    emulator.localTimestamps = { shiftMs: -5 * HOUR };
    await call('POST', '/snapshots/', { server_id: 12345, name: 'behind' });
    await clock.sleep(10_000);
    const restore = await call('POST', '/snapshots/803/restore/');
    expect(restore.json.snapshot).toMatchObject({ id: 803, created_at: '2026-03-01T05:00:00' });
    // Made while the mode was on, fixed then; the reference's seed data keeps its Z.
    emulator.localTimestamps = undefined;
    expect(await createdAt()).toEqual({
      802: '2026-03-01T13:00:00',
      803: '2026-03-01T05:00:00',
      801: '2025-01-15T18:30:00Z',
      798: '2025-01-08T12:00:00Z',
    });
    // Lists stay ordered by when the snapshots were made, not by the shifted text.
    const ids = (await call('GET', '/snapshots/')).json.results.map((s) => s.id);
    expect(ids).toEqual([803, 802, 801, 798]);
  });

  it('give fractions of 0 to 9 digits by snapshot ID', async () => {
    emulator.localTimestamps = { shiftMs: 0, fractions: true };
    for (let id = 810; id < 820; id++) {
      emulator.model.addSnapshot({
        ...{ id, serverId: 12345, name: `f${id}`, description: '', sizeMb: 1 },
        ...{ createdAt: clock.time, readyAt: clock.time },
      });
    }
    const stamps = await createdAt();
    expect(stamps[810]).toBe('2026-03-01T10:00:00');
    expect(stamps[811]).toBe('2026-03-01T10:00:00.2');
    expect(stamps[813]).toBe('2026-03-01T10:00:00.250');
    expect(stamps[819]).toMatch(/^2026-03-01T10:00:00\.250\d{6}$/);
    const lengths = [...Array(10).keys()].map((i) => /\.(\d+)$/.exec(stamps[810 + i])?.[1]?.length ?? 0);
    expect(lengths).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("stamp the seed data when given to the constructor, and take a test's own stamp", async () => {
    const other = new Emulator({ token: TOKEN, localTimestamps: { shiftMs: -HOUR } });
    expect(other.model.snapshots.get(801)?.stamp).toBe('2025-01-15T17:30:00');
    emulator.model.addSnapshot({
      ...{ id: 900, serverId: 12345, name: 'odd', description: '', sizeMb: 1 },
      ...{ createdAt: START, readyAt: 0, stamp: 'yesterday' },
    });
    expect((await createdAt())[900]).toBe('yesterday');
  });
});

describe('localStamp and parseShift', () => {
  it('cut the fraction to its digits, never round it', () => {
    expect(localStamp(Date.parse('2026-01-01T00:00:00.999Z'), 12, { shiftMs: 0, fractions: true })).toBe(
      '2026-01-01T00:00:00.99',
    );
  });

  it.each([
    ['+3h', 3 * HOUR],
    ['-5h', -5 * HOUR],
    ['90m', 90 * 60_000],
    ['-30s', -30_000],
    ['0', 0],
  ])('reads %s', (text, ms) => {
    expect(parseShift(text)).toBe(ms);
  });

  it.each([['3'], ['3 hours'], ['+3d'], ['']])('refuses %j', (text) => {
    expect(() => parseShift(text)).toThrow(/clock shift|needs a unit/);
  });
});
