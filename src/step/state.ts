// Everything the main step hands to the post step, in one place: every key with its typed reader. Never a secret.
import * as core from '@actions/core';
import type { CreatedSnapshot, StepState } from '../operations/context.ts';

export interface PostState {
  created: CreatedSnapshot[];
  restoreOnFailure: boolean;
  /** The main step finished without error, so a failure came from a later step (the deploy). */
  mainSucceeded: boolean;
  apiUrl: string;
  timeoutMs: number;
}

const KEY = {
  created: 'created_snapshots',
  restoreOnFailure: 'restore_on_failure',
  mainSucceeded: 'main_succeeded',
  apiUrl: 'api_url',
  timeoutMs: 'timeout_ms',
} as const;

export const coreState: StepState = {
  saveRestorePlan(plan) {
    core.saveState(KEY.restoreOnFailure, String(plan.restoreOnFailure));
    core.saveState(KEY.apiUrl, plan.apiUrl);
    core.saveState(KEY.timeoutMs, String(plan.timeoutMs));
  },
  saveCreated(created) {
    core.saveState(KEY.created, JSON.stringify(created));
  },
};

export function markMainSucceeded(): void {
  core.saveState(KEY.mainSucceeded, 'true');
}

export function readPostState(read: (key: string) => string = core.getState): PostState {
  return {
    created: parseCreated(read(KEY.created)),
    restoreOnFailure: read(KEY.restoreOnFailure) === 'true',
    mainSucceeded: read(KEY.mainSucceeded) === 'true',
    apiUrl: read(KEY.apiUrl),
    timeoutMs: Number(read(KEY.timeoutMs)) || 30 * 60_000,
  };
}

function parseCreated(text: string): CreatedSnapshot[] {
  try {
    const parsed: unknown = JSON.parse(text || '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (c): c is CreatedSnapshot =>
        typeof c?.serverId === 'number' && typeof c?.snapshotId === 'number' && typeof c?.name === 'string',
    );
  } catch {
    return [];
  }
}
