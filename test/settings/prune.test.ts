// prune's inputs and keep_within: refused before the first request when they could be misread: an empty
// server_id is never every server, a window needs its unit, a prune needs a policy.
import { describe, expect, it } from 'vitest';
import { parse, refused } from './helpers.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('prune', () => {
  it('takes one server, several, or all, with keep, keep_within or both', () => {
    expect(parse({ operation: 'prune', server_id: '12345', keep: '3' }).settings).toMatchObject({
      operation: 'prune',
      servers: [12345],
      keep: 3,
      keepWithinMs: 0,
      prunePrefix: 'pre-deploy-',
      dryRun: false,
    });
    expect(
      parse({ operation: 'prune', server_id: '1, 2\n3', keep_within: '2w', prune_prefix: 'nightly-' })
        .settings,
    ).toMatchObject({ servers: [1, 2, 3], keep: 0, keepWithinMs: 14 * DAY, prunePrefix: 'nightly-' });
    expect(
      parse({ operation: 'prune', server_id: 'all', keep: '2', keep_within: '36h', dry_run: 'true' })
        .settings,
    ).toMatchObject({ servers: 'all', keep: 2, keepWithinMs: 36 * HOUR, dryRun: true });
  });

  it.each([
    [{ keep: '2' }, 'server_id is missing: prune needs one or more server IDs, or all'],
    [{ server_id: '   ', keep: '2' }, 'an empty server_id is never read as all'],
    [{ server_id: '12345' }, 'prune has no policy: set keep'],
    [{ server_id: 'all', keep: '0' }, 'prune has no policy'],
    [{ server_id: 'all, 12345', keep: '1' }, "server_id 'all, 12345' mixes all with server IDs"],
    [
      { server_id: 'every', keep: '1' },
      "server_id 'every' is not a number: give one or more numeric server IDs, or all",
    ],
    [{ server_id: '1', keep: '6' }, "keep 6 is above 5, the provider's limit"],
  ])('refuses %j', (inputs, expected) => {
    const found = refused({ operation: 'prune', ...inputs });
    expect(found).toEqual([expect.stringContaining(expected)]);
  });

  it('names a malformed keep or keep_within once, without also calling the policy empty', () => {
    expect(refused({ operation: 'prune', server_id: '1', keep: 'two' })).toEqual([
      "keep 'two' is not a whole number: give 0 to 5",
    ]);
    expect(refused({ operation: 'prune', server_id: '1', keep_within: '14' })).toHaveLength(1);
  });

  it.each(['create', 'restore', 'delete', 'list', 'wait'])("refuses server_id 'all' for %s", (operation) => {
    const found = refused({ operation, server_id: 'all', snapshot_id: '801' });
    expect(found).toContainEqual(expect.stringMatching(/^server_id 'all' is for operation prune only: /));
  });
});

describe('keep_within', () => {
  it.each([
    ['36h', 36 * HOUR],
    ['14d', 14 * DAY],
    ['2w', 14 * DAY],
    ['1w3d', 10 * DAY],
    ['1D12H', 36 * HOUR],
  ])('reads %s', (text, ms) => {
    expect(parse({ server_id: '1', keep_within: text }).settings).toMatchObject({ keepWithinMs: ms });
  });

  it.each([
    ['14', "keep_within '14' has no unit, and a bare number is never what a window means"],
    ['1.5', "keep_within '1.5' has no unit"],
    ['0', "keep_within '0' has no unit"],
    ['0d', "keep_within '0d' is zero, which keeps nothing"],
    ['0h0d', "keep_within '0h0d' is zero"],
    ['-3d', "keep_within '-3d' is not a window"],
    ['-3', "keep_within '-3' has no unit"],
    [
      '30m',
      "keep_within '30m' is not a window: give whole hours, days or weeks with their unit, like 36h, 14d or 2w",
    ],
    ['1.5d', "keep_within '1.5d' is not a window"],
    ['14 days', "keep_within '14 days' is not a window"],
  ])('refuses %j before the first request', (text, expected) => {
    for (const operation of ['create', 'prune']) {
      expect(refused({ operation, server_id: '1', keep: '1', keep_within: text })).toEqual([
        expect.stringContaining(expected),
      ]);
    }
  });

  it('is an input of create and prune only', () => {
    expect(parse({ operation: 'list', keep_within: '14d' }).warnings).toEqual([
      'keep_within does not apply to list: ignored',
    ]);
    expect(parse({ operation: 'prune', server_id: '1', keep: '1', keep_within: '1d' }).warnings).toEqual([]);
    expect(parse({ operation: 'prune', server_id: '1', keep: '1', timeout: '5m' }).warnings).toEqual([
      'timeout does not apply to prune: ignored',
    ]);
  });
});
