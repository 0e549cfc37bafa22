// Failed calls say what failed: status, the provider's words, method, path and a hint; answers that are not
// the API's own (a proxy's page, a wrong content type, the wrong shape) are named as such.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator, parseFault, testTls } from '../../emulator/index.ts';
import { SnapshotsClient } from '../../src/api/client.ts';
import { failure, type Harness, startHarness, TOKEN } from '../helpers/emulator.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ timings: { snapshotMs: 10_000, restoreMs: 10_000 } });
});
afterEach(() => h.stop());

describe('errors carry status, the provider message, method, path and a hint', () => {
  it('401 points at the token', async () => {
    const client = new SnapshotsClient({ baseUrl: h.emulator.baseUrl, token: 'wrong-token' });
    const error = await failure(client.listSnapshots());
    await client.close();
    expect(error).toMatchObject({ kind: 'http', status: 401, method: 'GET', path: '/snapshots/' });
    expect(error.message).toBe(
      'GET /snapshots/ failed with HTTP 401: Invalid token. Check the api_token secret: it is missing, mistyped or expired',
    );
  });

  it('403 says the token lacks permission, not that it is wrong', async () => {
    h.emulator.faults.add(parseFault('delete:status:403'));
    const error = await failure(h.client.deleteSnapshot(801, 12345));
    expect(error.message).toMatch(
      /HTTP 403: .*The api_token is valid but lacks permission for this server or account/,
    );
    expect(error.message).not.toMatch(/mistyped|expired|missing/);
  });

  it('400 field errors are shown in the provider words', async () => {
    const error = await failure(h.client.createSnapshot({ serverId: 12345, name: 'bad name' }, new Set()));
    expect(error.status).toBe(400);
    expect(error.providerMessage).toBe(
      'name: Name may contain only letters, digits, dashes and underscores.',
    );
  });

  it('404 on create and on the server point at server_id, on restore at the snapshot being gone', async () => {
    expect((await failure(h.client.createSnapshot({ serverId: 999, name: 'x' }, new Set()))).hint).toMatch(
      /server_id/,
    );
    expect((await failure(h.client.restoreSnapshot(4242))).hint).toMatch(
      /The snapshot is gone .*\(operation: list\)/,
    );
    expect((await failure(h.client.getServer(999))).hint).toMatch(/server_id/);
  });

  it.each([
    ['the API answers 404: the base URL lacks /api/v1', ''],
    ["a gateway's HTML 404", 'list:html:404@10'],
  ])(
    'a list that is not found points at api_url, never at an input list does not take (%s)',
    async (_, fault) => {
      if (fault) h.emulator.faults.add(parseFault(fault));
      const base = fault ? h.emulator.baseUrl : h.emulator.baseUrl.replace(/\/api\/v1$/, '');
      const client = new SnapshotsClient({ baseUrl: base, token: TOKEN, retry: { attempts: 1 } });
      const error = await failure(client.listSnapshots());
      await client.close();
      expect(error.status).toBe(404);
      expect(error.message).toMatch(
        /Check api_url: it should be the Snapshots API's base URL, like https:\/\/admin\.vps\.org\/api\/v1/,
      );
      expect(error.message).not.toMatch(/snapshot_id|server_id/);
    },
  );

  it('the limit suggests list or keep', async () => {
    for (const name of ['c', 'd', 'e']) await h.client.createSnapshot({ serverId: 12345, name }, new Set());
    const error = await failure(h.client.createSnapshot({ serverId: 12345, name: 'f' }, new Set()));
    expect(error.providerMessage).toMatch(/Snapshot limit reached/);
    expect(error.hint).toMatch(/keep/);
    expect(h.emulator.requests('create')).toHaveLength(4);
  });

  it("chooses a 400's next step by the request, never by the provider's words", async () => {
    // Hostile mode rewrites the provider's message: the next step is the same, whatever it says.
    h.emulator.hostile = true;
    for (const name of ['c', 'd', 'e']) await h.client.createSnapshot({ serverId: 12345, name }, new Set());
    const error = await failure(h.client.createSnapshot({ serverId: 12345, name: 'f' }, new Set()));
    expect(error.status).toBe(400);
    expect(error.providerMessage).not.toMatch(/limit/i);
    expect(error.hint).toMatch(/limit of 5 .*set keep/);
  });
});

describe("answers that are not the API's", () => {
  it('a body that is not the documented shape is a clear error', async () => {
    h.emulator.faults.add(parseFault('server:malformed@10'));
    const error = await failure(h.client.getServer(12345));
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toMatch(/id should be an integer, but it is missing/);
  });

  it('HTML where JSON was expected is retried, then a clear error', async () => {
    h.emulator.faults.add(parseFault('list:garbage@10'));
    const error = await failure(h.client.listSnapshots());
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toMatch(
      /an answer that is not the API's: HTTP 200 without JSON, text\/html.*<html>/,
    );
    expect(error.message).toMatch(
      /Something other than the API \(a proxy, a gateway, another site\) answered. Check api_url/,
    );
    expect(h.emulator.requests('list')).toHaveLength(5);
  });

  it("the API's own JSON under a text/html content type is not taken", async () => {
    h.emulator.faults.add(parseFault('list:wrongtype@10'));
    const error = await failure(h.client.listSnapshots(12345));
    expect(error.message).toMatch(/an answer that is not the API's: HTTP 200 without JSON, text\/html/);
    expect(h.emulator.requests('list').map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  });

  it("a proxy's error page says it is not the API, and is retried like the status", async () => {
    h.emulator.faults.add(parseFault('list:html:502@1'));
    expect(await h.client.listSnapshots(12345)).toHaveLength(2);
    h.emulator.faults.add(parseFault('server:html:502@10'));
    const error = await failure(h.client.getServer(12345));
    expect(error).toMatchObject({ kind: 'http', status: 502, providerMessage: undefined });
    expect(error.message).toMatch(/HTTP 502: a page that is not the API's/);
  });

  it('a network sign-in page (200 text/html) recovers once the network lets the request through', async () => {
    h.emulator.faults.add(parseFault('server:html@2'));
    expect(await h.client.getServer(12345)).toEqual({ id: 12345, name: 'web-server-01', status: 'running' });
    expect(h.emulator.requests('server')).toHaveLength(3);
  });
});

describe('a TLS certificate the runner does not trust', () => {
  it('says it is a certificate problem and names NODE_EXTRA_CA_CERTS, once, without retrying', async () => {
    const https = new Emulator({ token: TOKEN });
    const base = await https.start({ tls: testTls() });
    const sleeps: number[] = [];
    const client = new SnapshotsClient({
      baseUrl: base,
      token: TOKEN,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    try {
      const error = await failure(client.listSnapshots(12345));
      expect(error).toMatchObject({ kind: 'certificate', notSent: true });
      expect(error.message).toBe(
        `GET /snapshots/?server_id=12345 failed with a certificate problem (UNABLE_TO_VERIFY_LEAF_SIGNATURE): the runner does not trust ${new URL(base).origin}'s TLS certificate. Check that api_url names the certificate's host; for a private CA, give Node its certificate as a PEM file in NODE_EXTRA_CA_CERTS`,
      );
      expect(error.message).not.toMatch(/reachable|network error/);
      // The handshake failed: no request reached the API, and none was tried again.
      expect(https.log).toEqual([]);
      expect(sleeps).toEqual([]);
    } finally {
      await client.close();
      await https.stop();
    }
  });
});
