// What the runner stand-in makes of a step's output (scripts/runner-commands.ts, runner-extensions.ts): the
// rules of Runner.Worker/ActionCommandManager.cs and Handlers/OutputManager.cs, one test each, and what
// runAction keeps of them (scripts/run-action.ts).
import { describe, expect, it } from 'vitest';
import { fileCommandsOver, foreignCommands } from '../../scripts/run-action.ts';
import { type CommandOptions, interpret, interpretOutput } from '../../scripts/runner-commands.ts';

const run = (stdout: string[], options: CommandOptions = {}) =>
  interpretOutput(stdout.join('\n'), '', options);
const names = (view: { commands: { name: string }[] }) => view.commands.map((c) => c.name);

describe('what is printed', () => {
  it('prints unregistered commands and plain text as written', () => {
    const view = run(['::frobnicate::x', 'plain ::error', '::set-output name=a']);
    expect(view.commands).toEqual([]);
    expect(view.log).toEqual(['::frobnicate::x', 'plain ::error', '::set-output name=a']);
  });

  it('defuses the runner markers ##[start-action and ##[end-action in printed text', () => {
    expect(run(['x ##[start-action y', '##[end-action']).log).toEqual([
      'x ##[\\start-action y',
      '##[\\end-action',
    ]);
  });

  it('shows groups as the runner writes them', () => {
    const view = run(['::group::Waiting', 'inside', '::endgroup::']);
    expect(view.log).toEqual(['##[group]Waiting', 'inside', '##[endgroup]']);
    expect(view.groups).toEqual(['Waiting']);
  });
});

describe('stop-commands', () => {
  const lines = [
    '::stop-commands::pause-token-1',
    '::error::while stopped',
    '::PAUSE-TOKEN-1::',
    '::error::after',
  ];

  it('ignores commands until the token comes back (in any case), then obeys again', () => {
    const view = run(lines);
    expect(names(view)).toEqual(['stop-commands', 'PAUSE-TOKEN-1', 'error']);
    expect(view.annotations.map((a) => a.message)).toEqual(['after']);
    expect(view.stops).toEqual([{ token: 'pause-token-1', resumed: true }]);
    expect(view.log).toContain('::error::while stopped');
  });

  it('masks a token longer than 6 characters, and not a shorter one', () => {
    expect(run(lines).log.slice(0, 1)).toEqual(['::stop-commands::***']);
    expect(run(['::stop-commands::abcdef', '::abcdef::']).log).toEqual([
      '::stop-commands::abcdef',
      '::abcdef::',
    ]);
  });

  it('stops stderr too: both streams share one command manager', () => {
    const view = interpret([
      { stream: 'stdout', text: '::stop-commands::pause-token-1' },
      { stream: 'stderr', text: '::warning::on stderr' },
    ]);
    expect(view.annotations).toEqual([]);
  });

  it.each(['error', '', 'Pause-Logging'])(
    'refuses the token %j: the step fails and nothing more is read',
    (token) => {
      const view = run([`::stop-commands::${token}`, '::error::never read']);
      expect(view.failed).toBe(true);
      expect(view.aborted).toMatch(/You cannot use a endToken/);
      expect(view.annotations).toHaveLength(1);
      const allowed = run([`::stop-commands::${token}`, '::error::x'], {
        env: { ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS: 'true' },
      });
      expect(allowed.aborted).toBeUndefined();
    },
  );
});

describe('add-mask', () => {
  it('masks from the next line on, not before, and is not printed', () => {
    const view = run(['early s3cret', '::add-mask::s3cret', 'late s3cret']);
    expect(view.log).toEqual(['early s3cret', 'late ***']);
  });

  it('masks each line of a multi-line value, trimmed', () => {
    const view = run(['::add-mask::first-part%0A  second-part  ', 'second-part alone']);
    expect(view.masks).toEqual(['first-part\n  second-part  ', 'first-part', 'second-part']);
    expect(view.log).toEqual(['*** alone']);
  });

  it('warns on a blank value instead', () => {
    expect(run(['::add-mask::\u3000 ']).annotations).toMatchObject([{ kind: 'warning', source: 'runner' }]);
  });

  it('masks annotation messages, and the secrets given at the start', () => {
    const view = run(['::error::token t0ken-123 refused', 'plain t0ken-123'], { secrets: ['t0ken-123'] });
    expect(view.annotations[0]?.message).toBe('token *** refused');
    expect(view.log).toEqual(['##[error]token *** refused', 'plain ***']);
  });
});

