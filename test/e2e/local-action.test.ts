// One run through GitHub's own local runner, @github/local-action, on src/main.ts and the post step.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT } from '../../scripts/action-yml.ts';
import { Fixture, TOKEN } from './fixture.ts';

let f: Fixture;
let dir: string;
beforeAll(async () => {
  f = await new Fixture().start();
  dir = mkdtempSync(join(tmpdir(), 'local-action-'));
});
afterAll(async () => {
  await f.stop();
  rmSync(dir, { recursive: true, force: true });
});

function localAction(
  entry: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const envFile = join(dir, '.env');
  writeFileSync(
    envFile,
    `${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/local-action'), ['run', ROOT, entry, envFile], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

it('runs src/main.ts, then the post step, under @github/local-action', async () => {
  const { code, output } = await localAction('test/local-action/main-then-post.ts', {
    INPUT_API_TOKEN: TOKEN,
    INPUT_API_URL: f.emulator.baseUrl,
    INPUT_SERVER_ID: '12345',
    INPUT_RESTORE_ON_FAILURE: 'true',
    // What the runner evaluates `${{ job.status }}` to for the post step of a failed job.
    INPUT_JOB_STATUS: 'failure',
    INPUT_WAIT: 'true',
    INPUT_TIMEOUT: '1m',
    INPUT_KEEP: '0',
    INPUT_PRUNE_PREFIX: 'pre-deploy-',
    INPUT_DRY_RUN: 'false',
    INPUT_OPERATION: 'create',
  });
  expect(output).toMatch(/::set-output name=snapshot_id::802/);
  expect(output).toMatch(/::set-output name=status::completed/);
  expect(output).toMatch(/rolling back server 12345 to snapshot 802/);
  expect(output).toMatch(/::set-output name=status::restored/);
  expect(output).toMatch(
    /::set-output name=results::\[\{"server_id":12345,"snapshot_id":802,.*"status":"completed","error":null\}\]/,
  );
  expect(output).toMatch(
    /::set-output name=results::\[\{"server_id":12345,"snapshot_id":802,.*"status":"restored","error":null\}\]/,
  );
  expect(output).not.toContain(TOKEN);
  expect(code).toBe(0);
  expect(f.emulator.requests('create')).toHaveLength(1);
  expect(f.emulator.requests('restore').map((r) => r.path)).toEqual(['/api/v1/snapshots/802/restore/']);
}, 120_000);
