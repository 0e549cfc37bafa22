import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CREATE_MESSAGE,
  Emulator,
  FOREIGN_SNAPSHOT_IDS,
  HOSTILE_KINDS,
  HOSTILE_TEXTS,
  hostileFor,
  hostileText,
  parseFault,
  SERVER_ID_PLACEHOLDER,
} from '../../emulator/index.ts';
import { providerMessage } from '../../src/api/errors.ts';
import {
  createMessage,
  parseRestoreAccepted,
  parseServer,
  parseSnapshot,
  parseSnapshotPage,
} from '../../src/api/schema.ts';
import { caller, readFor, TOKEN } from './helpers.ts';

let emulator: Emulator;
let base: string;
const call = caller(() => base);
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const PIECES = new Set<string>(Object.values(HOSTILE_TEXTS));

/** Whether `text` is a catalogue piece, with any server ID filled in. */
const isPiece = (text: string) =>
  PIECES.has(text.replace(/(::add-mask::)\d+$/, `$1${SERVER_ID_PLACEHOLDER}`));

/** Every string in a JSON value, at any depth. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

beforeEach(async () => {
  emulator = new Emulator({
    token: TOKEN,
    hostile: true,
    now: () => Date.parse('2025-01-16T16:15:00Z'),
  });
  emulator.model.addServer(TOKEN, 12346, 'db-server-01');
  base = await emulator.start();
});
afterEach(() => emulator.stop());

describe('hostile mode: answers', () => {
  it('lists hostile descriptions and server names, third-party snapshots with hostile names, valid times', async () => {
    const { status, text } = await call('GET', '/snapshots/');
    expect(status).toBe(200);
    const page = parseSnapshotPage(JSON.parse(text));
    expect(page.results.map((s) => s.id)).toEqual([801, 795, 794, 793, 792, 791, 790, 798]);
    for (const s of page.results) {
      expect(s.description).toBe(hostileFor('description', s.id, s.server.id));
      expect(s.server.name).toBe(hostileFor('server.name', s.server.id, s.server.id));
      expect(s.created_at).toMatch(TIME);
    }
    const foreign = page.results.filter((s) => (FOREIGN_SNAPSHOT_IDS as readonly number[]).includes(s.id));
    for (const s of foreign) expect(s.name).toBe(hostileFor('snapshot.name', s.id, s.server.id));
    expect(new Set(foreign.map((s) => s.name)).size).toBe(FOREIGN_SNAPSHOT_IDS.length);
    expect(page.results.filter((s) => s.server.id === 12345).map((s) => s.name)).toEqual([
      'pre-migration-snapshot',
      'weekly-snapshot-2025-01-08',
    ]);
  });

  it("creates: the client's name echoed exactly; description, server name and message hostile", async () => {
    const sent = { server_id: 12345, name: 'deploy_2025-01-16', description: 'plain words' };
    const { status, json } = await call('POST', '/snapshots/', sent);
    expect(status).toBe(201);
    const snapshot = parseSnapshot(json);
    expect(snapshot).toMatchObject({ id: 802, name: sent.name, status: 'in_progress', size_mb: null });
    expect(snapshot.description).toBe(hostileFor('description', 802, 12345));
    expect(snapshot.server.name).toBe(hostileFor('server.name', 12345, 12345));
    expect(snapshot.created_at).toBe('2025-01-16T16:15:00Z');
    expect(createMessage(json)).toBe(hostileFor('message', 802, 12345));
    const listed = await call('GET', '/snapshots/?server_id=12345');
    expect(listed.json.results[0]).toMatchObject({ id: 802, name: sent.name });
    expect(emulator.model.snapshots.get(802)?.description).toBe('plain words');
  });

  it('restores: message and server name hostile, the snapshot named as stored', async () => {
    for (const [id, serverId] of [
      [801, 12345],
      [790, 66601],
    ] as const) {
      const { status, json } = await call('POST', `/snapshots/${id}/restore/`);
      expect(status).toBe(200);
      const accepted = parseRestoreAccepted(json);
      expect(accepted.message).toBe(hostileFor('message', id, serverId));
      expect(accepted.server).toEqual({
        id: serverId,
        name: hostileFor('server.name', serverId, serverId),
        status: 'restoring',
      });
      expect(accepted.snapshot.name).toBe(emulator.model.snapshots.get(id)?.name);
      expect(accepted.snapshot.created_at).toMatch(TIME);
    }
  });

  it("reads a server's hostile name, its status untouched", async () => {
    for (const id of [12345, 12346, 66602]) {
      const { status, json } = await call('GET', `/servers/${id}/`);
      expect(status).toBe(200);
      expect(parseServer(json)).toEqual({
        id,
        name: hostileFor('server.name', id, id),
        status: 'running',
      });
    }
  });

  it.each([
    ['no token', 'GET', '/snapshots/', undefined, null, 401],
    ['a wrong token', 'GET', '/snapshots/', undefined, 'nope', 401],
    ['an unknown snapshot', 'POST', '/snapshots/4242/restore/', undefined, TOKEN, 404],
    ['an unknown server', 'GET', '/servers/4242/', undefined, TOKEN, 404],
    ['an unknown path', 'GET', '/backups/', undefined, TOKEN, 404],
    ['a wrong method', 'PUT', '/snapshots/', undefined, TOKEN, 405],
    ['field errors', 'POST', '/snapshots/', { name: 'a b', description: 7 }, TOKEN, 400],
    ['a list', 'POST', '/snapshots/', [], TOKEN, 400],
    ['a bad server filter', 'GET', '/snapshots/?server_id=x', undefined, TOKEN, 400],
  ] as const)(
    'makes every text of the error answer for %s hostile',
    async (_, method, path, body, token, code) => {
      const { status, json, headers } = await call(method, path, body, token);
      expect(status).toBe(code);
      expect(headers.get('content-type')).toBe('application/json');
      const texts = strings(json);
      expect(texts.length).toBeGreaterThan(0);
      for (const text of texts) expect(isPiece(text)).toBe(true);
      expect(providerMessage(json)).toBeTruthy();
    },
  );

  it("keeps an error answer's keys and logs the emulator's own detail", async () => {
    for (const name of ['a', 'b', 'c', 'd']) await call('POST', '/snapshots/', { server_id: 12345, name });
    const { status, json } = await call('POST', '/snapshots/', { server_id: 12345, name: 'e' });
    expect(status).toBe(400);
    expect(Object.keys(json)).toEqual(['detail']);
    expect(isPiece(json.detail as string)).toBe(true);
    expect(emulator.requests('create').at(-1)?.detail).toMatch(/^Snapshot limit reached/);
    const fields = await call('POST', '/snapshots/', { name: '', description: 7 });
    expect(Object.keys(fields.json).sort()).toEqual(['description', 'name', 'server_id']);
    expect(new Set(strings(fields.json)).size).toBe(3);
  });

  it("makes the texts of injected faults' answers hostile too", async () => {
    emulator.faults.add(parseFault('list:status:503:7@1'), parseFault('create:ambiguous:502@1'));
    const outage = await call('GET', '/snapshots/');
    expect(outage.status).toBe(503);
    expect(outage.headers.get('retry-after')).toBe('7');
    expect(isPiece(outage.json.detail as string)).toBe(true);
    const gateway = await call('POST', '/snapshots/', { server_id: 12346, name: 'x' });
    expect(gateway.status).toBe(502);
    expect(isPiece(gateway.json.detail as string)).toBe(true);
    emulator.faults.add(parseFault('restore:wrongtype@1'));
    const received = await call('POST', '/snapshots/801/restore/');
    expect(received.status).toBe(200);
    expect(isPiece(received.json.detail as string)).toBe(true);
  });

  it('gives each field several kinds over a run', async () => {
    const descriptions = new Set<string>();
    const messages = new Set<string>();
    const errors = new Set<string>();
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      const created = await call('POST', '/snapshots/', { server_id: 12346, name });
      descriptions.add(created.json.description as string);
      messages.add(created.json.message as string);
      errors.add((await call('POST', '/snapshots/999/restore/')).json.detail as string);
    }
    for (const seen of [descriptions, messages, errors]) expect(seen.size).toBe(5);
  });

  it('carries every piece over HTTP intact, as JSON of the right length', async () => {
    const details = new Set<string>();
    for (const _ of HOSTILE_KINDS) {
      const { status, text, headers } = await call('GET', '/servers/4242/');
      expect(status).toBe(404);
      expect(Number(headers.get('content-length'))).toBe(Buffer.byteLength(text));
      details.add((JSON.parse(text) as { detail: string }).detail);
    }
    expect(details).toEqual(new Set(HOSTILE_KINDS.map((kind) => hostileText(kind, 4242))));
  });

  it('stalls the hostile answer, not the clean one', async () => {
    emulator.faults.add(parseFault('server:stall@1'));
    const stalled = await readFor(`${base}/servers/12345/`, 'GET', 100);
    const body = JSON.stringify({
      id: 12345,
      name: hostileFor('server.name', 12345, 12345),
      status: 'running',
    });
    expect(Number(stalled.headers['content-length'])).toBe(Buffer.byteLength(body));
    expect(body.startsWith(stalled.received.toString())).toBe(true);
  });

  it('is switched per request: off gives the clean answers, on the hostile ones again', async () => {
    emulator.hostile = false;
    const clean = await call('POST', '/snapshots/', { server_id: 12346, name: 'calm', description: 'd' });
    expect(clean.json).toMatchObject({ description: 'd', message: CREATE_MESSAGE });
    expect((clean.json.server as { name: string }).name).toBe('db-server-01');
    emulator.hostile = true;
    const listed = await call('GET', '/snapshots/?server_id=12346');
    expect(listed.json.results[0]?.description).toBe(hostileFor('description', 802, 12346));
  });
});
