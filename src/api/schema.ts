// The API's answers, checked at the boundary by one shape reader: anything that is not the documented shape
// is refused here. Each type is read from its shape, so the two cannot drift.

/** A field's kind: `text?` reads null or absent as '', `number?` as null. */
type Kind = 'integer' | 'text' | 'text?' | 'number?';
type Shape = { readonly [field: string]: Kind | Shape };
type Types = { integer: number; text: string; 'text?': string; 'number?': number | null };
type Read<S> = { -readonly [K in keyof S]: S[K] extends Kind ? Types[S[K]] : Read<S[K]> };
const EXPECTED: Record<Kind, string> = {
  integer: 'an integer',
  text: 'a string',
  'text?': 'a string',
  'number?': 'a number or null',
};

const SERVER = { id: 'integer', name: 'text?', status: 'text' } as const;
const SNAPSHOT = {
  id: 'integer',
  server: { id: 'integer', name: 'text?' },
  name: 'text',
  // `in_progress`, `completed`, `failed`/`error`; other values are kept and treated as in progress.
  status: 'text',
  size_mb: 'number?',
  created_at: 'text?',
  description: 'text?',
} as const;
const RESTORE_ACCEPTED = {
  message: 'text?',
  snapshot: { id: 'integer', name: 'text?', created_at: 'text?' },
  server: { ...SERVER, status: 'text?' },
} as const;

export type Snapshot = Read<typeof SNAPSHOT>;
export type ServerInfo = Read<typeof SERVER>;
export type RestoreAccepted = Read<typeof RESTORE_ACCEPTED>;
export interface SnapshotPage {
  count: number;
  next: string | null;
  results: Snapshot[];
}

/** Raised when a body does not have the documented shape; `at` names the offending field. */
export class ShapeError extends Error {
  constructor(at: string, expected: string, got: unknown) {
    super(`${at} should be ${expected}, ${got === undefined ? 'but it is missing' : `got ${describe(got)}`}`);
    this.name = 'ShapeError';
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.slice(0, 40)}"`;
  return typeof value === 'object' ? 'an object' : String(value);
}

/** `value` as `shape` says, or a ShapeError; `at` names it in errors ('' for the body, whose fields go unprefixed). */
function read<S extends Shape>(value: unknown, shape: S, at: string): Read<S> {
  const record = object(value, at || 'body');
  const out: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(shape)) {
    const where = at ? `${at}.${name}` : name;
    out[name] = typeof kind === 'object' ? read(record[name], kind, where) : field(record[name], kind, where);
  }
  return out as Read<S>;
}

function object(value: unknown, at: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new ShapeError(at, 'an object', value);
  return value as Record<string, unknown>;
}

function field(value: unknown, kind: Kind, at: string): unknown {
  if (value === undefined || value === null) {
    if (kind === 'text?') return '';
    if (kind === 'number?') return null;
  }
  const ok =
    kind === 'integer'
      ? Number.isSafeInteger(value)
      : kind === 'number?'
        ? Number.isFinite(value)
        : typeof value === 'string';
  if (!ok) throw new ShapeError(at, EXPECTED[kind], value);
  return value;
}

export function parseSnapshot(value: unknown, at = 'snapshot'): Snapshot {
  return read(value, SNAPSHOT, at);
}

export function parseSnapshotPage(value: unknown): SnapshotPage {
  const { results, next, count } = object(value, 'body');
  if (!Array.isArray(results)) throw new ShapeError('results', 'an array', results);
  if (next !== undefined && next !== null && typeof next !== 'string')
    throw new ShapeError('next', 'a URL or null', next);
  return {
    count: typeof count === 'number' ? count : results.length,
    next: next || null,
    results: results.map((item, i) => parseSnapshot(item, `results[${i}]`)),
  };
}

export function parseServer(value: unknown, at = ''): ServerInfo {
  return read(value, SERVER, at);
}

export function parseRestoreAccepted(value: unknown): RestoreAccepted {
  const accepted = read(value, RESTORE_ACCEPTED, '');
  return { ...accepted, server: { ...accepted.server, status: accepted.server.status || 'restoring' } };
}

/** The provider's word on a create, e.g. how long it expects to take. */
export function createMessage(value: unknown): string {
  const message = value && typeof value === 'object' ? (value as Record<string, unknown>).message : undefined;
  return typeof message === 'string' ? message : '';
}
