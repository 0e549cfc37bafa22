// The token goes nowhere but the API's Authorization header: a provider's message that quotes it is
// redacted before it reaches an error or a log line, and a `next` link off the API (another origin, or
// outside its base path) is not followed. A scripted server on loopback plays the provider.
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotsClient } from '../../src/api/client.ts';
import { failure, TOKEN } from '../helpers/emulator.ts';
import { RecordingLogger } from '../helpers/logger.ts';
import { json, type Reply, type Scripted, scriptedServer } from '../helpers/scripted-server.ts';
import { snap } from '../helpers/snapshots.ts';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A scripted provider, stopped after the test. */
async function scripted(reply: (path: string, origin: string) => Reply): Promise<Scripted> {
  const server = await scriptedServer(reply);
  cleanups.push(() => server.stop());
  return server;
}

function clientOf(api: Scripted, logger = new RecordingLogger()): SnapshotsClient {
  const client = new SnapshotsClient({
    baseUrl: `${api.origin}/api/v1`,
    token: TOKEN,
    logger,
    sleep: async () => {},
  });
  cleanups.push(() => client.close());
  return client;
}

describe('a provider message that quotes the token', () => {
  it.each([
    ['a 401 detail', json(401, { detail: `Invalid token: Bearer ${TOKEN}` })],
    ['a 400 field error', json(400, { server_id: [`server not found for token ${TOKEN}`] })],
    ['a 404 message', json(404, { message: `${TOKEN} has no server 12345` })],
  ])('is redacted in %s', async (_, reply) => {
    const api = await scripted(() => reply);
    const error = await failure(clientOf(api).getServer(12345));
    expect(error.providerMessage).toContain('***');
    expect(error.providerMessage).not.toContain(TOKEN);
    expect(error.message).toContain('***');
    expect(error.message).not.toContain(TOKEN);
  });

  it('is redacted in an HTML page that echoes the request (a proxy), quoted in the error', async () => {
    const api = await scripted(() => ({
      status: 200,
      type: 'text/html',
      body: `<pre>Authorization: Bearer ${TOKEN}</pre>`,
    }));
    const error = await failure(clientOf(api).getServer(12345));
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toContain('Authorization: Bearer ***');
    expect(error.message).not.toContain(TOKEN);
  });

  it('is redacted in the log lines of the retries, and in the error after them', async () => {
    const api = await scripted(() => json(503, { detail: `backend down (request by ${TOKEN})` }));
    const logger = new RecordingLogger();
    const error = await failure(clientOf(api, logger).listSnapshots(12345));
    expect(api.seen).toHaveLength(5);
    expect(logger.debugs.filter((line) => line.includes('retry'))).toHaveLength(4);
    for (const line of [...logger.debugs, ...logger.lines, error.message]) {
      expect(line).not.toContain(TOKEN);
    }
    expect(error.message).toContain('request by ***');
  });
});

describe('a next link', () => {
  const page = (id: number, next: string | null) =>
    json(200, { count: 2, next, previous: null, results: [snap(id, `s-${id}`, id)] });

  it('is followed on the API itself, relative or absolute (the control: the scripted API is readable)', async () => {
    for (const absolute of [false, true]) {
      const api = await scripted((path, origin) =>
        path.includes('page=2')
          ? page(2, null)
          : page(1, `${absolute ? origin : ''}/api/v1/snapshots/?page=2`),
      );
      expect((await clientOf(api).listSnapshots()).map((s) => s.id)).toEqual([1, 2]);
      expect(api.seen.map((p) => p.replace(/[?&]page_size=100/, ''))).toEqual([
        '/api/v1/snapshots/',
        '/api/v1/snapshots/?page=2',
      ]);
    }
  });

  it('to another origin is not followed, there or on the API', async () => {
    const elsewhere = await scripted(() => page(2, null));
    const api = await scripted(() => page(1, `${elsewhere.origin}/api/v1/snapshots/?page=2`));
    const error = await failure(clientOf(api).listSnapshots());
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toContain(`a next page outside the API (${elsewhere.origin}/api/v1/snapshots/)`);
    expect(error.message).toContain('The token is not sent there; check api_url');
    expect(elsewhere.seen).toEqual([]);
    expect(api.seen).toHaveLength(1);
  });

  it('outside the API base path on its own origin is not followed', async () => {
    const api = await scripted((path) =>
      path.startsWith('/api/v1/') ? page(1, '/export/everything/?page=2') : page(2, null),
    );
    const error = await failure(clientOf(api).listSnapshots());
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toContain(`a next page outside the API (${api.origin}/export/everything/)`);
    expect(api.seen).toHaveLength(1);
  });
});
