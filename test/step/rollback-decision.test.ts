// The post step's decision for every combination the runner can produce: the job's status (which decides,
// through action.yml's post-if, whether the runner starts the post step at all), whether the main step
// finished, and the two inputs. A restore cannot be undone, so each cell of this table is pinned.
import { describe, expect, it } from 'vitest';
import { readActionYml } from '../../scripts/action-yml.ts';
import { evaluateCondition, type JobStatus } from '../../scripts/job-status.ts';
import { decideRollback, readJobStatus } from '../../src/step/post.ts';

/** A workflow expression as text: `${{ ... }}` is what the runner evaluates, not a template placeholder. */
const expr = (body: string) => `$${'{{'} ${body} }}`;

const CREATED = [{ serverId: 12345, snapshotId: 802, name: 'pre-deploy-x' }];
const postIf = readActionYml().postIf;

/** The rule, as the README states it. */
function expected(c: Combination): 'not started' | 'rollback' | 'no rollback' {
  if (!evaluateCondition(postIf, c.status)) return 'not started';
  if (!c.restoreOnFailure || !c.created || !c.mainSucceeded) return 'no rollback';
  if (c.status === 'failure') return 'rollback';
  return c.restoreOnCancel ? 'rollback' : 'no rollback';
}

interface Combination {
  status: JobStatus;
  mainSucceeded: boolean;
  restoreOnFailure: boolean;
  restoreOnCancel: boolean;
  created: boolean;
}

const bools = [true, false];
const combinations: Combination[] = (['success', 'failure', 'cancelled'] as const).flatMap((status) =>
  bools.flatMap((mainSucceeded) =>
    bools.flatMap((restoreOnFailure) =>
      bools.flatMap((restoreOnCancel) =>
        bools.map((created) => ({ status, mainSucceeded, restoreOnFailure, restoreOnCancel, created })),
      ),
    ),
  ),
);

describe('the rollback decision', () => {
  it.each(combinations)('%o', (c) => {
    const started = evaluateCondition(postIf, c.status);
    const decision = decideRollback(
      {
        restoreOnFailure: c.restoreOnFailure,
        mainSucceeded: c.mainSucceeded,
        created: c.created ? CREATED : [],
      },
      readJobStatus(c.status),
      c.restoreOnCancel,
    );
    const got = !started ? 'not started' : decision.rollback ? 'rollback' : 'no rollback';
    expect(got).toBe(expected(c));
  });

  it('starts the post step for a failed or cancelled job, never for one that succeeded', () => {
    expect(evaluateCondition(postIf, 'failure')).toBe(true);
    expect(evaluateCondition(postIf, 'cancelled')).toBe(true);
    expect(evaluateCondition(postIf, 'success')).toBe(false);
  });

  it('treats a status it cannot read as a cancellation: a rollback only with restore_on_cancel', () => {
    const state = { restoreOnFailure: true, mainSucceeded: true, created: CREATED };
    for (const text of ['', expr('job.status'), 'Failed?', 'skipped']) {
      expect(readJobStatus(text)).toBe('unknown');
      expect(decideRollback(state, readJobStatus(text), false).rollback).toBe(false);
      expect(decideRollback(state, readJobStatus(text), true).rollback).toBe(true);
    }
    expect(readJobStatus(' Failure ')).toBe('failure');
  });

  it('says, as a warning, how to roll back by hand when it does not', () => {
    const decision = decideRollback(
      { restoreOnFailure: true, mainSucceeded: true, created: CREATED },
      'cancelled',
      false,
    );
    expect(decision).toMatchObject({ rollback: false, warn: true });
    expect(decision.reason).toContain('server 12345: snapshot 802');
    expect(decision.reason).toContain('restore_on_cancel');
  });
});

describe("the stand-in's status functions", () => {
  it('reads the forms action.yml and workflows use', () => {
    expect(evaluateCondition('always()', 'cancelled')).toBe(true);
    expect(evaluateCondition(expr('!cancelled() && (failure() || success())'), 'failure')).toBe(true);
    expect(evaluateCondition('!cancelled() && failure()', 'cancelled')).toBe(false);
    expect(() => evaluateCondition('github.ref == main', 'success')).toThrow(/not a status function/);
  });
});
