// A fake OperationContext around a real client and emulator: a recording logger, outputs and step state,
// a group that just runs the work, and a RunRecord on the harness's virtual clock.
import type {
  CreatedSnapshot,
  OperationContext,
  OutputValues,
  RunInfo,
  StepState,
} from '../../src/operations/context.ts';
import { RunRecord } from '../../src/reporting/record.ts';
import type { Operation } from '../../src/settings/types.ts';
import type { Harness } from './emulator.ts';
import { RecordingLogger } from './logger.ts';

export interface Recorded {
  logger: RecordingLogger;
  /** Every output, as last set. */
  outputs: Partial<OutputValues>;
  /** Every call of outputs.set, in order. */
  outputCalls: Partial<OutputValues>[];
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
  operation: Operation,
  options: { lagWindowMs?: number; run?: Partial<RunInfo> } = {},
): { ctx: OperationContext; rec: Recorded } {
  const logger = new RecordingLogger();
  const record = new RunRecord(operation, h.clock.now);
  const rec: Recorded = {
    logger,
    outputs: {},
    outputCalls: [],
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
        rec.outputCalls.push(values);
        Object.assign(rec.outputs, values);
      },
    },
    state,
    group: (title, work) => {
      rec.groups.push(title);
      return work();
    },
    run: { ...GITHUB_RUN, ...options.run },
    lagWindowMs: options.lagWindowMs ?? 30_000,
    deadline: Number.POSITIVE_INFINITY,
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
