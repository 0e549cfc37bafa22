// Only the API's own answers count: the documented status, and a JSON body where one is documented.
// Anything else (a proxy's HTML page, a wrong content type, an undocumented 2xx) is an unexpected answer.
import { ApiError, hintFor, providerMessage } from './errors.ts';
import { parseRetryAfter } from './retry.ts';
import type { Answer } from './transport.ts';

export interface Expected<T> {
  method: string;
  path: string;
  /** The documented success statuses. */
  ok: readonly number[];
  /** Reads the documented JSON body; absent where none is documented (a 204). */
  parse?: (body: unknown) => T;
  /** Removes the token from quoted text. */
  clean: (text: string) => string;
  now: number;
}

export function expectAnswer<T>(answer: Answer, expected: Expected<T>): T {
  const { method, path } = expected;
  if (answer.status >= 400) throw statusError(answer, expected);
  if (!expected.ok.includes(answer.status)) {
    throw unexpected(expected, `an undocumented HTTP ${answer.status}${describeBody(answer)}`);
  }
  if (!expected.parse) {
    if (answer.text.trim() !== '')
      throw unexpected(expected, `HTTP ${answer.status} with a body${describeBody(answer)}`);
    return undefined as T;
  }
  if (!answer.isJson) throw unexpected(expected, `HTTP ${answer.status} without JSON${describeBody(answer)}`);
  try {
    return expected.parse(answer.json);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError({
      kind: 'invalid-response',
      method,
      path,
      detail: `an answer that is not the documented shape: ${expected.clean(reason)}`,
      hint: 'Check that api_url points at the Snapshots API (it should end in /api/v1)',
    });
  }
}

function unexpected(expected: Expected<unknown>, what: string): ApiError {
  return new ApiError({
    kind: 'invalid-response',
    method: expected.method,
    path: expected.path,
    detail: `an answer that is not the API's: ${expected.clean(what)}`,
    hint: 'Something between the runner and the API (a proxy or gateway) may have answered; check api_url and the proxy',
  });
}

/** An answer with a status the API uses but a body that is not the API's (a gateway's 404 page). */
export function notTheApi(expected: Expected<unknown>, answer: Answer): ApiError {
  return unexpected(expected, `HTTP ${answer.status} that is not the API's${describeBody(answer)}`);
}

function describeBody(answer: Answer): string {
  const type = answer.contentType ? `, ${answer.contentType.split(';')[0]}` : '';
  const text = answer.text.trim();
  return text ? `${type}, starting ${JSON.stringify(text.slice(0, 60))}` : type;
}

/** An error status, with the provider's own words when it sent them as JSON. */
function statusError(answer: Answer, expected: Expected<unknown>): ApiError {
  const { method, path } = expected;
  const words = answer.isJson ? providerMessage(answer.json) : undefined;
  const page = !answer.isJson && /html/i.test(answer.contentType) ? 'an HTML page, not the API' : undefined;
  const message = expected.clean(words ?? page ?? '');
  const retryAfter = answer.headers['retry-after'];
  const retryAfterMs = parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, expected.now);
  const hint = hintFor(answer.status, method, path.split('?')[0] ?? path, message);
  return new ApiError({
    kind: 'http',
    method,
    path,
    status: answer.status,
    ...(message ? { providerMessage: message } : {}),
    ...(hint ? { hint } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}
