// A list walk ends, whatever the provider's next links do: at most 1000 pages, and a link back to a page
// already read is noticed at once however it is written (page=1 spelled out, its parameters reordered).
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotsClient } from '../../src/api/client.ts';
import { failure, TOKEN } from '../helpers/emulator.ts';
import { json, type Reply, type Scripted, scriptedServer } from '../helpers/scripted-server.ts';
import { snap } from '../helpers/snapshots.ts';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A scripted provider and a client of it (retries would only repeat the same pages), both stopped after the test. */
async function provider(reply: (page: number, path: string) => Reply): Promise<[Scripted, SnapshotsClient]> {
  const api = await scriptedServer((path) =>
    reply(Number(new URL(path, 'http://x').searchParams.get('page') ?? '1'), path),
  );
  const client = new SnapshotsClient({
    baseUrl: `${api.origin}/api/v1`,
    token: TOKEN,
    retry: { attempts: 1 },
  });
  cleanups.push(
    () => api.stop(),
    () => client.close(),
  );
  return [api, client];
}

const page = (id: number, next: string | null) =>
  json(200, { count: 2, next, previous: null, results: [snap(id, `s-${id}`, 1)] });

describe('a provider whose next links never end', () => {
  it('is read for 1000 pages, then the list fails', async () => {
    const [api, client] = await provider((n) => page(n, `/api/v1/snapshots/?page=${n + 1}`));
    const error = await failure(client.listSnapshots());
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toMatch(/failed with more than 1000 pages/);
    expect(api.seen).toHaveLength(1000);
  });
});

describe('a next link back to a page already read', () => {
  it('is noticed at once when it spells out page=1 for the first page', async () => {
    const [api, client] = await provider(() => page(1, '/api/v1/snapshots/?server_id=12345&page=1'));
    const error = await failure(client.listSnapshots(12345));
    expect(error.message).toMatch(/a next link back to a page already read/);
    expect(api.seen).toHaveLength(1);
  });

  it('is noticed at once when its parameters come in another order', async () => {
    const [api, client] = await provider((n) =>
      n === 1
        ? page(1, '/api/v1/snapshots/?page=2&server_id=12345')
        : page(2, '/api/v1/snapshots/?server_id=12345&page=2'),
    );
    const error = await failure(client.listSnapshots(12345));
    expect(error.message).toMatch(/a next link back to a page already read/);
    expect(api.seen).toHaveLength(2);
  });
});
