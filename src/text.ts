// The one boundary for text the action did not write itself: snapshot and server names, descriptions,
// the provider's messages and timestamps, inputs echoed back. It may be shown, never obeyed. Every line the
// action writes to the runner passes through `forLog`, and every output and state value through `data`
// (step/actions.ts); every piece of data the job summary shows passes through `mdText`
// (reporting/summary.ts).
//
// The runner's rules (actions/runner, src/Runner.Worker/ActionCommandManager.cs and
// src/Runner.Common/ActionCommand.cs): the step's stdout and stderr are read line by line (a line ends at
// LF, CR or CRLF); a line whose text, after .NET's TrimStart() of Unicode white space, starts with `::`
// is a command (`::set-output`, `::save-state`, `::add-mask`, `::stop-commands`, `::error`, ...); a line
// holding `##[` anywhere may be a legacy command (`##[set-output name=x;]value`).

/** Every character that ends a line somewhere: the runner's LF, CR, CRLF, and the Unicode line breaks. */
const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029]/g;
/** Control characters other than tab: escape sequences of terminals and the like, never printed raw. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g;
/** White space and invisible format characters that .NET's TrimStart() (or a reader) may skip. */
const LEADING = /^[\s\u0085\u180e\u200b-\u200d\u2060\ufeff]*/;
const LEGACY_COMMAND = /##\[/g;

const BREAK_NAMES: Record<string, string> = {
  '\r\n': '\\r\\n',
  '\n': '\\n',
  '\r': '\\r',
  '\u0085': '\\u0085',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

function hex(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** Text as one line, its line breaks and control characters shown escaped (`\n`, `\r`, `\u2028`, `\x1b`). */
export function data(text: string): string {
  return text.replace(LINE_BREAKS, (b) => BREAK_NAMES[b] ?? b).replace(CONTROLS, hex);
}

/**
 * What the action writes to the runner's log, annotations and group titles: one line that the runner
 * shows as written and never reads as a command. A message of the action's is one line too; several
 * lines are several messages (or annotations), so any line break in a message came from data.
 */
export function forLog(message: string): string {
  const shown = data(message).replace(LEGACY_COMMAND, '##\\[');
  const lead = LEADING.exec(shown)?.[0] ?? '';
  return shown.startsWith('::', lead.length) ? `${lead}\\${shown.slice(lead.length)}` : shown;
}

/**
 * Untrusted text in the job summary's markdown (a table cell or a line), shown as written: it cannot end
 * the line or the cell, open a code span, or be read as HTML (`<`, `>`, `&` as entities).
 */
export function mdText(text: string): string {
  return data(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*[\]|~]/g, (c) => `\\${c}`);
}

/** A JSON output's text: the Unicode line breaks JSON leaves raw are written as \u escapes (the same value). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
