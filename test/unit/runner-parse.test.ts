// The runner stand-in's reading of one line (scripts/runner-parse.ts, scripts/runner-text.ts): each test pins
// a rule of the GitHub runner (Runner.Common/ActionCommand.cs, Runner.Sdk/ProcessInvoker.cs, .NET's string
// methods) with an input where a plausible other rule gives a different answer.
import { describe, expect, it } from 'vitest';
import { nearMiss, parseCommand, parseV1, parseV2, property } from '../../scripts/runner-parse.ts';
import {
  LineReader,
  maskSecrets,
  readLines,
  sameIgnoreCase,
  splitPair,
  trimStart,
} from '../../scripts/runner-text.ts';

const BUILT_IN = ['error', 'warning', 'notice', 'add-mask', 'set-output', 'do-something'];
const registered = (name: string) => BUILT_IN.some((known) => sameIgnoreCase(known, name));

describe('leading white space (TryParseV2 trims with .NET TrimStart, Char.IsWhiteSpace)', () => {
  it.each([
    ['space and tab', ' \t'],
    ['NEXT LINE U+0085, which JavaScript does not trim', '\u0085'],
    ['NO-BREAK SPACE U+00A0', '\u00a0'],
    ['OGHAM SPACE MARK U+1680', '\u1680'],
    ['LINE SEPARATOR U+2028', '\u2028'],
    ['IDEOGRAPHIC SPACE U+3000', '\u3000'],
    ['vertical tab and form feed', '\v\f'],
  ])('%s before `::` is trimmed: still a command', (_name, space) => {
    expect(parseV2(`${space}::error::boom`, registered)).toMatchObject({ name: 'error', data: 'boom' });
  });

  it.each([
    ['BYTE ORDER MARK U+FEFF, which JavaScript trims', '\ufeff'],
    ['ZERO WIDTH SPACE U+200B', '\u200b'],
    ['MONGOLIAN VOWEL SEPARATOR U+180E (no longer Zs)', '\u180e'],
    ['a letter', 'x '],
  ])('%s before `::` is not trimmed: not a command', (_name, prefix) => {
    expect(parseV2(`${prefix}::error::boom`, registered)).toBeUndefined();
    expect(trimStart(`${prefix}::`)).toBe(`${prefix}::`);
  });
});

describe('lines (StreamReader.ReadLine in ProcessInvoker.StartReadStream)', () => {
  it('ends a line at LF, CR or CRLF, keeps empty lines, and has no line after a final break', () => {
    expect(readLines('a\rb\r\nc\nd')).toEqual(['a', 'b', 'c', 'd']);
    expect(readLines('a\r\r\nb\n\n')).toEqual(['a', '', 'b', '']);
    expect(readLines('a\n')).toEqual(['a']);
    expect(readLines('last without break')).toEqual(['last without break']);
  });

  it('a lone CR ends a line, so text after it can be a command of its own', () => {
    const [first, second] = readLines('progress 50%\r::error::after a carriage return');
    expect(parseCommand(first ?? '', registered)).toBeUndefined();
    expect(parseCommand(second ?? '', registered)).toMatchObject({ name: 'error' });
  });

  it('a CRLF split across two chunks is one break, not two', () => {
    const lines: string[] = [];
    const reader = new LineReader((line) => lines.push(line));
    for (const chunk of ['one\r', '\ntwo', '\r', '', '\n', 'thr', 'ee']) reader.push(chunk);
    reader.end();
    expect(lines).toEqual(['one', 'two', 'three']);
  });
});

