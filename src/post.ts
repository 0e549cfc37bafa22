// The post step (post-if: failure()): roll back to the snapshot the main step made, when it was asked to.
import * as core from '@actions/core';
import { coreLogger } from './action-logger.ts';
import { SnapshotsClient } from './api/client.ts';
import { errorMessage } from './api/errors.ts';
import { mapSettled } from './concurrency.ts';
import { ActionError } from './failure.ts';
import { FLEET_CONCURRENCY } from './limits.ts';
import { runRestore } from './operations/restore.ts';
import { Report } from './report.ts';
import { reportFailure } from './report-failure.ts';
import { readRequestTimeout, readToken } from './settings.ts';
import { readPostState } from './state.ts';
import { writeSummary } from './summary.ts';
import { realClock, type WaitClock } from './wait.ts';

export async function run(clock: WaitClock = realClock): Promise<void> {
  const token = readToken((name) => core.getInput(name));
  if (token) core.setSecret(token);
  const state = readPostState();
  if (!state.restoreOnFailure || state.created.length === 0) {
    core.info('Nothing to roll back: restore_on_failure is off, or this step created no snapshot.');
    return;
  }
  if (!state.mainSucceeded) {
    core.info(
      'Not rolling back: the snapshot step itself did not finish, so the steps after it (the deploy) did not change the server.',
    );
    return;
  }
  const report = new Report('post', clock.now);
  try {
    if (!token)
      throw new ActionError(
        'Rollback failed',
        'api_token is missing in the post step: pass it as an input or set VPS_API_TOKEN for the job.',
      );
    const requestTimeoutMs = readRequestTimeout();
    const client = new SnapshotsClient({
      baseUrl: state.apiUrl,
      token,
      logger: coreLogger,
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    });
    const failures: string[] = [];
    try {
      core.warning(
        `The job failed: rolling back ${state.created.map((c) => `server ${c.serverId} to snapshot ${c.snapshotId}`).join(', ')} (restore_on_failure).`,
        { title: 'Rolling back' },
      );
      const results = await mapSettled(state.created, FLEET_CONCURRENCY, (created) =>
        runRestore(
          {
            operation: 'restore',
            target: { by: 'id', snapshotId: created.snapshotId, serverId: created.serverId },
            apiUrl: state.apiUrl,
            token,
            dryRun: false,
            wait: true,
            timeoutMs: state.timeoutMs,
          },
          { client, logger: coreLogger, clock, report },
        ),
      );
      results.forEach((r, i) => {
        if (r.status === 'rejected') {
          const c = state.created[i];
          failures.push(`server ${c?.serverId} from snapshot ${c?.snapshotId}: ${errorMessage(r.reason)}`);
        }
      });
    } finally {
      await client.close();
    }
    if (failures.length > 0) {
      throw new ActionError(
        'Rollback failed',
        `The job failed and the rollback did not complete. ${failures.join('\n')}\nRestore by hand (operation: restore with snapshot_id) once the cause is fixed.`,
        report,
      );
    }
    await writeSummary(report);
  } catch (error) {
    const message = reportFailure(error, 'rollback');
    await writeSummary(report, message).catch(() => undefined);
  }
}
