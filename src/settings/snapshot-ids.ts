// Reader for snapshot_ids: the JSON object create writes, server ID to snapshot ID, read strictly.
import { MAX_FLEET } from './constants.ts';
import { parseId, type ReaderContext, shown } from './context.ts';

export interface FleetEntry {
  serverId: number;
  snapshotId: number;
}

export interface SnapshotIdsInput {
  text: string;
  /** Undefined when the value is malformed (its problems are recorded); may be empty: `{}`. */
  entries?: FleetEntry[];
}

export const FROM_CREATE =
  'give the create step\'s snapshot_ids output, server ID to snapshot ID, like {"12345": 802, "12346": 803}';

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a JSON array';
  return `a ${typeof value}`;
}

function parseObject(ctx: ReaderContext, text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    ctx.problem(`snapshot_ids '${shown(text)}' is not JSON: ${FROM_CREATE}`);
    return undefined;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  const single = typeof value === 'number' ? '; one snapshot ID alone goes in snapshot_id' : '';
  ctx.problem(
    `snapshot_ids '${shown(text)}' is ${kindOf(value)}, not a JSON object: ${FROM_CREATE}${single}`,
  );
  return undefined;
}

function readEntry(ctx: ReaderContext, key: string, value: unknown): FleetEntry | undefined {
  const serverId = parseId(key);
  if (serverId === undefined) {
    ctx.problem(
      `snapshot_ids key '${shown(key)}' is not a server ID: keys are numeric server IDs; ${FROM_CREATE}`,
    );
  }
  const snapshotId =
    typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (snapshotId === undefined) {
    ctx.problem(
      `snapshot_ids value ${shown(JSON.stringify(value) ?? String(value))} for '${shown(key)}' is not a snapshot ID: values are positive whole numbers; ${FROM_CREATE}`,
    );
  }
  return serverId !== undefined && snapshotId !== undefined ? { serverId, snapshotId } : undefined;
}

/**
 * Server IDs the text names more than once. JSON.parse keeps only the last of repeated keys, and '012'
 * and '12' are two keys for one server, so the keys are counted in the text itself. Only called when
 * every value is a number: then the only strings in the text are the keys.
 */
function repeatedServers(text: string): number[] {
  const seen = new Set<number>();
  const repeated = new Set<number>();
  for (const [, key] of text.matchAll(/"((?:[^"\\]|\\.)*)"\s*:/g)) {
    const id = parseId(key ?? '');
    if (id === undefined) continue;
    if (seen.has(id)) repeated.add(id);
    seen.add(id);
  }
  return [...repeated];
}

function checkUnique(ctx: ReaderContext, text: string, entries: FleetEntry[]): boolean {
  let ok = true;
  for (const serverId of repeatedServers(text)) {
    ctx.problem(`snapshot_ids names server ${serverId} twice: name each server once; ${FROM_CREATE}`);
    ok = false;
  }
  const owner = new Map<number, number>();
  for (const { serverId, snapshotId } of entries) {
    const other = owner.get(snapshotId);
    if (other !== undefined && other !== serverId) {
      ctx.problem(
        `snapshot_ids gives snapshot ${snapshotId} to both server ${other} and server ${serverId}: a snapshot belongs to one server; ${FROM_CREATE}`,
      );
      ok = false;
    }
    owner.set(snapshotId, serverId);
  }
  if (entries.length > MAX_FLEET) {
    ctx.problem(`snapshot_ids names ${entries.length} servers: at most ${MAX_FLEET} in one step`);
    ok = false;
  }
  return ok;
}

/** `snapshot_ids`: undefined when not given. */
export function readSnapshotIds(ctx: ReaderContext): SnapshotIdsInput | undefined {
  const text = ctx.read('snapshot_ids');
  if (!text) return undefined;
  const object = parseObject(ctx, text);
  if (!object) return { text };
  const pairs = Object.entries(object);
  const entries = pairs.map(([key, value]) => readEntry(ctx, key, value));
  const valid = entries.filter((entry) => entry !== undefined);
  if (valid.length < pairs.length) return { text };
  return checkUnique(ctx, text, valid) ? { text, entries: valid } : { text };
}
