// One HTTP exchange with the API through undici: the runner's proxy where one applies, same-origin redirects,
// a time limit per attempt, the answer read whole with the token removed and checked against what the API
// documents, and one debug line. Nothing here retries.
import { Agent, type Dispatcher, EnvHttpProxyAgent, request } from 'undici';
import type { Logger } from '../logger.ts';
import { type Answer, ApiError, checkAnswer } from './errors.ts';
import type { CallOptions, Timeouts } from './types.ts';
import { basePath, isLoopbackHost } from './url.ts';

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };
const MAX_REDIRECTS = 3;
/** The longest delay a Node timer takes. */
const MAX_TIMER_MS = 2_147_483_647;
/** Codes that prove the request never reached the provider, so even a POST may be sent again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
/** Node's codes for a certificate the runner does not trust, or one for another name. */
const CERTIFICATE_CODES = new Set([
  ...['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  ...['UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID'],
  ...['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'],
]);

/** The runner's proxy variable that applies to `target`'s scheme, by name; never one for loopback. */
export function proxyVariable(target: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const names = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];
  if (isLoopbackHost(target.hostname)) return undefined;
  return names.slice(target.protocol === 'https:' ? 0 : 2).find((name) => env[name]);
}

/** One request: what to send, the documented answer, and how many attempts. */
export interface Request<T> extends CallOptions {
  method: string;
  /** The path under the API's base, named in errors and the debug line; `query` is sent but named in neither. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  ok: number[];
  parse?: (body: unknown) => T;
  /** Reads an answer before the documented check; a value ends the attempt with it. */
  early?: (answer: Answer) => T | undefined;
  attempts?: number;
  settle?: (failure: ApiError, deadline: number) => Promise<T | undefined>;
}

