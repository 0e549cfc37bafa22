// Runs a step's process as the runner does and reads its output as the runner reads it: stdout and stderr
// as UTF-8 text, each split into lines by its own reader (runner-text.ts LineReader), and the lines of
// both kept in the order they were completed, for runner-commands.ts to interpret.
import { type ChildProcess, spawn } from 'node:child_process';
import type { OutputLine, Stream } from './runner-commands.ts';
import { LineReader } from './runner-text.ts';

export interface StepProcess {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Both streams' lines, in the order each line was completed. */
  lines: OutputLine[];
}

export interface StepProcessOptions {
  timeoutMs?: number;
  /** Aborting kills the step at once (SIGKILL) and the run resolves with exitCode null. */
  signal?: AbortSignal;
  /** Names the step in the time-limit error. */
  label?: string;
}

/** Steps still running, killed if this process exits first (a test that timed out, Ctrl-C). */
const running = new Set<ChildProcess>();
let killOnExit = false;

/** Collects a process's lines in the order they complete, one LineReader per stream. */
class OutputLines {
  readonly lines: OutputLine[] = [];
  readonly text = { stdout: '', stderr: '' };
  private readonly readers = {
    stdout: new LineReader((text) => this.lines.push({ stream: 'stdout', text })),
    stderr: new LineReader((text) => this.lines.push({ stream: 'stderr', text })),
  };

  push(stream: Stream, chunk: string): void {
    this.text[stream] += chunk;
    this.readers[stream].push(chunk);
  }

  end(): void {
    this.readers.stderr.end();
    this.readers.stdout.end();
  }
}

/** Runs `node <args>` to its end (or its time limit, or the caller's abort) and collects its output. */
export async function runStepProcess(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  options: StepProcessOptions = {},
): Promise<StepProcess> {
  const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = new OutputLines();
  for (const stream of ['stdout', 'stderr'] as const) {
    // Decoded as one stream, so a character split across two chunks stays one character.
    child[stream].setEncoding('utf8');
    child[stream].on('data', (chunk: string) => output.push(stream, chunk));
  }
  const limit = options.timeoutMs ?? 60_000;
  running.add(child);
  if (!killOnExit) {
    killOnExit = true;
    process.on('exit', () => {
      for (const other of running) other.kill('SIGKILL');
    });
  }
  const kill = () => child.kill('SIGKILL');
  options.signal?.addEventListener('abort', kill);
  if (options.signal?.aborted) kill();
  const exitCode = await new Promise<number | null>((done, fail) => {
    const timer = setTimeout(() => {
      kill();
      const { stdout, stderr } = output.text;
      fail(
        new Error(`the ${options.label ?? 'step'} did not finish within ${limit} ms:\n${stdout}\n${stderr}`),
      );
    }, limit);
    child.on('close', (code) => {
      clearTimeout(timer);
      done(code);
    });
  }).finally(() => {
    running.delete(child);
    options.signal?.removeEventListener('abort', kill);
  });
  output.end();
  return { exitCode, ...output.text, lines: output.lines };
}
