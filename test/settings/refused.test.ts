import { describe, expect, it } from 'vitest';
import { parseSettings, readRequestTimeout, SettingsError } from '../../src/settings/index.ts';
import { refused } from './helpers.ts';

describe('refused before the first request, one line per problem', () => {
  it.each([
    [{ operation: 'backup' }, "operation 'backup' is not one of create, restore, delete, list, wait, prune"],
    [{ operation: 'list', api_token: '' }, 'api_token is missing'],
    [{ server_id: 'web-1' }, "server_id 'web-1' is not a number: give one or more numeric server IDs"],
    [{ server_id: '0' }, "server_id '0' is not a number"],
    [{ server_id: '1234567890123456' }, "server_id '1234567890123456' is not a number"],
    [{ server_id: '5,5' }, 'server_id 5 is given twice: name each server once'],
    [{ operation: 'restore', server_id: '1,2', snapshot_id: 'latest' }, 'restore takes one server ID'],
    [{ operation: 'list', server_id: '1 2' }, "server_id '1 2' names 2 servers: list takes one server ID"],
    [{ operation: 'delete', server_id: '1,2', name: 'x' }, 'delete takes one server ID'],
    [{ operation: 'wait', server_id: '1,2', snapshot_id: '9' }, 'wait takes one server ID'],
    [{ server_id: '1', name: 'bad name!' }, "name 'bad name!' may contain only letters, digits, '-' and '_'"],
    [{ operation: 'restore', snapshot_id: '801', name: 'x' }, 'snapshot_id and name are given together'],
    [{ operation: 'delete', snapshot_id: '80x' }, "snapshot_id '80x' is not a number"],
    [
      { operation: 'restore', snapshot_id: 'latest' },
      "server_id is missing: snapshot_id 'latest' picks a snapshot of one server",
    ],
    [{ operation: 'delete', name: 'x' }, "server_id is missing: name 'x' picks a snapshot of one server"],
    [{ operation: 'restore' }, 'restore needs snapshot_id'],
    [{ server_id: '1', keep: '6' }, "keep 6 is above 5, the provider's limit"],
    [{ server_id: '1', keep: 'two' }, "keep 'two' is not a whole number"],
    [{ server_id: '1', keep: '-1' }, "keep '-1' is not a whole number: give 0 to 5"],
    [{ server_id: '1', timeout: '10 minutes' }, "timeout '10 minutes' is not a duration"],
    [{ server_id: '1', timeout: '0' }, "timeout '0' is not a duration"],
    [
      { operation: 'list', api_url: 'http://api.example.com/v1' },
      'plain http:// to a host that is not loopback',
    ],
    [{ operation: 'list', api_url: 'ftp://x' }, 'give an https:// URL'],
    [{ operation: 'list', api_url: 'not a url' }, "api_url 'not a url' is not a URL"],
    [{ operation: 'list', api_url: 'https://u:p@vps.example/api' }, 'api_url must not carry a user name'],
    [{ operation: 'list', api_url: 'https://vps.example/api?x=1' }, 'must not have a query or fragment'],
    [{ server_id: '1', wait: 'yes' }, "wait 'yes' is not a boolean: use true or false"],
    [{ server_id: '1', dry_run: '1' }, "dry_run '1' is not a boolean"],
    [{ server_id: '1', restore_on_failure: 'on' }, "restore_on_failure 'on' is not a boolean"],
    [{ server_id: '1', prune_prefix: 'pre deploy' }, "prune_prefix 'pre deploy' may contain only"],
    [
      { server_id: '1', prune_prefix: `${'p'.repeat(41)}` },
      'is 41 characters: at most 40, so that default names stay within',
    ],
    [{}, 'server_id is missing: create needs one or more server IDs'],
  ])('%j', (inputs, expected) => {
    const found = refused(inputs);
    expect(found.some((p) => p.includes(expected))).toBe(true);
  });

  it.each(['yes', 'no', 'on', 'off', 'y', '1', '0', 'tRUE'])(
    'refuses %s, not a YAML 1.2 boolean',
    (value) => {
      expect(refused({ server_id: '1', wait: value })).toEqual([
        `wait '${value}' is not a boolean: use true or false`,
      ]);
    },
  );

  it('refuses a VPS_API_REQUEST_TIMEOUT that does not parse', () => {
    expect(refused({ operation: 'list' }, { VPS_API_REQUEST_TIMEOUT: 'soon' })).toEqual([
      "VPS_API_REQUEST_TIMEOUT 'soon' is not a duration: give seconds (30) or with a unit (30s)",
    ]);
    expect(() => readRequestTimeout({ VPS_API_REQUEST_TIMEOUT: '0' })).toThrow(SettingsError);
  });

  it('reports every problem at once', () => {
    expect(refused({ server_id: 'x', keep: '9', timeout: 'soon' })).toHaveLength(3);
  });

  it('reports problems of inputs the operation ignores too, and of several inputs at once', () => {
    expect(
      refused({
        operation: 'list',
        api_token: '',
        api_url: 'http://api.example.com',
        keep: '9',
        name: 'a b',
        dry_run: 'maybe',
      }),
    ).toEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, shown to the user as is
      'api_token is missing: pass it as an input (api_token: ${{ secrets.VPS_API_TOKEN }}) or set VPS_API_TOKEN',
      "api_url 'http://api.example.com' uses plain http:// to a host that is not loopback: use https:// (http:// is allowed only for localhost, 127.0.0.0/8 and [::1])",
      "dry_run 'maybe' is not a boolean: use true or false",
      "name 'a b' may contain only letters, digits, '-' and '_'",
      "keep 9 is above 5, the provider's limit of snapshots per server: give 0 to 5",
    ]);
  });

  it('does not add "server_id is missing" when server_id is given but malformed', () => {
    expect(refused({ operation: 'delete', name: 'x', server_id: 'web' })).toEqual([
      "server_id 'web' is not a number: give one or more numeric server IDs",
    ]);
  });

  it('quotes a value with new lines on one line', () => {
    expect(refused({ operation: 'restore', server_id: '1\n2', snapshot_id: 'latest' })).toEqual([
      "server_id '1 2' names 2 servers: restore takes one server ID",
    ]);
  });

  it('refuses more than MAX_FLEET servers', () => {
    const ids = Array.from({ length: 101 }, (_, i) => i + 1).join(',');
    expect(refused({ server_id: ids })).toEqual(['server_id names 101 servers: at most 100 in one step']);
  });
});

it('accepts a prune_prefix of exactly 40 characters', () => {
  const read = (name: string) =>
    ({ api_token: 't', server_id: '1', prune_prefix: 'x'.repeat(40) })[name] ?? '';
  expect(parseSettings(read, {}).settings).toMatchObject({ prunePrefix: 'x'.repeat(40) });
});
