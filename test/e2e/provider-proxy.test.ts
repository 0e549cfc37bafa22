// The runner's proxy: the action pointed at https://api.vps.test/api/v1 (the emulator over TLS, with the
// committed test CA), through a loopback proxy that maps api.vps.test:443 to the emulator. The Fixture
// speaks plain HTTP, so this file starts the action itself with runAction. Nothing leaves the machine: the
// child's name lookups are answered by a guard that refuses every name (and records it), so a direct
// connection to api.vps.test fails without asking any resolver.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Emulator, LoopbackProxy, TEST_TLS_FILES, testTls } from '../../emulator/index.ts';
import { type ActionRun, runAction, visibleText, warmSource } from '../../scripts/run-action.ts';

const TOKEN = 'vps_live_Px72Kd9Qw1Za4Lm8';
const API_URL = 'https://api.vps.test/api/v1';

/** Preloaded into the action's process: dns.lookup refuses every name, and notes it in GUARD_LOG. */
const GUARD = `
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
dns.lookup = function guardedLookup(hostname, options, callback) {
  const done = typeof options === 'function' ? options : callback;
  appendFileSync(process.env.GUARD_LOG, hostname + '\\n');
  const error = Object.assign(new Error('getaddrinfo ENOTFOUND ' + hostname), {
    code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname,
  });
  process.nextTick(() => done(error));
};
`;

let dir: string;
let guardFile: string;
let guardLog: string;
beforeAll(async () => {
  await warmSource();
  dir = mkdtempSync(join(tmpdir(), 'vps-proxy-test-'));
  guardFile = join(dir, 'guard.mjs');
  writeFileSync(guardFile, GUARD);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let emulator: Emulator;
let proxy: LoopbackProxy | undefined;
let port: string;
beforeEach(async () => {
  emulator = new Emulator({ token: TOKEN, timings: { snapshotMs: 300, restoreMs: 300 } });
  port = new URL(await emulator.start({ tls: testTls() })).port;
  guardLog = join(dir, `lookups-${Math.random().toString(16).slice(2)}`);
});
afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
  await emulator.stop();
});

async function startProxy(credentials?: { username: string; password: string }): Promise<LoopbackProxy> {
  proxy = new LoopbackProxy({
    hosts: { 'api.vps.test:443': `127.0.0.1:${port}` },
    ...(credentials ? { credentials } : {}),
  });
  await proxy.start();
  return proxy;
}

/** The action, as the runner starts it, with the runner's proxy variables and the test CA. */
async function run(inputs: Record<string, string>, env: Record<string, string>): Promise<ActionRun> {
  const result = await runAction('main', {
    code: 'source',
    inputs: { api_url: API_URL, api_token: TOKEN, ...inputs },
    env: {
      VPS_API_REQUEST_TIMEOUT: '2s',
      NODE_EXTRA_CA_CERTS: TEST_TLS_FILES.ca,
      NODE_OPTIONS: `--import=${pathToFileURL(guardFile).href}`,
      GUARD_LOG: guardLog,
      ...env,
    },
    timeoutMs: 60_000,
  });
  if (visibleText(result).includes(TOKEN)) throw new Error(`the token leaked:\n${visibleText(result)}`);
  return result;
}

const lookups = () =>
  existsSync(guardLog) ? readFileSync(guardLog, 'utf8').split('\n').filter(Boolean) : [];

describe('HTTPS_PROXY', () => {
  it('create through the proxy: every request goes through a CONNECT tunnel to api.vps.test:443', async () => {
    const p = await startProxy();
    const result = await run({ server_id: '12345' }, { HTTPS_PROXY: p.url });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.outputs).toMatchObject({ snapshot_id: '802', status: 'completed' });
    expect(emulator.model.snapshots.get(802)?.name).toBe(result.outputs.snapshot_name);
    expect(p.log.length).toBeGreaterThanOrEqual(1);
    for (const entry of p.log)
      expect(entry).toMatchObject({
        method: 'CONNECT',
        target: 'api.vps.test:443',
        upstream: `127.0.0.1:${port}`,
        status: 200,
        proxyAuthorization: false,
      });
    expect(emulator.requests('create')).toHaveLength(1);
    expect(emulator.log.every((r) => r.authorized)).toBe(true);
    // The action resolved no name itself: it connected to the proxy's address.
    expect(lookups()).toEqual([]);
  }, 30_000);

  it('lower-case https_proxy with credentials: the proxy gets them, the API its token', async () => {
    const p = await startProxy({ username: 'runner', password: 's3cret' });
    const url = new URL(p.url);
    url.username = 'runner';
    url.password = 's3cret';
    const result = await run({ operation: 'list', server_id: '12345' }, { https_proxy: url.href });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(JSON.parse(result.outputs.snapshots ?? '[]').map((s: { id: number }) => s.id)).toEqual([801, 798]);
    expect(p.log.map((e) => [e.method, e.target, e.status, e.proxyAuthorization])).toContainEqual([
      'CONNECT',
      'api.vps.test:443',
      200,
      true,
    ]);
    expect(visibleText(result)).not.toContain('s3cret');
  }, 30_000);

  it('NO_PROXY=api.vps.test: the proxy is not used; the direct connection fails with an error naming the host', async () => {
    const p = await startProxy();
    const result = await run(
      { operation: 'list', server_id: '12345', timeout: '5s' },
      { HTTPS_PROXY: p.url, NO_PROXY: 'api.vps.test' },
    );
    expect(result.exitCode).toBe(1);
    expect(p.log).toEqual([]);
    expect(emulator.log).toEqual([]);
    // It tried to reach api.vps.test itself (the guard answered, no resolver was asked).
    expect(lookups().length).toBeGreaterThanOrEqual(1);
    expect(new Set(lookups())).toEqual(new Set(['api.vps.test']));
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/ENOTFOUND/);
    expect(result.errors[0]).toMatch(/https:\/\/api\.vps\.test is reachable from the runner/);
    expect(result.errors[0]).not.toMatch(/through its proxy/);
    expect(result.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
  }, 30_000);
});

// A sanity check of the guard itself, so the NO_PROXY test above cannot pass by accident.
it('the guard refuses a lookup and records it', async () => {
  const log = join(dir, 'self-check');
  appendFileSync(log, '');
  const { spawnSync } = await import('node:child_process');
  const out = spawnSync(
    process.execPath,
    [
      `--import=${pathToFileURL(guardFile).href}`,
      '-e',
      "require('node:dns').lookup('example.test', (e) => console.log(e.code))",
    ],
    { env: { PATH: process.env.PATH ?? '', GUARD_LOG: log }, encoding: 'utf8', timeout: 10_000 },
  );
  expect(out.stdout.trim()).toBe('ENOTFOUND');
  expect(readFileSync(log, 'utf8')).toBe('example.test\n');
});
