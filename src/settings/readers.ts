// Readers for name and the inputs of create and prune: description, restore_on_failure, keep, keep_within,
// prune_prefix.
import { readBoolean } from './common.ts';
import { DEFAULT_PRUNE_PREFIX, MAX_KEEP, MAX_PREFIX_LENGTH, NAME_PATTERN } from './constants.ts';
import { type ReaderContext, shown } from './context.ts';

/** `name`: undefined when not given. */
export function readName(ctx: ReaderContext): string | undefined {
  const name = ctx.read('name');
  if (!name) return undefined;
  if (!NAME_PATTERN.test(name)) {
    ctx.problem(`name '${shown(name)}' may contain only letters, digits, '-' and '_'`);
  }
  return name;
}

export interface CreateOptions {
  description?: string;
  restoreOnFailure: boolean;
  keep: number;
  keepWithinMs: number;
  prunePrefix: string;
}

function readKeep(ctx: ReaderContext): number {
  const text = ctx.read('keep') || '0';
  if (!/^\d+$/.test(text)) {
    ctx.problem(`keep '${shown(text)}' is not a whole number: give 0 (no rotation) to ${MAX_KEEP}`);
    return 0;
  }
  if (Number(text) > MAX_KEEP) {
    ctx.problem(
      `keep ${shown(text)} is above ${MAX_KEEP}, the provider's limit of snapshots per server: give 0 to ${MAX_KEEP}`,
    );
    return 0;
  }
  return Number(text);
}

const WINDOW_UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const WINDOW_HINT = 'give whole hours, days or weeks with their unit, like 36h, 14d or 2w';

/** `keep_within`: a window with its unit (`36h`, `14d`, `2w`, `1w3d`); 0 when not given. */
function readKeepWithin(ctx: ReaderContext): number {
  const text = ctx.read('keep_within');
  if (!text) return 0;
  const value = text.toLowerCase();
  let problem: string | undefined;
  if (/^[+-]?\d+(\.\d+)?$/.test(value))
    problem = `has no unit, and a bare number is never what a window means: ${WINDOW_HINT}`;
  else if (value.startsWith('-')) problem = `is negative: ${WINDOW_HINT}`;
  else if (!/^(\d{1,6}[hdw])+$/.test(value)) problem = `is not a window: ${WINDOW_HINT}`;
  let ms = 0;
  for (const [, amount, unit] of problem ? [] : value.matchAll(/(\d+)([hdw])/g))
    ms += Number(amount) * (WINDOW_UNITS[unit as string] ?? 0);
  if (!problem && ms === 0)
    problem = `is zero, which keeps nothing: ${WINDOW_HINT}, or leave keep_within empty for no window`;
  if (problem) ctx.problem(`keep_within '${shown(text)}' ${problem}`);
  return problem ? 0 : ms;
}

function readPrunePrefix(ctx: ReaderContext): string {
  const prefix = ctx.read('prune_prefix') || DEFAULT_PRUNE_PREFIX;
  if (!NAME_PATTERN.test(prefix)) {
    ctx.problem(`prune_prefix '${shown(prefix)}' may contain only letters, digits, '-' and '_'`);
  } else if (prefix.length > MAX_PREFIX_LENGTH) {
    ctx.problem(
      `prune_prefix '${shown(prefix)}' is ${prefix.length} characters: at most ${MAX_PREFIX_LENGTH}, so that default names stay within the provider's 100`,
    );
  }
  return prefix;
}

/** create's (and prune's) options; read (and so checked) whatever the operation, like every input. */
export function readCreateOptions(ctx: ReaderContext): CreateOptions {
  const restoreOnFailure = readBoolean(ctx, 'restore_on_failure', false);
  const keep = readKeep(ctx);
  const keepWithinMs = readKeepWithin(ctx);
  const prunePrefix = readPrunePrefix(ctx);
  const description = ctx.read('description');
  return { ...(description ? { description } : {}), restoreOnFailure, keep, keepWithinMs, prunePrefix };
}
