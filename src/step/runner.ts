// The one step runner for main and post: the token masked before anything else, one client bounded by the
// step's deadline, one record, one top-level catch (one annotation per failure), and the runner's cancel
// (SIGINT, then SIGTERM). However the step ends, its outputs and summary are derived once from the record.
import { SnapshotsClient } from '../api/client.ts';
import type { ClientOptions } from '../api/types.ts';
import type { Clock } from '../clock.ts';
import type { OperationContext } from '../operations/context.ts';
import { annotationsFor } from '../reporting/failure.ts';
import { cancellationMessage, recordOutputs } from '../reporting/outcome.ts';
import { RunRecord } from '../reporting/record.ts';
import { renderSummary } from '../reporting/summary.ts';
import { readToken } from '../settings/index.ts';
import type { Operation } from '../settings/types.ts';
import { coreLogger, coreOutputs, coreState, group, input, mask, runInfo, writeSummary } from './actions.ts';

type StepApi = Pick<ClientOptions, 'baseUrl' | 'token' | 'requestTimeoutMs' | 'lagWindowMs'> & {
  timeoutMs: number;
};

/** The runner's side of every operation's context. */
const SINKS = { logger: coreLogger, outputs: coreOutputs, state: coreState, group };

export class Step {
  readonly clock: Clock;
  record: RunRecord | undefined;
  /** What the step is doing, for error titles: "create snapshot on server 12345". */
  doing = 'vps-snapshot';
  private client: SnapshotsClient | undefined;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** The operation's context: a record, a client bounded by the step's deadline, the runner's sinks. */
  begin(operation: Operation | 'post', doing: string, { timeoutMs, ...api }: StepApi): OperationContext {
    const { clock } = this;
    const deadline = clock.now() + timeoutMs;
    this.doing = doing;
    this.record = new RunRecord(operation, clock.now);
    // The waiter passes deadlines on the step's clock: the client must read the same one.
    const now = () => clock.now();
    const sleep = (ms: number) => clock.sleep(ms);
    this.client = new SnapshotsClient({ ...api, logger: coreLogger, now, sleep, deadline });
    const { client, record } = this;
    return { ...SINKS, client, record, clock, deadline, run: runInfo() };
  }

  async close(): Promise<void> {
    await this.client?.close();
  }

  /** The outputs and the summary, from the record; `failures`: the step failed, these are its messages. */
  async finish(failures?: string[]): Promise<void> {
    if (this.record) coreOutputs.set(recordOutputs(this.record, failures !== undefined));
    if (this.record || failures) await writeSummary(renderSummary(this.record, failures));
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function runStep(clock: Clock, body: (step: Step) => Promise<void>): Promise<void> {
  const token = readToken(input);
  if (token) mask(token);
  const step = new Step(clock);
  let cancelled = false;
  const onSignal = (signal: string) => {
    if (!cancelled) void cancel(step, signal);
    cancelled = true;
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    await body(step);
    await step.finish();
  } catch (error) {
    process.exitCode = 1;
    if (error instanceof Error && error.stack) coreLogger.debug(error.stack);
    const annotations = annotationsFor(error, step.doing);
    for (const a of annotations) coreLogger.error(a.message, a.title);
    await step.finish(annotations.map((a) => a.message)).catch(() => undefined);
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
    await step.close();
  }
}

/** Cancelled by the runner: say at once what is left at the provider, write what is known, exit non-zero. */
async function cancel(step: Step, signal: string): Promise<void> {
  const message = cancellationMessage(step.record, step.doing, signal);
  coreLogger.error(message, 'Cancelled');
  const written = step.finish([message]);
  await Promise.race([written, new Promise((done) => setTimeout(done, 500))]).catch(() => undefined);
  process.exit(1);
}
