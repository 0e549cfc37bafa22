// What the GitHub runner does with a step's stdout and stderr, line by line: Runner.Worker/Handlers/
// OutputManager.cs (OnDataReceived: a line holding `::` or `##[` is offered as a command, anything else is
// printed) and Runner.Worker/ActionCommandManager.cs (TryProcessCommand: stop-commands, echo, one extension
// per command). Both streams share one command manager, so `stop-commands` on stdout stops stderr's too.
// The extensions' effects are in runner-extensions.ts; the line parsing in runner-parse.ts.
import { COMMANDS, type Effects, EXTENSIONS, type Issue } from './runner-extensions.ts';
import { nearMiss, type ParsedCommand, parseCommand } from './runner-parse.ts';
import { maskSecrets, readLines, sameIgnoreCase } from './runner-text.ts';

export type Stream = 'stdout' | 'stderr';
export interface OutputLine {
  stream: Stream;
  text: string;
}

export interface CommandOptions {
  /** The step's environment (the runner reads ACTIONS_ALLOW_UNSECURE_* from the env context). */
  env?: Record<string, string | undefined>;
  /** ACTIONS_STEP_DEBUG: echo starts on and debug lines are written to the log. Default false. */
  stepDebug?: boolean;
  /** The server's DistributedTask.EnhancedAnnotations; off, `::notice` is plain text. Default true, as github.com. */
  enhancedAnnotations?: boolean;
  /** The server's DistributedTask.DeprecateStepOutputCommands: set-output/save-state warn. Default true. */
  deprecateStepOutputCommands?: boolean;
  /** Values masked before the step starts (the workflow's secrets). */
  secrets?: string[];
}

/** A line the runner took as a command (TryProcessCommand returned true), in the order it came. */
export interface ObeyedCommand extends ParsedCommand {
  stream: Stream;
  /** The line as written. */
  line: string;
  /** False when the runner refused it with an error (`Unable to process command ...`). */
  ok: boolean;
}

export interface RunnerView {
  /** Every command the runner acted on, in order, including stop-commands and its resume token. */
  commands: ObeyedCommand[];
  /** Set over stdout with `set-output`, `save-state`, and (when allowed) `set-env`, `add-path`. */
  outputs: Record<string, string>;
  state: Record<string, string>;
  env: Record<string, string>;
  path: string[];
  /** Every value the masker holds, in the order added (secrets, add-mask and its lines, long stop tokens). */
  masks: string[];
  /** Annotations the run would show: from ::error/::warning/::notice, and the runner's own about commands. */
  annotations: Issue[];
  /** The data of each `debug` command. */
  debug: string[];
  /** Titles of the groups opened. */
  groups: string[];
  /** Each `stop-commands`: its token, and whether the token came back to resume. */
  stops: { token: string; resumed: boolean }[];
  /** A command failed the step (the runner's CommandResult = Failed). */
  failed: boolean;
  /** The runner stopped reading the output here (an invalid stop token throws out of its reader). */
  aborted?: string;
  /** The step's log as a person sees it: masked, commands replaced by what the runner writes for them.
   * One entry per write: a message with line breaks in it stays one entry. */
  log: string[];
  /** Printed lines that would be commands if the characters ICU may ignore were removed (runner-parse.ts). */
  nearMisses: string[];
}

const UNSUPPORTED_STOP_TOKEN =
  "You cannot use a endToken that is an empty string, the string 'pause-logging', or another workflow command. For more information see: https://docs.github.com/actions/learn-github-actions/workflow-commands-for-github-actions#example-stopping-and-starting-workflow-commands or opt into insecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS` environment variable to `true`.";

/** StringUtil.ConvertToBoolean: `1`, `true`, `$true` in any case. */
const convertToBoolean = (value: string | undefined) =>
  ['1', 'true', '$true'].includes(value?.toLowerCase() ?? '');

/** The runner's state over one step: the command manager's and the execution context's. */
class StepContext implements Effects {
  readonly view: RunnerView = {
    commands: [],
    outputs: {},
    state: {},
    env: {},
    path: [],
    masks: [],
    annotations: [],
    debug: [],
    groups: [],
    stops: [],
    failed: false,
    log: [],
    nearMisses: [],
  };
  echo: boolean;
  private readonly registered = [...COMMANDS, 'stop-commands'];
  private stopToken: string | undefined;

  readonly options: CommandOptions;

  constructor(options: CommandOptions) {
    this.options = options;
    this.echo = options.stepDebug ?? false;
    for (const secret of options.secrets ?? []) this.addMask(secret);
  }

  readonly isRegistered = (name: string) => this.registered.some((known) => sameIgnoreCase(known, name));

  /** ExecutionContext.Write: every log line is masked with the values known at that moment. */
  write(text: string): void {
    this.view.log.push(maskSecrets(text, this.view.masks));
  }

  /** ExecutionContext.Debug: written (line by line) only when step debug is on. */
  runnerDebug(message: string): void {
    if (!this.options.stepDebug) return;
    for (const line of message.replaceAll('\r\n', '\n').split('\n')) this.write(`##[debug]${line}`);
  }

