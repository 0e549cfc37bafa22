// The one place that speaks to the runner (@actions/core). Everything written here passes through src/text.ts
// first, so no text from the provider or an input can start a workflow command or end a line.
import * as core from '@actions/core';
import { context } from '@actions/github';
import type { Logger } from '../logger.ts';
import type { CreatedSnapshot, Outputs, RunInfo, StepState } from '../operations/context.ts';
import { parseDuration } from '../settings/duration.ts';
import { DEFAULT_TIMEOUT } from '../settings/index.ts';
import { data, forLog, jsonText } from '../text.ts';

/** Log lines and annotations; a title heads an annotation. */
export const coreLogger: Logger & { error(message: string, title: string): void } = {
  debug: (message) => core.debug(forLog(message)),
  info: (message) => core.info(forLog(message)),
  warning: (message, title) => core.warning(forLog(message), title ? { title: forLog(title) } : {}),
  error: (message, title) => core.error(forLog(message), { title: forLog(title) }),
};

/** Each output as JSON (the Unicode line breaks as \u escapes) or one line of text. */
export const coreOutputs: Outputs = {
  set(values) {
    for (const [name, value] of Object.entries(values))
      if (value != null)
        core.setOutput(name, typeof value === 'object' ? jsonText(value) : data(String(value)));
  },
};

export const group = <T>(title: string, work: () => Promise<T>) => core.group(forLog(title), work);
export const input = (name: string) => core.getInput(name);
/** The token, masked in every log line from here on. */
export const mask = (secret: string) => core.setSecret(secret);

/** Appends rendered markdown (reporting/summary.ts escapes every piece of data) to the job summary. */
export async function writeSummary(markdown: string): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown, true).write();
}

/** The workflow run, from the runner's GITHUB_* variables. */
export function runInfo(): RunInfo {
  // @actions/github reads the GITHUB_* variables once, at start-up (about 15 ms: npm run bench).
  const { sha, job, ref, workflow, serverUrl, runId, runAttempt } = context;
  const repository = process.env.GITHUB_REPOSITORY ? `${context.repo.owner}/${context.repo.repo}` : '';
  const number = (n: number, fallback: string) => (Number.isFinite(n) ? String(n) : fallback);
  return {
    sha: sha ?? '',
    runId: number(runId, ''),
    runAttempt: number(runAttempt, '1'),
    job: job ?? '',
    repository,
    ref: ref ?? '',
    workflow: workflow ?? '',
    serverUrl,
  };
}

const KEY = {
  created: 'created_snapshots',
  restoreOnFailure: 'restore_on_failure',
  mainSucceeded: 'main_succeeded',
  apiUrl: 'api_url',
  timeoutMs: 'timeout_ms',
} as const;
const save = (key: string, value: unknown) => core.saveState(key, data(String(value)));

export const coreState: StepState = {
  saveRestorePlan(plan) {
    save(KEY.restoreOnFailure, plan.restoreOnFailure);
    save(KEY.apiUrl, plan.apiUrl);
    save(KEY.timeoutMs, plan.timeoutMs);
  },
  saveCreated: (created) => core.saveState(KEY.created, jsonText(created)),
};

export const markMainSucceeded = () => save(KEY.mainSucceeded, true);

/** What the main step handed over, never a secret. `mainSucceeded`: a failure came from a later step (the deploy). */
export type PostState = ReturnType<typeof readPostState>;

/** The state, typed; anything missing or malformed reads as nothing to do (the timeout as the input's default). */
export function readPostState(read: (key: string) => string = core.getState) {
  const timeoutMs = Number(read(KEY.timeoutMs));
  let created: unknown;
  try {
    created = JSON.parse(read(KEY.created) || '[]');
  } catch {}
  return {
    created: (Array.isArray(created) ? created : []).filter(
      (c): c is CreatedSnapshot =>
        typeof c?.serverId === 'number' && typeof c?.snapshotId === 'number' && typeof c?.name === 'string',
    ),
    restoreOnFailure: read(KEY.restoreOnFailure) === 'true',
    mainSucceeded: read(KEY.mainSucceeded) === 'true',
    apiUrl: read(KEY.apiUrl),
    timeoutMs:
      Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : (parseDuration(DEFAULT_TIMEOUT) as number),
  };
}
