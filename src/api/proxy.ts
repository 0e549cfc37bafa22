// The runner's proxy variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, either case), read by undici's
// EnvHttpProxyAgent. As with the runner's other tools, loopback is never proxied and a NO_PROXY name covers
// its subdomains.
import { Agent, type Dispatcher, EnvHttpProxyAgent } from 'undici';
import { isLoopbackHost } from './url.ts';

/** The proxy variable that applies to `target`'s scheme, by name; undefined when none is set. */
export function proxyVariable(target: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const names =
    target.protocol === 'https:'
      ? ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']
      : ['http_proxy', 'HTTP_PROXY'];
  return isLoopbackHost(target.hostname) ? undefined : names.find((name) => env[name]);
}

/** A dispatcher for requests to `target`: through the runner's proxy where one applies, else direct. */
export function dispatcherFor(target: URL, options: Agent.Options, env = process.env): Dispatcher {
  if (!proxyVariable(target, env)) return new Agent(options);
  const noProxy = (env.no_proxy ?? env.NO_PROXY ?? '')
    .split(/[,\s]+/)
    .filter(Boolean)
    .flatMap((entry) => (/^[.*]/.test(entry) ? [entry] : [entry, `.${entry}`]))
    .join(',');
  return new EnvHttpProxyAgent({ ...options, noProxy });
}
