import { describe, expect, it } from 'vitest';
import {
  HOSTILE_KINDS,
  HOSTILE_TEXTS,
  type HostileField,
  hostileFor,
  hostileKindFor,
  hostileText,
} from '../../emulator/index.ts';

const texts = Object.values(HOSTILE_TEXTS);
const some = (test: (text: string) => boolean) => texts.some(test);
const FIELDS: HostileField[] = ['description', 'server.name', 'snapshot.name', 'message', 'error'];

describe('the hostile catalogue', () => {
  it.each([
    '::save-state name=restore_on_failure::true',
    '::set-output name=snapshot_id::999',
    '::set-output name=status::completed',
    '::add-mask::{server_id}',
    '::stop-commands::pwned',
    '::error title=x::owned',
    '::warning::',
    '::notice::',
    '::group::',
  ])('starts a text with the workflow command %j', (command) => {
    expect(some((t) => t.startsWith(command))).toBe(true);
  });

  it.each([
    ['LF', /(?<!\r)\n::/],
    ['CR', /\r::/],
    ['CRLF', /\r\n::/],
    ['NEL', /\u0085::/],
    ['LINE SEPARATOR', /\u2028::/],
    ['PARAGRAPH SEPARATOR', /\u2029::/],
  ])('follows a %s with a command line', (_, pattern) => {
    expect(some((t) => pattern.test(t))).toBe(true);
  });

  it.each([
    ['spaces', / {2,}::/],
    ['a tab', /\t::/],
    ['a no-break space', /\u00a0::/],
  ])('indents a command line with %s', (_, pattern) => {
    expect(some((t) => t.split(/\r\n|[\n\r\u0085\u2028\u2029]/).some((line) => pattern.test(line)))).toBe(
      true,
    );
  });

  it.each([['##[set-output name=status;]completed'], ['##[error]x']])(
    'carries the legacy command %j in the middle of a line',
    (command) => {
      expect(some((t) => t.indexOf(command) > 0)).toBe(true);
    },
  );

  it.each(['|', '`', '<img src=x onerror=alert(1)>', '</table>', '<!--', '&amp;', '%0A', '%25'])(
    'breaks tables, HTML or escapes with %j',
    (piece) => {
      expect(some((t) => t.includes(piece))).toBe(true);
    },
  );

  it.each([
    ['emoji', /\p{Extended_Pictographic}/u],
    ['right-to-left marks', /[\u200f\u202e]/],
    ['combining characters', /\p{M}/u],
    ['CJK', /\p{Script=Han}/u],
  ])('has non-ASCII text: %s', (_, pattern) => {
    expect(some((t) => pattern.test(t))).toBe(true);
  });

  it('has a text of 5,000 characters', () => {
    expect(Math.max(...texts.map((t) => t.length))).toBe(5_000);
  });

  it("fills in the server's ID", () => {
    expect(hostileText('add-mask', 12345)).toBe('::add-mask::12345');
    expect(hostileText('paragraph-separator', 7)).toBe('line one\u2029::add-mask::7');
    expect(hostileText('lf', 7)).toBe(HOSTILE_TEXTS.lf);
  });
});

describe('picking a piece', () => {
  it.each(FIELDS)('gives %s every kind over as many consecutive IDs as there are kinds', (field) => {
    const kinds = new Set(HOSTILE_KINDS.map((_, i) => hostileKindFor(field, 801 + i)));
    expect(kinds.size).toBe(HOSTILE_KINDS.length);
  });

  it('is the same for the same field and ID, and differs between fields of one object', () => {
    expect(hostileFor('description', 802, 12345)).toBe(hostileFor('description', 802, 12345));
    const kinds = FIELDS.map((field) => hostileKindFor(field, 802));
    expect(new Set(kinds).size).toBe(FIELDS.length);
  });
});
