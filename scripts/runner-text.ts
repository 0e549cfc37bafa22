// The few .NET string behaviours the GitHub runner's command handling rests on, written for the runner
// stand-in: how it reads a process's output into lines, what `TrimStart()`/`Trim()` remove, how
// `Split(sep, 2, RemoveEmptyEntries)` splits, how an OrdinalIgnoreCase set matches a name, and how the
// secret masker replaces values. Each function names the runner (or .NET) code it mirrors.

/**
 * .NET `Char.IsWhiteSpace`, which `String.TrimStart()` and `String.Trim()` use: the Unicode Zs, Zl and Zp
 * categories, U+0009–U+000D and U+0085. Not JavaScript's `\s`: that adds U+FEFF and leaves out U+0085.
 */
export function isDotNetWhiteSpace(unit: number): boolean {
  if ((unit >= 0x09 && unit <= 0x0d) || unit === 0x20 || unit === 0x85 || unit === 0xa0) return true;
  if (unit < 0x1680) return false;
  return (
    unit === 0x1680 ||
    (unit >= 0x2000 && unit <= 0x200a) ||
    unit === 0x2028 ||
    unit === 0x2029 ||
    unit === 0x202f ||
    unit === 0x205f ||
    unit === 0x3000
  );
}

/** .NET `String.TrimStart()` (ActionCommand.TryParseV2 trims the line with it before looking for `::`). */
export function trimStart(text: string): string {
  let start = 0;
  while (start < text.length && isDotNetWhiteSpace(text.charCodeAt(start))) start++;
  return text.slice(start);
}

/** .NET `String.Trim()`. */
export function trim(text: string): string {
  let end = text.length;
  while (end > 0 && isDotNetWhiteSpace(text.charCodeAt(end - 1))) end--;
  return trimStart(text.slice(0, end));
}

/**
 * .NET `text.Split(separator, count: 2, StringSplitOptions.RemoveEmptyEntries)`, as ActionCommand splits a
 * `name=value` property: empty pieces are dropped, and once the name is found the empty pieces after it are
 * skipped too, so `a==b` gives `a` and `b`, and `=a=b` gives `a` and `b` (String.SplitWithPostProcessing).
 */
export function splitPair(text: string, separator: string): string[] {
  const pieces: string[] = [];
  let from = 0;
  let at = text.indexOf(separator, from);
  while (at >= 0 && pieces.length < 1) {
    if (at > from) pieces.push(text.slice(from, at));
    from = at + 1;
    at = text.indexOf(separator, from);
  }
  if (pieces.length === 1) {
    while (at === from) {
      from = at + 1;
      at = text.indexOf(separator, from);
    }
  }
  if (from < text.length) pieces.push(text.slice(from));
  return pieces;
}

/** One UTF-16 unit as .NET's OrdinalIgnoreCase compares it: ASCII by its upper case, and no other letter maps to ASCII. */
function fold(unit: string): string {
  const code = unit.charCodeAt(0);
  if (code < 0x80) return code >= 0x61 && code <= 0x7a ? String.fromCharCode(code - 0x20) : unit;
  const upper = unit.toUpperCase();
  return upper.length === 1 && upper.charCodeAt(0) >= 0x80 ? upper : unit;
}

/** `StringComparer.OrdinalIgnoreCase` equality, which the runner's registered-command set and its lookups use. */
export function sameIgnoreCase(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && fold(a[i] ?? '') !== fold(b[i] ?? '')) return false;
  return true;
}

/**
 * Splits a process's output into lines as the runner reads it: `StreamReader.ReadLine()` in
 * Runner.Sdk/ProcessInvoker.cs (StartReadStream) ends a line at `\n`, `\r` or `\r\n`, and returns the
 * text after the last break as a last line when there is any. Fed in chunks as they arrive, so a `\r\n`
 * split across two chunks is still one break. Each stream has its own reader.
 */
export class LineReader {
  private pending = '';
  private afterCR = false;

  private readonly emit: (line: string) => void;

  constructor(emit: (line: string) => void) {
    this.emit = emit;
  }

  push(chunk: string): void {
    if (chunk === '') return;
    let start = 0;
    if (this.afterCR && chunk.startsWith('\n')) start = 1;
    this.afterCR = false;
    for (let i = start; i < chunk.length; i++) {
      const unit = chunk[i];
      if (unit !== '\n' && unit !== '\r') continue;
      this.emit(this.pending + chunk.slice(start, i));
      this.pending = '';
      if (unit === '\r') {
        if (i + 1 === chunk.length) this.afterCR = true;
        else if (chunk[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    this.pending += chunk.slice(start);
  }

  end(): void {
    if (this.pending.length > 0) this.emit(this.pending);
    this.pending = '';
  }
}

/** All the lines of a finished stream's text (one LineReader, fed at once). */
export function readLines(text: string): string[] {
  const lines: string[] = [];
  const reader = new LineReader((line) => lines.push(line));
  reader.push(text);
  reader.end();
  return lines;
}

/**
 * Sdk/DTLogging/Logging/SecretMasker.cs `MaskSecrets`: every (ordinal, possibly overlapping) occurrence of
 * every value, merged where they overlap or touch, each run replaced by `***`. The runner also masks
 * encoded forms of each value (base64, JSON, URI, ...: HostContext's value encoders); this does not.
 */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  const spans: [number, number][] = [];
  for (const secret of secrets) {
    if (!secret) continue;
    for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
      spans.push([at, at + secret.length]);
    }
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let masked = '';
  let done = 0;
  let [start, end] = spans[0] ?? [0, 0];
  for (const [from, to] of spans.slice(1)) {
    if (from <= end) end = Math.max(end, to);
    else {
      masked += `${text.slice(done, start)}***`;
      done = end;
      [start, end] = [from, to];
    }
  }
  return `${masked}${text.slice(done, start)}***${text.slice(end)}`;
}
