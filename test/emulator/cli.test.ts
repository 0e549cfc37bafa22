import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { hostileFor, TEST_TLS_FILES, testTls } from '../../emulator/index.ts';

/** Starts `emulator/cli.ts` with `args`; resolves once it prints its base URL (and the CA line with --tls). */
async function startCli(args: string[]) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['emulator/cli.ts', ...args], {
    stdio: 'pipe',
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (https?:\/\/127\.0\.0\.1:\d+\/api\/v1)\n[\s\S]*Ctrl-C/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', () => reject(new Error(`exited early: ${out}`)));
  });
  const stop = async () => {
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    return exit;
  };
  return { url, output: () => out, stop };
}

describe('the command', () => {
  it('starts on 127.0.0.1, prints its base URL, answers, and stops cleanly on Ctrl-C', async () => {
    const cli = await startCli(['--port', '0', '--token', 'cli-token', '--fault', 'list:status:503@1']);
    const headers = { authorization: 'Bearer cli-token' };
    expect((await fetch(`${cli.url}/snapshots/`, { headers })).status).toBe(503);
    const body = (await (await fetch(`${cli.url}/snapshots/?server_id=12345`, { headers })).json()) as {
      count: number;
    };
    expect(body.count).toBe(2);
    expect(await cli.stop()).toBe(0);
  });

  it('serves HTTPS with --tls, lags reads, ignores the server filter and takes the new faults', async () => {
    const cli = await startCli(
      [
        '--port',
        '0',
        '--token',
        'cli-token',
        '--tls',
        '--read-lag',
        '60000',
        '--ignore-server-filter',
      ].concat(['--server', '12346', '--fault', 'list:html:502@1', '--fault', 'delete:gone@1']),
    );
    const agent = new Agent({ connect: { ca: testTls().ca } });
    const call = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => {
      const res = await request(`${cli.url}${path}`, {
        dispatcher: agent,
        method,
        headers: { authorization: 'Bearer cli-token', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.statusCode, type: res.headers['content-type'], text: await res.body.text() };
    };
    try {
      expect(cli.url).toMatch(/^https:/);
      expect(cli.output()).toContain(
        `test-only CA (trust it with NODE_EXTRA_CA_CERTS): ${TEST_TLS_FILES.ca}`,
      );
      expect(await call('GET', '/snapshots/')).toMatchObject({ status: 502, type: 'text/html' });
      expect((await call('POST', '/snapshots/', { server_id: 12346, name: 'lagged' })).status).toBe(201);
      const list = JSON.parse((await call('GET', '/snapshots/?server_id=99999')).text) as { count: number };
      expect(list.count).toBe(2);
      expect(await call('DELETE', '/snapshots/802/')).toMatchObject({ status: 404 });
      expect((await call('DELETE', '/snapshots/802/')).status).toBe(404);
    } finally {
      await agent.close();
      expect(await cli.stop()).toBe(0);
    }
  });

  it('writes created_at in a shifted local clock without an offset with --local-timestamps', async () => {
    const cli = await startCli(['--port', '0', '--token', 'cli-token', '--local-timestamps', '+3h']);
    const headers = { authorization: 'Bearer cli-token', 'content-type': 'application/json' };
    try {
      const before = Date.now();
      const res = await fetch(`${cli.url}/snapshots/`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ server_id: 12345, name: 'ahead' }),
      });
      const { created_at } = (await res.json()) as { created_at: string };
      expect(created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      const shifted = Date.parse(`${created_at}Z`) - 3 * 3_600_000;
      expect(shifted).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(shifted).toBeLessThanOrEqual(Date.now());
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('turns hostile-text mode on with --hostile', async () => {
    const cli = await startCli(['--port', '0', '--token', 'cli-token', '--hostile']);
    try {
      const res = await fetch(`${cli.url}/snapshots/`, { headers: { authorization: 'Bearer cli-token' } });
      const body = (await res.json()) as {
        results: { id: number; server: { id: number }; description: string }[];
      };
      expect(body.results).toHaveLength(8);
      for (const s of body.results) {
        expect(s.description).toBe(hostileFor('description', s.id, s.server.id));
      }
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('documents every option in --help', () => {
    const result = spawnSync(process.execPath, ['emulator/cli.ts', '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    for (const option of [
      '--read-lag MS',
      '--ignore-server-filter',
      '--local-timestamps SHIFT',
      '--fractional-seconds',
      '--hostile',
      '--tls',
      '--fault SPEC',
    ]) {
      expect(result.stdout).toContain(option);
    }
    for (const kind of ['stall', 'html[:CODE]', 'wrongtype', 'nextloop (list)', 'gone (delete)']) {
      expect(result.stdout).toContain(kind);
    }
  });

  it.each([
    [['--fault', 'list:explode'], /kind 'explode' is not one of/],
    [['--read-lag', 'soon'], /--read-lag 'soon' is not a whole number/],
    [['--local-timestamps', '3'], /--local-timestamps '3' needs a unit/],
    [['--fractional-seconds'], /--fractional-seconds needs --local-timestamps SHIFT/],
  ])('refuses %j with the usage', (args, message) => {
    const result = spawnSync(process.execPath, ['emulator/cli.ts', ...args], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Usage: npm run emulator/);
  });
});
