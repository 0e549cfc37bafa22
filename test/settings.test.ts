import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_URL } from '../src/api/url.ts';
import { parseSettings, SettingsError } from '../src/settings.ts';

type Inputs = Record<string, string>;
const reader = (inputs: Inputs) => (name: string) => (inputs[name] ?? '').trim();
const parse = (inputs: Inputs, env: NodeJS.ProcessEnv = {}) =>
  parseSettings(reader({ api_token: 't', ...inputs }), env);

function problems(inputs: Inputs, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseSettings(reader(inputs), env);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as SettingsError).problems;
  }
  throw new Error('expected the inputs to be refused');
}

describe('defaults', () => {
  it('creates on one server with the contract defaults', () => {
    expect(parse({ server_id: '12345' }).settings).toEqual({
      operation: 'create',
      apiUrl: DEFAULT_API_URL,
      token: 't',
      dryRun: false,
      wait: true,
      timeoutMs: 1_800_000,
      serverIds: [12345],
      restoreOnFailure: false,
      keep: 0,
      prunePrefix: 'pre-deploy-',
    });
  });

  it('takes the token from VPS_API_TOKEN when the input is empty', () => {
    expect(
      parseSettings(reader({ operation: 'list' }), { VPS_API_TOKEN: ' env-token ' }).settings.token,
    ).toBe('env-token');
  });

  it('reads a fleet separated by commas, spaces and new lines', () => {
    const { settings } = parse({ server_id: '1, 2\n3  4,5' });
    expect(settings.operation === 'create' && settings.serverIds).toEqual([1, 2, 3, 4, 5]);
  });

  it.each([
    [
      { operation: 'restore', snapshot_id: '801' },
      { by: 'id', snapshotId: 801 },
    ],
    [
      { operation: 'restore', snapshot_id: '801', server_id: '12345' },
      { by: 'id', snapshotId: 801, serverId: 12345 },
    ],
    [
      { operation: 'restore', snapshot_id: 'latest', server_id: '12345' },
      { by: 'latest', serverId: 12345 },
    ],
    [
      { operation: 'delete', name: 'weekly', server_id: '12345' },
      { by: 'name', name: 'weekly', serverId: 12345 },
    ],
  ])('resolves the target of %j', (inputs, target) => {
    expect(parse(inputs).settings).toMatchObject({ target });
  });

  it.each([
    ['900', 900_000],
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5', 1_500],
  ])('reads timeout %s', (timeout, ms) => {
    expect(parse({ operation: 'list', timeout }).settings.timeoutMs).toBe(ms);
  });

  it('warns about inputs that do not apply, without failing', () => {
    expect(parse({ operation: 'list', keep: '3', name: 'x' }).warnings).toEqual([
      'name, keep do not apply to list: ignored',
    ]);
  });
});

