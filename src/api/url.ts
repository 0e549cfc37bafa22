// The API's base URL: checked once, and joined with a request's path, even for an API at the host's root.
export const DEFAULT_API_URL = 'https://admin.vps.org/api/v1';

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Checks the API base URL and returns it without a trailing slash.
 * Plain http is allowed only to loopback, so a token never crosses a network in clear text.
 */
export function checkApiUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(`api_url '${text}' is not a URL: give one like ${DEFAULT_API_URL}`);
  }
  // Credentials and queries are never repeated in a message: the log is public.
  if (url.username || url.password) {
    throw new Error('api_url must not carry a user name or password: pass the token as api_token');
  }
  const shown = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  if (url.search || url.hash) throw new Error(`api_url '${shown}' must not have a query or fragment`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`api_url '${shown}' uses ${url.protocol} : give an https:// URL`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new Error(
      `api_url '${shown}' uses plain http:// to a host that is not loopback: use https:// (http:// is allowed only for localhost, 127.0.0.0/8 and [::1])`,
    );
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** The API's base path without a trailing slash: '' for an API at the host's root. */
export function basePath(base: URL): string {
  return base.pathname.replace(/\/+$/, '');
}
