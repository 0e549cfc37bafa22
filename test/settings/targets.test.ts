// restore, delete and wait: what they act on, from server_id, name, snapshot_id and snapshot_ids.
import { describe, expect, it } from 'vitest';
import { type Inputs, parse, refused } from './helpers.ts';

const targetsOf = (inputs: Inputs) => {
  const { settings } = parse(inputs);
  if (!('targets' in settings)) throw new Error(`${settings.operation} has no targets`);
  return settings.targets;
};

describe('restore', () => {
  it.each([
    [{ snapshot_id: '801' }, [{ by: 'id', snapshotId: 801 }]],
    [{ snapshot_id: '801', server_id: '12345' }, [{ by: 'id', snapshotId: 801, serverId: 12345 }]],
    [{ snapshot_id: 'latest', server_id: '12345' }, [{ by: 'latest', serverId: 12345 }]],
    [{ name: 'weekly', server_id: '12345' }, [{ by: 'name', name: 'weekly', serverId: 12345 }]],
    [
      { snapshot_ids: '{"12345": 802, "12346": 803}' },
      [
        { by: 'id', snapshotId: 802, serverId: 12345 },
        { by: 'id', snapshotId: 803, serverId: 12346 },
      ],
    ],
    [{ snapshot_ids: '{"12345":802}' }, [{ by: 'id', snapshotId: 802, serverId: 12345 }]],
  ])('resolves the targets of %j', (inputs, targets) => {
    expect(targetsOf({ operation: 'restore', ...inputs })).toEqual(targets);
  });

  it.each([
    [{ snapshot_id: '801, 802' }, "snapshot_id '801, 802' names 2 snapshots: restore takes one snapshot ID"],
    [{ snapshot_id: '80x' }, "snapshot_id '80x' is not a number: give a numeric snapshot ID or 'latest'"],
    [
      { snapshot_id: 'Latest', server_id: '1' },
      "snapshot_id 'Latest' is not a number: give a numeric snapshot ID or 'latest'",
    ],
    [
      {},
      "restore needs snapshot_id (one ID, or 'latest' with server_id), name with server_id, or snapshot_ids alone (the create step's output)",
    ],
    [
      { snapshot_id: '801', name: 'x' },
      "snapshot_id and name are given together: restore takes snapshot_id (one ID, or 'latest' with server_id), name with server_id, or snapshot_ids alone (the create step's output)",
    ],
  ])('refuses %j', (inputs, line) => {
    expect(refused({ operation: 'restore', ...inputs })).toContain(line);
  });
});

describe('delete', () => {
  it.each([
    [{ snapshot_id: '801' }, [{ by: 'id', snapshotId: 801 }]],
    [
      { snapshot_id: '801, 802\n803' },
      [
        { by: 'id', snapshotId: 801 },
        { by: 'id', snapshotId: 802 },
        { by: 'id', snapshotId: 803 },
      ],
    ],
    [
      { snapshot_id: '801 802', server_id: '7' },
      [
        { by: 'id', snapshotId: 801, serverId: 7 },
        { by: 'id', snapshotId: 802, serverId: 7 },
      ],
    ],
    [{ name: 'weekly', server_id: '12345' }, [{ by: 'name', name: 'weekly', serverId: 12345 }]],
    [
      { snapshot_ids: '{"1": 11, "2": 22}' },
      [
        { by: 'id', snapshotId: 11, serverId: 1 },
        { by: 'id', snapshotId: 22, serverId: 2 },
      ],
    ],
  ])('resolves the targets of %j', (inputs, targets) => {
    expect(targetsOf({ operation: 'delete', ...inputs })).toEqual(targets);
  });

  it.each([
    [
      { snapshot_id: 'latest', server_id: '1' },
      "snapshot_id 'latest' is for restore only: give one or more numeric snapshot IDs",
    ],
    [{ snapshot_id: '801,801' }, 'snapshot_id 801 is given twice: name each snapshot once'],
    [{ snapshot_id: '801 x' }, "snapshot_id 'x' is not a number: give one or more numeric snapshot IDs"],
    [
      {},
      "delete needs snapshot_id (one or more IDs), name with server_id, or snapshot_ids alone (the create step's output)",
    ],
    [
      { snapshot_id: '801', name: 'x', server_id: '1' },
      "snapshot_id and name are given together: delete takes snapshot_id (one or more IDs), name with server_id, or snapshot_ids alone (the create step's output)",
    ],
  ])('refuses %j', (inputs, line) => {
    expect(refused({ operation: 'delete', ...inputs })).toContain(line);
  });
});

