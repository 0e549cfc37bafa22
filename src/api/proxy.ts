// The runner's proxy, decided exactly as GitHub's own toolkit decides it (HTTPS_PROXY/HTTP_PROXY,
// NO_PROXY, either case; loopback never proxied), so the action goes where the runner's other tools go.
import { getProxyUrl } from '@actions/http-client';

export interface ProxySetting {
  uri: string;
  /** `Basic …` for a proxy URL that carries credentials. */
  token?: string;
}

export function proxyFor(target: URL): ProxySetting | undefined {
  const href = getProxyUrl(target.href);
  if (!href) return undefined;
  const proxy = new URL(href);
  const user = decodeURIComponent(proxy.username);
  const password = decodeURIComponent(proxy.password);
  if (!user && !password) return { uri: proxy.href };
  proxy.username = '';
  proxy.password = '';
  return { uri: proxy.href, token: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}
