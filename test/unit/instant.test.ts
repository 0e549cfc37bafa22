// created_at read as an instant: an offset as given, none as UTC, a fraction of any length; the same
// instant whatever the runner's time zone. The property runs under several TZ values (process.env.TZ is
// read by V8 on each local-time conversion), so a parser that used local time would fail here.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/operations/instant.ts';
import { match } from '../../src/operations/targets.ts';
import { snap } from '../helpers/snapshots.ts';

const ZONES = ['UTC', 'Asia/Tokyo', 'America/New_York', 'Pacific/Chatham', 'America/St_Johns'];
const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `instant` as the provider might write it: in the zone `offsetMinutes` (none: UTC, no suffix), `digits` of fraction. */
function format(instant: number, offsetMinutes: number | undefined, digits: number, extra: string): string {
  const local = new Date(instant + (offsetMinutes ?? 0) * 60_000);
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const ms = pad(local.getUTCMilliseconds(), 3);
  const fraction = digits === 0 ? '' : `.${(ms + extra).slice(0, digits)}`;
  if (offsetMinutes === undefined) return `${date}T${time}${fraction}`;
  if (offsetMinutes === 0) return `${date}T${time}${fraction}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${date}T${time}${fraction}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

describe('parseInstant', () => {
  it('reads an instant written with any offset or none, any fraction length, the same in any TZ', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }),
        fc.option(fc.integer({ min: -14 * 60, max: 14 * 60 }), { nil: undefined }),
        fc.integer({ min: 0, max: 9 }),
        fc.stringMatching(/^\d{6}$/),
        fc.constantFrom(...ZONES),
        (instant, offset, digits, extra, zone) => {
          process.env.TZ = zone;
          const text = format(instant, offset, digits, extra);
          // Fewer than 3 digits of fraction carry less than the millisecond: the instant to that precision.
          const step = 10 ** Math.max(0, 3 - digits);
          expect(parseInstant(text), text).toBe(instant - (((instant % step) + step) % step));
        },
      ),
      { numRuns: 400 },
    );
  });

  it.each([
    ['2025-01-15T18:30:00Z', Date.UTC(2025, 0, 15, 18, 30)],
    ['2025-01-15T18:30:00', Date.UTC(2025, 0, 15, 18, 30)],
    ['2025-01-15 18:30:00', Date.UTC(2025, 0, 15, 18, 30)],
    ['2025-01-15T18:30:00.5', Date.UTC(2025, 0, 15, 18, 30, 0, 500)],
    ['2025-01-15T18:30:00.123456789', Date.UTC(2025, 0, 15, 18, 30, 0, 123)],
    ['2025-01-15T18:30:00,25Z', Date.UTC(2025, 0, 15, 18, 30, 0, 250)],
    ['2025-01-15T18:30:00+09:00', Date.UTC(2025, 0, 15, 9, 30)],
    ['2025-01-15T18:30:00-0530', Date.UTC(2025, 0, 16, 0, 0)],
    ['2025-01-15T18:30:00+02', Date.UTC(2025, 0, 15, 16, 30)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['0099-12-31T23:59:59Z', -59_011_459_201_000],
  ])('%s', (text, expected) => {
    process.env.TZ = 'Asia/Tokyo';
    expect(parseInstant(text)).toBe(expected);
  });

  it.each([
    '',
    'yesterday',
    '2025-01-15',
    '2025-01-15T18:30',
    '2025-01-15T18:30:00ZZ',
    '2025-13-01T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-01-15T24:00:00Z',
    '2025-01-15T18:60:00Z',
    '2025-01-15T18:30:60Z',
    '2025-01-15T18:30:00+24:00',
    '2025-01-15T18:30:00.Z',
    '1736965800',
    'Wed, 15 Jan 2025 18:30:00 GMT',
  ])('refuses %j', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });
});

describe("'latest' by the provider's times", () => {
  const latest = (list: ReturnType<typeof snap>[]) => {
    const warnings: string[] = [];
    const found = match({ by: 'latest', serverId: 12345 }, list, (w) => warnings.push(w));
    return { found: 'kind' in found ? found.message : found.id, warnings };
  };

  it('reads a time without an offset as UTC, whatever the TZ', () => {
    // 801 is 18:30 UTC; 798 is 12:00 UTC. Read in Tokyo's local time, 801 would be 09:30 UTC.
    const list = [snap(801, 'a', '2025-01-15T18:30:00'), snap(798, 'b', '2025-01-15T12:00:00Z')];
    for (const zone of ['UTC', 'Asia/Tokyo', 'America/Los_Angeles']) {
      process.env.TZ = zone;
      expect(latest(list).found, zone).toBe(801);
    }
  });

  it('compares fractions of any length, then IDs for the same instant', () => {
    const list = [
      snap(5, 'a', '2025-01-15T18:30:00.5'),
      snap(6, 'b', '2025-01-15T18:30:00.499999999Z'),
      snap(7, 'c', '2025-01-15T19:30:00.5+01:00'),
    ];
    expect(latest(list).found).toBe(7);
    expect(latest(list.slice(0, 2)).found).toBe(5);
  });

  it('leaves out a snapshot whose created_at cannot be read, with a warning naming it', () => {
    const list = [snap(9, 'odd-one', 'soon'), snap(3, 'fine', '2025-01-15T18:30:00Z')];
    const { found, warnings } = latest(list);
    expect(found).toBe(3);
    expect(warnings).toEqual([
      expect.stringContaining("snapshot 9 'odd-one' of server 12345: created_at 'soon'"),
    ]);
    expect(warnings[0]).toMatch(/left out of snapshot_id 'latest'/);
  });

  it('says so when no completed snapshot has a readable time', () => {
    const { found, warnings } = latest([snap(9, 'odd-one', '')]);
    expect(found).toMatch(/has no completed snapshot with a readable created_at/);
    expect(warnings).toHaveLength(1);
  });
});
