import type { Snapshot } from '../../src/api/schema.ts';

/** A snapshot as the API describes it; `created` is an ISO time or a day of January 2026 (1-31). */
export function snap(
  id: number,
  name: string,
  created: string | number,
  over: Partial<Snapshot> = {},
): Snapshot {
  const created_at =
    typeof created === 'number' ? `2026-01-${String(created).padStart(2, '0')}T12:00:00Z` : created;
  return {
    id,
    server: { id: 12345, name: 'web-server-01' },
    name,
    status: 'completed',
    size_mb: 1_000,
    created_at,
    description: '',
    ...over,
  };
}
