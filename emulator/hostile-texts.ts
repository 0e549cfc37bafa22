// The hostile-text mode's catalogue: text a third party could put in any free-text field, written to
// steer a runner that prints it (workflow commands), break a summary that shows it (markdown, HTML),
// or upset whatever measures or escapes it (percent escapes, length, non-ASCII). Picked per field and ID.

/** Stands for the ID of the server the text is about (an `::add-mask::` of it hides that ID in logs). */
export const SERVER_ID_PLACEHOLDER = '{server_id}';

const STATUS = '::set-output name=status::completed';
const STATE = '::save-state name=restore_on_failure::true';
const OUTPUT_ID = '::set-output name=snapshot_id::999';
const MASK = `::add-mask::${SERVER_ID_PLACEHOLDER}`;
const LONG_HEAD = 'A long description. ';

/** Exactly 5,000 characters, ending on a command line of its own. */
const LONG = `${LONG_HEAD.repeat(250).slice(0, 5_000 - STATUS.length - 1)}\n${STATUS}`;

/** Every piece, by kind; `{server_id}` is filled in where a piece is placed (see `hostileText`). */
export const HOSTILE_TEXTS = {
  'save-state': STATE,
  'set-output-id': OUTPUT_ID,
  'set-output-status': STATUS,
  'add-mask': MASK,
  'stop-commands': '::stop-commands::pwned',
  error: '::error title=x::owned',
  warning: '::warning::owned',
  notice: '::notice::owned',
  group: '::group::owned',
  'legacy-set-output': 'done ##[set-output name=status;]completed',
  'legacy-error': 'all fine ##[error]x',
  lf: `line one\n${STATUS}`,
  cr: `line one\r${STATE}`,
  crlf: `line one\r\n${OUTPUT_ID}`,
  nel: `line one\u0085${STATUS}`,
  'line-separator': `line one\u2028::error title=x::owned`,
  'paragraph-separator': `line one\u2029${MASK}`,
  'leading-spaces': `line one\n   ${STATUS}`,
  'leading-tab': `line one\n\t${STATE}`,
  'leading-nbsp': `line one\n\u00a0${OUTPUT_ID}`,
  markdown: '| injected | cell | `code` ``` **bold** [link](javascript:alert(1))',
  html: '<img src=x onerror=alert(1)></table><!-- hidden &amp; <script>alert(1)</script>',
  percent: `ok%0A${STATUS}%0D%25 100%`,
  long: LONG,
  emoji: '💥🔥 snapshot 🚀👩‍💻',
  rtl: 'backup \u202Etxt.exe\u202C \u200Fשלום\u200F',
  combining: 'Z\u0335\u0321a\u0337l\u0338g\u0336o\u0334 e\u0301',
  cjk: '快照 スナップショット 스냅샷',
} as const;

export type HostileKind = keyof typeof HOSTILE_TEXTS;

/** The kinds in the catalogue's order: the order `hostileKindFor` cycles through. */
export const HOSTILE_KINDS = Object.keys(HOSTILE_TEXTS) as HostileKind[];

/** The free-text fields hostile mode fills, each at its own place in the cycle. */
export type HostileField = 'description' | 'server.name' | 'snapshot.name' | 'message' | 'error';

const FIELD_OFFSET: Record<HostileField, number> = {
  description: 0,
  'server.name': 5,
  'snapshot.name': 11,
  message: 17,
  error: 23,
};

/** The piece of `kind` as placed in an answer about server `serverId`. */
export function hostileText(kind: HostileKind, serverId: number): string {
  return HOSTILE_TEXTS[kind].replaceAll(SERVER_ID_PLACEHOLDER, String(serverId));
}

/**
 * Which kind goes in `field` of the object with `id` (a snapshot's, a server's, or for error texts the
 * request's number): consecutive IDs take consecutive kinds, so every field sees them all over a run.
 */
export function hostileKindFor(field: HostileField, id: number): HostileKind {
  const count = HOSTILE_KINDS.length;
  return HOSTILE_KINDS[(((FIELD_OFFSET[field] + id) % count) + count) % count] as HostileKind;
}

/** The text hostile mode puts in `field` of the object with `id`, about server `serverId`. */
export function hostileFor(field: HostileField, id: number, serverId: number): string {
  return hostileText(hostileKindFor(field, id), serverId);
}
