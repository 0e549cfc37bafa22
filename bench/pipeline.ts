// Pipeline: "overlap the snapshot with the build". Time from the first step to the deploy point, on the
// emulator over loopback, with the real action each step:
//   serial:  create (wait: true) -> build -> deploy point
//   overlap: create (wait: false) -> build, while the provider makes the snapshot -> wait (snapshot_id) -> deploy point
// The build is a sleep standing for it. Steps run one after another, as a job's steps do.
import { setTimeout as sleep } from 'node:timers/promises';
import { Emulator } from '../emulator/index.ts';
import { type ActionCode, type ActionRun, runAction } from '../scripts/run-action.ts';
import type { CodeChoice } from './code.ts';
import { median, quick, TOKEN } from './common.ts';

const SERVER = 12345;
type Pattern = 'serial' | 'overlap';

export interface PatternRun {
  /** From the first step's start to the deploy point (the last step's exit, or the build's end). */
  toDeployMs: number;
  /** Each step's wall time, in the order of the figure's steps (the build's is the sleep). */
  stepsMs: number[];
  /** Every request the steps made, and by route. */
  requests: number;
  byRoute: Record<string, number>;
}

export interface PatternFigure {
  steps: string[];
  toDeployMs: number;
  /** Each step's median wall time. */
  stepsMs: number[];
  requests: number;
  byRoute: Record<string, number>;
  rounds: PatternRun[];
}

export interface Pipeline {
  snapshotMs: number;
  buildMs: number;
  rounds: number;
  code: ActionCode;
  codeWhy: string;
  serial: PatternFigure;
  overlap: PatternFigure;
  savingMs: number;
  savingShare: number;
  /**
   * How long the snapshot and the build run at once: the shorter of the two. The saving can be larger: the
   * serial create polls on a schedule grown sparse by the end of the snapshot, while the wait step starts
   * its schedule afresh and notices the end sooner (compare the create and wait steps' stepsMs).
   */
  overlapMs: number;
}

/** One step of the job: the action's main entry with these inputs; it must succeed with this status. */
async function step(code: ActionCode, inputs: Record<string, string>, status: string): Promise<ActionRun> {
  const run = await runAction('main', { code, inputs: { api_token: TOKEN, ...inputs }, timeoutMs: 120_000 });
  if (run.exitCode !== 0 || run.outputs.status !== status)
    throw new Error(
      `${inputs.operation} step: exit ${run.exitCode}, status ${run.outputs.status} (expected ${status}):\n${run.stdout}\n${run.stderr}`,
    );
  return run;
}

/** The build: a sleep standing for it, timed like the steps. */
async function build(buildMs: number): Promise<number> {
  const started = performance.now();
  await sleep(buildMs);
  return performance.now() - started;
}

async function serial(apiUrl: string, code: ActionCode, buildMs: number): Promise<number[]> {
  const server = { api_url: apiUrl, server_id: String(SERVER) };
  const created = await step(code, { ...server, operation: 'create', wait: 'true' }, 'completed');
  return [created.durationMs, await build(buildMs)];
}

async function overlap(apiUrl: string, code: ActionCode, buildMs: number): Promise<number[]> {
  const server = { api_url: apiUrl, server_id: String(SERVER) };
  const created = await step(code, { ...server, operation: 'create', wait: 'false' }, 'in_progress');
  const id = created.outputs.snapshot_id;
  if (!id) throw new Error(`create (wait: false) wrote no snapshot_id:\n${created.stdout}`);
  const built = await build(buildMs);
  const waited = await step(code, { api_url: apiUrl, operation: 'wait', snapshot_id: id }, 'completed');
  return [created.durationMs, built, waited.durationMs];
}

/** One pattern once, on a fresh emulator whose snapshots take `snapshotMs`. */
async function measure(pattern: Pattern, code: ActionCode, snapshotMs: number, buildMs: number) {
  const emulator = new Emulator({ token: TOKEN, timings: { snapshotMs } });
  const apiUrl = await emulator.start();
  try {
    const started = performance.now();
    const stepsMs = await (pattern === 'serial' ? serial : overlap)(apiUrl, code, buildMs);
    const toDeployMs = performance.now() - started;
    const byRoute: Record<string, number> = {};
    for (const r of emulator.log) byRoute[r.route ?? 'other'] = (byRoute[r.route ?? 'other'] ?? 0) + 1;
    return { toDeployMs, stepsMs, requests: emulator.log.length, byRoute } satisfies PatternRun;
  } finally {
    await emulator.stop();
  }
}

/** An untimed list run first, so the first timed step does not pay for a cold start (disk, compile cache). */
async function warmUp(code: ActionCode): Promise<void> {
  const emulator = new Emulator({ token: TOKEN });
  const apiUrl = await emulator.start();
  try {
    await step(code, { api_url: apiUrl, operation: 'list', server_id: String(SERVER) }, 'listed');
  } finally {
    await emulator.stop();
  }
}

function figure(steps: string[], rounds: PatternRun[]): PatternFigure {
  const middle = [...rounds].sort((a, b) => a.toDeployMs - b.toDeployMs)[Math.floor(rounds.length / 2)];
  return {
    steps,
    toDeployMs: median(rounds.map((r) => r.toDeployMs)),
    stepsMs: steps.map((_, i) => median(rounds.map((r) => r.stepsMs[i] ?? Number.NaN))),
    requests: median(rounds.map((r) => r.requests)),
    byRoute: middle?.byRoute ?? {},
    rounds,
  };
}

export async function pipeline(choice: CodeChoice): Promise<Pipeline> {
  const snapshotMs = quick ? 3_000 : 6_000;
  const buildMs = quick ? 2_500 : 5_000;
  const rounds = quick ? 1 : 3;
  await warmUp(choice.code);
  const runs: Record<Pattern, PatternRun[]> = { serial: [], overlap: [] };
  for (let i = 0; i < rounds; i++)
    for (const pattern of ['serial', 'overlap'] as const)
      runs[pattern].push(await measure(pattern, choice.code, snapshotMs, buildMs));
  const s = figure(['create (wait: true)', 'build'], runs.serial);
  const o = figure(['create (wait: false)', 'build', 'wait (snapshot_id)'], runs.overlap);
  return {
    snapshotMs,
    buildMs,
    rounds,
    code: choice.code,
    codeWhy: choice.why,
    serial: s,
    overlap: o,
    savingMs: s.toDeployMs - o.toDeployMs,
    savingShare: (s.toDeployMs - o.toDeployMs) / s.toDeployMs,
    overlapMs: Math.min(snapshotMs, buildMs),
  };
}