/** The API's origin and base path, through one connection pool, with the token in every request's headers. */
export class Transport {
  private readonly dispatcher: Dispatcher;
  private readonly headers: Record<string, string>;
  private readonly base: URL;
  private readonly token: string;
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(base: URL, token: string, timeouts: Timeouts, logger: Logger, now: () => number) {
    this.base = base;
    this.token = token;
    this.logger = logger;
    this.now = now;
    this.dispatcher = dispatcherFor(base, timeouts);
    this.headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'vps-snapshot-action',
    };
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }

  /**
   * One attempt at `request`, which may take `limitMs`, its answer checked against what the API documents.
   * Redirects are followed only on the API's own origin (the token goes with them), a few times at most.
   */
  async exchange<T>(request: Request<T>, attempt: number, limitMs: number): Promise<T> {
    const { method, path, query = {} } = request;
    const started = this.now();
    const said = (what: string) =>
      this.logger.debug(`${method} ${path} → ${what} (attempt ${attempt}, ${this.now() - started} ms)`);
    const signal = AbortSignal.timeout(Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(limitMs))));
    let url = new URL(`${this.base.origin}${basePath(this.base)}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    for (let hop = 0; ; hop++) {
      const answer = await this.send(url, request, signal).catch((error: unknown) => {
        const failure = transportError(error, method, path, this.base, (text) => this.redact(text));
        said(failure.reason);
        throw failure;
      });
      if (answer.status < 300 || answer.status >= 400 || typeof answer.location !== 'string') {
        said(String(answer.status));
        return request.early?.(answer) ?? checkAnswer(answer, { method, path }, request.ok, request.parse);
      }
      said(`${answer.status}, redirected`);
      const target = new URL(answer.location, url);
      if (target.origin === this.base.origin && hop < MAX_REDIRECTS) url = target;
      else throw redirectError(target, this.base, { method, path }, answer.status, (t) => this.redact(t));
    }
  }

  private async send(url: URL, { method, body }: Request<unknown>, signal: AbortSignal) {
    const sent = { method: method as Dispatcher.HttpMethod, dispatcher: this.dispatcher, signal };
    const response = await request(url, {
      ...sent,
      headers: this.headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const raw = await response.body.text();
    const answer = readAnswer(response.statusCode, response.headers, raw, this.now(), (t) => this.redact(t));
    return { ...answer, location: response.headers.location };
  }

  /** Removes the token from text that may quote a request (provider messages, error details). */
  private redact(text: string): string {
    return this.token.length >= 4 ? text.split(this.token).join('***') : text;
  }
}

/** The runner's proxy for `base` where one applies (as with its other tools, a NO_PROXY name covers its subdomains). */
function dispatcherFor(base: URL, timeouts: Timeouts): Dispatcher {
  const options = {
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
    keepAliveTimeout: 4_000,
  };
  if (!proxyVariable(base)) return new Agent(options);
  const noProxy = (process.env.no_proxy ?? process.env.NO_PROXY ?? '')
    .split(/[,\s]+/)
    .filter(Boolean)
    .flatMap((entry) => (/^[.*]/.test(entry) ? [entry] : [entry, `.${entry}`]))
    .join(',');
  return new EnvHttpProxyAgent({ ...options, noProxy });
}

/** The answer with the token removed: from the text, and from the parsed body, where JSON may spell it in `\u` escapes. */
function readAnswer(
  status: number,
  headers: Record<string, unknown>,
  raw: string,
  now: number,
  redact: (text: string) => string,
): Answer {
  const rawType = headers['content-type'];
  const contentType = String((Array.isArray(rawType) ? rawType[0] : rawType) ?? '');
  const text = redact(raw);
  let json: unknown;
  if (/^application\/([\w.+-]*\+)?json\b/i.test(contentType.trim()) && raw.trim() !== '') {
    try {
      json = scrub(JSON.parse(raw), redact);
    } catch {}
  }
  return { status, text, json, contentType, retryAfterMs: retryAfter(headers['retry-after'], now) };
}

/** Every string of a parsed body, its keys too, through `redact`. */
function scrub(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => scrub(item, redact));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [redact(key), scrub(v, redact)]));
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
function retryAfter(header: unknown, now: number): number | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A redirect not followed; its target is the provider's text, so the token is removed from it too. */
function redirectError(
  target: URL,
  base: URL,
  { method, path }: { method: string; path: string },
  status: number,
  redact: (text: string) => string,
): ApiError {
  const elsewhere = redact(`${target.origin}${target.pathname.replace(/\/(snapshots|servers)\/.*$/, '')}`);
  return new ApiError({
    kind: 'http',
    method,
    path,
    status,
    detail: redact(`a redirect to ${target.origin}${target.pathname}`),
    hint:
      target.origin !== base.origin
        ? `The token is not sent to another origin; set api_url to ${elsewhere} if that is the API`
        : 'Too many redirects; check api_url',
  });
}

function transportError(
  error: unknown,
  method: string,
  path: string,
  base: URL,
  redact: (t: string) => string,
) {
  // undici's errors carry a string code (a TLS one may be on the cause); an aborted signal's is a number.
  const codes = [error, (error as { cause?: unknown } | null)?.cause].map(
    (e) => (e as { code?: unknown })?.code,
  );
  const code = codes.find((c): c is string => typeof c === 'string') ?? '';
  const name = (error as Error | null)?.name;
  const call = { method, path, cause: error };
  if (CERTIFICATE_CODES.has(code))
    return new ApiError({
      ...call,
      kind: 'certificate',
      detail: `a certificate problem (${code}): the runner does not trust ${base.origin}'s TLS certificate`,
      hint: "Check that api_url names the certificate's host; for a private CA, give Node its certificate as a PEM file in NODE_EXTRA_CA_CERTS",
      notSent: true,
    });
  const timeout = code.includes('TIMEOUT') || name === 'TimeoutError' || name === 'AbortError';
  const proxy = proxyVariable(base);
  const network = `a network error (${redact(code || (error instanceof Error ? error.message : 'unknown'))})`;
  return new ApiError({
    ...call,
    kind: timeout ? 'timeout' : 'network',
    detail: !timeout
      ? network
      : code === 'UND_ERR_CONNECT_TIMEOUT'
        ? 'a connect time-out'
        : 'no answer in time',
    hint: `Check that ${base.origin} is reachable from the runner${proxy ? ` (${proxy} is set: check it, and NO_PROXY)` : ''}`,
    notSent: NOT_SENT_CODES.has(code),
  });
}
