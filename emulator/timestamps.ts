// The local-timestamps mode: a provider whose clock is off by a shift (hours ahead of or behind the
// runner's) and which writes created_at in that clock's wall time without an offset, optionally with
// fractional seconds of varying length: `2025-01-15T18:30:00`, `2025-01-15T18:30:00.5`,
// `2025-01-15T18:30:00.123456789`. It applies to the snapshots made (or seeded) while it is on; their
// created_at is fixed then, as a real provider stores it.

export interface LocalTimestamps {
  /** How far the provider's clock runs ahead of the emulator's; negative: behind. */
  shiftMs: number;
  /** Fractional seconds, 0 to 9 digits by snapshot ID (ID 803: 3 digits). */
  fractions?: boolean;
}

/** created_at as the mode writes it for a snapshot made at `createdAt` (the emulator's clock). */
export function localStamp(createdAt: number, id: number, mode: LocalTimestamps): string {
  const wall = new Date(createdAt + mode.shiftMs).toISOString(); // 2025-01-15T18:30:00.123Z
  const seconds = wall.slice(0, 19);
  const digits = mode.fractions ? id % 10 : 0;
  if (digits === 0) return seconds;
  // Digits past the millisecond: any, as a provider with a finer clock writes them.
  const finer = String((id * 7_919) % 1_000_000).padStart(6, '0');
  return `${seconds}.${(wall.slice(20, 23) + finer).slice(0, digits)}`;
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

/** `+3h`, `-5h`, `90m`, `-30s`, `0`: the shift in milliseconds; throws when it does not read. */
export function parseShift(text: string): number {
  const match = /^([+-]?)(\d+)(s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`'${text}' is not a clock shift: give a signed duration like +3h, -5h or 90m`);
  const [, sign, amount, unit] = match;
  if (Number(amount) !== 0 && !unit) throw new Error(`'${text}' needs a unit: s, m or h (e.g. +3h)`);
  const ms = Number(amount) * (UNITS[unit ?? 's'] ?? 0);
  return sign === '-' && ms !== 0 ? -ms : ms;
}
