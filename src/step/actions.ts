// The one place that speaks to the runner through @actions/core: logs, outputs, state, groups, the run's
// context. Operations get these as plain interfaces (operations/context.ts).
import * as core from '@actions/core';
import type { Logger } from '../logger.ts';
import type { Outputs, OutputValues, RunInfo } from '../operations/context.ts';

export const coreLogger: Logger = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  warning: (message, title) => core.warning(message, title ? { title } : {}),
};

/** Writes each output once known; remembers them, so a cancellation can say what was written. */
export class CoreOutputs implements Outputs {
  readonly written: Partial<Record<keyof OutputValues, string>> = {};

  set(values: Partial<OutputValues>): void {
    for (const [name, value] of Object.entries(values) as [keyof OutputValues, unknown][]) {
      if (value === undefined || value === null) continue;
      const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
      this.written[name] = text;
      core.setOutput(name, text);
    }
  }
}

export function group<T>(title: string, work: () => Promise<T>): Promise<T> {
  return core.group(title, work);
}

export function input(name: string): string {
  return core.getInput(name);
}

/** The workflow run, from the runner's GITHUB_* variables. */
export function runInfo(env: NodeJS.ProcessEnv = process.env): RunInfo {
  return {
    sha: env.GITHUB_SHA ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    job: env.GITHUB_JOB ?? '',
    repository: env.GITHUB_REPOSITORY ?? '',
    ref: env.GITHUB_REF ?? '',
    workflow: env.GITHUB_WORKFLOW ?? '',
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
  };
}
