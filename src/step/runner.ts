// The shared step runner for main and post: the token masked before anything else, one client, one
// record, one top-level catch that fails the step with one annotation per failure, the job summary,
// and a word on SIGINT/SIGTERM (the runner's cancel) about what is left in progress.
import { SnapshotsClient } from '../api/client.ts';
import type { ClientOptions } from '../api/types.ts';
import type { Clock } from '../clock.ts';
import type { OperationContext } from '../operations/context.ts';
import { annotationsFor } from '../reporting/failure.ts';
import { recordOutputs } from '../reporting/outcome.ts';
import { RunRecord } from '../reporting/record.ts';
import { renderSummary } from '../reporting/summary.ts';
import { readToken } from '../settings/index.ts';
import type { Operation } from '../settings/types.ts';
import { CoreOutputs, coreLogger, group, input, mask, runInfo, writeSummary as write } from './actions.ts';
import { cancellationMessage, onCancel } from './cancel.ts';
import { coreState } from './state.ts';

export class Step {
  readonly clock: Clock;
  readonly outputs = new CoreOutputs();
  record: RunRecord | undefined;
  /** What the step is doing, for error titles: "create snapshot on server 12345". */
  doing = 'vps-snapshot';
  private client: SnapshotsClient | undefined;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** The operation's context: a record, a client bounded by the step's deadline, the runner's sinks. */
  begin(
    operation: Operation | 'post',
    doing: string,
    api: Pick<ClientOptions, 'baseUrl' | 'token' | 'requestTimeoutMs' | 'lagWindowMs'> & {
      timeoutMs: number;
    },
  ): OperationContext {
    this.doing = doing;
    this.record = new RunRecord(operation, this.clock.now);
    const { timeoutMs, ...rest } = api;
    const deadline = this.clock.now() + timeoutMs;
    this.client = new SnapshotsClient({
      ...rest,
      logger: coreLogger,
      // The waiter passes deadlines on the step's clock: the client must read the same one.
      now: () => this.clock.now(),
      sleep: (ms) => this.clock.sleep(ms),
      deadline,
    });
    return {
      client: this.client,
      logger: coreLogger,
      clock: this.clock,
      record: this.record,
      outputs: this.outputs,
      state: coreState,
      group,
      run: runInfo(),
      deadline,
    };
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}

export async function runStep(clock: Clock, body: (step: Step) => Promise<void>): Promise<void> {
  const token = readToken(input);
  if (token) mask(token);
  const step = new Step(clock);
  const stopListening = onCancel((signal) => cancel(step, signal));
  try {
    await body(step);
    if (step.record) step.outputs.set(recordOutputs(step.record));
    if (step.record) await writeSummary(step.record);
  } catch (error) {
    process.exitCode = 1;
    if (error instanceof Error && error.stack) coreLogger.debug(error.stack);
    const annotations = annotationsFor(error, step.doing);
    for (const a of annotations) coreLogger.error(a.message, a.title);
    if (step.record) step.outputs.set(recordOutputs(step.record, true));
    await writeSummary(
      step.record,
      annotations.map((a) => a.message),
    ).catch(() => undefined);
  } finally {
    stopListening();
    await step.close();
  }
}

/** Cancelled by the runner: say at once what is left in progress, write what is known, exit non-zero. */
async function cancel(step: Step, signal: string): Promise<void> {
  const message = cancellationMessage(step.record, step.doing, signal);
  coreLogger.error(message, 'Cancelled');
  if (step.record) step.outputs.set(recordOutputs(step.record, true));
  await Promise.race([
    writeSummary(step.record, [message]),
    new Promise((done) => setTimeout(done, 500)),
  ]).catch(() => undefined);
  process.exit(1);
}

function writeSummary(record: RunRecord | undefined, failures?: readonly string[]): Promise<void> {
  return write(renderSummary(record, failures));
}
