// Inputs given with a value of their own that the operation does not use: named in one warning.
import { DEFAULT_PRUNE_PREFIX, DEFAULT_TIMEOUT } from './constants.ts';
import type { InputReader, Operation } from './types.ts';

/** The inputs that make sense for each operation; others given are named in a warning. */
export const INPUTS_FOR: Record<Operation, readonly string[]> = {
  create: [
    'server_id',
    'name',
    'description',
    'wait',
    'timeout',
    'restore_on_failure',
    'keep',
    'keep_within',
    'prune_prefix',
  ],
  restore: ['server_id', 'name', 'snapshot_id', 'snapshot_ids', 'wait', 'timeout'],
  delete: ['server_id', 'name', 'snapshot_id', 'snapshot_ids'],
  list: ['server_id'],
  wait: ['server_id', 'snapshot_id', 'snapshot_ids', 'wait', 'timeout'],
  prune: ['server_id', 'keep', 'keep_within', 'prune_prefix'],
};

/** action.yml's defaults: the runner passes them for every step, so only other values were chosen. */
const DEFAULTS: Record<string, string> = {
  wait: 'true',
  timeout: DEFAULT_TIMEOUT,
  restore_on_failure: 'false',
  keep: '0',
  prune_prefix: DEFAULT_PRUNE_PREFIX,
};

/** The inputs that some operations ignore, in the order a warning names them. */
const OPTIONAL = [
  'server_id',
  'name',
  'description',
  'snapshot_id',
  'snapshot_ids',
  'keep_within',
  ...Object.keys(DEFAULTS),
];

/** At most one warning: the inputs given (not left at their default) that the operation ignores. */
export function ignoredInputs(read: InputReader, operation: Operation): string[] {
  const given = OPTIONAL.filter(
    (input) =>
      read(input) !== '' && read(input) !== DEFAULTS[input] && !INPUTS_FOR[operation].includes(input),
  );
  if (given.length === 0) return [];
  return [`${given.join(', ')} ${given.length > 1 ? 'do' : 'does'} not apply to ${operation}: ignored`];
}
