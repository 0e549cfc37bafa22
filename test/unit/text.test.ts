// The boundary for untrusted text (src/text.ts): whatever a provider writes, the runner shows it and never
// obeys it, and the job summary keeps its shape.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpretOutput } from '../../scripts/runner-commands.ts';
import { data, forLog, jsonText, mdText } from '../../src/text.ts';

/** What .NET's Char.IsWhiteSpace counts, which the runner's TrimStart() strips before looking for `::`. */
const DOTNET_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/;
const BREAKS = /[\n\r\u0085\u2028\u2029]/;

/** Pieces that hostile text is made of, mixed with anything at all. */
const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '::',
    '##[',
    ']',
    '\n',
    '\r',
    '\r\n',
    '\u0085',
    '\u2028',
    '\u2029',
    ' ',
    '\t',
    '\u00a0',
    '\u3000',
    '\ufeff',
    '\u200b',
    '|',
    '`',
    '<',
    '>',
    '&',
    '%0A',
    '%25',
    '::set-output name=status::completed',
    '::save-state name=restore_on_failure::true',
    '::stop-commands::x',
    '##[add-mask]12345',
  ),
);
const hostileText = fc.array(hostile, { maxLength: 12 }).map((parts) => parts.join(''));

describe('forLog', () => {
  it('never yields a line break, a line the runner reads as a command, or a legacy command', () => {
    fc.assert(
      fc.property(hostileText, fc.constantFrom('', 'server 1: ', '  '), (text, prefix) => {
        const line = forLog(prefix + text);
        expect(line).not.toMatch(BREAKS);
        expect(line.replace(DOTNET_SPACE, '').startsWith('::')).toBe(false);
        expect(line).not.toContain('##[');
      }),
      { numRuns: 2_000 },
    );
  });

  it('is obeyed as nothing by the runner (its rules in the stand-in), printed as one line', () => {
    fc.assert(
      fc.property(hostileText, fc.constantFrom('', 'server 1: ', '  '), (text, prefix) => {
        const line = forLog(prefix + text);
        // core.info writes the line as it is; core.warning puts it in an annotation's data.
        const view = interpretOutput(`${line}\n::warning title=t::${line.replace(/%/g, '%25')}\n`, '');
        expect(view.commands.map((c) => c.name)).toEqual(['warning']);
        expect(view.annotations.map((a) => a.message)).toEqual([line]);
        expect(view.log[0]).toBe(line);
        expect(view.log.length).toBeLessThanOrEqual(2);
        expect(view.masks).toEqual([]);
      }),
      { numRuns: 1_000 },
    );
  });

  it('shows what was written, escaped, so a person still reads it', () => {
    expect(forLog('::save-state name=restore_on_failure::true')).toBe(
      '\\::save-state name=restore_on_failure::true',
    );
    expect(forLog('\u00a0 ::add-mask::12345')).toBe('\u00a0 \\::add-mask::12345');
    expect(forLog('ok\n::set-output name=status::completed')).toBe(
      'ok\\n::set-output name=status::completed',
    );
    expect(forLog('a\r\nb\rc\u2028d\u2029e\u0085f')).toBe('a\\r\\nb\\rc\\u2028d\\u2029e\\u0085f');
    expect(forLog('x ##[set-output name=status;]completed')).toBe('x ##\\[set-output name=status;]completed');
    expect(forLog('\u001b[31mred')).toBe('\\x1b[31mred');
  });

  it("leaves the action's own plain text and the annotation escapes (%0A) alone", () => {
    expect(forLog('server 12345: snapshot 802 completed (3m 05s)')).toBe(
      'server 12345: snapshot 802 completed (3m 05s)',
    );
    expect(forLog('100%0A done: a:b, c')).toBe('100%0A done: a:b, c');
  });
});

describe('data', () => {
  it('makes one line and changes nothing else', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const shown = data(text);
        expect(shown).not.toMatch(BREAKS);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
        if (!/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text)) expect(shown).toBe(text);
      }),
    );
  });
});

/** The cells of one markdown table row, split where GitHub splits them: at each pipe not escaped. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

describe('mdText', () => {
  it('keep a table row one line with its column count, whatever the text', () => {
    fc.assert(
      fc.property(hostileText, hostileText, (a, b) => {
        const row = `| 1 | ${mdText(a)} | ${mdText(b)} |`;
        expect(row).not.toMatch(BREAKS);
        expect(cells(row)).toHaveLength(3);
        expect(mdText(b)).not.toMatch(/[<>]/);
        expect(mdText(b).replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
      }),
      { numRuns: 2_000 },
    );
  });

  it('shows HTML, pipes and backticks as text', () => {
    expect(mdText('<img src=x onerror=alert(1)> & | `x`')).toBe(
      '&lt;img src=x onerror=alert(1)&gt; &amp; \\| \\`x\\`',
    );
  });
});

describe('jsonText', () => {
  it('writes the same value, with no raw Unicode line break', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'grapheme' }), (value, text) => {
        const written = jsonText({ value, text: `${text}\u2028\u2029\u0085` });
        expect(written).not.toMatch(BREAKS);
        expect(JSON.parse(written)).toEqual(
          JSON.parse(JSON.stringify({ value, text: `${text}\u2028\u2029\u0085` })),
        );
      }),
    );
  });
});
