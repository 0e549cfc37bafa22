// Failed API calls, and the check that only the API's own answers count: the documented status, and a JSON
// body where one is documented. Each error says what failed, the provider's words and the next step, once.
import { DEFAULT_API_URL } from './url.ts';

export type ApiErrorKind =
  /** The provider answered with an error status. */
  | 'http'
  /** No answer: refused, reset, DNS. */
  | 'network'
  /** The runner does not trust the API's TLS certificate; trying again does not help. */
  | 'certificate'
  /** No answer in time. */
  | 'timeout'
  /** An answer that is not the API's: a proxy's page, a wrong content type, the wrong shape. */
  | 'invalid-response'
  /** The request may or may not have taken effect, and looking could not settle which. */
  | 'ambiguous';

interface ApiErrorInit {
  kind: ApiErrorKind;
  method: string;
  path: string;
  status?: number | undefined;
  providerMessage?: string | undefined;
  /** What went wrong in our words, where the provider said nothing: "a network error (ECONNRESET)". */
  detail?: string | undefined;
  hint?: string | undefined;
  retryAfterMs?: number | undefined;
  notSent?: boolean;
  cause?: unknown;
}

/** A failed API call, with everything a user needs to act on it and nothing secret. */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number | undefined;
  readonly method: string;
  readonly path: string;
  /** The provider's own words, when it said any. */
  readonly providerMessage: string | undefined;
  readonly hint: string | undefined;
  readonly retryAfterMs: number | undefined;
  /** The request provably never reached the provider (refused, DNS, connect time-out): even a POST may be sent again. */
  readonly notSent: boolean;
  /** What went wrong, without the request or the next step: "HTTP 401: Invalid token". */
  readonly reason: string;

  constructor(init: ApiErrorInit) {
    const what = init.status !== undefined ? `HTTP ${init.status}` : (init.detail ?? init.kind);
    const words = init.providerMessage ?? (init.status !== undefined ? init.detail : undefined);
    const reason = `${what}${words ? `: ${words.replace(/\.$/, '')}` : ''}`;
    super(`${init.method} ${init.path} failed with ${reason}${init.hint ? `. ${init.hint}` : ''}`, {
      cause: init.cause,
    });
    this.name = 'ApiError';
    this.kind = init.kind;
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.providerMessage = init.providerMessage;
    this.hint = init.hint;
    this.retryAfterMs = init.retryAfterMs;
    this.notSent = init.notSent ?? false;
    this.reason = reason;
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** The provider's text from the error shapes seen in Django REST Framework and similar APIs. */
export function providerMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 300) : undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['detail', 'message', 'error']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  const fieldErrors = Object.entries(record).flatMap(([field, value]) => {
    const texts = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    return texts.length ? [`${field === 'non_field_errors' ? '' : `${field}: `}${texts.join(' ')}`] : [];
  });
  return fieldErrors.length ? fieldErrors.join('; ') : undefined;
}

const CHECK_API_URL = `Check api_url: it should be the Snapshots API's base URL, like ${DEFAULT_API_URL}`;
const NOT_THE_API = `Something other than the API (a proxy, a gateway, another site) answered. ${CHECK_API_URL}, and the runner's proxy`;
const CHECK_SERVER = 'Check server_id: the server does not exist or belongs to another account';

/** The next step for an error status, by what was asked: each endpoint's inputs, or api_url. */
function hintFor(status: number, method: string, path: string): string | undefined {
  if (status === 401) return 'Check the api_token secret: it is missing, mistyped or expired';
  if (status === 403)
    return 'The api_token is valid but lacks permission for this server or account: use a token of the account that owns it';
  if (status === 404 && ((method === 'POST' && path === '/snapshots/') || path.startsWith('/servers/')))
    return CHECK_SERVER;
  if (status === 404 && path.endsWith('/restore/'))
    return "The snapshot is gone or belongs to another account: list the server's snapshots (operation: list)";
  // The list is always there, and no documented request answers 405: the URL is not the API's.
  if (status === 404 || status === 405) return CHECK_API_URL;
  // A 400 to a create is invalid parameters or the limit of 5 (the reference gives both); which one is the
  // provider's words, shown as they are, never read to choose this step: provider text steers nothing.
  if (status === 400 && method === 'POST' && path === '/snapshots/')
    return 'If the server is at its limit of 5 snapshots (another run may have made one since this one looked), list them (operation: list) and delete one, or set keep so that rotation makes room';
  if (status === 429) return 'The provider is rate-limiting this token; try again later';
  if (status >= 500) return 'The provider had a fault; try again later';
  return undefined;
}

/** A request, as errors name it: `GET /snapshots/?server_id=1`. */
type Call = { method: string; path: string };

/** What came back, read whole, the token already removed from its text. */
export interface Answer {
  status: number;
  /** The body as sent; '' when there was none. */
  text: string;
  /** The parsed body, when it was JSON sent as JSON (an `application/json` or `+json` content type); else undefined. */
  json: unknown;
  contentType: string;
  /** `Retry-After` (seconds or an HTTP date) in milliseconds from when the answer came. */
  retryAfterMs: number | undefined;
}

/**
 * The documented result of a request, or the ApiError that says why there is none. `parse` reads the
 * documented JSON body; without it (a 204), any body at all is not the API's.
 */
export function checkAnswer<T>(
  answer: Answer,
  call: Call,
  ok: readonly number[],
  parse?: (body: unknown) => T,
): T {
  if (answer.status >= 400) throw statusError(answer, call);
  if (!ok.includes(answer.status)) throw notTheApi(call, answer, `an undocumented HTTP ${answer.status}`);
  if (!parse) {
    if (answer.text.trim() !== '') throw notTheApi(call, answer, `HTTP ${answer.status} with a body`);
    return undefined as T;
  }
  if (answer.json === undefined) throw notTheApi(call, answer, `HTTP ${answer.status} without JSON`);
  try {
    return parse(answer.json);
  } catch (error) {
    const detail = `an answer that is not the documented shape: ${errorMessage(error)}`;
    throw new ApiError({ kind: 'invalid-response', ...call, detail, hint: CHECK_API_URL });
  }
}

/** An answer that is not the API's (a gateway's page, an undocumented status): retried, or settled. */
export function notTheApi(call: Call, answer: Answer, what?: string): ApiError {
  const type = answer.contentType ? `, ${answer.contentType.split(';')[0]}` : '';
  const text = answer.text.trim();
  const body = text ? `, starting ${JSON.stringify(text.slice(0, 60))}` : '';
  const detail = `an answer that is not the API's: ${what ?? `HTTP ${answer.status}`}${type}${body}`;
  return new ApiError({ kind: 'invalid-response', ...call, detail, hint: NOT_THE_API });
}

/** An error status, with the provider's own words when it sent them as JSON. */
function statusError(answer: Answer, { method, path }: Call): ApiError {
  const isJson = answer.json !== undefined;
  const words = isJson ? providerMessage(answer.json) : undefined;
  // A page that is not JSON, for a status that is not a fault or a throttle, is not the API's answer.
  const page = !isJson && answer.status < 500 && answer.status !== 429;
  return new ApiError({
    kind: 'http',
    method,
    path,
    status: answer.status,
    providerMessage: words,
    detail: !isJson && answer.text.trim() ? "a page that is not the API's" : undefined,
    hint: page ? NOT_THE_API : hintFor(answer.status, method, path.split('?')[0] ?? path),
    retryAfterMs: answer.retryAfterMs,
  });
}
