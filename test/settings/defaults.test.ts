import { describe, expect, it } from 'vitest';
import { DEFAULT_API_URL } from '../../src/api/url.ts';
import { parseSettings } from '../../src/settings/index.ts';
import { parse, reader } from './helpers.ts';

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
      keepWithinMs: 0,
      prunePrefix: 'pre-deploy-',
    });
  });

  it('takes the token from VPS_API_TOKEN when the input is empty', () => {
    expect(
      parseSettings(reader({ operation: 'list' }), { VPS_API_TOKEN: ' env-token ' }).settings.token,
    ).toBe('env-token');
  });

  it('prefers the api_token input to VPS_API_TOKEN', () => {
    expect(
      parseSettings(reader({ operation: 'list', api_token: 'input' }), { VPS_API_TOKEN: 'env' }).settings
        .token,
    ).toBe('input');
  });

  it('reads a fleet separated by commas, spaces and new lines', () => {
    const { settings } = parse({ server_id: '1, 2\n3  4,5' });
    expect(settings.operation === 'create' && settings.serverIds).toEqual([1, 2, 3, 4, 5]);
  });

  it("reads create's own inputs", () => {
    expect(
      parse({
        server_id: '7',
        name: 'release_1-2',
        description: 'the v1.2 deploy',
        restore_on_failure: 'true',
        keep: '5',
        prune_prefix: 'rel-',
        dry_run: 'TRUE',
        wait: 'False',
      }).settings,
    ).toMatchObject({
      operation: 'create',
      serverIds: [7],
      name: 'release_1-2',
      description: 'the v1.2 deploy',
      restoreOnFailure: true,
      keep: 5,
      prunePrefix: 'rel-',
      dryRun: true,
      wait: false,
    });
  });

  it.each([
    [{ operation: 'list' }, { operation: 'list' }],
    [
      { operation: 'list', server_id: '12345' },
      { operation: 'list', serverId: 12345 },
    ],
  ])('lists with %j', (inputs, expected) => {
    const { settings } = parse(inputs);
    expect(settings).toMatchObject(expected);
    if (!('server_id' in inputs)) expect(settings).toMatchObject({ serverId: undefined });
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

  it('reads VPS_API_REQUEST_TIMEOUT, and leaves requestTimeoutMs undefined when it is unset', () => {
    expect(parse({ operation: 'list' }, { VPS_API_REQUEST_TIMEOUT: '2s' }).settings.requestTimeoutMs).toBe(
      2_000,
    );
    expect(parse({ operation: 'list' }).settings.requestTimeoutMs).toBeUndefined();
  });
});
