// How durations and snapshots read in logs, errors and the job summary.
import type { Snapshot } from '../api/schema.ts';

/** `45s`, `3m 05s`, `1h 02m`; whole seconds. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1_000));
  const h = Math.floor(seconds / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  const s = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${pad(m)}m`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

export function describeSnapshot(s: Snapshot): string {
  return `${s.id} '${s.name}' (${s.status}, created ${s.created_at || 'at an unknown time'})`;
}
