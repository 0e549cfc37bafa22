import type { Operation } from './types.ts';

export const OPERATIONS = [
  'create',
  'restore',
  'delete',
  'list',
  'wait',
  'prune',
] as const satisfies readonly Operation[];
export const MAX_KEEP = 5;
export const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
export const DEFAULT_TIMEOUT = '30m';
export const DEFAULT_PRUNE_PREFIX = 'pre-deploy-';
/** Most servers (or snapshots) one step acts on at once. */
export const MAX_FLEET = 100;

// Every Operation is in OPERATIONS (the satisfies above checks the other way): a compile error when they drift.
export const everyOperationListed: Operation extends (typeof OPERATIONS)[number] ? true : never = true;
/** Longest prune_prefix: a default name adds at most 50 characters and must stay within the provider's 100. */
export const MAX_PREFIX_LENGTH = 40;
