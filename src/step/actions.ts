// The one place that speaks to the runner (@actions/core): the log, annotations, outputs, state, groups,
// the mask, the job summary. Everything written here passes through src/text.ts first, so no text that
// came from the provider or an input can start a workflow command, end a line, or be read as one.
// Operations get these as plain interfaces (operations/context.ts).
import * as core from '@actions/core';
import type { Logger } from '../logger.ts';
import type { Outputs, OutputValues, RunInfo } from '../operations/context.ts';
import { data, forLog, jsonText } from '../text.ts';

/** Log lines and annotations; a title heads an annotation. */
export const coreLogger: Logger & {
  error(message: string, title: string): void;
} = {
  debug: (message) => core.debug(forLog(message)),
  info: (message) => core.info(forLog(message)),
  warning: (message, title) => core.warning(forLog(message), title ? { title: forLog(title) } : {}),
  error: (message, title) => core.error(forLog(message), { title: forLog(title) }),
};

/** An output's text: JSON for objects (the Unicode line breaks written as \u escapes), else one line. */
function outputText(value: unknown): string {
  return typeof value === 'object' ? jsonText(value) : data(String(value));
}

/** Writes each output once known. */
export class CoreOutputs implements Outputs {
  set(values: Partial<OutputValues>): void {
    for (const [name, value] of Object.entries(values) as [keyof OutputValues, unknown][]) {
      if (value === undefined || value === null) continue;
      core.setOutput(name, outputText(value));
    }
  }
}

/** The post step's state: values the action wrote itself (IDs, booleans, api_url, JSON). */
export function saveState(key: string, value: string): void {
  core.saveState(key, data(value));
}

export function readState(key: string): string {
  return core.getState(key);
}

export function group<T>(title: string, work: () => Promise<T>): Promise<T> {
  return core.group(forLog(title), work);
}

export function input(name: string): string {
  return core.getInput(name);
}

/** The token, masked in every log line from here on. */
export function mask(secret: string): void {
  core.setSecret(secret);
}

/** Appends rendered markdown (reporting/summary.ts escapes every piece of data in it) to the job summary. */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(markdown, true).write();
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
