// The runner's command extensions, as the runner stand-in applies them: one per registered command name
// (Runner.Common/ExtensionManager.cs lists them; Runner.Worker/ActionCommandManager.cs implements them).
// `omitEcho` is each extension's OmitEcho: with `::echo::on` the others' lines are written to the log.
// A thrown Error is what the runner catches as "Unable to process command ... successfully."
import { type ParsedCommand, property, setProperty } from './runner-parse.ts';
import { isDotNetWhiteSpace, sameIgnoreCase, trim } from './runner-text.ts';

export interface Issue {
  kind: 'error' | 'warning' | 'notice';
  /** Unescaped once, masked, at most 4096 characters (ExecutionContext.AddIssue). */
  message: string;
  /** Every property the runner keeps with the annotation, after ValidateLinesAndColumns. */
  properties: Record<string, string>;
  /** `command`: an error/warning/notice command; `runner`: the runner's own, about a command. */
  source: 'command' | 'runner';
  title?: string;
  file?: string;
  line?: string;
  col?: string;
  endLine?: string;
  endColumn?: string;
}

/** What an extension may touch: the step's context, as StepContext (runner-commands.ts) provides it. */
export interface Effects {
  readonly options: { env?: Record<string, string | undefined>; deprecateStepOutputCommands?: boolean };
  readonly view: {
    outputs: Record<string, string>;
    state: Record<string, string>;
    env: Record<string, string>;
    path: string[];
    debug: string[];
    groups: string[];
  };
  echo: boolean;
  write(text: string): void;
  runnerDebug(message: string): void;
  addIssue(issue: Issue): void;
  addMask(value: string): void;
}

interface Extension {
  omitEcho: boolean;
  run(command: ParsedCommand, step: Effects): void;
}

const DISABLED = (name: string) =>
  `The \`${name}\` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` environment variable to \`true\`. For more information see: https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/`;
const DEPRECATED = (name: string) =>
  `The \`${name}\` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/`;

/** .NET `bool.TryParse` (surrounding whitespace allowed, any case), as set-env and add-path read the flag. */
const tryParseTrue = (value: string | undefined) => value?.trim().toLowerCase() === 'true';

/** set-env and add-path run only when ACTIONS_ALLOW_UNSECURE_COMMANDS is true; otherwise they throw. */
function requireUnsecure(name: string, step: Effects): void {
  if (!tryParseTrue(step.options.env?.ACTIONS_ALLOW_UNSECURE_COMMANDS)) throw new Error(DISABLED(name));
}

/** A required `name` property (set-env, set-output, save-state). */
function nameOf(command: ParsedCommand, extension: string): string {
  const name = property(command, 'name');
  if (!name) throw new Error(`Required field 'name' is missing in ##[${extension}] command.`);
  return name;
}

/** set-output and save-state: still honoured, with a deprecation warning when the server asks for one. */
function stepValue(kind: 'set-output' | 'save-state', into: 'outputs' | 'state'): Extension {
  return {
    omitEcho: false,
    run(command, step) {
      if (step.options.deprecateStepOutputCommands ?? true) {
        step.addIssue({ kind: 'warning', message: DEPRECATED(kind), properties: {}, source: 'runner' });
      }
      setProperty(step.view[into], nameOf(command, kind), command.data);
      step.runnerDebug(
        `${into === 'outputs' ? 'output' : 'state'} ${property(command, 'name')}='${command.data}'`,
      );
    },
  };
}

/** .NET `int.TryParse`: optional surrounding white space and sign, digits, within Int32. */
function tryParseInt(value: string | undefined): number | undefined {
  const match = /^[\t-\r ]*([+-]?[0-9]+)[\t-\r ]*$/.exec(value ?? '');
  const number = match ? Number(match[1]) : Number.NaN;
  return Number.isInteger(number) && number >= -(2 ** 31) && number < 2 ** 31 ? number : undefined;
}

