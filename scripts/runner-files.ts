// What the GitHub runner gives a step and reads back: GITHUB_* variables, INPUT_* with action.yml's
// defaults, STATE_* for a post step, and the file commands (outputs, state, env, summary) as files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionYml } from './action-yml.ts';
import { evaluateDefault, type JobStatus } from './job-status.ts';

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
  /** The job's status when the step runs: what `${{ job.status }}` and post-if see. */
  jobStatus: JobStatus;
  sha: string;
  runId: string;
  runAttempt: string;
  repository: string;
  ref: string;
  workflow: string;
}

export const DEFAULT_CONTEXT: GitHubContext = {
  jobStatus: 'success',
  sha: '3f2a9c1d0b8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a',
  runId: '9876543210',
  runAttempt: '1',
  repository: 'acme/shop',
  ref: 'refs/heads/main',
  workflow: 'deploy',
};

/** The runner's files for one step, created empty in `dir`. */
export function runnerFiles(dir: string) {
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
  return files;
}

/** The step's environment, as the runner builds it: its context, its files, every input (defaults filled in). */
export function runnerEnv(
  dir: string,
  files: Record<string, string>,
  yml: ActionYml,
  options: {
    inputs?: Record<string, string>;
    state?: Record<string, string>;
    env?: Record<string, string>;
    context?: Partial<GitHubContext>;
  },
): Record<string, string> {
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
    env[`INPUT_${name.toUpperCase()}`] =
      options.inputs?.[name] ?? evaluateDefault(input.default ?? '', context.jobStatus);
  }
  for (const [name, value] of Object.entries(options.inputs ?? {}))
    env[`INPUT_${name.toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  return Object.assign(env, options.env);
}
