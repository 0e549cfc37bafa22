// Runs the action the way the GitHub runner does: `node <entry>`, inputs as INPUT_<NAME> with action.yml's
// defaults, file commands as files, post with STATE_<name>. The entry is either the committed bundle that
// action.yml names, or the TypeScript source it is built from, run directly by Node's type stripping.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, readActionYml } from './action-yml.ts';

/**
 * What runs. `bundle`: dist/, the entries action.yml names, exactly what a workflow runs, so it is only as
 * new as the last `npm run build`. `source`: src/entrypoints/*.ts, the entries `npm run build` bundles, so
 * a change to src/ is tested without a build.
 */
export type ActionCode = 'source' | 'bundle';

/** The entry points `npm run build` bundles into dist/main and dist/post. */
export const SOURCE_ENTRIES = { main: 'src/entrypoints/main.ts', post: 'src/entrypoints/post.ts' } as const;

/** The entry file of a step, relative to the repository root, and the Node options it needs. */
export function actionEntry(step: 'main' | 'post', code: ActionCode): { file: string; nodeArgs: string[] } {
  if (code === 'bundle') {
    const yml = readActionYml();
    return { file: step === 'main' ? yml.main : yml.post, nodeArgs: [] };
  }
  return { file: SOURCE_ENTRIES[step], nodeArgs: SOURCE_NODE_ARGS };
}

/**
 * Node options for the source only; the bundle gets none, it runs as the runner runs it. Node 24 strips the
 * types without a flag, but earlier 24.x releases print an ExperimentalWarning for it on stderr, noise to a
 * test that reads stderr (24.9 prints none). Loading src/ and node_modules file by file costs ~200 ms more
 * per start than the one-file bundle, enough to shift the timing-sensitive tests; Node's compile cache
 * (keyed by each file's content, so an edit is never served stale) takes that back to the bundle's ~100 ms.
 * Options, not environment variables, so the action's environment is exactly what the runner gives it.
 */
const SOURCE_NODE_ARGS = [
  '--disable-warning=ExperimentalWarning',
  '--import',
  `data:text/javascript,${encodeURIComponent(
    `import { enableCompileCache } from 'node:module'; enableCompileCache(${JSON.stringify(
      join(ROOT, 'node_modules/.cache/run-action'),
    )});`,
  )}`,
];

let sourceWarmed: Promise<void> | undefined;

/**
 * Fills Node's compile cache for the source, once per process: starts each entry with no inputs (main stops
 * at the input check, post finds no state, so neither sends a request). With a cold cache (after `npm ci`)
 * a source run starts in ~225 ms instead of ~110 ms, enough to lose the race in a timing-sensitive test run
 * on its own. Call it in a setup hook, not in the test, so its time is not counted against the test's.
 */
export function warmSource(): Promise<void> {
  sourceWarmed ??= Promise.all(
    Object.values(SOURCE_ENTRIES).map(
      (file) =>
        new Promise<void>((done) => {
          const child = spawn(process.execPath, [...SOURCE_NODE_ARGS, join(ROOT, file)], {
            env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() },
            cwd: tmpdir(),
            stdio: 'ignore',
          });
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          child.on('error', () => undefined);
          child.on('close', () => {
            clearTimeout(timer);
            done();
          });
        }),
    ),
  ).then(() => undefined);
  return sourceWarmed;
}

/** Parses a file-command file (`name<<delimiter` blocks, or `name=value` lines). */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc?.[1] && heredoc[2]) {
      const end = lines.indexOf(heredoc[2], i + 1);
      if (end < 0) throw new Error(`unterminated ${heredoc[1]} in file command`);
      result[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      result[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return result;
}

export interface GitHubContext {
  sha: string;
  runId: string;
  runAttempt: string;
  repository: string;
  ref: string;
  workflow: string;
}

export const DEFAULT_CONTEXT: GitHubContext = {
  sha: '3f2a9c1d0b8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a',
  runId: '9876543210',
  runAttempt: '1',
  repository: 'acme/shop',
  ref: 'refs/heads/main',
  workflow: 'deploy',
};

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
  const yml = readActionYml();
  const entry = actionEntry(step, options.code ?? 'bundle');
  const dir = mkdtempSync(join(tmpdir(), 'vps-action-'));
  try {
    const files = {
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_ENV: join(dir, 'env'),
      GITHUB_PATH: join(dir, 'path'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_EVENT_PATH: join(dir, 'event.json'),
    };
    for (const file of Object.values(files)) writeFileSync(file, '');
    writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify({ repository: { full_name: 'acme/shop' } }));
    const context = { ...DEFAULT_CONTEXT, ...options.context };
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      RUNNER_TEMP: dir,
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_SHA: context.sha,
      GITHUB_RUN_ID: context.runId,
      GITHUB_RUN_ATTEMPT: context.runAttempt,
      GITHUB_REPOSITORY: context.repository,
      GITHUB_REF: context.ref,
      GITHUB_WORKFLOW: context.workflow,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_ACTOR: 'octocat',
      GITHUB_JOB: 'deploy',
      ...files,
    };
    for (const [name, input] of Object.entries(yml.inputs)) {
      env[`INPUT_${name.toUpperCase()}`] = options.inputs?.[name] ?? input.default ?? '';
    }
    for (const [name, value] of Object.entries(options.inputs ?? {}))
      env[`INPUT_${name.toUpperCase()}`] = value;
    for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
    Object.assign(env, options.env);

    const started = performance.now();
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
        for (const step of running) step.kill('SIGKILL');
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
    const read = (file: string) => readFileSync(file, 'utf8');
    const annotations = (kind: string) =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith(`::${kind}`))
        .map((line) =>
          line
            .replace(/%0A/g, '\n')
            .replace(/%0D/g, '\r')
            .replace(/%3A/g, ':')
            .replace(/%2C/g, ',')
            .replace(/%25/g, '%'),
        );
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseFileCommands(read(files.GITHUB_OUTPUT)),
      state: parseFileCommands(read(files.GITHUB_STATE)),
      env: parseFileCommands(read(files.GITHUB_ENV)),
      summary: read(files.GITHUB_STEP_SUMMARY),
      errors: annotations('error'),
      warnings: annotations('warning'),
      durationMs: performance.now() - started,
      entry: entry.file,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
