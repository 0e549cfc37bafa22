// Writing answers to the socket, well-formed or deliberately not, and recording them in the request log.
import type { ServerResponse } from 'node:http';
import type { Route } from './faults.ts';
import type { Reply } from './routes.ts';

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorized: boolean;
  route: Route | undefined;
  /** The status answered, or how the answer failed: connection destroyed, never sent, or cut off midway. */
  status: number | 'reset' | 'hang' | 'stall';
  /** The emulator's own `detail` of an error answer (before hostile mode, if on, replaced it). */
  detail?: string;
  /** The injected fault, e.g. `status 503`, `html 502`, `stall` (see `faultLabel`). */
  fault?: string;
  at: number;
}

export class Responder {
  private readonly res: ServerResponse;
  private readonly entry: LoggedRequest;
  private readonly rewrite: (reply: Reply) => Reply;

  /** `rewrite` changes every JSON answer just before it is written (hostile mode's texts). */
  constructor(res: ServerResponse, entry: LoggedRequest, rewrite: (reply: Reply) => Reply = (r) => r) {
    this.res = res;
    this.entry = entry;
    this.rewrite = rewrite;
  }

  /** The reply as JSON (no body for 204 or an undefined body), under `contentType`. */
  send(original: Reply, headers: Record<string, string> = {}, contentType = 'application/json'): void {
    const reply = this.rewrite(original);
    this.entry.status = reply.status;
    if (reply.status === 204 || reply.body === undefined) {
      this.res.writeHead(reply.status, headers);
      this.res.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    this.res.writeHead(reply.status, {
      ...headers,
      'content-type': contentType,
      'content-length': Buffer.byteLength(text),
    });
    this.res.end(text);
  }

  html(status: number, page: string): void {
    this.entry.status = status;
    this.res.writeHead(status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(page) });
    this.res.end(page);
  }

  /** Headers with the full content-length, about half of the JSON body, then nothing: the socket stays open. */
  stall(reply: Reply): void {
    this.entry.status = 'stall';
    const bytes = Buffer.from(JSON.stringify(this.rewrite(reply).body ?? {}));
    this.res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': bytes.length });
    this.res.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))));
  }

  /** Destroys the connection without (the rest of) an answer. */
  reset(): void {
    this.entry.status = 'reset';
    this.res.socket?.destroy();
  }

  /** Never answers; the emulator's stop() closes the connection. */
  hang(): void {
    this.entry.status = 'hang';
  }
}
