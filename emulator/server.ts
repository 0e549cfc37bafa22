// A real HTTP (or HTTPS) server on loopback that answers like the provider's Snapshots API
// (../shared/vps-api.md). The routes are in routes.ts, the faults' effects in apply-faults.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { alterReply, answerBeforeWork, deliverWithFault } from './apply-faults.ts';
import { FaultPlan, faultLabel, type Route } from './faults.ts';
import { addForeignSnapshots, hostileReply } from './hostile.ts';
import { type Clock, ProviderModel, type Timings } from './model.ts';
import { type LoggedRequest, Responder } from './respond.ts';
import { API_PREFIX, type ApiSettings, authenticate, dispatch, matchRoute, type Reply } from './routes.ts';
import type { LocalTimestamps } from './timestamps.ts';
import { HttpError, notFound, parseJson } from './validation.ts';

export { API_PREFIX, CREATE_MESSAGE, RESTORE_MESSAGE } from './routes.ts';
export type { LoggedRequest };

export interface EmulatorOptions {
  /** Tokens that own the reference's seed data (server 12345, snapshots 801 and 798). */
  token?: string;
  seed?: boolean;
  pageSize?: number;
  /** The most a `page_size` query parameter may ask for (Django REST Framework's max_page_size). */
  maxPageSize?: number;
  now?: Clock;
  timings?: Partial<Timings>;
  random?: () => number;
  /** Reads show the state as of this many milliseconds ago (an eventually consistent provider). */
  readLagMs?: number;
  /** Lists ignore `server_id` and return every snapshot of the account. */
  ignoreServerFilter?: boolean;
  /**
   * Hostile-text mode: every free-text field of every answer carries hostile text (hostile-texts.ts);
   * with `token` and the seed, third-party snapshots with hostile names are seeded too.
   */
  hostile?: boolean;
  /** created_at in the provider's own shifted clock, without an offset (see timestamps.ts). */
  localTimestamps?: LocalTimestamps;
}

export interface StartOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Serve HTTPS with this key and certificate (PEM), e.g. `testTls()`'s. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** The API's path, `/api/v1` by default; '' serves it at the host's root. */
  prefix?: string;
}

export class Emulator implements ApiSettings {
  readonly model: ProviderModel;
  readonly faults: FaultPlan;
  readonly log: LoggedRequest[] = [];
  pageSize: number;
  maxPageSize: number;
  ignoreServerFilter: boolean;
  /** Hostile-text mode; read per request, so it can be switched on and off at any time. */
  hostile: boolean;
  private server: Server | undefined;
  private url = '';
  private prefix = API_PREFIX;

  constructor(options: EmulatorOptions = {}) {
    this.model = new ProviderModel({
      ...(options.now ? { now: options.now } : {}),
      ...(options.timings ? { timings: options.timings } : {}),
      ...(options.readLagMs !== undefined ? { readLagMs: options.readLagMs } : {}),
      ...(options.localTimestamps ? { localTimestamps: options.localTimestamps } : {}),
    });
    this.faults = new FaultPlan(options.random);
    this.pageSize = options.pageSize ?? 20;
    this.maxPageSize = options.maxPageSize ?? 100;
    this.ignoreServerFilter = options.ignoreServerFilter ?? false;
    this.hostile = options.hostile ?? false;
    if (options.token !== undefined && options.seed !== false) {
      this.model.seedReference(options.token);
      if (this.hostile) addForeignSnapshots(this.model, options.token);
    }
  }

  /** Base URL of the API, e.g. `http://127.0.0.1:8787/api/v1` (`https://` when started with `tls`). */
  get baseUrl(): string {
    if (!this.url) throw new Error('the emulator is not started');
    return this.url;
  }

  /** Reads lag this many milliseconds behind writes; see ProviderModel.readLagMs. */
  get readLagMs(): number {
    return this.model.readLagMs;
  }

  set readLagMs(ms: number) {
    this.model.readLagMs = ms;
  }

  /** The local-timestamps mode for snapshots made from now on; undefined turns it off. */
  get localTimestamps(): LocalTimestamps | undefined {
    return this.model.localTimestamps;
  }

  set localTimestamps(mode: LocalTimestamps | undefined) {
    this.model.localTimestamps = mode;
  }

  /** Pages of `size`, whatever page_size a client asks for: for tests of pagination. */
  paginate(size: number): void {
    this.pageSize = size;
    this.maxPageSize = size;
  }

  /** Listens on `host` (127.0.0.1) and `port` (0: a free one); returns the base URL. */
  async start(portOrOptions: number | StartOptions = 0, host = '127.0.0.1'): Promise<string> {
    const options = typeof portOrOptions === 'number' ? { port: portOrOptions, host } : portOrOptions;
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ detail: String(error) }));
        }
      });
    };
    const server: Server = options.tls
      ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
      : createServer(listener);
    server.keepAliveTimeout = 5_000;
    const bindHost = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, bindHost, () => resolve());
    });
    this.server = server;
    this.prefix = options.prefix ?? API_PREFIX;
    const address = server.address() as AddressInfo;
    this.url = `${options.tls ? 'https' : 'http'}://${bindHost}:${address.port}${this.prefix}`;
    return this.url;
  }

  /** Closes every connection, hung and stalled ones included. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  requests(route?: Route): LoggedRequest[] {
    return route ? this.log.filter((entry) => entry.route === route) : [...this.log];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
    const url = new URL(req.url ?? '/', `${scheme}://${req.headers.host ?? '127.0.0.1'}`);
    const rawBody = await readBody(req);
    const entry: LoggedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: parseJson(rawBody) ?? (rawBody || undefined),
      authorized: false,
      route: undefined,
      status: 0,
      at: this.model.now(),
    };
    this.log.push(entry);
    const match = matchRoute(entry.method, url.pathname, this.prefix);
    entry.route = match?.route;
    const out = new Responder(res, entry, this.hostileRewrite(entry, this.log.length, match?.id));
    const fault = match?.route ? this.faults.take(match.route) : undefined;
    if (fault) entry.fault = faultLabel(fault);
    if (fault && match?.route && (await answerBeforeWork(fault, match.route, out))) return;

    let reply = this.work(req, url, rawBody, entry);
    if (fault) reply = alterReply(fault, reply, url);
    entry.status = reply.status;
    const detail = (reply.body as { detail?: unknown } | undefined)?.detail;
    if (reply.status >= 400 && typeof detail === 'string') entry.detail = detail;
    if (fault && deliverWithFault(fault, reply, out)) return;
    out.send(reply);
  }

  /** Hostile mode's rewrite of this request's answers, or none when the mode is off. */
  private hostileRewrite(entry: LoggedRequest, ordinal: number, pathId: number | undefined) {
    if (!this.hostile) return undefined;
    const serverId = (entry.body as { server_id?: unknown } | undefined)?.server_id;
    const subjectId = pathId ?? (typeof serverId === 'number' ? serverId : 0);
    return (reply: Reply) => hostileReply(reply, { route: entry.route, ordinal, subjectId });
  }

  /** Authenticates and runs the route; errors become the provider's error answers. */
  private work(req: IncomingMessage, url: URL, rawBody: string, entry: LoggedRequest): Reply {
    try {
      const match = matchRoute(entry.method, url.pathname, this.prefix);
      if (!match) throw notFound();
      const route = match.route;
      if (route === undefined) {
        throw new HttpError(405, { detail: `Method "${entry.method}" not allowed.` });
      }
      const account = authenticate(this.model, req.headers.authorization);
      entry.authorized = true;
      return dispatch(this, route, match.id ?? 0, account, url, rawBody);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return { status: error.status, body: error.body };
    }
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
