// The token goes only to the API's own origin, only in the Authorization header, never over plain http
// to a host that is not loopback.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotsClient } from '../../src/api/client.ts';
import { failure, type Harness, startHarness, TOKEN } from '../helpers/emulator.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.stop());

describe('the token stays private', () => {
  it('refuses plain http to a host that is not loopback', () => {
    expect(() => new SnapshotsClient({ baseUrl: 'http://api.example.com/api/v1', token: 't' })).toThrow(
      /plain http:\/\/ to a host that is not loopback/,
    );
    for (const url of [
      'http://localhost:1/api',
      'http://127.0.0.9:1',
      'http://[::1]:1/api',
      'https://a.example/api',
    ]) {
      expect(() => new SnapshotsClient({ baseUrl: url, token: 't' })).not.toThrow();
    }
  });

  it('does not follow a redirect to another origin', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const target = createServer((req, res) => {
      seen.push(req.headers);
      res.end('{}');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const port = (target.address() as AddressInfo).port;
    let redirects = 0;
    const redirector = createServer((_req, res) => {
      redirects += 1;
      res.writeHead(302, { location: `http://localhost:${port}/login/${TOKEN}/api/v1/snapshots/` });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    const client = new SnapshotsClient({
      baseUrl: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/api/v1`,
      token: TOKEN,
    });
    try {
      const error = await failure(client.listSnapshots());
      expect(error.message).toMatch(/redirect to http:\/\/localhost:\d+\/login\/\*\*\*\//);
      // The redirect's target is the provider's text: a token in it is removed like anywhere else.
      expect(error.message).not.toContain(TOKEN);
      expect(seen).toHaveLength(0);
      expect(redirects).toBe(1);
    } finally {
      await client.close();
      target.closeAllConnections();
      redirector.closeAllConnections();
      target.close();
      redirector.close();
    }
  });

  it('removes the token from what the provider says, even when its JSON quotes it \\u-escaped', async () => {
    const escaped = [...TOKEN].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const server = createServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(`{"detail": "Bad token ${escaped}"}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const client = new SnapshotsClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`,
      token: TOKEN,
      retry: { attempts: 2 },
      sleep: async () => {},
      logger: { debug: log, info: log, warning: log },
    });
    try {
      const error = await failure(client.getServer(1));
      expect(error.providerMessage).toBe('Bad token ***');
      expect(lines.some((line) => line.includes('Bad token ***'))).toBe(true);
      expect(lines.join('\n')).not.toContain(TOKEN);
    } finally {
      await client.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it('sends the token only in the Authorization header', async () => {
    await h.client.listSnapshots(12345);
    for (const entry of h.emulator.log) {
      expect(JSON.stringify({ path: entry.path, query: entry.query, body: entry.body })).not.toContain(TOKEN);
      expect(entry.authorized).toBe(true);
    }
  });
});
