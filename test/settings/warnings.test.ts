// Inputs given with a value of their own that the operation ignores: named in one warning, not refused.
import { describe, expect, it } from 'vitest';
import { type Inputs, parse } from './helpers.ts';

describe('warnings about inputs that do not apply', () => {
  it('warns about inputs that do not apply, without failing', () => {
    expect(parse({ operation: 'list', keep: '3', name: 'x' }).warnings).toEqual([
      'name, keep do not apply to list: ignored',
    ]);
  });

  it.each([
    [{ operation: 'wait', snapshot_id: '1', keep: '2' }, 'keep does not apply to wait: ignored'],
    [
      { operation: 'wait', snapshot_id: '1', name: 'n', description: 'd', restore_on_failure: 'true' },
      'name, description, restore_on_failure do not apply to wait: ignored',
    ],
    [
      { operation: 'wait', snapshot_id: '1', prune_prefix: 'x-' },
      'prune_prefix does not apply to wait: ignored',
    ],
    [{ operation: 'list', snapshot_ids: '{"1": 2}' }, 'snapshot_ids does not apply to list: ignored'],
    [
      { operation: 'list', snapshot_id: 'latest', wait: 'false', timeout: '1m' },
      'snapshot_id, wait, timeout do not apply to list: ignored',
    ],
    [
      { server_id: '1', snapshot_id: '5', snapshot_ids: '{"1": 2}' },
      'snapshot_id, snapshot_ids do not apply to create: ignored',
    ],
    [{ operation: 'restore', snapshot_id: '5', keep: '1' }, 'keep does not apply to restore: ignored'],
    [
      { operation: 'delete', snapshot_id: '5', description: 'x' },
      'description does not apply to delete: ignored',
    ],
    [{ operation: 'delete', snapshot_id: '5', wait: 'false' }, 'wait does not apply to delete: ignored'],
  ])('%j', (inputs, warning) => {
    expect(parse(inputs).warnings).toEqual([warning]);
  });

  it.each<Inputs>([
    { operation: 'wait', snapshot_id: '1', server_id: '2', timeout: '5m', wait: 'true' },
    { operation: 'wait', snapshot_ids: '{"1": 2}' },
    { operation: 'restore', snapshot_ids: '{"1": 2}', wait: 'false', timeout: '1h' },
    { operation: 'delete', snapshot_ids: '{"1": 2}' },
    { operation: 'delete', name: 'n', server_id: '1' },
    // action.yml's defaults, which the runner passes for every step
    {
      operation: 'list',
      wait: 'true',
      timeout: '30m',
      restore_on_failure: 'false',
      keep: '0',
      prune_prefix: 'pre-deploy-',
    },
    {
      server_id: '1',
      name: 'n',
      description: 'd',
      keep: '2',
      prune_prefix: 'p-',
      restore_on_failure: 'true',
    },
  ])('no warning for %j', (inputs) => {
    expect(parse(inputs).warnings).toEqual([]);
  });
});
