// A fake OperationContext around a real client and emulator: a recording logger, outputs and step state,
// a group that just runs the work, and a RunRecord on the harness's virtual clock.
import type {
  CreatedSnapshot,
  OperationContext,
  OutputValues,
  RunInfo,
  StepState,
} from '../../src/operations/context.ts';
import { recordOutputs } from '../../src/reporting/outcome.ts';
import { RunRecord } from '../../src/reporting/record.ts';
import type { Operation } from '../../src/settings/types.ts';
import type { Harness } from './emulator.ts';
import { RecordingLogger } from './logger.ts';

export interface Recorded {
  logger: RecordingLogger;
  /** Every output as the step would leave it: as last set by the operation, then those the record settles. */
  readonly outputs: Partial<OutputValues>;
  /** Every call of outputs.set and every group opened, in order: `output snapshot_id`, `group Waiting ...`. */
  events: string[];
  groups: string[];
  restorePlans: { restoreOnFailure: boolean; apiUrl: string; timeoutMs: number }[];
  /** What saveCreated was last given. */
  created: CreatedSnapshot[] | undefined;
  record: RunRecord;
}

export const GITHUB_RUN: RunInfo = {
  sha: '0123456789abcdef0123456789abcdef01234567',
  runId: '4242',
  runAttempt: '1',
  job: 'deploy',
  repository: 'acme/web',
  ref: 'refs/heads/main',
  workflow: 'Deploy',
  serverUrl: 'https://github.com',
};

export function fakeContext(
  h: Harness,
  operation: Operation | 'post',
  options: {
    /** The step's timeout: the deadline is this long from now (30 m). */
    deadlineAfterMs?: number;
    run?: Partial<RunInfo>;
  } = {},
): { ctx: OperationContext; rec: Recorded } {
  const logger = new RecordingLogger();
  const record = new RunRecord(operation, h.clock.now);
  const written: Partial<OutputValues> = {};
  const rec: Recorded = {
    logger,
    get outputs() {
      return { ...written, ...recordOutputs(record) };
    },
    events: [],
    groups: [],
    restorePlans: [],
    created: undefined,
    record,
  };
  const state: StepState = {
    saveRestorePlan: (plan) => rec.restorePlans.push(plan),
    saveCreated: (created) => {
      rec.created = created.map((c) => ({ ...c }));
    },
  };
  const ctx: OperationContext = {
    client: h.client,
    logger,
    clock: h.clock,
    record,
    outputs: {
      set: (values) => {
        rec.events.push(`output ${Object.keys(values).join(' ')}`);
        Object.assign(written, values);
      },
    },
    state,
    group: (title, work) => {
      rec.groups.push(title);
      rec.events.push(`group ${title}`);
      return work();
    },
    run: { ...GITHUB_RUN, ...options.run },
    // The step's deadline: its timeout (30 m by default) from now.
    deadline: h.clock.now() + (options.deadlineAfterMs ?? 30 * 60_000),
  };
  return { ctx, rec };
}

/** The error an operation fails with; fails the test if it does not. */
export async function rejection<E = Error>(promise: Promise<unknown>): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) throw new Error('expected the operation to fail, but it succeeded');
  return error as E;
}
