// The post step (post-if: failure() || cancelled()): roll every server back to the snapshot the main step
// made, when the job failed (restore_on_failure) or was cancelled (restore_on_cancel too) after the main step
// itself finished. The job's status comes from the job_status input, whose default `${{ job.status }}` the
// runner evaluates again for the post step.
import { type Clock, realClock } from '../clock.ts';
import { runRestore } from '../operations/restore.ts';
import { rollbackFailure } from '../reporting/failure.ts';
import { readLagWindow, readRequestTimeout, readToken, SettingsError } from '../settings/index.ts';
import { coreLogger, input, type PostState, readPostState } from './actions.ts';
import { runStep } from './runner.ts';

export type JobStatus = 'success' | 'failure' | 'cancelled' | 'unknown';
/** `reason`: a sentence for the log; `warn`: a job that did not succeed is not rolled back (a warning). */
export type RollbackDecision = { rollback: boolean; reason: string; warn?: boolean };

/** The job's status as the runner wrote it into job_status; anything else (an override, a runner that did not evaluate it) is unknown. */
export function readJobStatus(text: string): JobStatus {
  const status = text.trim().toLowerCase();
  return status === 'success' || status === 'failure' || status === 'cancelled' ? status : 'unknown';
}

/**
 * Whether to roll back. A failed job is rolled back with restore_on_failure. A cancelled job (a person, or
 * timeout-minutes: a hung deploy) only with restore_on_cancel too, because the post step cannot tell a
 * deploy cancelled while it ran from a job cancelled before the deploy began, and a restore cannot be
 * undone. An unknown status is treated as a cancellation: the post step ran, so the job did not succeed.
 */
export function decideRollback(
  state: Pick<PostState, 'restoreOnFailure' | 'created' | 'mainSucceeded'>,
  jobStatus: JobStatus,
  restoreOnCancel: boolean,
): RollbackDecision {
  const no = (reason: string, warn = false) => ({ rollback: false, reason, ...(warn ? { warn } : {}) });
  if (!state.restoreOnFailure || state.created.length === 0)
    return no('Nothing to roll back: restore_on_failure is off, or the snapshot step created no snapshot.');
  if (!state.mainSucceeded)
    return no(
      'Not rolling back: the snapshot step itself did not finish, so the steps after it (the deploy) did not change the server.',
    );
  if (jobStatus === 'success') return no('Not rolling back: the job succeeded.');
  if (jobStatus === 'failure') return { rollback: true, reason: 'The job failed (restore_on_failure)' };
  const why =
    jobStatus === 'cancelled' ? 'The job was cancelled' : 'The job did not succeed (its status is unknown)';
  if (restoreOnCancel) return { rollback: true, reason: `${why} (restore_on_cancel)` };
  const ids = state.created.map((c) => `server ${c.serverId}: snapshot ${c.snapshotId}`).join(', ');
  return no(
    `${why} after the snapshot step finished: not rolling back, because restore_on_cancel is off. If the deploy had begun, roll back by hand with operation: restore (${ids}).`,
    true,
  );
}

function readRestoreOnCancel(): boolean {
  const text = input('restore_on_cancel').trim().toLowerCase();
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  throw new SettingsError([`restore_on_cancel is '${text}': give true or false. Nothing was rolled back.`]);
}

export function run(clock: Clock = realClock): Promise<void> {
  return runStep(clock, async (step) => {
    const { created, apiUrl, timeoutMs, ...state } = readPostState();
    const status = readJobStatus(input('job_status'));
    // restore_on_cancel matters only for a job that did not fail: a failed job is rolled back whatever it says.
    const decision = decideRollback(
      { created, ...state },
      status,
      status !== 'failure' && readRestoreOnCancel(),
    );
    if (!decision.rollback) {
      if (decision.warn) coreLogger.warning(decision.reason, 'Not rolled back');
      else coreLogger.info(decision.reason);
      return;
    }
    const token = readToken(input);
    step.doing = 'roll back';
    if (!token)
      throw rollbackFailure(
        'api_token is missing in the post step: pass it as an input or set VPS_API_TOKEN for the job.',
      );
    const [requestTimeoutMs, lagWindowMs] = [readRequestTimeout(), readLagWindow()];
    const ctx = step.begin('post', 'roll back', {
      baseUrl: apiUrl,
      token,
      timeoutMs,
      requestTimeoutMs,
      lagWindowMs,
    });
    const servers = created.map((c) => `server ${c.serverId} to snapshot ${c.snapshotId}`).join(', ');
    ctx.logger.warning(`${decision.reason}: rolling back ${servers}.`, 'Rolling back');
    const targets = created.map(({ snapshotId, serverId }) => ({ by: 'id' as const, snapshotId, serverId }));
    const settings = {
      operation: 'restore' as const,
      targets,
      apiUrl,
      token,
      dryRun: false,
      wait: true,
      timeoutMs,
    };
    await runRestore(settings, ctx).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw rollbackFailure(
        `The rollback did not complete. ${reason} Restore by hand (operation: restore with snapshot_id, or snapshot_ids for a fleet) once the cause is fixed.`,
      );
    });
  });
}
