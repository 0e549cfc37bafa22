// A real HTTP server on loopback that answers like the provider's Snapshots API (../shared/vps-api.md).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FaultKind, FaultPlan, type Route } from './faults.ts';
import {
  type Account,
  type Clock,
  DESCRIPTION_MAX_LENGTH,
  formatTime,
  NAME_MAX_LENGTH,
  NAME_PATTERN,
  ProviderModel,
  type ServerRecord,
  SNAPSHOT_LIMIT,
  type SnapshotRecord,
  type Timings,
} from './model.ts';

export const API_PREFIX = '/api/v1';
export const CREATE_MESSAGE =
  'Snapshot is being created. This may take 3-10 minutes depending on server size.';
export const RESTORE_MESSAGE = 'Server is being restored from snapshot. This may take 5-15 minutes.';

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorized: boolean;
  route: Route | undefined;
  status: number | 'reset' | 'hang';
  /** The provider's `detail` of an error answer. */
  detail?: string;
  fault?: string;
  at: number;
}

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
}

interface Reply {
  status: number;
  body?: unknown;
}

class HttpError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

const notFound = (detail = 'Not found.') => new HttpError(404, { detail });
const badRequest = (body: unknown) => new HttpError(400, body);

export class Emulator {
  readonly model: ProviderModel;
  readonly faults: FaultPlan;
  readonly log: LoggedRequest[] = [];
  pageSize: number;
  maxPageSize: number;
  private server: Server | undefined;
  private url = '';

  constructor(options: EmulatorOptions = {}) {
    this.model = new ProviderModel({
      ...(options.now ? { now: options.now } : {}),
      ...(options.timings ? { timings: options.timings } : {}),
    });
    this.faults = new FaultPlan(options.random);
    this.pageSize = options.pageSize ?? 20;
    this.maxPageSize = options.maxPageSize ?? 100;
    if (options.token !== undefined && options.seed !== false) this.model.seedReference(options.token);
  }

  /** Base URL of the API, e.g. `http://127.0.0.1:8787/api/v1`. */
  get baseUrl(): string {
    if (!this.url) throw new Error('the emulator is not started');
    return this.url;
  }

