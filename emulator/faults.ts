// Faults on demand: per route, for the next N matching requests or at a rate.

export type Route = 'list' | 'create' | 'restore' | 'delete' | 'server';
export const ROUTES: readonly Route[] = ['list', 'create', 'restore', 'delete', 'server'];

export type FaultKind =
  /** Answer with this status (and `Retry-After` for 429 when given) without doing the work. */
  | { kind: 'status'; status: number; retryAfter?: string }
  /** Delay the answer by `ms`, then answer normally. */
  | { kind: 'latency'; ms: number }
  /** Never answer; the connection stays open until the client gives up or the emulator stops. */
  | { kind: 'hang' }
  /** Destroy the connection without an answer, before doing the work. */
  | { kind: 'reset' }
  /** Answer 200 with an HTML body instead of JSON, without doing the work (`html` with 200). */
  | { kind: 'garbage' }
  /** A proxy's or portal's page: answer `status` (default 200) with `text/html`, without doing the work. */
  | { kind: 'html'; status?: number }
  /** Answer 200 with JSON of the wrong shape, without doing the work. */
  | { kind: 'malformed' }
  /**
   * Send the headers (the JSON content type and the full content-length) and about half of the body,
   * then nothing more until the client gives up or the emulator stops. Reads (list, server) do the read
   * and stall its answer; mutations (create, restore, delete) do NOT do the work.
   */
  | { kind: 'stall' }
  /**
   * Answer with `content-type: text/html` around a JSON text. Reads do the read and keep its status
   * and body; mutations do NOT do the work and answer 200 with `{"detail": "Request received."}`.
   */
  | { kind: 'wrongtype' }
  /** List only: do the read, but the page's `next` points back to page 1 of the same query. */
  | { kind: 'nextloop' }
  /** Delete only: a concurrent run deleted it first: delete it, then answer 404 `Not found.`. */
  | { kind: 'gone' }
  /** Do the work, then fail the answer: reset the connection, or answer with `status`. */
  | { kind: 'ambiguous'; status?: number };

/** Kinds that only make sense on one route; on any other they are never taken. */
const ONLY_ON: Partial<Record<FaultKind['kind'], Route>> = { nextloop: 'list', gone: 'delete' };

const KINDS = [
  'status',
  'latency',
  'hang',
  'reset',
  'garbage',
  'html',
  'malformed',
  'stall',
  'wrongtype',
  'nextloop',
  'gone',
  'ambiguous',
] as const;

/** How a fault is named in the request log and in `FaultPlan.injected`: `status 503`, `html 502`, `stall`. */
export function faultLabel(fault: FaultKind): string {
  if (fault.kind === 'status') return `status ${fault.status}`;
  if (fault.kind === 'html') return `html ${fault.status ?? 200}`;
  return fault.kind;
}

export type Fault = FaultKind & {
  route: Route | '*';
  /** Applies to the next `count` matching requests; with `rate`, to that share of them. */
  count?: number;
  rate?: number;
};

export class FaultPlan {
  private faults: Fault[] = [];
  /** How many faults were injected, by kind; read by chaos tests for their report. */
  readonly injected = new Map<string, number>();

  private readonly random: () => number;

  constructor(random: () => number = Math.random) {
    this.random = random;
  }

  add(...faults: Fault[]): this {
    this.faults.push(...faults.map((f) => ({ ...f })));
    return this;
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault that applies to this request, if any; consumes one of its count. */
  take(route: Route): FaultKind | undefined {
    for (const fault of this.faults) {
      if (fault.route !== '*' && fault.route !== route) continue;
      const only = ONLY_ON[fault.kind];
      if (only !== undefined && only !== route) continue;
      if (fault.count !== undefined && fault.count <= 0) continue;
      if (fault.rate !== undefined && this.random() >= fault.rate) continue;
      if (fault.count !== undefined) fault.count -= 1;
      const label = faultLabel(fault);
      this.injected.set(label, (this.injected.get(label) ?? 0) + 1);
      return fault;
    }
    return undefined;
  }
}

/**
 * Parses the command line's form, `ROUTE:KIND[:ARG][@COUNT|%RATE]`, e.g. `create:ambiguous@1`,
 * `list:status:429:2@3` (429 with Retry-After 2, three times), `*:latency:200%0.5`, `restore:hang`,
 * `list:html:502@1`, `server:stall`, `list:nextloop@1`, `delete:gone@1`.
 */
export function parseFault(text: string): Fault {
  const match = /^([a-z*]+):([a-z]+)((?::[^:@%]+)*)(?:@(\d+)|%(0?\.\d+|1))?$/.exec(text);
  if (!match) throw new Error(`fault '${text}' is not ROUTE:KIND[:ARG][@COUNT|%RATE]`);
  const [, route = '', kind = '', argText = '', count, rate] = match;
  if (route !== '*' && !ROUTES.includes(route as Route)) {
    throw new Error(`fault '${text}': route '${route}' is not one of *, ${ROUTES.join(', ')}`);
  }
  const args = argText.split(':').slice(1);
  const limits = {
    ...(count !== undefined ? { count: Number(count) } : {}),
    ...(rate !== undefined ? { rate: Number(rate) } : {}),
  };
  const base = { route: route as Route | '*', ...limits };
  const only = ONLY_ON[kind as FaultKind['kind']];
  if (only !== undefined && route !== only && route !== '*') {
    throw new Error(`fault '${text}': ${kind} applies only to the ${only} route`);
  }
  switch (kind) {
    case 'status': {
      const status = Number(args[0]);
      if (!Number.isInteger(status) || status < 400 || status > 599) {
        throw new Error(`fault '${text}': status needs a code from 400 to 599`);
      }
      return { ...base, kind, status, ...(args[1] !== undefined ? { retryAfter: args[1] } : {}) };
    }
    case 'latency': {
      const ms = Number(args[0]);
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`fault '${text}': latency needs milliseconds`);
      return { ...base, kind, ms };
    }
    case 'html': {
      const status = args[0] === undefined ? 200 : Number(args[0]);
      if (!Number.isInteger(status) || status < 200 || status > 599) {
        throw new Error(`fault '${text}': html needs a code from 200 to 599`);
      }
      return { ...base, kind, status };
    }
    case 'ambiguous':
      return { ...base, kind, ...(args[0] !== undefined ? { status: Number(args[0]) } : {}) };
    case 'hang':
    case 'reset':
    case 'garbage':
    case 'malformed':
    case 'stall':
    case 'wrongtype':
    case 'nextloop':
    case 'gone':
      return { ...base, kind };
    default:
      throw new Error(`fault '${text}': kind '${kind}' is not one of ${KINDS.join(', ')}`);
  }
}
