// A provider played by a script: an HTTP server on 127.0.0.1 that answers every request with `reply(path,
// its own origin)` and records the paths asked. For answers the emulator does not give (a message quoting
// the token, a next link off the API, pages without end). Register `stop` to run after the test.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  status: number;
  body: string;
  type?: string;
}

export interface Scripted {
  origin: string;
  /** Each request's path and query, in order. */
  seen: string[];
  stop(): Promise<void>;
}

export async function scriptedServer(reply: (path: string, origin: string) => Reply): Promise<Scripted> {
  const seen: string[] = [];
  let origin = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(req.url ?? '');
    const { status, body, type = 'application/json' } = reply(req.url ?? '', origin);
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    seen,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const json = (status: number, body: unknown): Reply => ({ status, body: JSON.stringify(body) });
