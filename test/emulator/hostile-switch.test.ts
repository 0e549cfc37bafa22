import { afterEach, describe, expect, it } from 'vitest';
import {
  addForeignSnapshots,
  CREATE_MESSAGE,
  Emulator,
  FOREIGN_SERVER_IDS,
  HOSTILE_TEXTS,
  hostileFor,
  RESTORE_MESSAGE,
} from '../../emulator/index.ts';
import { startHarness } from '../helpers/emulator.ts';
import { caller, TOKEN } from './helpers.ts';

let emulator: Emulator | undefined;
let base: string;
const call = caller(() => base);
const start = async (e: Emulator) => {
  emulator = e;
  base = await e.start();
};
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

/** Whether any catalogue piece, or any workflow command, is in `text`. */
const hostile = (text: string) =>
  text.includes('::') || text.includes('##[') || Object.values(HOSTILE_TEXTS).some((t) => text.includes(t));

describe('hostile mode is off by default', () => {
  it('answers every route with the clean texts and seeds no third-party snapshots', async () => {
    const e = new Emulator({ token: TOKEN, now: () => Date.parse('2025-01-16T16:15:00Z') });
    expect(e.hostile).toBe(false);
    await start(e);
    const list = await call('GET', '/snapshots/');
    expect(list.json.results.map((s) => [s.id, s.description])).toEqual([
      [801, 'Before major migration'],
      [798, 'Weekly snapshot'],
    ]);
    const created = await call('POST', '/snapshots/', { server_id: 12345, name: 'n', description: 'd' });
    expect(created.json).toMatchObject({ description: 'd', message: CREATE_MESSAGE });
    const restored = await call('POST', '/snapshots/801/restore/');
    expect(restored.json).toMatchObject({ message: RESTORE_MESSAGE, server: { name: 'web-server-01' } });
    expect((await call('GET', '/servers/12345/')).json).toMatchObject({ name: 'web-server-01' });
    const refused = await call('GET', '/snapshots/', undefined, null);
    expect(refused.json).toEqual({ detail: 'Authentication credentials were not provided.' });
    for (const answer of [list, created, restored, refused]) expect(hostile(answer.text)).toBe(false);
  });
});

describe('third-party snapshots', () => {
  it('are seeded only with the seed; addForeignSnapshots adds them to any account', async () => {
    const e = new Emulator({ token: TOKEN, seed: false, hostile: true });
    expect(e.model.snapshots.size).toBe(0);
    const added = addForeignSnapshots(e.model, TOKEN);
    await start(e);
    const list = await call('GET', '/snapshots/');
    expect(list.json.results.map((s) => s.name)).toEqual(added.map((s) => s.name).reverse());
    for (const id of FOREIGN_SERVER_IDS) {
      expect((await call('GET', `/servers/${id}/`)).json.name).toBe(hostileFor('server.name', id, id));
      expect(e.model.accounts.get(TOKEN)?.servers.get(id)?.name).toBe(hostileFor('server.name', id, id));
    }
    const created = await call('POST', '/snapshots/', { server_id: FOREIGN_SERVER_IDS[0], name: 'mine' });
    expect(created.json.id).toBe(802);
  });
});

describe("the action's client", () => {
  it('reads every hostile answer: lists, create, restore and server status', async () => {
    const h = await startHarness({ hostile: true });
    try {
      const all = await h.client.listSnapshots();
      expect(all).toHaveLength(8);
      for (const s of all) expect(s.description).toBe(hostileFor('description', s.id, s.server.id));
      const created = await h.client.createSnapshot({ serverId: 12345, name: 'pre-deploy-1' });
      expect(created.snapshot.name).toBe('pre-deploy-1');
      expect(created.message).toBe(hostileFor('message', created.snapshot.id, 12345));
      const restore = await h.client.restoreSnapshot(801);
      expect(restore.message).toBe(hostileFor('message', 801, 12345));
      const server = await h.client.getServer(12345);
      expect(server).toEqual({
        id: 12345,
        name: hostileFor('server.name', 12345, 12345),
        status: 'restoring',
      });
    } finally {
      await h.stop();
    }
  });
});
