// One HTTP exchange with the API: undici (through the runner's proxy when one is set), same-origin
// redirects, a time limit per attempt, and the answer read whole. Nothing here retries or interprets.
import { Agent, type Dispatcher, ProxyAgent, request } from 'undici';
import { ApiError } from './errors.ts';
import { proxyFor } from './proxy.ts';

export interface Timeouts {
  connectMs: number;
  /** From sending the request to the answer's headers. */
  headersMs: number;
  /** Between chunks of the answer's body. */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };

/** What came back, before any check of what it should be. */
export interface Answer {
  status: number;
  /** The body as sent; '' when there was none. */
  text: string;
  /** The parsed body, when it was JSON sent as JSON (an `application/json` or `+json` content type). */
  json: unknown;
  isJson: boolean;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
}

const MAX_REDIRECTS = 3;
/** The longest delay a Node timer takes. */
const MAX_TIMER_MS = 2_147_483_647;
/** Codes that prove the request never reached the provider, so even a POST may be sent again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

export class Transport {
  readonly baseUrl: URL;
  /** HTTP requests sent, every attempt and redirect counted; read by the benchmark and the tests. */
  requestCount = 0;
  private readonly dispatcher: Dispatcher;
  private readonly headers: Record<string, string>;
  private readonly redact: (text: string) => string;
  private readonly viaProxy: boolean;

  constructor(options: {
    baseUrl: URL;
    token: string;
    userAgent: string;
    timeouts: Timeouts;
  }) {
    this.baseUrl = options.baseUrl;
    const { token } = options;
    this.redact = (text) => (token.length >= 4 ? text.split(token).join('***') : text);
    this.headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': options.userAgent,
    };
    const { timeouts } = options;
    const agentOptions = {
      connect: { timeout: timeouts.connectMs },
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
      keepAliveTimeout: 4_000,
    };
    const proxy = proxyFor(this.baseUrl);
    this.viaProxy = proxy !== undefined;
    this.dispatcher = proxy
      ? new ProxyAgent({ ...agentOptions, uri: proxy.uri, ...(proxy.token ? { token: proxy.token } : {}) })
      : new Agent(agentOptions);
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }

  /** Removes the token from text that may quote a request (provider messages, error details). */
  clean(text: string): string {
    return this.redact(text);
  }

  /**
   * One request, following same-origin redirects. `limitMs` bounds it whole (answer and body);
   * no answer at all is an ApiError of kind network or timeout. `query` is sent but not named in errors.
   */
  async exchange(
    method: string,
    path: string,
    body: unknown,
    limitMs: number,
    query: Record<string, string> = {},
  ): Promise<Answer> {
    const signal = AbortSignal.timeout(Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(limitMs))));
    let url = new URL(this.baseUrl.href + path);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    for (let hop = 0; ; hop++) {
      this.requestCount += 1;
      let status: number;
      let headers: Answer['headers'];
      let text: string;
      try {
        const response = await request(url, {
          method: method as Dispatcher.HttpMethod,
          dispatcher: this.dispatcher,
          signal,
          headers: this.headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        status = response.statusCode;
        headers = response.headers;
        text = await response.body.text();
      } catch (error) {
        throw this.transportError(error, method, path);
      }
      const location = headers.location;
      if (status >= 300 && status < 400 && typeof location === 'string') {
        url = this.redirectTarget(new URL(location, url), hop, method, path, status);
        continue;
      }
      return readAnswer(status, headers, text);
    }
  }

  /** A redirect is followed only on the API's own origin (the token goes with it), and only a few times. */
  private redirectTarget(target: URL, hop: number, method: string, path: string, status: number): URL {
    if (target.origin === this.baseUrl.origin && hop < MAX_REDIRECTS) return target;
    throw new ApiError({
      kind: 'http',
      method,
      path,
      status,
      detail: `a redirect to ${target.origin}${target.pathname}`,
      hint:
        target.origin !== this.baseUrl.origin
          ? `The token is not sent to another origin; set api_url to ${target.origin}${target.pathname.replace(/\/snapshots\/.*$|\/servers\/.*$/, '')} if that is the API`
          : 'Too many redirects; check api_url',
    });
  }

  private transportError(error: unknown, method: string, path: string): ApiError {
    // undici's errors carry a string code; a DOMException (an aborted signal) carries a number.
    const rawCode = (error as { code?: unknown } | null)?.code;
    const code = typeof rawCode === 'string' ? rawCode : '';
    const name = (error as Error | null)?.name;
    const timeout = code.includes('TIMEOUT') || name === 'TimeoutError' || name === 'AbortError';
    const detail = timeout
      ? code === 'UND_ERR_CONNECT_TIMEOUT'
        ? 'a connect time-out'
        : 'no answer in time'
      : `a network error (${code || (error instanceof Error ? error.message : 'unknown')})`;
    return new ApiError({
      kind: timeout ? 'timeout' : 'network',
      method,
      path,
      detail: this.redact(detail),
      hint: `Check that ${this.baseUrl.origin} is reachable from the runner${this.viaProxy ? ' through its proxy (HTTPS_PROXY, NO_PROXY)' : ''}`,
      notSent: NOT_SENT_CODES.has(code),
      cause: error,
    });
  }
}

function readAnswer(status: number, headers: Answer['headers'], text: string): Answer {
  const rawType = headers['content-type'];
  const contentType = (Array.isArray(rawType) ? rawType[0] : rawType) ?? '';
  let json: unknown;
  let isJson = false;
  if (/^application\/([\w.+-]*\+)?json\b/i.test(contentType.trim()) && text.trim() !== '') {
    try {
      json = JSON.parse(text);
      isJson = true;
    } catch {
      isJson = false;
    }
  }
  return { status, text, json, isJson, contentType, headers };
}