describe('wait', () => {
  it.each([
    [{ snapshot_id: '801' }, [{ snapshotId: 801 }]],
    [{ snapshot_id: '801,802' }, [{ snapshotId: 801 }, { snapshotId: 802 }]],
    [
      { snapshot_id: '801\n802', server_id: '12345' },
      [
        { snapshotId: 801, serverId: 12345 },
        { snapshotId: 802, serverId: 12345 },
      ],
    ],
    [
      { snapshot_ids: '{"12345": 802, "12346": 803}' },
      [
        { snapshotId: 802, serverId: 12345 },
        { snapshotId: 803, serverId: 12346 },
      ],
    ],
  ])('waits for %j', (inputs, targets) => {
    expect(targetsOf({ operation: 'wait', ...inputs })).toEqual(targets);
  });

  it('keeps timeout and wait: true', () => {
    expect(
      parse({ operation: 'wait', snapshot_id: '1', timeout: '5m', wait: 'True' }).settings,
    ).toMatchObject({
      operation: 'wait',
      wait: true,
      timeoutMs: 300_000,
    });
  });

  it.each([
    [
      { snapshot_id: '1', wait: 'false' },
      "wait 'false' with operation wait would wait for nothing: leave wait at true (its default), or drop the step",
    ],
    [
      { snapshot_id: '1', wait: 'FALSE' },
      "wait 'FALSE' with operation wait would wait for nothing: leave wait at true (its default), or drop the step",
    ],
    [
      { snapshot_id: 'latest' },
      "snapshot_id 'latest' is for restore only: give one or more numeric snapshot IDs",
    ],
    [{}, "wait needs snapshot_id (one or more IDs) or snapshot_ids alone (the create step's output)"],
    [
      { server_id: '1' },
      "wait needs snapshot_id (one or more IDs) or snapshot_ids alone (the create step's output)",
    ],
    [{ snapshot_id: '5 5' }, 'snapshot_id 5 is given twice: name each snapshot once'],
    [{ snapshot_id: 'abc' }, "snapshot_id 'abc' is not a number: give one or more numeric snapshot IDs"],
  ])('refuses %j', (inputs, line) => {
    expect(refused({ operation: 'wait', ...inputs })).toEqual([line]);
  });

  it('refuses more than MAX_FLEET snapshot IDs', () => {
    const ids = Array.from({ length: 101 }, (_, i) => i + 1).join(' ');
    expect(refused({ operation: 'wait', snapshot_id: ids })).toEqual([
      'snapshot_id names 101 snapshots: at most 100 in one step',
    ]);
  });
});

describe('inputs that cannot go together', () => {
  const WAYS = {
    restore:
      "snapshot_id (one ID, or 'latest' with server_id), name with server_id, or snapshot_ids alone (the create step's output)",
    delete:
      "snapshot_id (one or more IDs), name with server_id, or snapshot_ids alone (the create step's output)",
    wait: "snapshot_id (one or more IDs) or snapshot_ids alone (the create step's output)",
  };
  const together = (inputs: string, operation: keyof typeof WAYS) =>
    `${inputs} are given together: ${operation} takes ${WAYS[operation]}`;
  const fleet = '{"1": 11}';

  it.each([
    [{ operation: 'restore', snapshot_id: '11', snapshot_ids: fleet }, 'snapshot_id and snapshot_ids'],
    [{ operation: 'delete', snapshot_id: '11', snapshot_ids: fleet }, 'snapshot_id and snapshot_ids'],
    [{ operation: 'wait', snapshot_id: '11', snapshot_ids: fleet }, 'snapshot_id and snapshot_ids'],
    [{ operation: 'restore', server_id: '1', snapshot_ids: fleet }, 'snapshot_ids and server_id'],
    [{ operation: 'delete', server_id: '1', snapshot_ids: fleet }, 'snapshot_ids and server_id'],
    [{ operation: 'wait', server_id: '1', snapshot_ids: fleet }, 'snapshot_ids and server_id'],
    [{ operation: 'restore', name: 'x', snapshot_ids: fleet }, 'name and snapshot_ids'],
    [{ operation: 'delete', name: 'x', snapshot_ids: fleet }, 'name and snapshot_ids'],
    [
      { operation: 'restore', name: 'x', server_id: '1', snapshot_id: '11', snapshot_ids: fleet },
      'snapshot_id, name, snapshot_ids and server_id',
    ],
  ] as const)('refuses %j', (inputs, names) => {
    expect(refused(inputs)).toEqual([together(names, inputs.operation)]);
  });

  it('takes name with snapshot_ids for wait, which ignores name', () => {
    expect(parse({ operation: 'wait', name: 'x', snapshot_ids: fleet }).warnings).toEqual([
      'name does not apply to wait: ignored',
    ]);
  });

  it('reports a clash together with the problems of each input', () => {
    expect(
      refused({
        operation: 'delete',
        snapshot_id: 'latest',
        snapshot_ids: '[1]',
        server_id: 'x',
        timeout: 'later',
      }),
    ).toEqual([
      "timeout 'later' is not a duration: give seconds (900) or a number with a unit (90s, 15m, 1h)",
      "server_id 'x' is not a number: give one or more numeric server IDs",
      "snapshot_id 'latest' is for restore only: give one or more numeric snapshot IDs",
      `snapshot_ids '[1]' is not a JSON object of server IDs to snapshot IDs; give the create step's snapshot_ids output, server ID to snapshot ID, like {"12345": 802, "12346": 803}`,
      together('snapshot_id, snapshot_ids and server_id', 'delete'),
    ]);
  });
});
