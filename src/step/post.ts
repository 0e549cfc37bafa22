// The post step (post-if: failure()): roll every server back to the snapshot the main step made, when
// restore_on_failure asked for it and the main step itself finished.
import * as core from '@actions/core';
import { type Clock, realClock } from '../clock.ts';
import { runRestore } from '../operations/restore.ts';
import { rollbackFailure } from '../reporting/failure.ts';
import { readLagWindow, readRequestTimeout, readToken } from '../settings/index.ts';
import { input } from './actions.ts';
import { runStep } from './runner.ts';
import { type PostState, readPostState } from './state.ts';

/** Whether to roll back: asked for, something made, and the failure came after the main step. */
function armed(state: PostState): boolean {
  if (!state.restoreOnFailure || state.created.length === 0) {
    core.info('Nothing to roll back: restore_on_failure is off, or this step created no snapshot.');
    return false;
  }
  if (!state.mainSucceeded) {
    core.info(
      'Not rolling back: the snapshot step itself did not finish, so the steps after it (the deploy) did not change the server.',
    );
    return false;
  }
  return true;
}

export function run(clock: Clock = realClock): Promise<void> {
  return runStep(clock, async (step) => {
    const state = readPostState();
    if (!armed(state)) return;
    const token = readToken(input);
    step.doing = 'roll back';
    if (!token)
      throw rollbackFailure(
        'api_token is missing in the post step: pass it as an input or set VPS_API_TOKEN for the job.',
      );
    const requestTimeoutMs = readRequestTimeout();
    const lagWindowMs = readLagWindow();
    const ctx = step.begin('post', 'roll back', {
      baseUrl: state.apiUrl,
      token,
      timeoutMs: state.timeoutMs,
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
      ...(lagWindowMs !== undefined ? { lagWindowMs } : {}),
    });
    ctx.logger.warning(
      `The job failed: rolling back ${state.created.map((c) => `server ${c.serverId} to snapshot ${c.snapshotId}`).join(', ')} (restore_on_failure).`,
      'Rolling back',
    );
    const targets = state.created.map((c) => ({
      by: 'id' as const,
      snapshotId: c.snapshotId,
      serverId: c.serverId,
    }));
    try {
      await runRestore(
        {
          operation: 'restore',
          targets,
          apiUrl: state.apiUrl,
          token,
          dryRun: false,
          wait: true,
          timeoutMs: state.timeoutMs,
        },
        ctx,
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw rollbackFailure(
        `The job failed and the rollback did not complete. ${reason}\nRestore by hand (operation: restore with snapshot_id, or snapshot_ids for a fleet) once the cause is fixed.`,
      );
    }
  });
}
