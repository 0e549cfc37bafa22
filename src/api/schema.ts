// The API's answers, checked at the boundary: anything that is not the documented shape is refused here.

export interface Snapshot {
  id: number;
  server: { id: number; name: string };
  name: string;
  /** `in_progress`, `completed`, `failed`/`error`; other values are kept and treated as in progress. */
  status: string;
  size_mb: number | null;
  created_at: string;
  description: string;
}

export interface ServerInfo {
  id: number;
  name: string;
  status: string;
}

export interface RestoreAccepted {
  message: string;
  snapshot: { id: number; name: string; created_at: string };
  server: ServerInfo;
}

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

function object(value: unknown, at: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new ShapeError(at, 'an object', value);
  return value as Record<string, unknown>;
}

function integer(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new ShapeError(at, 'an integer', value);
  return value;
}

function text(value: unknown, at: string): string {
  if (typeof value !== 'string') throw new ShapeError(at, 'a string', value);
  return value;
}

function optionalText(value: unknown, at: string): string {
  return value === undefined || value === null ? '' : text(value, at);
}

export function parseSnapshot(value: unknown, at = 'snapshot'): Snapshot {
  const record = object(value, at);
  const server = object(record.server, `${at}.server`);
  const size = record.size_mb;
  if (size !== null && size !== undefined && (typeof size !== 'number' || !Number.isFinite(size)))
    throw new ShapeError(`${at}.size_mb`, 'a number or null', size);
  return {
    id: integer(record.id, `${at}.id`),
    server: {
      id: integer(server.id, `${at}.server.id`),
      name: optionalText(server.name, `${at}.server.name`),
    },
    name: text(record.name, `${at}.name`),
    status: text(record.status, `${at}.status`),
    size_mb: typeof size === 'number' ? size : null,
    created_at: optionalText(record.created_at, `${at}.created_at`),
    description: optionalText(record.description, `${at}.description`),
  };
}

export function parseSnapshotPage(value: unknown): SnapshotPage {
  const record = object(value, 'body');
  if (!Array.isArray(record.results)) throw new ShapeError('results', 'an array', record.results);
  const next = record.next;
  if (next !== undefined && next !== null && typeof next !== 'string')
    throw new ShapeError('next', 'a URL or null', next);
  return {
    count: typeof record.count === 'number' ? record.count : record.results.length,
    next: next || null,
    results: record.results.map((item, i) => parseSnapshot(item, `results[${i}]`)),
  };
}

export function parseServer(value: unknown, at = ''): ServerInfo {
  const record = object(value, at || 'body');
  const field = (name: string) => (at ? `${at}.${name}` : name);
  return {
    id: integer(record.id, field('id')),
    name: optionalText(record.name, field('name')),
    status: at ? optionalText(record.status, field('status')) : text(record.status, field('status')),
  };
}

export function parseRestoreAccepted(value: unknown): RestoreAccepted {
  const record = object(value, 'body');
  const snapshot = object(record.snapshot, 'snapshot');
  const server = parseServer(record.server, 'server');
  return {
    message: optionalText(record.message, 'message'),
    snapshot: {
      id: integer(snapshot.id, 'snapshot.id'),
      name: optionalText(snapshot.name, 'snapshot.name'),
      created_at: optionalText(snapshot.created_at, 'snapshot.created_at'),
    },
    server: { ...server, status: server.status || 'restoring' },
  };
}

/** The provider's word on a create, e.g. how long it expects to take. */
export function createMessage(value: unknown): string {
  const message = value && typeof value === 'object' ? (value as Record<string, unknown>).message : undefined;
  return typeof message === 'string' ? message : '';
}
