// Everything the main step hands to the post step, in one place. Never a secret.
import * as core from '@actions/core';

export interface CreatedSnapshot {
  serverId: number;
  snapshotId: number;
  name: string;
}

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

export function saveRestorePlan(plan: {
  restoreOnFailure: boolean;
  apiUrl: string;
  timeoutMs: number;
}): void {
  core.saveState(KEY.restoreOnFailure, String(plan.restoreOnFailure));
  core.saveState(KEY.apiUrl, plan.apiUrl);
  core.saveState(KEY.timeoutMs, String(plan.timeoutMs));
}

export function saveCreated(created: readonly CreatedSnapshot[]): void {
  core.saveState(KEY.created, JSON.stringify(created));
}

export function markMainSucceeded(): void {
  core.saveState(KEY.mainSucceeded, 'true');
}

export function readPostState(): PostState {
  let created: CreatedSnapshot[] = [];
  try {
    const parsed: unknown = JSON.parse(core.getState(KEY.created) || '[]');
    if (Array.isArray(parsed)) {
      created = parsed.filter(
        (c): c is CreatedSnapshot =>
          typeof c?.serverId === 'number' && typeof c?.snapshotId === 'number' && typeof c?.name === 'string',
      );
    }
  } catch {
    created = [];
  }
  return {
    created,
    restoreOnFailure: core.getState(KEY.restoreOnFailure) === 'true',
    mainSucceeded: core.getState(KEY.mainSucceeded) === 'true',
    apiUrl: core.getState(KEY.apiUrl),
    timeoutMs: Number(core.getState(KEY.timeoutMs)) || 30 * 60_000,
  };
}
