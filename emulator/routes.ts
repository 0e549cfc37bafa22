// The API's routes and what each does to the model (../shared/vps-api.md); no sockets here.
import type { Route } from './faults.ts';
import {
  type Account,
  createdAtOf,
  type ProviderModel,
  type ServerRecord,
  SNAPSHOT_LIMIT,
  type SnapshotRecord,
} from './model.ts';
import { badRequest, HttpError, notFound, validateCreate } from './validation.ts';

export const API_PREFIX = '/api/v1';
export const CREATE_MESSAGE =
  'Snapshot is being created. This may take 3-10 minutes depending on server size.';
export const RESTORE_MESSAGE = 'Server is being restored from snapshot. This may take 5-15 minutes.';

export interface Reply {
  status: number;
  body?: unknown;
}

/** What the routes read besides the request: the model and the list's settings. */
export interface ApiSettings {
  readonly model: ProviderModel;
  pageSize: number;
  maxPageSize: number;
  /** Lists ignore `server_id` and return every snapshot of the account. */
  ignoreServerFilter: boolean;
}

export interface RouteMatch {
  /** Undefined for a known path with a method it does not allow (405). */
  route: Route | undefined;
  id?: number;
}

/** The route of a request, under `prefix` ('' for an API served at the host's root). */
export function matchRoute(method: string, pathname: string, prefix = API_PREFIX): RouteMatch | undefined {
  if (!pathname.startsWith(`${prefix}/`)) return undefined;
  const path = pathname.slice(prefix.length);
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

export function authenticate(model: ProviderModel, header: string | undefined): Account {
  if (!header) throw new HttpError(401, { detail: 'Authentication credentials were not provided.' });
  const match = /^Bearer (\S+)$/.exec(header);
  const account = match?.[1] ? model.account(match[1]) : undefined;
  if (!account) throw new HttpError(401, { detail: 'Invalid token.' });
  return account;
}

/** `url` with `page` set (or removed for page 1): the form of the list's `next` and `previous` links. */
export function pageLink(url: URL, page: number): string {
  const link = new URL(url);
  if (page === 1) link.searchParams.delete('page');
  else link.searchParams.set('page', String(page));
  return link.toString();
}

/** `url` is the request's full URL, its origin as the client addressed the API (used for page links). */
export function dispatch(
  api: ApiSettings,
  route: Route,
  id: number,
  account: Account,
  url: URL,
  rawBody: string,
): Reply {
  switch (route) {
    case 'list':
      return list(api, account, url);
    case 'create':
      return create(api.model, account, rawBody);
    case 'restore':
      return restore(api.model, account, id);
    case 'delete':
      return remove(api.model, account, id);
    case 'server':
      return readServer(api.model, account, id);
  }
}

function serverFilter(api: ApiSettings, url: URL): number | undefined {
  if (api.ignoreServerFilter) return undefined;
  const param = url.searchParams.get('server_id');
  if (param === null || param === '') return undefined;
  if (!/^-?\d+$/.test(param)) throw badRequest({ server_id: ['Enter a whole number.'] });
  return Number(param);
}

function list(api: ApiSettings, account: Account, url: URL): Reply {
  const all = api.model.visibleSnapshotsOf(account, serverFilter(api, url));
  const pageParam = url.searchParams.get('page') ?? '1';
  const page = /^\d+$/.test(pageParam) ? Number(pageParam) : Number.NaN;
  const sizeParam = Number(url.searchParams.get('page_size') ?? api.pageSize);
  const size =
    Number.isInteger(sizeParam) && sizeParam > 0 ? Math.min(sizeParam, api.maxPageSize) : api.pageSize;
  const pages = Math.max(1, Math.ceil(all.length / size));
  if (!Number.isInteger(page) || page < 1 || page > pages) throw notFound('Invalid page.');
  const at = api.model.readTime();
  return {
    status: 200,
    body: {
      count: all.length,
      next: page < pages ? pageLink(url, page + 1) : null,
      previous: page > 1 ? pageLink(url, page - 1) : null,
      results: all.slice((page - 1) * size, page * size).map((s) => snapshotJson(api.model, s, account, at)),
    },
  };
}

function create(model: ProviderModel, account: Account, rawBody: string): Reply {
  const input = validateCreate(rawBody);
  const server = model.findServer(account, input.serverId);
  if (!server) throw notFound('Server not found.');
  if (model.serverStatus(server) === 'restoring') {
    throw badRequest({
      detail: `Server ${server.id} is being restored; a snapshot cannot be created until the restore has finished.`,
    });
  }
  const existing = model.snapshotsOf(account, server.id).length;
  if (existing >= SNAPSHOT_LIMIT) {
    throw badRequest({
      detail: `Snapshot limit reached: server ${server.id} already has ${existing} snapshots (maximum ${SNAPSHOT_LIMIT} per server).`,
    });
  }
  const snapshot = model.createSnapshot(server, input.name, input.description);
  return { status: 201, body: { ...snapshotJson(model, snapshot, account), message: CREATE_MESSAGE } };
}

function restore(model: ProviderModel, account: Account, id: number): Reply {
  const snapshot = model.findSnapshot(account, id);
  if (!snapshot) throw notFound();
  const server = account.servers.get(snapshot.serverId) as ServerRecord;
  const serverStatus = model.serverStatus(server);
  if (serverStatus === 'restoring') {
    throw badRequest({
      detail: `Server is not in a valid state for restoration (status: ${serverStatus}).`,
    });
  }
  const status = model.snapshotStatus(snapshot);
  if (status !== 'completed') {
    throw badRequest({ detail: `Snapshot ${snapshot.id} is ${status} and cannot be restored.` });
  }
  model.startRestore(server);
  return {
    status: 200,
    body: {
      status: 'success',
      message: RESTORE_MESSAGE,
      snapshot: { id: snapshot.id, name: snapshot.name, created_at: createdAtOf(snapshot) },
      server: { id: server.id, name: server.name, status: model.serverStatus(server) },
    },
  };
}

function remove(model: ProviderModel, account: Account, id: number): Reply {
  const snapshot = model.findSnapshot(account, id);
  if (!snapshot) throw notFound();
  model.deleteSnapshot(snapshot);
  return { status: 204 };
}

/** A read: the status as of the model's read time (now, or `readLagMs` ago). */
function readServer(model: ProviderModel, account: Account, id: number): Reply {
  const server = model.findServer(account, id);
  if (!server) throw notFound();
  return {
    status: 200,
    body: { id: server.id, name: server.name, status: model.serverStatus(server, model.readTime()) },
  };
}

function snapshotJson(model: ProviderModel, snapshot: SnapshotRecord, account: Account, at = model.now()) {
  const status = model.snapshotStatus(snapshot, at);
  return {
    id: snapshot.id,
    server: { id: snapshot.serverId, name: account.servers.get(snapshot.serverId)?.name ?? '' },
    name: snapshot.name,
    status,
    size_mb: status === 'completed' ? snapshot.sizeMb : null,
    created_at: createdAtOf(snapshot),
    description: snapshot.description,
  };
}
