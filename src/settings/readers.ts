// Readers for name and create's own inputs: description, restore_on_failure, keep, prune_prefix.
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

/** create's options; read (and so checked) whatever the operation, like every input. */
export function readCreateOptions(ctx: ReaderContext): CreateOptions {
  const restoreOnFailure = readBoolean(ctx, 'restore_on_failure', false);
  const keep = readKeep(ctx);
  const prunePrefix = readPrunePrefix(ctx);
  const description = ctx.read('description');
  return { ...(description ? { description } : {}), restoreOnFailure, keep, keepWithinMs: 0, prunePrefix };
}
