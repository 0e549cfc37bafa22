// A real child process through the runner stand-in's own spawn path (scripts/step-process.ts, which
// runAction uses) and its interpretation (scripts/runner-commands.ts): lines split across writes, CR
// and CRLF breaks, a character split across chunks, both streams, and what the runner would obey.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignCommands } from '../../scripts/run-action.ts';
import { interpret } from '../../scripts/runner-commands.ts';
import { runStepProcess, type StepProcess } from '../../scripts/step-process.ts';

// Each write waits for the last to be flushed and a moment more, so the parent reads them as separate chunks.
const CHILD = `
const pause = () => new Promise((done) => setTimeout(done, 30));
const write = async (stream, text) => {
  await new Promise((done) => stream.write(text, done));
  await pause();
};
await write(process.stdout, '::add-mask::s3cr');
await write(process.stdout, 'et-42\\r');
await write(process.stdout, '\\nuses s3cret-42\\n');
await write(process.stdout, Buffer.from([0x63, 0x61, 0x66, 0xc3]));
await write(process.stdout, Buffer.from([0xa9, 0x0a]));
await write(process.stderr, '\\u00a0 ::warning title=from%3A stderr::w%250A\\r\\n');
await write(process.stdout, 'progress\\r::set-output name=status::from-stdout\\n');
await write(process.stdout, '::stop-commands::pause-token-9\\n::error::stopped\\n::pause-token-9::\\n');
await write(process.stdout, 'log ##[notice]v1 anywhere');
`;

describe('a real child process, read as the runner reads it', () => {
  let dir = '';
  let step: StepProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runner-process-'));
    writeFileSync(join(dir, 'child.mjs'), CHILD);
    step = await runStepProcess([join(dir, 'child.mjs')], { PATH: process.env.PATH ?? '' }, dir, {
      timeoutMs: 10_000,
      label: 'child',
    });
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('splits each stream into lines at LF, CR and CRLF, whatever the chunks', () => {
    expect(step.exitCode).toBe(0);
    expect(step.lines.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual([
      '::add-mask::s3cret-42',
      'uses s3cret-42',
      'café',
      'progress',
      '::set-output name=status::from-stdout',
      '::stop-commands::pause-token-9',
      '::error::stopped',
      '::pause-token-9::',
      'log ##[notice]v1 anywhere',
    ]);
    expect(step.lines.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual([
      '\u00a0 ::warning title=from%3A stderr::w%250A',
    ]);
  });

  it('obeys what the runner would, from both streams, and shows the masked log', () => {
    const view = interpret(step.lines, { deprecateStepOutputCommands: false });
    const obeyed = view.commands.map((c) => `${c.stream} ${c.form} ${c.name}`);
    expect(obeyed.filter((c) => c.startsWith('stdout'))).toEqual([
      'stdout v2 add-mask',
      'stdout v2 set-output',
      'stdout v2 stop-commands',
      'stdout v2 pause-token-9',
      'stdout v1 notice',
    ]);
    expect(obeyed.filter((c) => c.startsWith('stderr'))).toEqual(['stderr v2 warning']);
    expect(view.outputs).toEqual({ status: 'from-stdout' });
    expect(view.annotations.find((a) => a.kind === 'warning')).toMatchObject({
      title: 'from: stderr',
      message: 'w%0A',
    });
    expect(view.log).toContain('uses ***');
    expect(view.log).toContain('::error::stopped');
    expect(view.log).toContain('café');
    expect(
      foreignCommands(view)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['notice', 'pause-token-9', 'set-output', 'stop-commands', 'warning']);
  });
});
