// Soak: rounds of 2 to 4 runs of the action at once (as the runner runs it) against one emulator, whose mode
// changes every round (read lag, an ignored server filter, the default settle window) under random faults of
// every kind. After every round the invariants (chaos-invariants.ts) are checked against what the provider
// really did (chaos-ledger.ts). Bounded in runs and time; loopback only; replay a failure with CHAOS_SEED.
//   CHAOS_RUNS     the most runs of the main step (default 120)
//   CHAOS_SECONDS  no round starts after this many seconds (default 65; a round takes a few seconds)
//   CHAOS_SEED     the seed of every random choice but the timings
//   CHAOS_VERBOSE  1: a line per run of every round (a round with a violation is always printed)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultPlan, faultLabel } from '../../emulator/index.ts';
import { type FaultChoice, roundFaults } from './chaos-faults.ts';
import { checkPost, checkRound, type RunResult } from './chaos-invariants.ts';
import { watchModel } from './chaos-ledger.ts';
import { MODES, type Mode, planRound, type RoundPlan, SERVERS } from './chaos-plan.ts';
import { Rng } from './chaos-random.ts';
import { tidy } from './chaos-tidy.ts';
import { Fixture, TOKEN } from './fixture.ts';

const MAX_RUNS = Number(process.env.CHAOS_RUNS ?? 120);
const BUDGET_MS = Number(process.env.CHAOS_SECONDS ?? 65) * 1_000;
const SEED = Number(process.env.CHAOS_SEED ?? 20261122);

const VERBOSE = process.env.CHAOS_VERBOSE === '1';

const rng = new Rng(SEED);

