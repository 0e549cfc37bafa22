// How each fault kind changes a request's handling: before the work, the work's answer, or its delivery.
import { STATUS_CODES } from 'node:http';
import type { FaultKind, Route } from './faults.ts';
import type { Responder } from './respond.ts';
import { pageLink, type Reply } from './routes.ts';

const MUTATIONS: readonly Route[] = ['create', 'restore', 'delete'];

/** What `garbage` sends: a gateway's error page under status 200. */
export const GARBAGE_PAGE = '<html><body><h1>502 Bad Gateway</h1></body></html>';

/** A proxy's page: its error page for 4xx/5xx, a network sign-in portal for anything else. */
export function proxyPage(status: number): string {
  const title = status >= 400 ? `${status} ${STATUS_CODES[status] ?? 'Error'}` : 'Network sign-in required';
  const text =
    status >= 400
      ? 'The proxy server could not handle the request.'
      : 'Sign in to the network to continue browsing.';
  return `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p><hr><address>proxy</address></body></html>\n`;
}

/**
 * Faults that answer instead of doing the work (or delay it). Returns true when the request is answered
 * (or deliberately never will be).
 */
export async function answerBeforeWork(fault: FaultKind, route: Route, out: Responder): Promise<boolean> {
  const mutation = MUTATIONS.includes(route);
  switch (fault.kind) {
    case 'latency':
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return false;
    case 'hang':
      out.hang();
      return true;
    case 'reset':
      out.reset();
      return true;
    case 'status': {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      const detail =
        fault.status === 429 ? 'Request was throttled.' : 'The service is temporarily unavailable.';
      out.send({ status: fault.status, body: { detail } }, headers);
      return true;
    }
    case 'garbage':
      out.html(200, GARBAGE_PAGE);
      return true;
    case 'html':
      out.html(fault.status ?? 200, proxyPage(fault.status ?? 200));
      return true;
    case 'malformed':
      out.send({ status: 200, body: { ok: true, results: 'none' } });
      return true;
    case 'stall':
      if (mutation) out.stall({ status: 200, body: { detail: 'Request received.' } });
      return mutation;
    case 'wrongtype':
      if (mutation) out.send({ status: 200, body: { detail: 'Request received.' } }, {}, 'text/html');
      return mutation;
    case 'nextloop':
    case 'gone':
    case 'ambiguous':
      return false;
  }
}

/** Faults that change the answer of work already done. `url` is the request's full URL. */
export function alterReply(fault: FaultKind, reply: Reply, url: URL): Reply {
  switch (fault.kind) {
    case 'ambiguous':
      return fault.status === undefined ? reply : { status: fault.status, body: { detail: 'Bad gateway.' } };
    case 'nextloop':
      if (reply.status !== 200) return reply;
      return { ...reply, body: { ...(reply.body as object), next: pageLink(url, 1) } };
    case 'gone':
      return reply.status === 204 ? { status: 404, body: { detail: 'Not found.' } } : reply;
    default:
      return reply;
  }
}

/** Faults that spoil the delivery of the work's answer; returns true when they delivered (or not) it. */
export function deliverWithFault(fault: FaultKind, reply: Reply, out: Responder): boolean {
  switch (fault.kind) {
    case 'ambiguous':
      if (fault.status !== undefined) return false;
      out.reset();
      return true;
    case 'stall':
      out.stall(reply);
      return true;
    case 'wrongtype':
      out.send(reply, {}, 'text/html');
      return true;
    default:
      return false;
  }
}
