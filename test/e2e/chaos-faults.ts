// The faults the soak injects: every kind the emulator knows, on the routes where it means something.
import type { Fault, Route } from '../../emulator/index.ts';
import { ROUTES } from '../../emulator/index.ts';
import type { Rng } from './chaos-random.ts';

export const FAULT_KINDS = [
  '429',
  '429-long',
  '5xx',
  'reset',
  'latency',
  'hang',
  'ambiguous',
  'ambiguous-502',
  'garbage',
  'html',
  'malformed',
  'stall',
  'wrongtype',
  'nextloop',
  'gone',
] as const;
export type FaultChoice = (typeof FAULT_KINDS)[number];

/**
 * Kinds kept to some routes: nextloop and gone exist on one route only. A Retry-After of 40 s is honoured by
 * a step whose timeout leaves time for it, and delete and list take no timeout (30 min): kept to the routes
 * of the runs that set timeout 15s (create, restore), so it fails them at once and never stalls a round.
 */
const ONLY: Partial<Record<FaultChoice, readonly Route[]>> = {
  nextloop: ['list'],
  gone: ['delete'],
  '429-long': ['create', 'restore', 'server'],
};

/**
 * Kinds after which a create or restore is settled by watching the full window when the work was not done;
 * with the default 30 s window such a round would only wait, so the default-window rounds give those routes
 * the kinds that do the work (or are not settled at all) instead.
 */
const QUICK_ON_MUTATIONS: readonly FaultChoice[] = [
  'ambiguous',
  'ambiguous-502',
  'latency',
  '429',
  '429-long',
];

export function routesFor(kind: FaultChoice): readonly Route[] {
  return ONLY[kind] ?? ROUTES;
}

export function makeFault(
  kind: FaultChoice,
  route: Route,
  rng: Rng,
  limits: { count?: number; rate?: number },
): Fault {
  const base = { route, ...limits };
  switch (kind) {
    case '429':
      return { ...base, kind: 'status', status: 429, retryAfter: rng.pick(['0', '1']) };
    case '429-long':
      return { ...base, kind: 'status', status: 429, retryAfter: '40' };
    case '5xx':
      return { ...base, kind: 'status', status: rng.pick([500, 502, 503, 504]) };
    case 'latency':
      return { ...base, kind: 'latency', ms: rng.int(50, 300) };
    case 'ambiguous':
      return { ...base, kind: 'ambiguous' };
    case 'ambiguous-502':
      return { ...base, kind: 'ambiguous', status: 502 };
    case 'html':
      return { ...base, kind: 'html', status: rng.pick([200, 502, 503]) };
    default:
      return { ...base, kind };
  }
}

/**
 * One round's faults: the featured kind once, on a route where it applies that the round uses, and random others on about half
 * the routes, each for a few requests at a rate. `quick` keeps create and restore to the quick kinds.
 */
export function roundFaults(
  rng: Rng,
  featured: FaultChoice,
  quick: boolean,
  used: readonly Route[] = ROUTES,
): Fault[] {
  const allowed = (kind: FaultChoice, route: Route) =>
    routesFor(kind).includes(route) &&
    (!quick || (route !== 'create' && route !== 'restore') || QUICK_ON_MUTATIONS.includes(kind));
  const faults: Fault[] = [];
  // The featured kind goes on a route the round's runs use, so that it is taken.
  const featuredRoutes = routesFor(featured).filter(
    (route) => allowed(featured, route) && used.includes(route),
  );
  if (featuredRoutes.length > 0)
    faults.push(makeFault(featured, rng.pick(featuredRoutes), rng, { count: 1 }));
  for (const route of ROUTES) {
    if (!rng.chance(0.5)) continue;
    const kinds = FAULT_KINDS.filter((kind) => kind !== '429-long' && allowed(kind, route));
    const kind = rng.chance(0.05) && allowed('429-long', route) ? '429-long' : rng.pick(kinds);
    faults.push(makeFault(kind, route, rng, { count: rng.int(1, 3), rate: 0.2 + rng.next() * 0.4 }));
  }
  return faults;
}
