import { describe, expect, it } from 'vitest';

describe('the command', () => {
  it('starts on 127.0.0.1, prints its base URL, answers, and stops cleanly on Ctrl-C', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(
      process.execPath,
      ['emulator/cli.ts', '--port', '0', '--token', 'cli-token', '--fault', 'list:status:503@1'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    const headers = { authorization: 'Bearer cli-token' };
    expect((await fetch(`${url}/snapshots/`, { headers })).status).toBe(503);
    const body = (await (await fetch(`${url}/snapshots/?server_id=12345`, { headers })).json()) as {
      count: number;
    };
    expect(body.count).toBe(2);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exit).toBe(0);
  });

  it('refuses a malformed fault with the usage', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, ['emulator/cli.ts', '--fault', 'list:explode'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/kind 'explode' is not one of/);
    expect(result.stderr).toMatch(/Usage: npm run emulator/);
  });
});
