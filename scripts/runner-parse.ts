// How the GitHub runner recognises a workflow command in one line of a step's output, written for the
// runner stand-in from Runner.Common/ActionCommand.cs: `TryParseV2` (`::name k=v,k=v::data`, at the
// start of the line after .NET's TrimStart) and the legacy `TryParse` (`##[name k=v;k=v]data`, found
// anywhere in the line). Both accept only a registered name; values are unescaped exactly once.
import { sameIgnoreCase, splitPair, trim, trimStart } from './runner-text.ts';

export interface ParsedCommand {
  /** The name as written (the runner matches it case-insensitively). */
  name: string;
  /** `v2`: `::name::data`; `v1`: the legacy `##[name]data`. */
  form: 'v1' | 'v2';
  /** Unescaped values; keys as first written (the runner's dictionary ignores their case; a later one wins). */
  properties: Record<string, string>;
  data: string;
}

/** ActionCommand's escape tables, in the order its Unescape* methods replace them (`%25` last: once only). */
const V1_ESCAPES: [string, string][] = [
  ['%3B', ';'],
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%5D', ']'],
  ['%25', '%'],
];
const DATA_ESCAPES: [string, string][] = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%'],
];
const PROPERTY_ESCAPES: [string, string][] = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%'],
];

function unescapeWith(text: string, table: [string, string][]): string {
  return table.reduce((value, [escaped, plain]) => value.replaceAll(escaped, plain), text);
}

/** The runner's registered names: an OrdinalIgnoreCase HashSet (ActionCommandManager._registeredCommands). */
export type Registered = (name: string) => boolean;

/** A property value, looked up as the runner's OrdinalIgnoreCase dictionary does. */
export function property(command: { properties: Record<string, string> }, name: string): string | undefined {
  const key = Object.keys(command.properties).find((k) => sameIgnoreCase(k, name));
  return key === undefined ? undefined : command.properties[key];
}

/** Sets a property as `dictionary[key] = value` does on an OrdinalIgnoreCase dictionary: the first spelling stays. */
export function setProperty(properties: Record<string, string>, name: string, value: string): void {
  const key = Object.keys(properties).find((k) => sameIgnoreCase(k, name)) ?? name;
  properties[key] = value;
}

/** The command name (up to the first space) and the properties text after it. */
function nameOf(info: string): { name: string; rest: string | undefined } {
  const space = info.indexOf(' ');
  return space < 0
    ? { name: info, rest: undefined }
    : { name: info.slice(0, space), rest: info.slice(space + 1) };
}

function properties(text: string | undefined, separator: string, table: [string, string][]) {
  const result: Record<string, string> = {};
  for (const piece of (text ?? '').split(separator)) {
    if (piece === '') continue;
    const pair = splitPair(piece, '=');
    if (pair.length === 2) setProperty(result, pair[0] ?? '', unescapeWith(pair[1] ?? '', table));
  }
  return result;
}

/**
 * ActionCommand.TryParseV2: after TrimStart the line must begin with `::`; the next `::` ends the command
 * info; the name is the info up to its first space and must be registered; the properties (trimmed,
 * split on `,`, each on its first `=`) and the data are unescaped once. An empty name never parses.
 */
export function parseV2(line: string, registered: Registered): ParsedCommand | undefined {
  const message = trimStart(line);
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const { name, rest } = nameOf(message.slice(2, end));
  if (name === '' || !registered(name)) return undefined;
  return {
    name,
    form: 'v2',
    properties: properties(rest === undefined ? undefined : trim(rest), ',', PROPERTY_ESCAPES),
    data: unescapeWith(message.slice(end + 2), DATA_ESCAPES),
  };
}

/**
 * ActionCommand.TryParse, the legacy form: `##[` anywhere in the line (not only at its start), the first
 * `]` after it ends the command info; properties split on `;`; one escape table for properties and data.
 */
export function parseV1(line: string, registered: Registered): ParsedCommand | undefined {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const bracket = line.indexOf(']', prefix);
  if (bracket < 0) return undefined;
  const { name, rest } = nameOf(line.slice(prefix + 3, bracket));
  if (name === '' || !registered(name)) return undefined;
  return {
    name,
    form: 'v1',
    properties: properties(rest, ';', V1_ESCAPES),
    data: unescapeWith(line.slice(bracket + 1), V1_ESCAPES),
  };
}

/** ActionCommandManager.TryProcessCommand tries the V2 form first, then the legacy one, on the same line. */
export function parseCommand(line: string, registered: Registered): ParsedCommand | undefined {
  return parseV2(line, registered) ?? parseV1(line, registered);
}

/**
 * Where the runner and this stand-in may disagree. `StartsWith("::")`, `IndexOf("::")` and `IndexOf("##[")`
 * in ActionCommand.cs are culture-sensitive in .NET (ICU on Linux), which skips control and
 * default-ignorable characters; this stand-in matches ordinally. The name starts at a fixed index after
 * the `::` or `##[` either way, so an ignorable character before or inside them only turns a command into
 * text; but one inside the separator (`::error:\u200B:data`) may let the runner find a separator this
 * parser does not, so the line may be a command on the runner. Such lines are reported, not guessed.
 */
const SPLIT_SEPARATOR = /:(?:(?![\t-\r\x85])[\p{Cc}\p{Default_Ignorable_Code_Point}])+:/u;

/** The registered name the runner may read from a line the ordinal parse left as text; else undefined. */
export function nearMiss(line: string, registered: Registered): string | undefined {
  const message = trimStart(line);
  if (!message.startsWith('::')) return undefined;
  const split = SPLIT_SEPARATOR.exec(message.slice(2));
  if (!split) return undefined;
  const ordinal = message.indexOf('::', 2);
  if (ordinal >= 0 && ordinal - 2 < split.index) return undefined;
  const { name } = nameOf(message.slice(2, 2 + split.index));
  return name !== '' && registered(name) ? name : undefined;
}
