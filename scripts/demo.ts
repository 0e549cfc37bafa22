// `npm run demo`: the emulator on loopback and the committed bundle, run as the GitHub runner runs it,
// through a short story. Needs nothing but the clone.

import { Emulator } from '../emulator/index.ts';
import { type ActionRun, runAction } from './run-action.ts';

const TOKEN = 'demo-token';
const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const dim = (text: string) => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[0m` : text);

function show(title: string, run: ActionRun): void {
  console.log(
    `\n${bold(`━━ ${title}`)} ${dim(`(exit ${run.exitCode}, ${(run.durationMs / 1000).toFixed(1)} s)`)}`,
  );
  for (const line of run.stdout.split('\n')) {
    if (!line || line.startsWith('::debug::') || line.startsWith('::add-mask::') || line === '::endgroup::')
      continue;
    if (line.startsWith('::group::')) console.log(`  ▸ ${line.slice(9)}`);
    else if (line.startsWith('::warning') || line.startsWith('::error'))
      console.log(`  ${line.replace(/%3A/g, ':')}`);
    else console.log(`    ${line}`);
  }
  const outputs = Object.entries(run.outputs);
  if (outputs.length) {
    console.log(`  ${bold('outputs')}`);
    for (const [name, value] of outputs)
      console.log(`    ${name.padEnd(14)} ${value.length > 90 ? `${value.slice(0, 87)}...` : value}`);
  }
  const summary = run.summary.replace(/```mermaid[\s\S]*?```\n?/g, '').trim();
  if (summary) {
    console.log(`  ${bold('job summary')}`);
    for (const line of summary.split('\n')) console.log(`    ${dim(line)}`);
  }
}

async function main(): Promise<void> {
  const emulator = new Emulator({ token: TOKEN, timings: { snapshotMs: 3_000, restoreMs: 2_500 } });
  const apiUrl = await emulator.start();
  console.log(
    `${bold('VPS snapshot action demo')}: provider emulator on ${apiUrl}, server 12345 'web-server-01'`,
  );
  const inputs = { api_url: apiUrl, api_token: TOKEN };
  try {
    const snapshot = await runAction('main', {
      inputs: { ...inputs, server_id: '12345', restore_on_failure: 'true', keep: '3' },
    });
    show('1. Pre-deploy snapshot (operation: create, restore_on_failure: true, keep: 3)', snapshot);

    console.log(
      `\n${bold('━━ 2. The deploy step fails')} ${dim('(./scripts/deploy.sh exits 1; the job is now failing)')}`,
    );

    const post = await runAction('post', { inputs: { ...inputs }, state: snapshot.state });
    show("3. The action's post step rolls back (post-if: failure() || cancelled(), the job failed)", post);

    const manual = await runAction('main', {
      inputs: { ...inputs, operation: 'restore', snapshot_id: 'latest', server_id: '12345' },
    });
    show('4. Someone rolls back by hand (operation: restore, snapshot_id: latest)', manual);

    const list = await runAction('main', { inputs: { ...inputs, operation: 'list', server_id: '12345' } });
    show('5. What exists now (operation: list)', list);

    const remove = await runAction('main', {
      inputs: { ...inputs, operation: 'delete', snapshot_id: '798' },
    });
    show('6. House-keeping (operation: delete, snapshot_id: 798)', remove);

    const runs = [snapshot, post, manual, list, remove];
    const failed = runs.filter((r) => r.exitCode !== 0).length;
    const requests = emulator.log.length;
    console.log(
      `\n${bold('Done')}: ${runs.length} action runs, ${failed} failed, ${requests} API requests in all (${emulator.requests('list').length} list polls).`,
    );
    if (failed > 0) process.exitCode = 1;
  } finally {
    await emulator.stop();
  }
}

await main();
