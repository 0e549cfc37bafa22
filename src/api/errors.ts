export type ApiErrorKind =
  /** The provider answered with an error status. */
  | 'http'
  /** No answer: refused, reset, DNS, TLS. */
  | 'network'
  /** No answer in time. */
  | 'timeout'
  /** An answer that is not the documented shape. */
  | 'invalid-response'
  /** The request may or may not have taken effect, and that could not be settled. */
  | 'ambiguous';

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
  /** A POST that may or may not have taken effect, and looking could not settle which. */
  readonly outcomeUnknown: boolean;

  constructor(init: {
    kind: ApiErrorKind;
    method: string;
    path: string;
    status?: number;
    providerMessage?: string;
    hint?: string;
    detail?: string;
    retryAfterMs?: number;
    notSent?: boolean;
    outcomeUnknown?: boolean;
    cause?: unknown;
  }) {
    const what = init.status !== undefined ? `HTTP ${init.status}` : (init.detail ?? init.kind);
    const words = init.providerMessage ?? (init.status !== undefined ? init.detail : undefined);
    const said = words ? `: ${words.replace(/\.$/, '')}` : '';
    super(`${init.method} ${init.path} failed with ${what}${said}${init.hint ? `. ${init.hint}` : ''}`, {
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
    this.outcomeUnknown = init.outcomeUnknown ?? false;
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
  const fieldErrors = Object.entries(record)
    .map(([field, value]) => {
      const texts = (Array.isArray(value) ? value : [value]).filter(
        (v): v is string => typeof v === 'string',
      );
      return texts.length ? `${field === 'non_field_errors' ? '' : `${field}: `}${texts.join(' ')}` : '';
    })
    .filter(Boolean);
  return fieldErrors.length ? fieldErrors.join('; ') : undefined;
}

export function hintFor(status: number, method: string, path: string, message = ''): string | undefined {
  if (status === 401 || status === 403) {
    return 'Check the api_token secret: it is missing, mistyped, expired or lacks access';
  }
  if (status === 404) {
    if (path.startsWith('/servers/') || (method === 'POST' && path === '/snapshots/')) {
      return 'Check server_id: the server does not exist or belongs to another account';
    }
    return 'Check snapshot_id: the snapshot does not exist, was deleted, or belongs to another account';
  }
  if (status === 400 && /limit/i.test(message)) {
    return "List the server's snapshots (operation: list) and delete one, or set keep so that rotation makes room";
  }
  if (status === 429) return 'The provider is rate-limiting this token; try again later';
  if (status >= 500) return 'The provider had a fault; try again later';
  return undefined;
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
