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

  it.each(['{12345: 802}', '12345=802'])('refuses %s, which is not JSON', (snapshotIds) => {
    for (const operation of ['restore', 'delete', 'wait']) {
      expect(refused({ operation, snapshot_ids: snapshotIds })).toEqual([
        `snapshot_ids '${snapshotIds}' is not JSON: ${LIKE}`,
      ]);
    }
  });

  // One line quoting the value: create writes it, so a broken one was written by hand.
  it.each([
    '[802, 803]',
    '802',
    'null',
    '"x"',
    'true',
    '{"web-1": 802}',
    '{"0": 802}',
    '{"1234567890123456": 802}',
    '{"1": "802"}',
    '{"1": 0}',
    '{"1": -3}',
    '{"1": 1.5}',
    '{"1": 9007199254740993}',
    '{"1": null}',
    '{"1": {"id": 5}}',
    '{"a": 1, "2": "x", "3": 3}',
  ])('refuses %s, which is not server IDs to snapshot IDs', (snapshotIds) => {
    for (const operation of ['restore', 'delete', 'wait']) {
      expect(refused({ operation, snapshot_ids: snapshotIds })).toEqual([
        `snapshot_ids '${snapshotIds}' is not a JSON object of server IDs to snapshot IDs; ${LIKE}`,
      ]);
    }
  });

  it('refuses two keys for one server', () => {
    expect(refused({ operation: 'restore', snapshot_ids: '{"012": 5, "12": 6}' })).toEqual([
      `snapshot_ids '{"012": 5, "12": 6}' names a server twice; ${LIKE}`,
    ]);
  });

  it.each(['restore', 'delete', 'wait'])('refuses an empty object for %s', (operation) => {
    expect(refused({ operation, snapshot_ids: '{}' })).toEqual([
      "snapshot_ids '{}' names no snapshot (its create step made none, or was a dry run): give those of a create step that made some",
    ]);
  });

  it('refuses more than MAX_FLEET servers', () => {
    const object = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [String(i + 1), 1000 + i]));
    const [line] = refused({ operation: 'restore', snapshot_ids: JSON.stringify(object) });
    expect(line).toMatch(
      /^snapshot_ids '\{"1":1000,.*\.\.\.' names 101 servers: at most 100 in one step; give/,
    );
  });

  it('quotes a long value cut short, on one line', () => {
    const [line] = refused({ operation: 'wait', snapshot_ids: `{"1": 2,\n${' '.repeat(200)}x` });
    expect(line).toMatch(/^snapshot_ids '\{"1": 2, x' is not JSON/);
    const [long] = refused({ operation: 'wait', snapshot_ids: `[${'1,'.repeat(100)}1]` });
    expect(long).toContain("...' is not a JSON object");
    expect(long?.length).toBeLessThan(300);
  });

  it('is still checked when the operation ignores it', () => {
    expect(refused({ operation: 'list', snapshot_ids: 'x' })).toEqual([
      `snapshot_ids 'x' is not JSON: ${LIKE}`,
    ]);
  });
});
