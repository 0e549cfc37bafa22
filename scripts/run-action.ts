// Runs the action the way the GitHub runner does: `node <entry>`, inputs as INPUT_<NAME> with action.yml's
// defaults, file commands as files, post with STATE_<name>. The entry is either the committed bundle that
// action.yml names, or the TypeScript source it is built from, run directly by Node's type stripping.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ActionCode, actionEntry } from './action-entry.ts';
import { ROOT, readActionYml } from './action-yml.ts';
import { evaluateCondition } from './job-status.ts';
import {
  annotations,
  type GitHubContext,
  parseFileCommands,
  runnerEnv,
  runnerFiles,
} from './runner-files.ts';

export { type ActionCode, actionEntry, SOURCE_ENTRIES, warmSource } from './action-entry.ts';
export { DEFAULT_CONTEXT, type GitHubContext, parseFileCommands } from './runner-files.ts';

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  env: Record<string, string>;
  summary: string;
  /** `::error` annotations, with their properties. */
  errors: string[];
  warnings: string[];
  durationMs: number;
  /** The entry that ran, relative to the repository root. */
  entry: string;
  /** A post step whose post-if did not hold for the job's status: the runner does not start it. */
  skipped: boolean;
}

export interface RunOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  /** For the post step: the main step's saved state, passed as STATE_<name>. */
  state?: Record<string, string>;
  context?: Partial<GitHubContext>;
  timeoutMs?: number;
  /** What runs: the committed bundle (the default, as a workflow runs it) or the TypeScript source. */
  code?: ActionCode;
  /** Aborting kills the step at once (SIGKILL) and the run resolves with exitCode null. */
  signal?: AbortSignal;
}

/** Steps still running, killed if this process exits first (a test that timed out, Ctrl-C). */
const running = new Set<ChildProcess>();
let killOnExit = false;

/** Starts `node <entry>` as the runner does and collects what it wrote. Asynchronous, so an in-process emulator keeps answering. */
export async function runAction(step: 'main' | 'post', options: RunOptions = {}): Promise<ActionRun> {
  const entry = actionEntry(step, options.code ?? 'bundle');
  // A post step runs at the end of a job that, in these tests, failed unless they say otherwise.
  const context = { jobStatus: step === 'post' ? 'failure' : 'success', ...options.context } as const;
  const yml = readActionYml();
  if (step === 'post' && !evaluateCondition(yml.postIf, context.jobStatus)) return skippedRun(entry.file);
  const dir = mkdtempSync(join(tmpdir(), 'vps-action-'));
  try {
    const files = runnerFiles(dir);
    const env = runnerEnv(dir, files, yml, { ...options, context });
    const started = performance.now();
    const { exitCode, stdout, stderr } = await spawnStep(step, entry, env, dir, options);
    const read = (file: string) => readFileSync(file, 'utf8');
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseFileCommands(read(files.GITHUB_OUTPUT)),
      state: parseFileCommands(read(files.GITHUB_STATE)),
      env: parseFileCommands(read(files.GITHUB_ENV)),
      summary: read(files.GITHUB_STEP_SUMMARY),
      errors: annotations(stdout, 'error'),
      warnings: annotations(stdout, 'warning'),
      durationMs: performance.now() - started,
      entry: entry.file,
      skipped: false,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function skippedRun(entry: string): ActionRun {
  return {
    exitCode: 0,
    stdout: '',
    stderr: '',
    outputs: {},
    state: {},
    env: {},
    summary: '',
    errors: [],
    warnings: [],
    durationMs: 0,
    entry,
    skipped: true,
  };
}

/** Runs the step's process to its end (or its time limit, or the caller's abort) and collects its output. */
async function spawnStep(
  step: 'main' | 'post',
  entry: { file: string; nodeArgs: string[] },
  env: Record<string, string>,
  dir: string,
  options: RunOptions,
): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...entry.nodeArgs, join(ROOT, entry.file)], {
    env,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const limit = options.timeoutMs ?? 60_000;
  running.add(child);
  if (!killOnExit) {
    killOnExit = true;
    process.on('exit', () => {
      for (const other of running) other.kill('SIGKILL');
    });
  }
  const kill = () => child.kill('SIGKILL');
  options.signal?.addEventListener('abort', kill);
  if (options.signal?.aborted) kill();
  const exitCode = await new Promise<number | null>((done, fail) => {
    const timer = setTimeout(() => {
      kill();
      fail(new Error(`the ${step} step did not finish within ${limit} ms:\n${stdout}\n${stderr}`));
    }, limit);
    child.on('close', (code) => {
      clearTimeout(timer);
      done(code);
    });
  }).finally(() => {
    running.delete(child);
    options.signal?.removeEventListener('abort', kill);
  });
  return { exitCode, stdout, stderr };
}

/** Everything a run wrote where a user or a later step could see it, but the runner's own mask command. */
export function visibleText(run: ActionRun): string {
  const stdout = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  return [
    stdout,
    run.stderr,
    JSON.stringify(run.outputs),
    JSON.stringify(run.state),
    JSON.stringify(run.env),
    run.summary,
  ].join('\n');
}
