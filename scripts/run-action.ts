// Runs the action the way the GitHub runner does: `node <entry>`, inputs as INPUT_<NAME> with action.yml's
// defaults, file commands as files, post with STATE_<name>. The entry is either the committed bundle that
// action.yml names, or the TypeScript source it is built from, run directly by Node's type stripping.
// Its stdout and stderr are read as the runner reads them (runner-commands.ts): the workflow commands the
// runner would obey, the annotations, masks and log it would make, and what they set.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ActionCode, actionEntry } from './action-entry.ts';
import { ROOT, readActionYml } from './action-yml.ts';
import { evaluateCondition } from './job-status.ts';
import { interpret, type ObeyedCommand, type RunnerView } from './runner-commands.ts';
import type { Issue } from './runner-extensions.ts';
import { type GitHubContext, parseFileCommands, runnerEnv, runnerFiles } from './runner-files.ts';
import { setProperty } from './runner-parse.ts';
import { runStepProcess } from './step-process.ts';

export { type ActionCode, actionEntry, SOURCE_ENTRIES, warmSource } from './action-entry.ts';
export type { ObeyedCommand, RunnerView } from './runner-commands.ts';
export type { Issue } from './runner-extensions.ts';
export { DEFAULT_CONTEXT, type GitHubContext, parseFileCommands } from './runner-files.ts';

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** What later steps read, as the runner ends the step: `set-output` over stdout, then the output file over it. */
  outputs: Record<string, string>;
  /** What the post step gets as STATE_*: `save-state` over stdout, then the state file over it. */
  state: Record<string, string>;
  /** The GITHUB_ENV file over any `set-env` the runner honoured. */
  env: Record<string, string>;
  summary: string;
  /** Each error annotation as `::error <properties>::<message>`, unescaped once (the runner's own included). */
  errors: string[];
  warnings: string[];
  notices: string[];
  /** The same annotations, structured, in order. */
  annotations: Issue[];
  /** Every value the runner would mask in the log. */
  masks: string[];
  /** Every workflow command the runner would have obeyed, in order, with the stream it came on. */
  commands: ObeyedCommand[];
  /** The step's log as a person sees it: masked, commands replaced by what the runner shows for them. */
  log: string[];
  /** All the runner made of the output (groups, debug, stop-commands, set-env/add-path, near misses, ...). */
  runner: RunnerView;
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
  /** Values the runner masks from the start, as it does the workflow's secrets. */
  secrets?: string[];
}

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
    const args = [...entry.nodeArgs, join(ROOT, entry.file)];
    const { exitCode, stdout, stderr, lines } = await runStepProcess(args, env, dir, {
      ...options,
      label: `${step} step`,
    });
    // ACTIONS_STEP_DEBUG is a variable of the run, which the runner passes on to the step as RUNNER_DEBUG.
    const runner = interpret(lines, { env, stepDebug: env.RUNNER_DEBUG === '1', secrets: options.secrets });
    const read = (file: string) => parseFileCommands(readFileSync(file, 'utf8'));
    return {
      exitCode,
      stdout,
      stderr,
      // The runner processes the file commands after the step's process ends (ActionRunner.RunAsync), so
      // a file's value replaces one set over stdout under the same name (in any case).
      outputs: fileCommandsOver(runner.outputs, read(files.GITHUB_OUTPUT)),
      state: fileCommandsOver(runner.state, read(files.GITHUB_STATE)),
      env: { ...runner.env, ...read(files.GITHUB_ENV) },
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
      errors: shown(runner, 'error'),
      warnings: shown(runner, 'warning'),
      notices: shown(runner, 'notice'),
      annotations: runner.annotations,
      masks: runner.masks,
      commands: runner.commands,
      log: runner.log,
      runner,
      durationMs: performance.now() - started,
      entry: entry.file,
      skipped: false,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function skippedRun(entry: string): ActionRun {
  const runner = interpret([]);
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
    notices: [],
    annotations: [],
    masks: [],
    commands: [],
    log: [],
    runner,
    durationMs: 0,
    entry,
    skipped: true,
  };
}

/** `later` written over `earlier` into a dictionary whose keys ignore case, as the runner's do. */
export function fileCommandsOver(
  earlier: Record<string, string>,
  later: Record<string, string>,
): Record<string, string> {
  const result = { ...earlier };
  for (const [name, value] of Object.entries(later)) setProperty(result, name, value);
  return result;
}

/** The annotations of one kind, each as the command that would make it: `::error title=...::message`. */
function shown(runner: RunnerView, kind: Issue['kind']): string[] {
  return runner.annotations
    .filter((issue) => issue.kind === kind)
    .map((issue) => {
      const properties = Object.entries(issue.properties).map(([name, value]) => `${name}=${value}`);
      return `::${kind}${properties.length > 0 ? ` ${properties.join(',')}` : ''}::${issue.message}`;
    });
}

/** The commands @actions/core writes for this action (outputs and state go through files). */
export const ACTION_COMMANDS = ['error', 'warning', 'notice', 'debug', 'group', 'endgroup', 'add-mask'];

/**
 * Obeyed commands that @actions/core cannot have written: a name outside ACTION_COMMANDS (as core spells
 * it), the legacy `##[...]` form, stderr, anything before the `::`, or a property core does not write.
 * Text the action prints from elsewhere that still becomes a command in core's own shape is not caught
 * here: compare `commands` with the list the scenario expects for that.
 */
export function foreignCommands(run: Pick<ActionRun, 'commands'>): ObeyedCommand[] {
  const annotation = ['title', 'file', 'line', 'col', 'endLine', 'endColumn'];
  return run.commands.filter((command) => {
    const allowed = ['error', 'warning', 'notice'].includes(command.name) ? annotation : [];
    return (
      !ACTION_COMMANDS.includes(command.name) ||
      command.form !== 'v2' ||
      command.stream !== 'stdout' ||
      !command.line.startsWith('::') ||
      Object.keys(command.properties).some((name) => !allowed.includes(name))
    );
  });
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