describe('set-output and save-state over stdout', () => {
  it('are still honoured, each with the deprecation warning', () => {
    const view = run(['::set-output name=status::hacked', '::save-state name=id::9']);
    expect(view.outputs).toEqual({ status: 'hacked' });
    expect(view.state).toEqual({ id: '9' });
    expect(view.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(/^The `set-output` command is deprecated/),
      expect.stringMatching(/^The `save-state` command is deprecated/),
    ]);
    expect(run(['::set-output name=a::b'], { deprecateStepOutputCommands: false }).annotations).toEqual([]);
  });

  it('fail the step without a name', () => {
    const view = run(['::set-output::x'], { deprecateStepOutputCommands: false });
    expect(view.failed).toBe(true);
    expect(view.commands[0]?.ok).toBe(false);
    expect(view.annotations.map((a) => a.message)).toEqual([
      "Unable to process command '::set-output::x' successfully.",
      "Required field 'name' is missing in ##[set-output] command.",
    ]);
  });

  it('a file command replaces the stdout value of the same name, in any case', () => {
    expect(fileCommandsOver({ Status: 'stdout', other: '1' }, { status: 'file' })).toEqual({
      Status: 'file',
      other: '1',
    });
  });
});

describe('set-env and add-path', () => {
  it('are refused, failing the step, unless ACTIONS_ALLOW_UNSECURE_COMMANDS is true', () => {
    const lines = ['::set-env name=A::1', '::add-path::/evil'];
    const refused = run(lines, { env: { ACTIONS_ALLOW_UNSECURE_COMMANDS: '1' } });
    expect([refused.env, refused.path, refused.failed]).toEqual([{}, [], true]);
    const allowed = run(lines, { env: { ACTIONS_ALLOW_UNSECURE_COMMANDS: ' True ' } });
    expect([allowed.env, allowed.path, allowed.failed]).toEqual([{ A: '1' }, ['/evil'], false]);
  });

  it('never set NODE_OPTIONS', () => {
    const view = run(['::set-env name=node_options::--require x'], {
      env: { ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true' },
    });
    expect(view.env).toEqual({});
    expect(view.annotations[0]?.message).toMatch(/Can't update NODE_OPTIONS/);
  });
});

describe('annotations', () => {
  it('keep their properties, unescaped once', () => {
    const [issue] = run([
      '::error title=A%3A B%2C C,file=src/a.ts,line=3,col=2,endColumn=5::50%25 done%0Anext',
    ]).annotations;
    expect(issue).toMatchObject({ kind: 'error', title: 'A: B, C', file: 'src/a.ts', line: '3', col: '2' });
    expect(issue).toMatchObject({ endColumn: '5', message: '50% done\nnext', source: 'command' });
  });

  it('fix lines and columns as ValidateLinesAndColumns does', () => {
    const [fromEnd, noLine, backwards] = run([
      '::warning endLine=4::a',
      '::warning col=2,endColumn=3::b',
      '::warning line=9,endLine=2::c',
    ]).annotations;
    expect(fromEnd?.properties).toEqual({ endLine: '4', line: '4' });
    expect(noLine?.properties).toEqual({});
    expect(backwards?.properties).toEqual({});
  });

  it('cut the message at 4096 characters', () => {
    expect(run([`::error::${'x'.repeat(5000)}`]).annotations[0]?.message).toHaveLength(4096);
  });

  it('print ::notice as text when the server has no enhanced annotations', () => {
    const view = run(['::notice::n'], { enhancedAnnotations: false });
    expect([view.annotations, view.log]).toEqual([[], ['::notice::n']]);
  });
});

describe('echo and debug', () => {
  it('echo on writes the lines of commands that are not omitted, and add-mask as ***', () => {
    const view = run(['::echo::on', '::add-mask::hidden', '::group::g', '::debug::quiet'], {});
    expect(view.log).toEqual(['::add-mask::***', '::group::g', '##[group]g']);
    expect(run(['::echo::sideways']).failed).toBe(true);
  });

  it('debug lines reach the log only with step debug', () => {
    expect(run(['::debug::a%0Ab']).log).toEqual([]);
    expect(run(['::debug::a%0Ab'], { stepDebug: true }).log).toEqual(['##[debug]a', '##[debug]b']);
    const stopped = run(['::stop-commands::pause-token-1', '::pause-token-1::'], { stepDebug: true }).log;
    expect(stopped.filter((l) => l.startsWith('##[debug]'))).toEqual([
      expect.stringMatching(/^##\[debug\]Paused processing commands/),
      '##[debug]Resume processing commands',
    ]);
  });
});

describe('foreignCommands', () => {
  it('flags what @actions/core cannot have written, and not what it writes', () => {
    const view = interpret([
      { stream: 'stdout', text: '::error title=t,line=1::ok' },
      { stream: 'stdout', text: '::add-mask::x' },
      { stream: 'stdout', text: ' ::warning::indented' },
      { stream: 'stdout', text: 'log ##[error]v1' },
      { stream: 'stderr', text: '::notice::stderr' },
      { stream: 'stdout', text: '::ERROR::case' },
      { stream: 'stdout', text: '::error bogus=1::prop' },
    ]);
    expect(foreignCommands(view).map((c) => c.line)).toEqual([
      ' ::warning::indented',
      'log ##[error]v1',
      '::notice::stderr',
      '::ERROR::case',
      '::error bogus=1::prop',
    ]);
  });
});
