// Arbitrary and malformed answers never crash the client: every call ends in a typed result or one ApiError.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotsClient } from '../../src/api/client.ts';
import { ApiError, providerMessage } from '../../src/api/errors.ts';
import {
  parseRestoreAccepted,
  parseServer,
  parseSnapshot,
  parseSnapshotPage,
  ShapeError,
} from '../../src/api/schema.ts';

const TOKEN = 'fuzz-token-6f1c2d';

describe('response parsing', () => {
  const parsers = { parseSnapshot, parseSnapshotPage, parseServer, parseRestoreAccepted };

  it.each(Object.entries(parsers))(
    '%s returns a typed value or throws ShapeError, for anything',
    (_, parse) => {
      fc.assert(
        fc.property(fc.anything(), (body) => {
          try {
            const value = parse(body);
            expect(value).toBeTypeOf('object');
          } catch (error) {
            expect(error).toBeInstanceOf(ShapeError);
            expect((error as Error).message).toMatch(/should be/);
          }
        }),
        { numRuns: 3_000 },
      );
    },
  );

  it('accepts every well-formed snapshot and keeps its fields', () => {
    const snapshot = fc.record({
      id: fc.integer({ min: 1 }),
      server: fc.record({ id: fc.integer({ min: 1 }), name: fc.string() }),
      name: fc.string(),
      status: fc.constantFrom('in_progress', 'completed', 'failed', 'error', 'weird'),
      size_mb: fc.option(fc.integer({ min: 0 }), { nil: null }),
      created_at: fc.string(),
      description: fc.string(),
    });
    fc.assert(
      fc.property(
        fc.array(snapshot, { maxLength: 5 }),
        fc.option(fc.webUrl(), { nil: null }),
        (results, next) => {
          expect(parseSnapshotPage({ count: results.length, next, previous: null, results })).toEqual({
            count: results.length,
            next,
            results,
          });
        },
      ),
    );
  });

  it('providerMessage never throws and gives text or nothing', () => {
    fc.assert(
      fc.property(fc.anything(), (body) => {
        const message = providerMessage(body);
        expect(message === undefined || (typeof message === 'string' && message.length > 0)).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('the client against a server that answers anything', () => {
  let server: Server;
  let client: SnapshotsClient;
  let answer: { status: number; body: string; type: string } = {
    status: 200,
    body: '{}',
    type: 'application/json',
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, { 'content-type': answer.type });
        res.end(answer.status === 204 ? undefined : answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new SnapshotsClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`,
      token: TOKEN,
      sleep: async () => {},
      retry: { attempts: 2 },
    });
  });
  afterAll(async () => {
    await client.close();
    server.closeAllConnections();
    server.close();
  });

  const bodies = fc.oneof(
    fc.json(),
    fc.string(),
    fc.constantFrom(
      '',
      '<html>oops</html>',
      'null',
      '[]',
      '{"results": null}',
      '{"detail": 5}',
      '{"name": ["bad"]}',
    ),
    fc
      .record({ count: fc.anything(), next: fc.anything(), results: fc.anything() })
      .map((v) => JSON.stringify(v)),
  );
  const statuses = fc.constantFrom(200, 201, 204, 400, 401, 404, 409, 418, 429, 500, 502, 503);

  it('every call ends in a result or an ApiError that names the request and hides the token', async () => {
    const calls = [
      () => client.listSnapshots(),
      () => client.getServer(1),
      () => client.deleteSnapshot(1),
      () => client.restoreSnapshot(1),
      () => client.createSnapshot({ serverId: 1, name: 'x' }, new Set()),
    ];
    await fc.assert(
      fc.asyncProperty(
        statuses,
        bodies,
        fc.constantFrom('application/json', 'text/html'),
        fc.nat(calls.length - 1),
        async (status, body, type, which) => {
          answer = { status, body, type };
          try {
            await calls[which]?.();
          } catch (error) {
            expect(error).toBeInstanceOf(ApiError);
            const message = (error as Error).message;
            expect(message).toMatch(/^(GET|POST|DELETE) \/(snapshots|servers)\//);
            expect(message).not.toContain(TOKEN);
            expect(message).not.toMatch(/undefined|\[object Object\]/);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