describe('refused before the first request, one line per problem', () => {
  it.each([
    [{ operation: 'backup' }, "operation 'backup' is not one of create, restore, delete, list"],
    [{ operation: 'list', api_token: '' }, 'api_token is missing'],
    [{ server_id: 'web-1' }, "server_id 'web-1' is not a number: give one or more numeric server IDs"],
    [{ server_id: '0' }, "server_id '0' is not a number"],
    [{ server_id: '5,5' }, 'server_id 5 is given twice'],
    [{ operation: 'restore', server_id: '1,2', snapshot_id: 'latest' }, 'restore takes one server ID'],
    [{ server_id: '1', name: 'bad name!' }, "name 'bad name!' may contain only letters, digits, '-' and '_'"],
    [{ operation: 'restore', snapshot_id: '801', name: 'x' }, 'snapshot_id and name are both given'],
    [{ operation: 'delete', snapshot_id: '80x' }, "snapshot_id '80x' is not a number"],
    [
      { operation: 'restore', snapshot_id: 'latest' },
      "server_id is missing: snapshot_id 'latest' picks a snapshot of one server",
    ],
    [{ operation: 'delete', name: 'x' }, "server_id is missing: name 'x' picks a snapshot of one server"],
    [{ operation: 'restore' }, 'restore needs snapshot_id'],
    [{ server_id: '1', keep: '6' }, "keep 6 is above 5, the provider's limit"],
    [{ server_id: '1', keep: 'two' }, "keep 'two' is not a whole number"],
    [{ server_id: '1', timeout: '10 minutes' }, "timeout '10 minutes' is not a duration"],
    [{ server_id: '1', timeout: '0' }, "timeout '0' is not a duration"],
    [
      { operation: 'list', api_url: 'http://api.example.com/v1' },
      'plain http:// to a host that is not loopback',
    ],
    [{ operation: 'list', api_url: 'ftp://x' }, 'give an https:// URL'],
    [{ operation: 'list', api_url: 'not a url' }, "api_url 'not a url' is not a URL"],
    [{ server_id: '1', wait: 'yes' }, "wait 'yes' is not a boolean: use true or false"],
    [{ server_id: '1', dry_run: '1' }, "dry_run '1' is not a boolean"],
    [{ server_id: '1', prune_prefix: 'pre deploy' }, "prune_prefix 'pre deploy' may contain only"],
    [{}, 'server_id is missing: create needs one server ID'],
  ])('%j', (inputs, expected) => {
    const found = problems({ api_token: 't', ...inputs });
    expect(found.some((p) => p.includes(expected))).toBe(true);
    for (const p of found) expect(p).not.toContain('\n');
  });

  it('reads VPS_API_REQUEST_TIMEOUT, and refuses one that does not parse', () => {
    expect(parse({ operation: 'list' }, { VPS_API_REQUEST_TIMEOUT: '2s' }).settings.requestTimeoutMs).toBe(
      2_000,
    );
    expect(problems({ api_token: 't', operation: 'list' }, { VPS_API_REQUEST_TIMEOUT: 'soon' })).toEqual([
      "VPS_API_REQUEST_TIMEOUT 'soon' is not a duration: give seconds (30) or with a unit (30s)",
    ]);
  });

  it('reports every problem at once', () => {
    expect(problems({ api_token: 't', server_id: 'x', keep: '9', timeout: 'soon' })).toHaveLength(3);
  });

  it.each(['true', 'True', 'TRUE', 'false', 'False', 'FALSE'])('accepts the YAML 1.2 boolean %s', (value) => {
    expect(parse({ server_id: '1', wait: value }).settings.wait).toBe(value.toLowerCase() === 'true');
  });

  it.each([
    'http://localhost:8787/api/v1',
    'http://127.0.0.1:1/api/v1',
    'http://[::1]:8/api/v1',
    'https://vps.example/api/v1/',
  ])('accepts api_url %s', (apiUrl) => {
    expect(parse({ operation: 'list', api_url: apiUrl }).settings.apiUrl).toBe(apiUrl.replace(/\/$/, ''));
  });
});

describe('properties', () => {
  const inputNames = [
    'operation',
    'api_token',
    'api_url',
    'server_id',
    'name',
    'description',
    'snapshot_id',
    'wait',
    'timeout',
    'restore_on_failure',
    'keep',
    'prune_prefix',
    'dry_run',
  ];

  it('any inputs either parse into settings or fail with SettingsError lines, never anything else', () => {
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'create',
        'restore',
        'delete',
        'list',
        'latest',
        'true',
        'false',
        '5',
        '12345',
        '1,2',
        '15m',
      ),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...inputNames), value), (inputs) => {
        try {
          const { settings } = parseSettings(reader(inputs), {});
          expect(['create', 'restore', 'delete', 'list']).toContain(settings.operation);
          expect(settings.token).not.toBe('');
          expect(settings.timeoutMs).toBeGreaterThan(0);
          if (settings.operation === 'create') {
            expect(settings.serverIds.length).toBeGreaterThan(0);
            expect(settings.keep).toBeLessThanOrEqual(5);
            if (settings.name !== undefined) expect(settings.name).toMatch(/^[A-Za-z0-9_-]+$/);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(SettingsError);
          const lines = (error as SettingsError).problems;
          expect(lines.length).toBeGreaterThan(0);
          for (const line of lines) expect(line.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('a name is accepted exactly when it is letters, digits, - and _', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (name) => {
        const ok = /^[A-Za-z0-9_-]+$/.test(name.trim());
        const attempt = () => parseSettings(reader({ api_token: 't', server_id: '1', name }), {});
        if (ok) expect(attempt().settings).toMatchObject({ name: name.trim() });
        else if (name.trim() !== '') expect(attempt).toThrow(/may contain only letters/);
      }),
      { numRuns: 1_000 },
    );
  });

  it('server ID lists round-trip whatever the separators', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 2 ** 40 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.constantFrom(',', ' ', '\n', ', ', ',\n'), { minLength: 20, maxLength: 20 }),
        (ids, seps) => {
          const text = ids.map((id, i) => `${id}${i < ids.length - 1 ? seps[i] : ''}`).join('');
          const { settings } = parseSettings(reader({ api_token: 't', server_id: text }), {});
          expect(settings.operation === 'create' && settings.serverIds).toEqual(ids);
        },
      ),
    );
  });

  it('durations with units add up', () => {
    fc.assert(
      fc.property(fc.nat(48), fc.nat(59), fc.integer({ min: 1, max: 59 }), (h, m, s) => {
        const { settings } = parse({ operation: 'list', timeout: `${h}h${m}m${s}s` });
        expect(settings.timeoutMs).toBe(((h * 60 + m) * 60 + s) * 1000);
      }),
    );
  });
});