  /** Pages of `size`, whatever page_size a client asks for: for tests of pagination. */
  paginate(size: number): void {
    this.pageSize = size;
    this.maxPageSize = size;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.send(res, { status: 500, body: { detail: String(error) } });
      });
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.url = `http://${host}:${address.port}${API_PREFIX}`;
    return this.url;
  }

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
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
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
    const match = matchRoute(entry.method, url.pathname);
    entry.route = match?.route;
    const fault = match?.route ? this.faults.take(match.route) : undefined;
    if (fault) entry.fault = fault.kind === 'status' ? `status ${fault.status}` : fault.kind;
    if (fault && (await this.failBeforeWork(fault, res, entry))) return;

    let reply: Reply;
    try {
      if (!match) throw notFound();
      if (match.route === undefined) {
        throw new HttpError(405, { detail: `Method "${entry.method}" not allowed.` });
      }
      const account = this.authenticate(req.headers.authorization);
      entry.authorized = true;
      reply = this.dispatch(match.route, match.id, account, url, rawBody, req);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      reply = { status: error.status, body: error.body };
    }

    if (fault?.kind === 'ambiguous') {
      if (fault.status === undefined) {
        entry.status = 'reset';
        req.socket.destroy();
        return;
      }
      reply = { status: fault.status, body: { detail: 'Bad gateway.' } };
    }
    entry.status = reply.status;
    const detail = (reply.body as { detail?: unknown } | undefined)?.detail;
    if (reply.status >= 400 && typeof detail === 'string') entry.detail = detail;
    this.send(res, reply);
  }

  /** Faults that answer before any work is done; returns true when the request is finished. */
  private async failBeforeWork(
    fault: FaultKind,
    res: ServerResponse,
    entry: LoggedRequest,
  ): Promise<boolean> {
    switch (fault.kind) {
      case 'latency':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return false;
      case 'hang':
        entry.status = 'hang';
        return true;
      case 'reset':
        entry.status = 'reset';
        res.socket?.destroy();
        return true;
      case 'status': {
        entry.status = fault.status;
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
        const detail =
          fault.status === 429 ? 'Request was throttled.' : 'The service is temporarily unavailable.';
        this.send(res, { status: fault.status, body: { detail } }, headers);
        return true;
      }
      case 'garbage':
        entry.status = 200;
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
        return true;
      case 'malformed':
        entry.status = 200;
        this.send(res, { status: 200, body: { ok: true, results: 'none' } });
        return true;
      case 'ambiguous':
        return false;
    }
  }

  private authenticate(header: string | undefined): Account {
    if (!header) throw new HttpError(401, { detail: 'Authentication credentials were not provided.' });
    const match = /^Bearer (\S+)$/.exec(header);
    const account = match?.[1] ? this.model.account(match[1]) : undefined;
    if (!account) throw new HttpError(401, { detail: 'Invalid token.' });
    return account;
  }

  private dispatch(
    route: Route,
    id: number | undefined,
    account: Account,
    url: URL,
    rawBody: string,
    req: IncomingMessage,
  ): Reply {
    switch (route) {
      case 'list':
        return this.list(account, url, req);
      case 'create':
        return this.create(account, rawBody);
      case 'restore':
        return this.restore(account, id ?? 0);
      case 'delete':
        return this.remove(account, id ?? 0);
      case 'server':
        return this.readServer(account, id ?? 0);
    }
  }

  private list(account: Account, url: URL, req: IncomingMessage): Reply {
    const serverParam = url.searchParams.get('server_id');
    let serverId: number | undefined;
    if (serverParam !== null && serverParam !== '') {
      if (!/^-?\d+$/.test(serverParam)) throw badRequest({ server_id: ['Enter a whole number.'] });
      serverId = Number(serverParam);
    }
    const all = this.model.snapshotsOf(account, serverId);
    const pageParam = url.searchParams.get('page') ?? '1';
    const page = /^\d+$/.test(pageParam) ? Number(pageParam) : Number.NaN;
    const sizeParam = Number(url.searchParams.get('page_size') ?? this.pageSize);
    const size =
      Number.isInteger(sizeParam) && sizeParam > 0 ? Math.min(sizeParam, this.maxPageSize) : this.pageSize;
    const pages = Math.max(1, Math.ceil(all.length / size));
    if (!Number.isInteger(page) || page < 1 || page > pages) throw notFound('Invalid page.');
    const link = (target: number) => {
      const next = new URL(url.pathname + url.search, `http://${req.headers.host ?? '127.0.0.1'}`);
      if (target === 1) next.searchParams.delete('page');
      else next.searchParams.set('page', String(target));
      return next.toString();
    };
    return {
      status: 200,
      body: {
        count: all.length,
        next: page < pages ? link(page + 1) : null,
        previous: page > 1 ? link(page - 1) : null,
        results: all.slice((page - 1) * size, page * size).map((s) => this.snapshotJson(s, account)),
      },
    };
  }

  private create(account: Account, rawBody: string): Reply {
    const body = parseJson(rawBody);
    if (rawBody.trim() !== '' && body === undefined) {
      throw badRequest({ detail: 'JSON parse error - Expecting value: line 1 column 1 (char 0)' });
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      const got = Array.isArray(body) ? 'list' : body === undefined ? 'nothing' : typeof body;
      throw badRequest({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${got}.`] });
    }
    const input = body as Record<string, unknown>;
    const errors: Record<string, string[]> = {};
    const serverId = toInteger(input.server_id);
    if (input.server_id === undefined || input.server_id === null)
      errors.server_id = ['This field is required.'];
    else if (serverId === undefined) errors.server_id = ['A valid integer is required.'];
    const name = input.name;
    if (name === undefined || name === null) errors.name = ['This field is required.'];
    else if (typeof name !== 'string') errors.name = ['Not a valid string.'];
    else if (name === '') errors.name = ['This field may not be blank.'];
    else if (name.length > NAME_MAX_LENGTH) {
      errors.name = [`Ensure this field has no more than ${NAME_MAX_LENGTH} characters.`];
    } else if (!NAME_PATTERN.test(name)) {
      errors.name = ['Name may contain only letters, digits, dashes and underscores.'];
    }
    const description = input.description ?? '';
    if (typeof description !== 'string') errors.description = ['Not a valid string.'];
    else if (description.length > DESCRIPTION_MAX_LENGTH) {
      errors.description = [`Ensure this field has no more than ${DESCRIPTION_MAX_LENGTH} characters.`];
    }
    if (Object.keys(errors).length > 0) throw badRequest(errors);

    const server = this.model.findServer(account, serverId as number);
    if (!server) throw notFound('Server not found.');
    if (this.model.serverStatus(server) === 'restoring') {
      throw badRequest({
        detail: `Server ${server.id} is being restored; a snapshot cannot be created until the restore has finished.`,
      });
    }
    const existing = this.model.snapshotsOf(account, server.id).length;
    if (existing >= SNAPSHOT_LIMIT) {
      throw badRequest({
        detail: `Snapshot limit reached: server ${server.id} already has ${existing} snapshots (maximum ${SNAPSHOT_LIMIT} per server).`,
      });
    }
    const snapshot = this.model.createSnapshot(server, name as string, description as string);
    return { status: 201, body: { ...this.snapshotJson(snapshot, account), message: CREATE_MESSAGE } };
  }

  private restore(account: Account, id: number): Reply {
    const snapshot = this.model.findSnapshot(account, id);
    if (!snapshot) throw notFound();
    const server = account.servers.get(snapshot.serverId) as ServerRecord;
    const serverStatus = this.model.serverStatus(server);
    if (serverStatus === 'restoring') {
      throw badRequest({
        detail: `Server is not in a valid state for restoration (status: ${serverStatus}).`,
      });
    }
    const status = this.model.snapshotStatus(snapshot);
    if (status !== 'completed') {
      throw badRequest({ detail: `Snapshot ${snapshot.id} is ${status} and cannot be restored.` });
    }
    this.model.startRestore(server);
    return {
      status: 200,
      body: {
        status: 'success',
        message: RESTORE_MESSAGE,
        snapshot: { id: snapshot.id, name: snapshot.name, created_at: formatTime(snapshot.createdAt) },
        server: { id: server.id, name: server.name, status: this.model.serverStatus(server) },
      },
    };
  }

  private remove(account: Account, id: number): Reply {
    const snapshot = this.model.findSnapshot(account, id);
    if (!snapshot) throw notFound();
    this.model.snapshots.delete(snapshot.id);
    return { status: 204 };
  }

  private readServer(account: Account, id: number): Reply {
    const server = this.model.findServer(account, id);
    if (!server) throw notFound();
    return {
      status: 200,
      body: { id: server.id, name: server.name, status: this.model.serverStatus(server) },
    };
  }

  private snapshotJson(snapshot: SnapshotRecord, account: Account) {
    const status = this.model.snapshotStatus(snapshot);
    return {
      id: snapshot.id,
      server: { id: snapshot.serverId, name: account.servers.get(snapshot.serverId)?.name ?? '' },
      name: snapshot.name,
      status,
      size_mb: status === 'completed' ? snapshot.sizeMb : null,
      created_at: formatTime(snapshot.createdAt),
      description: snapshot.description,
    };
  }

  private send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
    if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      ...headers,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }
}

function matchRoute(method: string, pathname: string): { route: Route | undefined; id?: number } | undefined {
  if (!pathname.startsWith(`${API_PREFIX}/`)) return undefined;
  const path = pathname.slice(API_PREFIX.length);
  if (path === '/snapshots/') {
    return { route: method === 'GET' ? 'list' : method === 'POST' ? 'create' : undefined };
  }
  let m = /^\/snapshots\/(\d+)\/restore\/$/.exec(path);
  if (m) return { route: method === 'POST' ? 'restore' : undefined, id: Number(m[1]) };
  m = /^\/snapshots\/(\d+)\/$/.exec(path);
  if (m) return { route: method === 'DELETE' ? 'delete' : undefined, id: Number(m[1]) };
  m = /^\/servers\/(\d+)\/$/.exec(path);
  if (m) return { route: method === 'GET' ? 'server' : undefined, id: Number(m[1]) };
  return undefined;
}

function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
