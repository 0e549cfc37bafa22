// The one door for text the action did not write (names, descriptions, the provider's messages, inputs echoed
// back): shown, never obeyed. step/actions.ts writes every line through `forLog`, every output and state value
// through `data`; the job summary shows every piece of data through `mdText`.
// The runner (actions/runner, ActionCommandManager.cs) reads stdout line by line (a line ends at LF, CR or
// CRLF); a line that, after .NET's TrimStart(), starts with `::` is a command; `##[` anywhere may be a legacy one.

/** Every character that ends a line somewhere: the runner's LF, CR, CRLF, and the Unicode line breaks. */
const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029]/g;
const BREAK_NAMES: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\r\n': '\\r\\n' };
/** Control characters other than tab (terminal escapes and the like), never printed raw. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g;
/** White space and invisible format characters that .NET's TrimStart() (or a reader) may skip. */
const LEADING = /^[\s\u0085\u180e\u200b-\u200d\u2060\ufeff]*/;

const escaped = (c: string, width: number, prefix: string) =>
  `${prefix}${c.charCodeAt(0).toString(16).padStart(width, '0')}`;

/** Text as one line, its line breaks and control characters shown escaped (`\n`, `\r`, `\u2028`, `\x1b`). */
export function data(text: string): string {
  return text
    .replace(LINE_BREAKS, (b) => BREAK_NAMES[b] ?? escaped(b, 4, '\\u'))
    .replace(CONTROLS, (c) => escaped(c, 2, '\\x'));
}

/** What goes to the runner's log, annotations and group titles: one line, never read as a command. */
export function forLog(message: string): string {
  const shown = data(message).replace(/##\[/g, '##\\[');
  const lead = LEADING.exec(shown)?.[0] ?? '';
  return shown.startsWith('::', lead.length) ? `${lead}\\${shown.slice(lead.length)}` : shown;
}

/** Untrusted text in the summary's markdown: it cannot end the line or cell, open a code span, or be HTML. */
export function mdText(text: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
  return data(text).replace(/[&<>\\`*[\]|~]/g, (c) => entities[c] ?? `\\${c}`);
}

/** A JSON output's text: the Unicode line breaks JSON leaves raw, written as \u escapes (the same value). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0085\u2028\u2029]/g, (c) => escaped(c, 4, '\\u'));
}
