// action.yml, the inputs and how bad ones, a wrong token and an unwell provider are met, run as the runner
// runs the action, against the emulator over HTTP.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { readActionYml } from '../../scripts/action-yml.ts';
import { defaultNamePattern } from './action-helpers.ts';
import { Fixture, TOKEN } from './fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture().start();
});
afterEach(() => f.stop());

describe('action.yml', () => {
  it('runs on node24 with a post step on failure or cancellation, and names every input and output of the contract', () => {
    const yml = readActionYml();
    expect(yml).toMatchObject({
      using: 'node24',
      main: 'dist/main/index.js',
      post: 'dist/post/index.js',
      postIf: 'failure() || cancelled()',
    });
    expect(Object.keys(yml.inputs).sort()).toEqual(
      [
        'api_token',
        'api_url',
        'description',
        'dry_run',
        'keep',
        'keep_within',
        'name',
        'operation',
        'prune_prefix',
        'restore_on_failure',
        'restore_on_cancel',
        'job_status',
        'server_id',
        'snapshot_id',
        'snapshot_ids',
        'timeout',
        'wait',
      ].sort(),
    );
    expect(Object.keys(yml.outputs).sort()).toEqual(
      [
        'deleted_ids',
        'results',
        'server_id',
        'size_mb',
        'snapshot_id',
        'snapshot_ids',
        'snapshot_name',
        'snapshots',
        'status',
      ].sort(),
    );
  });
});

describe('failures', () => {
  it('refuses bad inputs with one error each and sends no request', async () => {
    const run = await f.run('main', { operation: 'create', server_id: 'web', keep: '9', timeout: 'soon' });
    expect(run.exitCode).toBe(1);
    expect(run.errors.map((e) => e.replace(/^::error title=Invalid input::/, ''))).toEqual([
      "timeout 'soon' is not a duration: give seconds (900) or a number with a unit (90s, 15m, 1h)",
      "server_id 'web' is not a number: give one or more numeric server IDs",
      "keep '9' is above 5, the provider's limit of snapshots per server: give 0 to 5".replace("'9'", '9'),
    ]);
    expect(f.emulator.log).toHaveLength(0);
    // No stack trace where a user looks (debug lines show only with step debug logging), source or bundle.
    const visible =
      run.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::debug::'))
        .join('\n') + run.stderr;
    expect(visible).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('a wrong token is one clear error pointing at the secret', async () => {
    const run = await f.run('main', { operation: 'list', api_token: 'wrong-token-123' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /list snapshots: GET \/snapshots\/ failed with HTTP 401: Invalid token. Check the api_token secret/,
    );
  });

  it('rides out throttling and outages on reads', async () => {
    f.emulator.faults.add(
      parseFault('list:status:429:1@1'),
      parseFault('list:status:503@1'),
      parseFault('list:reset@1'),
    );
    const run = await f.run('main', { operation: 'list', server_id: '12345' });
    expect(run.exitCode).toBe(0);
    expect(f.emulator.requests('list')).toHaveLength(4);
  });

  it('a hung provider does not hang the job', async () => {
    f.emulator.faults.add(parseFault('list:hang'));
    const run = await f.run('main', { operation: 'list' }, { env: { VPS_API_REQUEST_TIMEOUT: '300ms' } });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/no answer in time/);
  }, 60_000);
});

describe('fuzzed inputs through the runner stand-in', () => {
  it('malformed inputs always end in clear errors and never send a request', async () => {
    const bad = fc.record(
      {
        server_id: fc.constantFrom('web-1', '12a', '-5', '1;2', '0'),
        keep: fc.constantFrom('6', '-1', 'all', '2.5'),
        timeout: fc.constantFrom('soon', '10 min', '-1s', '0'),
        wait: fc.constantFrom('yes', 'no', '1', 'on'),
        name: fc.constantFrom('has space', 'semi;colon', 'ü', 'a/b'),
        api_url: fc.constantFrom('http://example.com/api/v1', 'ftp://x', 'nope'),
        operation: fc.constantFrom('backup', 'Create', 'remove'),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(bad, async (inputs) => {
        fc.pre(Object.keys(inputs).length > 0);
        f.emulator.log.length = 0;
        const run = await f.run('main', { server_id: '12345', ...inputs });
        expect(run.exitCode).toBe(1);
        expect(run.errors.length).toBeGreaterThan(0);
        for (const error of run.errors) expect(error).toMatch(/^::error title=Invalid input::\S.{20,}/);
        expect(f.emulator.log).toHaveLength(0);
      }),
      { numRuns: 12 },
    );
  }, 60_000);
});

describe('the remaining inputs', () => {
  it('takes the token from VPS_API_TOKEN, and a custom description and prune_prefix', async () => {
    const run = await f.run(
      'main',
      {
        api_token: '',
        server_id: '12345',
        description: 'Before the 2.0 migration',
        prune_prefix: 'release-',
      },
      { env: { VPS_API_TOKEN: TOKEN } },
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
    expect(run.outputs.snapshot_name).toMatch(defaultNamePattern({ prefix: 'release-' }));
    expect(f.model.snapshots.get(802)?.description).toBe('Before the 2.0 migration');
  });
});
