// The runner cancels a step with SIGINT (then SIGTERM): the action, started from its source entry as the runner
// starts it, must say at once what it leaves in progress at the provider, write its outputs and exit non-zero.
// runAction waits for the end, so this file starts the step itself, the same way, and signals it mid-wait.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, readActionYml } from '../../scripts/action-yml.ts';
import { actionEntry, DEFAULT_CONTEXT, parseFileCommands, warmSource } from '../../scripts/run-action.ts';
import { Fixture, TOKEN } from './fixture.ts';

/** A main step started as the runner starts it, that a test can watch and signal. */
class StartedStep {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly dir: string;
  private readonly files: Record<string, string>;
  private readonly killer: NodeJS.Timeout;

  constructor(inputs: Record<string, string>, env: Record<string, string> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'vps-cancel-'));
    this.files = {
      GITHUB_OUTPUT: join(this.dir, 'output'),
      GITHUB_STATE: join(this.dir, 'state'),
      GITHUB_ENV: join(this.dir, 'env'),
      GITHUB_PATH: join(this.dir, 'path'),
      GITHUB_STEP_SUMMARY: join(this.dir, 'summary'),
    };
    for (const file of Object.values(this.files)) writeFileSync(file, '');
    const c = DEFAULT_CONTEXT;
    const childEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? this.dir,
      RUNNER_TEMP: this.dir,
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_SHA: c.sha,
      GITHUB_RUN_ID: c.runId,
      GITHUB_RUN_ATTEMPT: c.runAttempt,
      GITHUB_REPOSITORY: c.repository,
      GITHUB_REF: c.ref,
      GITHUB_WORKFLOW: c.workflow,
      GITHUB_JOB: 'deploy',
      VPS_API_REQUEST_TIMEOUT: '2s',
      ...this.files,
      ...env,
    };
    for (const [name, input] of Object.entries(readActionYml().inputs))
      childEnv[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? input.default ?? '';
    const entry = actionEntry('main', 'source');
    this.child = spawn(process.execPath, [...entry.nodeArgs, join(ROOT, entry.file)], {
      env: childEnv,
      cwd: this.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    // Bounded: a step that ignores the signal is killed after 30 s, and the test fails on its exit code.
    this.killer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    this.exited = new Promise((done) =>
      this.child.on('close', (code) => {
        clearTimeout(this.killer);
        done(code);
      }),
    );
  }

  /** Resolves with the time it was first seen, once stdout matches; rejects after `ms`. */
  async seen(pattern: RegExp, ms = 15_000): Promise<number> {
    const until = performance.now() + ms;
    while (!pattern.test(this.stdout)) {
      if (performance.now() > until || this.child.exitCode !== null)
        throw new Error(`not seen ${pattern}:\n${this.stdout}\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return performance.now();
  }

  outputs(): Record<string, string> {
    return parseFileCommands(readFileSync(this.files.GITHUB_OUTPUT as string, 'utf8'));
  }

  summary(): string {
    return readFileSync(this.files.GITHUB_STEP_SUMMARY as string, 'utf8');
  }

  /** What a user or a later step sees: the log without the runner's mask command, outputs, summary. */
  visible(): string {
    const log = this.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    return [log, this.stderr, JSON.stringify(this.outputs()), this.summary()].join('\n');
  }

  errors(): string[] {
    return this.stdout.split('\n').filter((line) => line.startsWith('::error'));
  }

  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let f: Fixture;
let step: StartedStep | undefined;
beforeAll(() => warmSource());
beforeEach(async () => {
  f = await new Fixture({ timings: { snapshotMs: 600_000, restoreMs: 600_000 } }).start();
});
afterEach(async () => {
  await step?.dispose();
  step = undefined;
  await f.stop();
});

function start(inputs: Record<string, string>): StartedStep {
  step = new StartedStep({ api_url: f.emulator.baseUrl, api_token: TOKEN, ...inputs });
  return step;
}

describe.each(['SIGINT', 'SIGTERM'] as const)('cancelled with %s', (signal) => {
  it('while waiting for a snapshot: says within 1 s which snapshot is left in progress, writes its outputs, exits non-zero', async () => {
    const s = start({ server_id: '12345', timeout: '10m' });
    await s.seen(/::group::Waiting for 1 snapshot/);
    const sent = performance.now();
    s.child.kill(signal);
    const said = await s.seen(/^::error title=Cancelled::/m, 5_000);
    const code = await s.exited;
    const ended = performance.now();
    expect(said - sent).toBeLessThan(1_000);
    expect(ended - sent).toBeLessThan(2_000);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();

    const outputs = s.outputs();
    const name = outputs.snapshot_name ?? '';
    expect(name).toMatch(/^pre-deploy-3f2a9c1-9876543210-1-deploy-[0-9a-f]{6}$/);
    expect(outputs).toMatchObject({ snapshot_id: '802', server_id: '12345', status: 'in_progress' });
    expect(JSON.parse(outputs.results ?? '[]')).toMatchObject([
      { server_id: 12345, snapshot_id: 802, name, status: 'in_progress' },
    ]);
    const errors = s.errors();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      `The step was cancelled (${signal}) while it was to create snapshot on server 12345`,
    );
    expect(errors[0]).toContain(`snapshot 802 '${name}' on server 12345 is still in progress`);
    expect(errors[0]).toMatch(/operation: wait and its snapshot_id/);
    expect(s.summary()).toContain('cancelled');
    // The snapshot goes on at the provider; nothing else was sent.
    expect(f.mutations().map((r) => r.route)).toEqual(['create']);
    expect(s.visible()).not.toContain(TOKEN);
    expect(s.visible()).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('while waiting for a restore: says the server may still be restoring', async () => {
    const s = start({ operation: 'restore', snapshot_id: '801', timeout: '10m' });
    await s.seen(/::group::Waiting for server 12345/);
    const sent = performance.now();
    s.child.kill(signal);
    const said = await s.seen(/^::error title=Cancelled::/m, 5_000);
    expect(said - sent).toBeLessThan(1_000);
    expect(await s.exited).toBe(1);
    expect(s.outputs()).toMatchObject({ snapshot_id: '801', status: 'restoring' });
    expect(s.errors()[0]).toContain('server 12345 may still be restoring from snapshot 801');
    expect(f.emulator.requests('restore')).toHaveLength(1);
  });
});

it('before anything was started: says nothing is left in progress', async () => {
  // The first list hangs: the step is cancelled while it reads.
  f.emulator.faults.add({ route: 'list', kind: 'hang', count: 1 });
  const s = start({ server_id: '12345', timeout: '10m' });
  await s.seen(/::group::Reading current snapshots/);
  await new Promise((r) => setTimeout(r, 200));
  s.child.kill('SIGINT');
  await s.seen(/^::error title=Cancelled::/m, 5_000);
  expect(await s.exited).toBe(1);
  expect(s.errors()[0]).toContain('Nothing it started is left in progress');
  expect(f.mutations()).toEqual([]);
});

it('while settling a lost create answer: says a snapshot may have been made', async () => {
  // The create is done but its answer lost, and reads lag a minute: the step watches the list for 30 s.
  f.emulator.readLagMs = 60_000;
  f.emulator.faults.add({ route: 'create', kind: 'ambiguous', status: 502, count: 1 });
  const s = start({ server_id: '12345', timeout: '10m' });
  await s.seen(/may or may not have gone through/);
  s.child.kill('SIGINT');
  await s.seen(/^::error title=Cancelled::/m, 5_000);
  expect(await s.exited).toBe(1);
  expect(f.model.snapshots.size).toBe(3);
  expect(s.errors()[0]).not.toContain('Nothing it started is left in progress');
  expect(s.errors()[0]).toMatch(/snapshot '.*' was requested on server 12345/);
});
