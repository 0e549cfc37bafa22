// Hostile-text mode: every free-text field of every answer carries a piece of the catalogue
// (hostile-texts.ts), decided when the answer is written, so the model keeps what clients sent and
// switching the mode off gives clean answers again. Snapshot names are never rewritten: a client must
// recognise its own snapshot; third-party snapshots with hostile names are seeded instead.
import type { Route } from './faults.ts';
import { hostileFor } from './hostile-texts.ts';
import type { ProviderModel, SnapshotRecord } from './model.ts';
import type { Reply } from './routes.ts';

/** What a rewrite needs besides the answer. */
export interface HostileContext {
  route: Route | undefined;
  /** The request's number in the log: error texts vary with it. */
  ordinal: number;
  /** The ID the request names (path, or the create body's `server_id`); 0 if none. */
  subjectId: number;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const idOf = (value: unknown): number => (isObject(value) && typeof value.id === 'number' ? value.id : 0);

/** The answer as hostile mode sends it: same statuses, keys and types, hostile free text. */
export function hostileReply(reply: Reply, context: HostileContext): Reply {
  const body = reply.body;
  if (!isObject(body)) return reply;
  return { ...reply, body: hostileBody(reply.status, body, context) };
}

/** The 2xx answers by route; anything else (errors, faults' bodies) has its texts replaced. */
function hostileBody(status: number, body: Json, context: HostileContext): Json {
  if (context.route === 'list' && status === 200 && Array.isArray(body.results)) {
    return { ...body, results: body.results.map((s) => (isObject(s) ? snapshot(s) : s)) };
  }
  if (context.route === 'create' && status === 201) return withMessage(snapshot(body), idOf(body));
  if (context.route === 'restore' && status === 200 && isObject(body.server)) {
    const serverId = idOf(body.server);
    const server = { ...body.server, name: hostileFor('server.name', serverId, serverId) };
    return { ...withMessage(body, idOf(body.snapshot), serverId), server };
  }
  if (context.route === 'server' && status === 200) {
    return { ...body, name: hostileFor('server.name', idOf(body), idOf(body)) };
  }
  return errorTexts(body, context);
}

/** A snapshot object: hostile `description` and `server.name`; `name` exactly as stored. */
function snapshot(body: Json): Json {
  const serverId = idOf(body.server);
  return {
    ...body,
    server: { ...(body.server as Json), name: hostileFor('server.name', serverId, serverId) },
    description: hostileFor('description', idOf(body), serverId),
  };
}

function withMessage(body: Json, snapshotId: number, serverId = idOf(body.server)): Json {
  return typeof body.message === 'string'
    ? { ...body, message: hostileFor('message', snapshotId, serverId) }
    : body;
}

/** Every text of an error answer (`detail`, `message`, `error`, field errors), each a different piece. */
function errorTexts(body: Json, context: HostileContext): Json {
  let n = context.ordinal;
  const text = () => hostileFor('error', n++, context.subjectId);
  const out: Json = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') out[key] = text();
    else if (Array.isArray(value)) out[key] = value.map((v) => (typeof v === 'string' ? text() : v));
    else out[key] = value;
  }
  return out;
}

/** Servers and snapshots a third party made in the account, under hostile names. */
export const FOREIGN_SERVER_IDS = [66601, 66602] as const;
/** Three completed snapshots on each foreign server; below 802, so new IDs still start there. */
export const FOREIGN_SNAPSHOT_IDS = [790, 791, 792, 793, 794, 795] as const;

/**
 * Adds the foreign servers and snapshots to `token`'s account, their names taken from the catalogue
 * (stored so, hostile mode or not). Timestamps are fixed, in the past, and valid.
 */
export function addForeignSnapshots(model: ProviderModel, token: string): SnapshotRecord[] {
  for (const id of FOREIGN_SERVER_IDS) model.addServer(token, id, hostileFor('server.name', id, id));
  return FOREIGN_SNAPSHOT_IDS.map((id, i) => {
    const serverId = FOREIGN_SERVER_IDS[i % FOREIGN_SERVER_IDS.length] as number;
    const createdAt = Date.parse('2025-01-10T09:00:00Z') + i * 3_600_000;
    return model.addSnapshot({
      id,
      serverId,
      name: hostileFor('snapshot.name', id, serverId),
      description: hostileFor('description', id, serverId),
      createdAt,
      readyAt: createdAt,
      sizeMb: 2_048 + i,
    });
  });
}
