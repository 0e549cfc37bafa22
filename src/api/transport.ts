// One HTTP exchange with the API: undici (through the runner's proxy when one applies), same-origin
// redirects, a time limit per attempt, the answer read whole, and one debug line. Nothing here retries
// or interprets.
import { type Dispatcher, request } from 'undici';
import type { Logger } from '../logger.ts';
import { type Answer, ApiError } from './errors.ts';
import { dispatcherFor, proxyVariable } from './proxy.ts';
import { apiUrl } from './url.ts';

export interface Timeouts {
  connectMs: number;
  /** From sending the request to the answer's headers. */
  headersMs: number;
  /** Between chunks of the answer's body. */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };

const MAX_REDIRECTS = 3;
/** The longest delay a Node timer takes. */
const MAX_TIMER_MS = 2_147_483_647;
/** Codes that prove the request never reached the provider, so even a POST may be sent again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
/** Node's codes for a certificate the runner does not trust, or one for another name. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

export class Transport {
  readonly baseUrl: URL;
  private readonly dispatcher: Dispatcher;
  private readonly headers: Record<string, string>;
  private readonly token: string;
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(options: {
    baseUrl: URL;
    token: string;
    timeouts: Timeouts;
    logger: Logger;
    now: () => number;
  }) {
    const { baseUrl, token, timeouts } = options;
    this.baseUrl = baseUrl;
    this.token = token;
    this.logger = options.logger;
    this.now = options.now;
    this.headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'vps-snapshot-action',
    };
    this.dispatcher = dispatcherFor(baseUrl, {
      connect: { timeout: timeouts.connectMs },
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
      keepAliveTimeout: 4_000,
    });
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }

  /** Removes the token from text that may quote a request (provider messages, error details). */
  clean(text: string): string {
    return this.token.length >= 4 ? text.split(this.token).join('***') : text;
  }

  /**
   * One request, following same-origin redirects. `limitMs` bounds it whole (answer and body); no answer
   * at all is an ApiError. `query` is sent but named neither in errors nor in the debug line.
   */
  async exchange(
    call: { method: string; path: string; attempt: number },
    body: unknown,
    limitMs: number,
    query: Record<string, string> = {},
  ): Promise<Answer> {
    const { method, path } = call;
    const started = this.now();
    const said = (what: string) =>
      this.logger.debug(`${method} ${path} → ${what} (attempt ${call.attempt}, ${this.now() - started} ms)`);
    const signal = AbortSignal.timeout(Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(limitMs))));
    let url = apiUrl(this.baseUrl, path);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    for (let hop = 0; ; hop++) {
      let answer: Answer;
      try {
        const response = await request(url, {
          method: method as Dispatcher.HttpMethod,
          dispatcher: this.dispatcher,
          signal,
          headers: this.headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        answer = readAnswer(response.statusCode, response.headers, await response.body.text());
      } catch (error) {
        const failure = this.transportError(error, method, path);
        said(failure.reason);
        throw failure;
      }
      const location = answer.headers.location;
      if (answer.status < 300 || answer.status >= 400 || typeof location !== 'string') {
        said(String(answer.status));
        return answer;
      }
      said(`${answer.status}, redirected`);
      url = this.redirectTarget(new URL(location, url), hop, method, path, answer.status);
    }
  }

  /** A redirect is followed only on the API's own origin (the token goes with it), and only a few times. */
  private redirectTarget(target: URL, hop: number, method: string, path: string, status: number): URL {
    if (target.origin === this.baseUrl.origin && hop < MAX_REDIRECTS) return target;
    const elsewhere = `${target.origin}${target.pathname.replace(/\/(snapshots|servers)\/.*$/, '')}`;
    throw new ApiError({
      kind: 'http',
      method,
      path,
      status,
      detail: `a redirect to ${target.origin}${target.pathname}`,
      hint:
        target.origin !== this.baseUrl.origin
          ? `The token is not sent to another origin; set api_url to ${elsewhere} if that is the API`
          : 'Too many redirects; check api_url',
    });
  }

  private transportError(error: unknown, method: string, path: string): ApiError {
    // undici's errors carry a string code (a TLS one may be on the cause); an aborted signal's is a number.
    const codes = [error, (error as { cause?: unknown } | null)?.cause].map(
      (e) => (e as { code?: unknown } | null)?.code,
    );
    const code = codes.find((c): c is string => typeof c === 'string') ?? '';
    const name = (error as Error | null)?.name;
    const origin = this.baseUrl.origin;
    if (CERTIFICATE_CODES.has(code))
      return new ApiError({
        kind: 'certificate',
        method,
        path,
        detail: `a certificate problem (${code}): the runner does not trust ${origin}'s TLS certificate`,
        hint: "Check that api_url names the certificate's host; for a private CA, give Node its certificate as a PEM file in NODE_EXTRA_CA_CERTS",
        notSent: true,
        cause: error,
      });
    const timeout = code.includes('TIMEOUT') || name === 'TimeoutError' || name === 'AbortError';
    const proxy = proxyVariable(this.baseUrl);
    return new ApiError({
      kind: timeout ? 'timeout' : 'network',
      method,
      path,
      detail: timeout
        ? code === 'UND_ERR_CONNECT_TIMEOUT'
          ? 'a connect time-out'
          : 'no answer in time'
        : `a network error (${this.clean(code || (error instanceof Error ? error.message : 'unknown'))})`,
      hint: `Check that ${origin} is reachable from the runner${proxy ? ` (${proxy} is set: check it, and NO_PROXY)` : ''}`,
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
