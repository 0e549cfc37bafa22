// Shared by the emulator's tests: calls over real HTTP, and raw reads that see a stalled body.
import { type IncomingHttpHeaders, request } from 'node:http';
import type { Socket } from 'node:net';

export const TOKEN = 'YOUR_API_TOKEN';

export interface Answer {
  status: number;
  json: Record<string, unknown> & { results: Record<string, unknown>[] };
  text: string;
  headers: Headers;
}

/** `call(method, path, body?, token?)` against the base URL `base()` gives at the time of the call. */
export function caller(base: () => string) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    token: string | null = TOKEN,
  ): Promise<Answer> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${base()}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, json: json as Answer['json'], text, headers: res.headers };
  };
}

export interface PartialAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes received within `waitMs`. */
  received: Buffer;
  /** Whether the body ended within `waitMs`. */
  ended: boolean;
}

/** Sends a request and reports what arrived within `waitMs` of the headers, then drops the connection. */
export function readFor(url: string, method: string, waitMs: number): Promise<PartialAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
      const chunks: Buffer[] = [];
      let ended = false;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        ended = true;
      });
      res.on('error', () => {});
      setTimeout(() => {
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          received: Buffer.concat(chunks),
          ended,
        });
        req.destroy();
      }, waitMs);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends `CONNECT target` to the proxy; resolves with its answer and the (tunnel) socket. */
export function connectVia(proxyUrl: string, target: string, headers: Record<string, string> = {}) {
  const { hostname, port: proxyPort } = new URL(proxyUrl);
  return new Promise<{ status: number; headers: IncomingHttpHeaders; socket: Socket }>((resolve, reject) => {
    const req = request({ host: hostname, port: proxyPort, method: 'CONNECT', path: target, headers });
    req.on('connect', (res, socket) =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, socket }),
    );
    req.on('error', reject);
    req.end();
  });
}