/** One line per run of a round, for CHAOS_VERBOSE=1 and for any round with a violation. */
function describeRound(round: RoundPlan, results: RunResult[], found: string[]): string {
  const faults = round.faults.map(
    (x) => `${x.route}:${x.kind}${'status' in x && x.status ? `:${x.status}` : ''}`,
  );
  const lines = results.map(
    ({ plan, run, startedAt, endedAt }) =>
      `  ${plan.label}: exit ${run.exitCode} ${run.outputs.status ?? '-'} in ${((endedAt - startedAt) / 1000).toFixed(1)} s${run.exitCode ? ` (${run.errors[0]?.slice(0, 300)})` : ''}`,
  );
  return [
    `round ${round.index} ${round.mode} lag ${round.readLagMs} ms, window ${round.settleWindow || 'default'}, timings ${round.timings.snapshotMs}/${round.timings.restoreMs} ms, faults ${faults.join(' ')}`,
    ...lines,
    ...found.map((v) => `  VIOLATION ${v}`),
  ].join('\n');
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function envFor(round: RoundPlan): Record<string, string> {
  return { VPS_API_REQUEST_TIMEOUT: '1s', VPS_API_SETTLE_WINDOW: round.settleWindow };
}

/** Counts each fault taken, by kind, a long Retry-After apart from a short one. */
function countFaults(plan: FaultPlan): Map<string, number> {
  const counts = new Map<string, number>();
  const take = plan.take.bind(plan);
  plan.take = (route) => {
    const fault = take(route);
    if (fault) {
      const label =
        fault.kind === 'status' && fault.status === 429 && fault.retryAfter === '40'
          ? 'status 429 (Retry-After 40)'
          : faultLabel(fault);
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    return fault;
  };
  return counts;
}

describe('chaos soak', () => {
  let f: Fixture;
  beforeAll(async () => {
    // Fault rates draw from their own generator, so the plan of each round depends on the seed alone.
    f = await new Fixture({ random: new Rng(SEED ^ 0x5bd1e995).next }).start();
    for (const id of SERVERS.slice(1)) f.model.addServer(TOKEN, id);
  });
  afterAll(() => f.stop());

  it(`keeps every invariant over rounds of concurrent runs under random faults (seed ${SEED})`, async () => {
    const started = performance.now();
    const ledger = watchModel(f.model);
    const byKind = countFaults(f.emulator.faults);
    const violations: string[] = [];
    const modes = new Map<Mode, number>();
    const concurrency = new Map<number, number>();
    const outcome = { ok: 0, failed: 0, posts: 0 };
    let runs = 0;
    let rounds = 0;
    try {
      while (runs < MAX_RUNS && performance.now() - started < BUDGET_MS) {
        tidy(f, rng);
        const round = planRound(rounds, rng, f);
        f.model.timings = { ...round.timings };
        f.model.failingServers.clear();
        if (round.failingServer !== undefined) f.model.failingServers.add(round.failingServer);
        const from = {
          log: f.emulator.log.length,
          deleted: ledger.deleted.length,
          restores: ledger.restores.length,
        };
        f.emulator.faults.clear();
        f.emulator.faults.add(...round.faults);
        const results = await Promise.all(
          round.runs.map(async (plan, k): Promise<RunResult> => {
            await pause(plan.offsetMs);
            const startedAt = Date.now();
            const run = await f.run('main', plan.inputs, {
              context: { runId: String(10_000 + runs + k) },
              env: envFor(round),
              timeoutMs: 60_000,
            });
            return { plan, run, startedAt, endedAt: Date.now() };
          }),
        );
        f.emulator.faults.clear();
        rounds += 1;
        runs += results.length;
        modes.set(round.mode, (modes.get(round.mode) ?? 0) + 1);
        concurrency.set(results.length, (concurrency.get(results.length) ?? 0) + 1);
        for (const r of results) outcome[r.run.exitCode === 0 ? 'ok' : 'failed'] += 1;
        const found = checkRound(round, results, {
          log: f.emulator.log.slice(from.log),
          deleted: ledger.deleted.slice(from.deleted),
          restores: ledger.restores.slice(from.restores),
          made: ledger.made,
          exists: (id) => f.model.snapshots.has(id),
        });
        for (const v of found) violations.push(`round ${round.index} (${round.mode}): ${v}`);
        if (VERBOSE || found.length > 0) console.log(describeRound(round, results, found));

        // Now and then the deploy after a create "fails", and its post step runs, under faults too.
        const creates = results.filter((r) => r.plan.kind === 'create' || r.plan.kind === 'fleet');
        if (creates.length > 0 && rng.chance(0.4)) {
          const main = rng.pick(creates);
          f.emulator.faults.add(
            ...roundFaults(
              rng,
              rng.pick<FaultChoice>(['429', '5xx', 'latency', 'reset', 'stall', 'html', 'ambiguous']),
              round.mode === 'default-window',
            ),
          );
          const postFrom = f.emulator.log.length;
          const post = await f.run('post', main.plan.inputs, {
            state: main.run.state,
            env: envFor(round),
            timeoutMs: 60_000,
          });
          f.emulator.faults.clear();
          outcome.posts += 1;
          for (const v of checkPost(main, post, f.emulator.log.slice(postFrom)))
            violations.push(`round ${round.index} (${round.mode}), post step of ${main.plan.label}: ${v}`);
        }
      }
    } finally {
      ledger.stop();
    }
    const injected = [...byKind.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const faults = [...byKind.values()].reduce((a, b) => a + b, 0);
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    const list = (m: Map<string | number, number>) => [...m].map(([k, v]) => `${k}: ${v}`).join(', ');
    console.log(
      `chaos: ${rounds} rounds (${list(modes)}), ${runs} runs (${outcome.ok} ok, ${outcome.failed} failed cleanly) and ${outcome.posts} post steps, runs at once per round (${list(concurrency)}), ${f.emulator.log.length} requests, ${faults} faults injected (${injected}), ${violations.length} invariant violations, seed ${SEED}, ${seconds} s`,
    );
    expect(violations).toEqual([]);
    expect(rounds).toBeGreaterThanOrEqual(Math.min(MODES.length, Math.floor(MAX_RUNS / 4)));
    expect(faults).toBeGreaterThan(0);
  }, 300_000);
});
