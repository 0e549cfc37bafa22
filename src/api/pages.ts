// Walking a paginated list (Django REST Framework's `next` links): bounded, on the API's own origin,
// and a `next` that points back to a page already read is noticed at once.
import { ApiError } from './errors.ts';
import type { Snapshot, SnapshotPage } from './schema.ts';
import { apiUrl, basePath } from './url.ts';

const MAX_PAGES = 1_000;
const PAGE_SIZE = 100;

export async function walkPages(
  base: URL,
  first: string,
  enough: ((seen: readonly Snapshot[]) => boolean) | undefined,
  fetchPage: (path: string) => Promise<SnapshotPage>,
): Promise<Snapshot[]> {
  const seen: Snapshot[] = [];
  const visited = new Set<string>();
  let path = first;
  for (let page = 1; page <= MAX_PAGES; page++) {
    visited.add(pageKey(path));
    const { results, next } = await fetchPage(path);
    seen.push(...results);
    if (!next || enough?.(seen)) return seen;
    const from = path;
    path = pathOf(base, next, from);
    if (visited.has(pageKey(path))) {
      throw new ApiError({
        kind: 'invalid-response',
        method: 'GET',
        path: from,
        detail: `a next link back to a page already read (${path})`,
        hint: "The provider's pagination loops; report this to the provider",
      });
    }
  }
  throw new ApiError({
    kind: 'invalid-response',
    method: 'GET',
    path,
    detail: `more than ${MAX_PAGES} pages`,
    hint: 'The provider kept sending a next page; report this to the provider',
  });
}

/** A page's identity: its path and query, the parameters in a stable order. */
function pageKey(path: string): string {
  const url = new URL(path, 'http://page.invalid');
  url.searchParams.delete('page_size');
  url.searchParams.sort();
  if (url.searchParams.get('page') === '1') url.searchParams.delete('page');
  return url.pathname + url.search;
}

/** The path of a `next` link, which must stay on the API's own origin and base path (the token goes with it). */
function pathOf(base: URL, next: string, from: string): string {
  const url = new URL(next, apiUrl(base, from));
  const prefix = basePath(base);
  if (url.origin !== base.origin || !url.pathname.startsWith(`${prefix}/`)) {
    throw new ApiError({
      kind: 'invalid-response',
      method: 'GET',
      path: from,
      detail: `a next page outside the API (${url.origin}${url.pathname})`,
      hint: 'The token is not sent there; check api_url',
    });
  }
  url.searchParams.delete('page_size');
  return url.pathname.slice(prefix.length) + url.search;
}

/** page_size is Django REST Framework's usual parameter: where honoured, a fleet's poll is one request. */
export function pageSize(method: string, path: string): Record<string, string> {
  return method === 'GET' && path.startsWith('/snapshots/') ? { page_size: String(PAGE_SIZE) } : {};
}
