// snapshot_ids: the JSON object create writes (server ID to snapshot ID), read strictly.
import { describe, expect, it } from 'vitest';
import { parse, refused } from './helpers.ts';

const LIKE =
  'give the create step\'s snapshot_ids output, server ID to snapshot ID, like {"12345": 802, "12346": 803}';

describe('snapshot_ids', () => {
  it.each([
    ['{"12345": 802}', [{ snapshotId: 802, serverId: 12345 }]],
    [
      ' {\n  "1": 10,\n  "2": 20\n} ',
      [
        { snapshotId: 10, serverId: 1 },
        { snapshotId: 20, serverId: 2 },
      ],
    ],
    ['{"999999999999999": 9007199254740991}', [{ snapshotId: 9007199254740991, serverId: 999999999999999 }]],
  ])('accepts %s', (snapshotIds, targets) => {
    const { settings } = parse({ operation: 'wait', snapshot_ids: snapshotIds });
    expect(settings.operation === 'wait' && settings.targets).toEqual(targets);
  });

  it.each([
    ['{12345: 802}', `snapshot_ids '{12345: 802}' is not JSON: ${LIKE}`],
    ['12345=802', `snapshot_ids '12345=802' is not JSON: ${LIKE}`],
    ['[802, 803]', `snapshot_ids '[802, 803]' is a JSON array, not a JSON object: ${LIKE}`],
    [
      '802',
      `snapshot_ids '802' is a number, not a JSON object: ${LIKE}; one snapshot ID alone goes in snapshot_id`,
    ],
    ['null', `snapshot_ids 'null' is null, not a JSON object: ${LIKE}`],
    ['"x"', `snapshot_ids '"x"' is a string, not a JSON object: ${LIKE}`],
    ['true', `snapshot_ids 'true' is a boolean, not a JSON object: ${LIKE}`],
    ['{"web-1": 802}', `snapshot_ids key 'web-1' is not a server ID: keys are numeric server IDs; ${LIKE}`],
    ['{"0": 802}', `snapshot_ids key '0' is not a server ID: keys are numeric server IDs; ${LIKE}`],
    [
      '{"1234567890123456": 802}',
      `snapshot_ids key '1234567890123456' is not a server ID: keys are numeric server IDs; ${LIKE}`,
    ],
    [
      '{"1": "802"}',
      `snapshot_ids value "802" for '1' is not a snapshot ID: values are positive whole numbers; ${LIKE}`,
    ],
    [
      '{"1": 0}',
      `snapshot_ids value 0 for '1' is not a snapshot ID: values are positive whole numbers; ${LIKE}`,
    ],
    [
      '{"1": -3}',
      `snapshot_ids value -3 for '1' is not a snapshot ID: values are positive whole numbers; ${LIKE}`,
    ],
    [
      '{"1": 1.5}',
      `snapshot_ids value 1.5 for '1' is not a snapshot ID: values are positive whole numbers; ${LIKE}`,
    ],
    [
      '{"1": 9007199254740993}',
      `snapshot_ids value 9007199254740992 for '1' is not a snapshot ID: values are positive whole numbers; ${LIKE}`,
    ],
    [
      '{"1": null}',
      `snapshot_ids value null for '1' is not a snapshot ID: values are positive whole numbers; ${LIKE}`,
    ],
    [
      '{"1": {"id": 5}}',
      `snapshot_ids value {"id":5} for '1' is not a snapshot ID: values are positive whole numbers; ${LIKE}`,
    ],
    ['{"1": 5, "1": 6}', `snapshot_ids names server 1 twice: name each server once; ${LIKE}`],
    ['{"012": 5, "12": 6}', `snapshot_ids names server 12 twice: name each server once; ${LIKE}`],
    [
      '{"1": 5, "2": 5}',
      `snapshot_ids gives snapshot 5 to both server 1 and server 2: a snapshot belongs to one server; ${LIKE}`,
    ],
  ])('refuses %s', (snapshotIds, line) => {
    for (const operation of ['restore', 'delete', 'wait']) {
      expect(refused({ operation, snapshot_ids: snapshotIds })).toEqual([line]);
    }
  });

  it.each([
    ['restore', 'restore'],
    ['delete', 'delete'],
    ['wait', 'wait for'],
  ])('refuses an empty object for %s', (operation, verb) => {
    expect(refused({ operation, snapshot_ids: '{}' })).toEqual([
      `snapshot_ids '{}' names no snapshot, so there is nothing to ${verb}: the create step made none (a dry run writes {}); give the snapshot_ids output of a create step that made snapshots`,
    ]);
  });

  it('names every broken entry, one line each (numeric keys first, as JavaScript orders them)', () => {
    expect(refused({ operation: 'restore', snapshot_ids: '{"a": 1, "2": "x", "3": 3}' })).toEqual([
      `snapshot_ids value "x" for '2' is not a snapshot ID: values are positive whole numbers; ${LIKE}`,
      `snapshot_ids key 'a' is not a server ID: keys are numeric server IDs; ${LIKE}`,
    ]);
  });

  it('refuses more than MAX_FLEET servers', () => {
    const object = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [String(i + 1), 1000 + i]));
    expect(refused({ operation: 'restore', snapshot_ids: JSON.stringify(object) })).toEqual([
      'snapshot_ids names 101 servers: at most 100 in one step',
    ]);
  });

  it('quotes a long value cut short, on one line', () => {
    const [line] = refused({ operation: 'wait', snapshot_ids: `{"1": 2,\n${' '.repeat(200)}x` });
    expect(line).toMatch(/^snapshot_ids '\{"1": 2, x' is not JSON/);
    const [long] = refused({ operation: 'wait', snapshot_ids: `[${'1,'.repeat(100)}1]` });
    expect(long).toContain("...' is a JSON array");
    expect(long?.length).toBeLessThan(300);
  });

  it('is still checked when the operation ignores it', () => {
    expect(refused({ operation: 'list', snapshot_ids: 'x' })).toEqual([
      `snapshot_ids 'x' is not JSON: ${LIKE}`,
    ]);
  });
});