describe('the V2 form (TryParseV2)', () => {
  it('is recognised only at the start of the line', () => {
    expect(parseV2('log: ::error::boom', registered)).toBeUndefined();
    expect(parseV2('::error boom', registered)).toBeUndefined();
  });

  it('accepts only registered names, in any case', () => {
    expect(parseV2('::frobnicate::x', registered)).toBeUndefined();
    expect(parseV2('::ERROR::x', registered)).toMatchObject({ name: 'ERROR', data: 'x' });
    expect(parseV2('::::x', () => true)).toBeUndefined();
  });

  it('unescapes data and properties exactly once (the runner L0 vectors)', () => {
    const once = parseV2('::do-something k1=;=%2C=%0D=%0A=]=%3A,::;-%0D-%0A-]-:-,', registered);
    expect(once).toMatchObject({ data: ';-\r-\n-]-:-,', properties: { k1: ';=,=\r=\n=]=:' } });
    const twice = parseV2('::do-something k1=;=%252C=%250D=%250A=]=%253A,::;-%250D-%250A-]-:-,', registered);
    expect(twice).toMatchObject({ data: ';-%0D-%0A-]-:-,', properties: { k1: ';=%2C=%0D=%0A=]=%3A' } });
  });

  it('leaves %3A and %2C in the data as written: only properties unescape them', () => {
    expect(parseV2('::error title=a%3Ab%2Cc::x%3Ay%2Cz', registered)).toMatchObject({
      data: 'x%3Ay%2Cz',
      properties: { title: 'a:b,c' },
    });
  });

  it('splits properties on `,` and each on its first `=` as .NET Split(count 2, RemoveEmptyEntries)', () => {
    const command = parseV2('::error  title==x=y ,,line=3,=5,file=,TITLE=again ::m', registered);
    expect(command?.properties).toEqual({ title: 'again', line: '3' });
    expect(command && property(command, 'Title')).toBe('again');
    expect(splitPair('a==b', '=')).toEqual(['a', 'b']);
    expect(splitPair('=a=b', '=')).toEqual(['a', 'b']);
    expect(splitPair('title=x=y', '=')).toEqual(['title', 'x=y']);
    expect(splitPair('a=', '=')).toEqual(['a']);
  });
});

describe('the legacy V1 form (TryParse)', () => {
  it('is found anywhere in the line, after any text', () => {
    expect(parseV1('provider said: ##[warning]boom', registered)).toMatchObject({
      name: 'warning',
      data: 'boom',
    });
    expect(parseCommand('  >>> ##[error file=a.ts;line=2]bad', registered)).toMatchObject({
      form: 'v1',
      properties: { file: 'a.ts', line: '2' },
      data: 'bad',
    });
  });

  it('needs a `]` after the `##[`, and a registered name', () => {
    expect(parseV1('##[error no bracket', registered)).toBeUndefined();
    expect(parseV1('##[group]title', registered)).toBeUndefined();
  });

  it('unescapes once with its own table (the runner L0 vectors)', () => {
    expect(parseV1('##[do-something k1=%3B=%0D=%0A=%5D;]%3B-%0D-%0A-%5D', registered)).toMatchObject({
      data: ';-\r-\n-]',
      properties: { k1: ';=\r=\n=]' },
    });
    expect(
      parseV1('##[do-something k1=%253B=%250D=%250A=%255D;]%253B-%250D-%250A-%255D', registered),
    ).toMatchObject({ data: '%3B-%0D-%0A-%5D', properties: { k1: '%3B=%0D=%0A=%5D' } });
  });

  it('is tried after V2 on the same line', () => {
    expect(parseCommand('::frobnicate::##[error]inside', registered)).toMatchObject({
      form: 'v1',
      data: 'inside',
    });
  });
});

describe('OrdinalIgnoreCase names', () => {
  it('folds ASCII case but maps no other letter to ASCII', () => {
    expect(sameIgnoreCase('ADD-MASK', 'add-mask')).toBe(true);
    expect(sameIgnoreCase('add-mas\u212a', 'add-mask')).toBe(false); // KELVIN SIGN, which lowercases to k
    expect(sameIgnoreCase('\u017fet-output', 'set-output')).toBe(false); // LONG S, which uppercases to S
  });
});

describe('near misses (culture-sensitive searches the stand-in does not model)', () => {
  it('reports an ignorable character inside the separator after a registered name', () => {
    expect(nearMiss('::error:\u200b:boom', registered)).toBe('error');
    expect(nearMiss('::warning title=x:\u0000:boom', registered)).toBe('warning');
  });

  it('does not report lines the runner cannot read as a command either', () => {
    expect(nearMiss('\u200b::error::boom', registered)).toBeUndefined();
    expect(nearMiss('::frobnicate:\u200b:boom', registered)).toBeUndefined();
    expect(nearMiss('::error::boom:\u200b:', registered)).toBeUndefined();
    // The plain separator comes first: the runner finds it too, and the stand-in already obeys the line.
    expect(nearMiss('::error title=a::b:\u200b:c', registered)).toBeUndefined();
  });
});

describe('masking (SecretMasker.MaskSecrets)', () => {
  it('replaces every occurrence, merging overlapping and touching ones into one ***', () => {
    expect(maskSecrets('abab and ab', ['ab'])).toBe('*** and ***');
    expect(maskSecrets('xaaay', ['aa'])).toBe('x***y');
    expect(maskSecrets('s3cret-value!', ['s3cret', 'value'])).toBe('***-***!');
    expect(maskSecrets('nothing', ['', 'zz'])).toBe('nothing');
  });
});
