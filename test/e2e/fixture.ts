import { Emulator, type EmulatorOptions } from '../../emulator/index.ts';
import {
  type ActionCode,
  type ActionRun,
  type RunOptions,
  runAction,
  visibleText,
  warmSource,
} from '../../scripts/run-action.ts';

export const TOKEN = 'vps_live_Zx81Qa7Lm3Np0Rt5';

/**
 * A real-time emulator with quick timings and the inputs that point the action at it. Runs the TypeScript
 * source by default, so the tests see src/ as it is now; pass `'bundle'` for the committed dist/.
 */
export class Fixture {
  readonly emulator: Emulator;
  readonly code: ActionCode;
  private baseUrl = '';
  /** Aborted by stop(): kills the steps still running, so a test that timed out leaves none behind. */
  private readonly runs = new AbortController();
  private readonly pending = new Set<Promise<ActionRun>>();

  constructor(options: EmulatorOptions = {}, code: ActionCode = 'source') {
    this.emulator = new Emulator({
      token: TOKEN,
      timings: { snapshotMs: 300, restoreMs: 1_500 },
      ...options,
    });
    this.code = code;
  }

  async start(): Promise<this> {
    if (this.code === 'source') await warmSource();
    this.baseUrl = await this.emulator.start();
    return this;
  }

  async stop(): Promise<void> {
    this.runs.abort();
    await Promise.allSettled(this.pending);
    await this.emulator.stop();
  }

  get model() {
    return this.emulator.model;
  }

  async run(
    step: 'main' | 'post',
    inputs: Record<string, string>,
    options: RunOptions = {},
  ): Promise<ActionRun> {
    const pending = runAction(step, {
      ...options,
      code: options.code ?? this.code,
      signal: options.signal ? AbortSignal.any([options.signal, this.runs.signal]) : this.runs.signal,
      inputs: { api_url: this.baseUrl, api_token: TOKEN, ...inputs },
      env: { VPS_API_REQUEST_TIMEOUT: '2s', ...options.env },
    });
    this.pending.add(pending);
    const run = await pending.finally(() => this.pending.delete(pending));
    if (visibleText(run).includes(TOKEN))
      throw new Error(`the token leaked in a ${step} run:\n${visibleText(run)}`);
    return run;
  }

  /** The account's snapshots as the provider holds them now. */
  snapshots(serverId = 12345) {
    return [...this.model.snapshots.values()]
      .filter((s) => s.serverId === serverId)
      .map((s) => ({ id: s.id, name: s.name, status: this.model.snapshotStatus(s) }));
  }

  mutations() {
    return this.emulator.log.filter((r) => r.method !== 'GET');
  }
}
