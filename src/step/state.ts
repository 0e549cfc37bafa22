// Everything the main step hands to the post step, in one place: every key with its typed reader. Never a secret.
import type { CreatedSnapshot, StepState } from '../operations/context.ts';
import { parseDuration } from '../settings/duration.ts';
import { DEFAULT_TIMEOUT } from '../settings/index.ts';
import { readState, saveState } from './actions.ts';

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
    saveState(KEY.restoreOnFailure, String(plan.restoreOnFailure));
    saveState(KEY.apiUrl, plan.apiUrl);
    saveState(KEY.timeoutMs, String(plan.timeoutMs));
  },
  saveCreated(created) {
    saveState(KEY.created, JSON.stringify(created));
  },
};

export function markMainSucceeded(): void {
  saveState(KEY.mainSucceeded, 'true');
}

export function readPostState(read: (key: string) => string = readState): PostState {
  return {
    created: parseCreated(read(KEY.created)),
    restoreOnFailure: read(KEY.restoreOnFailure) === 'true',
    mainSucceeded: read(KEY.mainSucceeded) === 'true',
    apiUrl: read(KEY.apiUrl),
    timeoutMs: savedTimeout(read(KEY.timeoutMs)),
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

/** The main step's timeout; the input's default when the state lacks it (a main step from an older version). */
function savedTimeout(text: string): number {
  const ms = Number(text);
  return Number.isFinite(ms) && ms > 0 ? ms : (parseDuration(DEFAULT_TIMEOUT) as number);
}
