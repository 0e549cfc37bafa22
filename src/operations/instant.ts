// The one reading of a provider timestamp (`created_at`) as an instant. Every choice between snapshots
// (latest, rotation, prune) orders them by this, never by the runner's clock or time zone.
import type { Snapshot } from '../api/schema.ts';

// 2025-01-15T18:30:00Z, 2025-01-15 18:30:00.123456+05:30, 2025-01-15T18:30:00 (no offset: UTC).
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `created_at` in milliseconds since the epoch: with its offset as given, without one as UTC, fractional
 * seconds of any length (digits past the millisecond are dropped); undefined when it is not such a time.
 * Never Date.parse, which reads a time without an offset in the runner's own time zone.
 */
export function parseInstant(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const n = (group: number) => Number(m[group] ?? 0);
  const [year, month, day, hour, minute, second] = [n(1), n(2), n(3), n(4), n(5), n(6)];
  const fraction = m[7] ?? '';
  const [sign, offsetHours, offsetMinutes] = [m[9], n(10), n(11)];
  if (month < 1 || month > 12 || day < 1 || day > (DAYS_IN_MONTH[month - 1] ?? 0)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // 29 February of a year that has none rolls over into March: not a date.
  if (date.getUTCDate() !== day) return undefined;
  date.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, '0')));
  const offsetMs = (offsetHours * 60 + offsetMinutes) * 60_000;
  return date.getTime() - (sign === '-' ? -offsetMs : sign === '+' ? offsetMs : 0);
}

/** a was made after b: the later instant, then the higher ID (IDs grow) for the same instant. */
export function newerThan(a: { at: number; id: number }, b: { at: number; id: number }): boolean {
  return a.at > b.at || (a.at === b.at && a.id > b.id);
}

/** The warning for a snapshot left out of a choice because its created_at cannot be read. */
export function unreadableTime(s: Snapshot, leftOutOf: string): string {
  const shown = s.created_at.length > 60 ? `${s.created_at.slice(0, 57)}...` : s.created_at;
  return `snapshot ${s.id} '${s.name}' of server ${s.server.id}: created_at '${shown}' is not a time this action can read (ISO 8601, like 2025-01-15T18:30:00Z), so it is left out of ${leftOutOf}. Check it with operation: list; delete or restore it by its ID if it is the one you mean.`;
}