  /** ExecutionContext.AddIssue: the message masked and cut to 4096 characters, written to the log with its tag. */
  addIssue(issue: Issue): void {
    const message = maskSecrets(issue.message, this.view.masks).slice(0, 4096);
    this.view.annotations.push({ ...issue, message });
    if (message) this.write(`##[${issue.kind}]${message}`);
  }

  /** SecretMasker.AddValue: empty values and repeats are ignored. */
  addMask(value: string): void {
    if (value && !this.view.masks.includes(value)) this.view.masks.push(value);
  }

  /** OutputManager.OnDataReceived, for one line of one stream. */
  line(stream: Stream, line: string): void {
    if (this.view.aborted !== undefined) return;
    if (line !== '' && (line.includes('##[') || line.includes('::')) && this.tryProcess(stream, line)) return;
    if (this.stopToken === undefined && nearMiss(line, this.isRegistered)) this.view.nearMisses.push(line);
    // Runner-controlled markers in printed output are defused, as OutputManager does.
    this.write(
      line.replaceAll('##[start-action', '##[\\start-action').replaceAll('##[end-action', '##[\\end-action'),
    );
  }

  /** ActionCommandManager.TryProcessCommand: true when the line was taken as a command. */
  private tryProcess(stream: Stream, line: string): boolean {
    const command = parseCommand(line, this.isRegistered);
    if (!command) return false;
    if (!(this.options.enhancedAnnotations ?? true) && command.name === 'notice') {
      this.runnerDebug(
        "Enhanced Annotations not enabled on the server: 'notice' command will not be processed.",
      );
      return false;
    }
    if (this.stopToken !== undefined) return this.resume(stream, line, command);
    if (sameIgnoreCase(command.name, 'stop-commands')) return this.stop(stream, line, command);
    const [name, extension] =
      Object.entries(EXTENSIONS).find(([known]) => sameIgnoreCase(known, command.name)) ?? [];
    if (!extension) {
      this.addIssue({
        kind: 'warning',
        message: `Can't find command extension for ##[${command.name}.command].`,
        ...RUNNER,
      });
      return true;
    }
    if (this.echo && !extension.omitEcho) this.write(line);
    let ok = true;
    try {
      extension.run(command, this);
    } catch (error) {
      ok = false;
      const shown = extension.omitEcho ? name : line;
      this.addIssue({
        kind: 'error',
        message: `Unable to process command '${shown}' successfully.`,
        ...RUNNER,
      });
      this.addIssue({ kind: 'error', message: (error as Error).message, ...RUNNER });
      this.view.failed = true;
    }
    this.view.commands.push({ ...command, stream, line, ok });
    return true;
  }

  /** While stopped only the token (as a command name, any case) is acted on: it resumes and is unregistered. */
  private resume(stream: Stream, line: string, command: ParsedCommand): boolean {
    if (!this.stopToken || !sameIgnoreCase(command.name, this.stopToken)) {
      this.runnerDebug(
        `Process commands has been stopped and waiting for '##[${this.stopToken}]' to resume.`,
      );
      return false;
    }
    this.write(line);
    this.runnerDebug('Resume processing commands');
    const at = this.registered.findIndex((known) => sameIgnoreCase(known, this.stopToken ?? ''));
    if (at >= 0) this.registered.splice(at, 1);
    this.stopToken = undefined;
    const last = this.view.stops.at(-1);
    if (last) last.resumed = true;
    this.view.commands.push({ ...command, stream, line, ok: true });
    return true;
  }

  /** `stop-commands`: ValidateStopToken, then the token is registered, and masked when over 6 characters. */
  private stop(stream: Stream, line: string, command: ParsedCommand): boolean {
    const token = command.data;
    const invalid = this.isRegistered(token) || token === '' || sameIgnoreCase(token, 'pause-logging');
    const env = this.options.env ?? {};
    if (invalid && !convertToBoolean(env.ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS)) {
      // Thrown outside TryProcessCommand's try: it ends the runner's reading of the output and fails the step.
      this.addIssue({ kind: 'error', message: UNSUPPORTED_STOP_TOKEN, ...RUNNER });
      this.view.failed = true;
      this.view.aborted = UNSUPPORTED_STOP_TOKEN;
      return true;
    }
    this.stopToken = token;
    if (!this.isRegistered(token)) this.registered.push(token);
    if (token.length > 6) this.addMask(token);
    this.view.stops.push({ token, resumed: false });
    this.write(line);
    this.runnerDebug(
      'Paused processing commands until the token you called ::stopCommands:: with is received',
    );
    this.view.commands.push({ ...command, stream, line, ok: true });
    return true;
  }
}

const RUNNER = { properties: {}, source: 'runner' } as const;

/** What the runner does with a step's output lines, given in the order it read them. */
export function interpret(lines: Iterable<OutputLine>, options: CommandOptions = {}): RunnerView {
  const context = new StepContext(options);
  for (const { stream, text } of lines) context.line(stream, text);
  return context.view;
}

/** The same for two finished streams, stdout's lines first (the order between them is lost once collected). */
export function interpretOutput(stdout: string, stderr: string, options: CommandOptions = {}): RunnerView {
  const lines = [
    ...readLines(stdout).map((text) => ({ stream: 'stdout' as const, text })),
    ...readLines(stderr).map((text) => ({ stream: 'stderr' as const, text })),
  ];
  return interpret(lines, options);
}
