// A real HTTP proxy on loopback, as a corporate network puts between a runner and the provider:
// CONNECT tunnels (for HTTPS) and absolute-form plain-HTTP requests. It connects only to loopback
// targets, after applying its host map, so a test can stand `api.vps.test:443` in for the provider.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import { connect, isIPv4, isIPv6, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface ProxyOptions {
  /** Where to connect instead, by `host:port` as the client asks: `{ 'api.vps.test:443': '127.0.0.1:8443' }`. */
  hosts?: Record<string, string>;
  /** Require `Proxy-Authorization: Basic base64(username:password)`; anything else gets 407. */
  credentials?: { username: string; password: string };
}

export interface ProxyLogEntry {
  /** `CONNECT`, or the method of a forwarded plain-HTTP request. */
  method: string;
  /** `host:port` as the client asked for it. */
  target: string;
  /** Path and query of a forwarded plain-HTTP request. */
  path?: string;
  /** `host:port` the proxy connected to, after the host map; unset when it refused. */
  upstream?: string;
  /** Whether the client sent a Proxy-Authorization header (right or wrong). */
  proxyAuthorization: boolean;
  /** 200 for an established tunnel, the upstream's status when forwarded, or 400, 403, 407, 502. */
  status: number;
  at: number;
}

interface Target {
  host: string;
  port: number;
}

interface Refusal {
  status: number;
  headers?: Record<string, string>;
}

const HOP_BY_HOP = 'connection keep-alive proxy-authorization proxy-connection te trailer upgrade'.split(' ');

export class LoopbackProxy {
  readonly log: ProxyLogEntry[] = [];
  private readonly hosts: Map<string, string>;
  private readonly credentials: ProxyOptions['credentials'];
  private readonly sockets = new Set<Duplex>();
  private server: Server | undefined;
  private address = '';

  constructor(options: ProxyOptions = {}) {
    this.hosts = new Map(Object.entries(options.hosts ?? {}).map(([from, to]) => [from.toLowerCase(), to]));
    this.credentials = options.credentials;
  }

  /** `http://127.0.0.1:PORT`: what HTTPS_PROXY / a ProxyAgent takes. */
  get url(): string {
    if (!this.address) throw new Error('the proxy is not started');
    return this.address;
  }

  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => this.forward(req, res));
    server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.tunnel(req, socket, head),
    );
    server.on('connection', (socket: Socket) => this.track(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    this.address = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
    return this.address;
  }

  /** Destroys every client connection, tunnel and upstream connection, then closes the listener. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  /** `CONNECT host:port`: a TCP tunnel to the (mapped, loopback) target. */
  private tunnel(req: IncomingMessage, client: Duplex, head: Buffer): void {
    this.track(client);
    client.on('error', () => client.destroy());
    const entry = this.entry(req, req.url ?? '');
    const target = splitHostPort(req.url ?? '', 443);
    const refusal = this.refuse(req, target, entry);
    if (refusal || !target) {
      const { status, headers = {} } = refusal ?? { status: 400 };
      const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
      client.end(
        `HTTP/1.1 ${status} ${reason(status)}\r\n${lines.join('')}Content-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      return;
    }
    const upstream = connect(target.port, target.host);
    this.track(upstream);
    upstream.once('connect', () => {
      entry.status = 200;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => {
      if (entry.status === 0) {
        entry.status = 502;
        client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      } else client.destroy();
    });
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  }

  /** `GET http://host:port/path`: forwarded to the (mapped, loopback) target, the answer piped back. */
  private forward(req: IncomingMessage, res: ServerResponse): void {
    const url = URL.canParse(req.url ?? '') ? new URL(req.url ?? '') : undefined;
    const target = url?.protocol === 'http:' ? splitHostPort(url.host, 80) : undefined;
    const entry = this.entry(req, target ? `${target.host}:${target.port}` : (req.url ?? ''));
    if (url) entry.path = url.pathname + url.search;
    const refusal = this.refuse(req, target, entry);
    if (refusal || !target || !url) {
      const { status, headers = {} } = refusal ?? { status: 400 };
      entry.status = status;
      res.writeHead(status, { ...headers, 'content-type': 'text/plain', connection: 'close' });
      res.end(`${status} ${reason(status)}\n`);
      return;
    }
    const upstream = request({
      host: target.host,
      port: target.port,
      method: req.method,
      path: url.pathname + url.search,
      headers: withoutHopByHop(req.headers),
      agent: false,
    });
    upstream.on('socket', (socket) => this.track(socket));
    upstream.on('response', (answer) => {
      entry.status = answer.statusCode ?? 502;
      res.writeHead(entry.status, withoutHopByHop(answer.headers));
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (res.headersSent) res.destroy();
      else {
        entry.status = 502;
        res.writeHead(502, { 'content-type': 'text/plain' }).end('502 Bad Gateway\n');
      }
    });
    req.pipe(upstream);
  }

  private entry(req: IncomingMessage, target: string): ProxyLogEntry {
    const entry: ProxyLogEntry = {
      method: req.method ?? 'GET',
      target,
      proxyAuthorization: req.headers['proxy-authorization'] !== undefined,
      status: 0,
      at: Date.now(),
    };
    this.log.push(entry);
    return entry;
  }

  /** Why not to connect, if so; otherwise maps `target` in place to where to connect. */
  private refuse(
    req: IncomingMessage,
    target: Target | undefined,
    entry: ProxyLogEntry,
  ): Refusal | undefined {
    const refusal = this.check(req, target);
    if (refusal) entry.status = refusal.status;
    else if (target) entry.upstream = `${target.host}:${target.port}`;
    return refusal;
  }

  private check(req: IncomingMessage, target: Target | undefined): Refusal | undefined {
    if (this.credentials) {
      const { username, password } = this.credentials;
      const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
      if (req.headers['proxy-authorization'] !== expected) {
        return { status: 407, headers: { 'Proxy-Authenticate': 'Basic realm="loopback-proxy"' } };
      }
    }
    if (!target) return { status: 400 };
    const mapped = this.hosts.get(`${target.host.toLowerCase()}:${target.port}`);
    const to = mapped ? splitHostPort(mapped, target.port) : target;
    if (!to || !isLoopback(to.host)) return { status: 403 };
    target.host = to.host === 'localhost' ? '127.0.0.1' : to.host;
    target.port = to.port;
    return undefined;
  }
}

/** `host:port` or `[v6]:port`; `fallback` when the port is absent. */
function splitHostPort(text: string, fallback: number): Target | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3] === undefined ? fallback : Number(match[3]);
  if (!host || port < 1 || port > 65_535) return undefined;
  return { host, port };
}

/** Only loopback addresses, by their text: no name is ever looked up. */
function isLoopback(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  if (isIPv4(host)) return host.startsWith('127.');
  return isIPv6(host) && new URL(`http://[${host}]/`).hostname === '[::1]';
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