/** IssueCommandExtension.ValidateLinesAndColumns: fills in or drops line and column properties that disagree. */
function validateLinesAndColumns(properties: Record<string, string>): void {
  const get = (name: string) => property({ properties }, name);
  const drop = (...names: string[]) => {
    for (const key of Object.keys(properties))
      if (names.some((n) => sameIgnoreCase(n, key))) delete properties[key];
  };
  // The numbers as first parsed (0 when not a number), as the runner compares them.
  const [line, endLine, col, endColumn] = ['line', 'endLine', 'col', 'endColumn'].map((n) =>
    tryParseInt(get(n)),
  );
  let [hasLine, hasColumn] = [line !== undefined, col !== undefined];
  const [hasEndLine, hasEndColumn] = [endLine !== undefined, endColumn !== undefined];
  const anyColumn = hasColumn || hasEndColumn;
  let lineText = get('line');
  if (hasEndLine && !hasLine) {
    lineText = get('endLine');
    setProperty(properties, 'line', lineText ?? '');
    hasLine = true;
  }
  if (hasEndColumn && !hasColumn) {
    setProperty(properties, 'col', get('endColumn') ?? '');
    hasColumn = true;
  }
  if (!hasLine && anyColumn) drop('col', 'endColumn');
  if (hasEndLine && lineText !== get('endLine') && anyColumn) drop('col', 'endColumn');
  if (hasLine && hasEndLine && (endLine ?? 0) < (line ?? 0)) drop('line', 'endLine');
  if (hasColumn && hasEndColumn && (endColumn ?? 0) < (col ?? 0)) drop('col', 'endColumn');
}

/** error, warning, notice: IssueCommandExtension. The file is not made relative to a workspace here. */
function issue(kind: Issue['kind']): Extension {
  return {
    omitEcho: true,
    run(command, step) {
      const properties = { ...command.properties };
      validateLinesAndColumns(properties);
      const get = (name: string) => property({ properties }, name);
      const named = Object.fromEntries(
        ['title', 'file', 'line', 'col', 'endLine', 'endColumn']
          .map((name) => [name, get(name)])
          .filter(([, value]) => value !== undefined),
      );
      step.addIssue({ kind, message: command.data, properties, source: 'command', ...named });
    },
  };
}

export const EXTENSIONS: Record<string, Extension> = {
  'set-env': {
    omitEcho: false,
    run(command, step) {
      requireUnsecure('set-env', step);
      const name = nameOf(command, 'set-env');
      if (sameIgnoreCase(name, 'NODE_OPTIONS')) {
        const message = "Can't update NODE_OPTIONS environment variable using ::set-env:: command.";
        step.addIssue({ kind: 'error', message, properties: {}, source: 'runner' });
        return;
      }
      step.view.env[name] = command.data;
      step.runnerDebug(`${name}='${command.data}'`);
    },
  },
  'set-output': stepValue('set-output', 'outputs'),
  'save-state': stepValue('save-state', 'state'),
  'add-path': {
    omitEcho: false,
    run(command, step) {
      requireUnsecure('add-path', step);
      if (!command.data) throw new Error("Value cannot be null. (Parameter 'path')");
      step.view.path = [...step.view.path.filter((p) => p !== command.data), command.data];
    },
  },
  'add-mask': {
    omitEcho: true,
    run(command, step) {
      if ([...command.data].every((c) => isDotNetWhiteSpace(c.charCodeAt(0)))) {
        const message = "Can't add secret mask for empty string in ##[add-mask] command.";
        step.addIssue({ kind: 'warning', message, properties: {}, source: 'runner' });
        return;
      }
      if (step.echo) step.write('::add-mask::***');
      step.addMask(command.data);
      // Each line of the value too, trimmed (Split on CR and LF, RemoveEmptyEntries | TrimEntries).
      for (const piece of command.data.split(/[\r\n]/)) step.addMask(trim(piece));
    },
  },
  // Matchers are files in the workspace; the stand-in records the command but loads none.
  'add-matcher': { omitEcho: false, run: () => undefined },
  'remove-matcher': { omitEcho: false, run: () => undefined },
  warning: issue('warning'),
  error: issue('error'),
  notice: issue('notice'),
  debug: {
    omitEcho: true,
    run(command, step) {
      step.view.debug.push(command.data);
      step.runnerDebug(command.data);
    },
  },
  group: {
    omitEcho: false,
    run(command, step) {
      step.view.groups.push(command.data);
      step.write(`##[group]${command.data}`);
    },
  },
  endgroup: { omitEcho: false, run: (_command, step) => step.write('##[endgroup]') },
  echo: {
    omitEcho: false,
    run(command, step) {
      if (!command.data) throw new Error("Value cannot be null. (Parameter 'value')");
      const value = trim(command.data).toUpperCase();
      if (value !== 'ON' && value !== 'OFF') {
        throw new Error(
          `Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '${command.data}'.`,
        );
      }
      step.echo = value === 'ON';
      step.runnerDebug(`Setting echo command value to '${value.toLowerCase()}'`);
    },
  },
};

/** The names the runner registers at start (internal-set-repo-path is registered only for plugins). */
export const COMMANDS = Object.keys(EXTENSIONS);
