// `npm run bench`: start-up, waiting and fleet figures, measured side by side in one run.
// Prints a table and writes bench/results.json and bench/poll-schedule.svg. Not a test: nothing here fails on a number.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Emulator } from '../emulator/index.ts';
import { VirtualClock } from '../emulator/virtual-clock.ts';
import { ROOT } from '../scripts/action-yml.ts';
import { runAction } from '../scripts/run-action.ts';
import { SnapshotsClient } from '../src/api/client.ts';
import { type Clock, realClock } from '../src/clock.ts';
import { silentLogger } from '../src/logger.ts';
import { pollInterval } from '../src/wait/poll.ts';
import { waitForSnapshots } from '../src/wait/snapshots.ts';

const TOKEN = 'bench-token';
const quick = process.argv.includes('--quick');

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Wall time of one child process, from spawn to exit; asynchronous so the in-process emulator answers. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited ${code}`));
      else resolve(performance.now() - started);
    });
  });
}

function peakRss(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const probe = `data:text/javascript,process.on('exit',()=>process.stderr.write('MAXRSS '+process.resourceUsage().maxRSS))`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', probe, ...args], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', () => resolve(Number(/MAXRSS (\d+)/.exec(stderr)?.[1] ?? Number.NaN) / 1024));
  });
}

async function startup() {
  const emulator = new Emulator({ token: TOKEN });
  const apiUrl = await emulator.start();
  const dir = join(ROOT, 'bench');
  const env = {
    PATH: process.env.PATH,
    INPUT_OPERATION: 'list',
    INPUT_API_URL: apiUrl,
    INPUT_API_TOKEN: TOKEN,
    GITHUB_OUTPUT: '/dev/null',
    GITHUB_STEP_SUMMARY: '/dev/null',
    RUNNER_TEMP: dir,
  };
  const entry = join(ROOT, 'dist/main/index.js');
  const floor = floorBundle("import * as core from '@actions/core';\ncore.info('listed');\n");
  const undiciFloor = floorBundle("import { Agent } from 'undici';\nnew Agent().close();\n");
  const runs = quick ? 7 : 21;
  const bundle: number[] = [];
  const bare: number[] = [];
  const coreOnly: number[] = [];
  const undiciOnly: number[] = [];
  await timeProcess([entry], env);
  for (let i = 0; i < runs; i++) {
    bundle.push(await timeProcess([entry], env));
    bare.push(await timeProcess(['-e', '0'], env));
    coreOnly.push(await timeProcess([floor], env));
    undiciOnly.push(await timeProcess([undiciFloor], env));
  }
  for (const file of [floor, undiciFloor]) rmSync(dirname(file), { recursive: true, force: true });
  const memory = median([
    await peakRss([entry], env),
    await peakRss([entry], env),
    await peakRss([entry], env),
  ]);
  const bareMemory = median([
    await peakRss(['-e', '0'], env),
    await peakRss(['-e', '0'], env),
    await peakRss(['-e', '0'], env),
  ]);
  await emulator.stop();
  const bundleBytes = ['dist/main', 'dist/post'].map((folder) =>
    readdirSync(join(ROOT, folder))
      .filter((f) => f.endsWith('.js'))
      .reduce((sum, f) => sum + statSync(join(ROOT, folder, f)).size, 0),
  );
  return {
    runs,
    listRunMs: median(bundle),
    bareNodeMs: median(bare),
    ratio: median(bundle) / median(bare),
    target: 2.0,
    coreOnlyMs: median(coreOnly),
    coreOnlyRatio: median(coreOnly) / median(bare),
    undiciOnlyMs: median(undiciOnly),
    undiciOnlyRatio: median(undiciOnly) / median(bare),
    mainBundleKiB: (bundleBytes[0] ?? 0) / 1024,
    postBundleKiB: (bundleBytes[1] ?? 0) / 1024,
    peakRssMiB: memory,
    bareNodePeakRssMiB: bareMemory,
  };
}

/**
 * A floor: a bundle of one package and a line that uses it, built with ncc like dist/. Every action
 * on @actions/core, or on undici, pays at least this much before doing anything.
 */
function floorBundle(code: string): string {
  const dir = mkdtempSync(join(ROOT, 'node_modules', '.bench-floor-'));
  const source = join(dir, 'floor.mjs');
  writeFileSync(source, code);
  const built = spawnSync(
    join(ROOT, 'node_modules/.bin/ncc'),
    ['build', source, '-o', dir, '-m', '-q', '--no-cache'],
    {
      encoding: 'utf8',
    },
  );
  if (built.status !== 0) throw new Error(`ncc failed: ${built.stderr}`);
  const out = join(dir, 'index.mjs');
  return out;
}

async function waiting(durationMs: number, simulated: boolean) {
  const clock = simulated ? new VirtualClock() : undefined;
  const emulator = new Emulator({
    token: TOKEN,
    timings: { snapshotMs: durationMs },
    ...(clock ? { now: clock.now } : {}),
  });
  const baseUrl = await emulator.start();
  const client = new SnapshotsClient({ baseUrl, token: TOKEN });
  const waitClock: Clock = clock ?? realClock;
  const { snapshot } = await client.createSnapshot({ serverId: 12345, name: 'bench' }, new Set());
  const createdAt = waitClock.now();
  const before = emulator.requests('list').length;
  await waitForSnapshots(client, [{ id: snapshot.id, serverId: 12345, name: 'bench' }], {
    timeoutMs: 2 * 3_600_000,
    logger: silentLogger,
    clock: waitClock,
    startedAt: createdAt,
  });
  const noticedAt = waitClock.now();
  const requests = emulator.requests('list').length - before;
  await client.close();
  await emulator.stop();
  return {
    durationMs,
    simulated,
    detectionLagMs: noticedAt - createdAt - durationMs,
    listRequests: requests,
  };
}

async function fleet(servers: number) {
  const emulator = new Emulator({ token: TOKEN, timings: { snapshotMs: 3_000 } });
  const apiUrl = await emulator.start();
  const ids = Array.from({ length: servers }, (_, i) => 20_000 + i);
  for (const id of ids) emulator.model.addServer(TOKEN, id);
  const run = await runAction('main', {
    inputs: { api_url: apiUrl, api_token: TOKEN, server_id: ids.join(',') },
    timeoutMs: 120_000,
  });
  if (run.exitCode !== 0) throw new Error(`fleet of ${servers} failed:\n${run.stdout}`);
  const creates = emulator.requests('create');
  const lastCreate = creates.at(-1)?.at ?? 0;
  const polls = emulator.requests('list').filter((r) => r.at > lastCreate);
  const pages = polls.length;
  const pollCount = polls.filter((r) => r.query.page === undefined).length;
  await emulator.stop();
  return {
    servers,
    wallMs: run.durationMs,
    createRequests: creates.length,
    pollCount,
    listRequestsWhileWaiting: pages,
    requestsPerPoll: pollCount ? pages / pollCount : Number.NaN,
  };
}

function scheduleSvg(): string {
  const width = 640;
  const height = 300;
  const pad = 40;
  const horizon = 1_800_000;
  const points: { t: number; interval: number; count: number }[] = [];
  let t = 0;
  let count = 0;
  while (t <= horizon) {
    count += 1;
    points.push({ t, interval: pollInterval(t), count });
    t += pollInterval(t);
  }
  const x = (ms: number) => pad + ((width - 2 * pad) * ms) / horizon;
  const yInterval = (ms: number) => height - pad - ((height - 2 * pad) * ms) / 16_000;
  const yCount = (n: number) => height - pad - ((height - 2 * pad) * n) / 160;
  const path = (f: (p: (typeof points)[number]) => number) =>
    points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${f(p).toFixed(1)}`).join(' ');
  const ticks = [0, 5, 10, 15, 20, 25, 30]
    .map((m) => `<text x="${x(m * 60_000)}" y="${height - pad + 16}" text-anchor="middle">${m}m</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">
<title>Poll schedule: interval and cumulative requests against elapsed time, 0 to 30 minutes</title>
<rect width="100%" height="100%" fill="white"/>
<text x="${width / 2}" y="16" text-anchor="middle" font-size="13">Poll schedule: interval (blue, left, 0-16 s) and cumulative requests (orange, right, 0-160)</text>
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#888"/>
<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#888"/>
<line x1="${width - pad}" y1="${pad}" x2="${width - pad}" y2="${height - pad}" stroke="#888"/>
${ticks}
<text x="${pad - 4}" y="${yInterval(15_000)}" text-anchor="end">15s</text>
<text x="${width - pad + 4}" y="${yCount(146)}">146</text>
<path d="${path((p) => yInterval(p.interval))}" fill="none" stroke="#1f6feb" stroke-width="2"/>
<path d="${path((p) => yCount(p.count))}" fill="none" stroke="#d97706" stroke-width="2"/>
</svg>
`;
}

async function main(): Promise<void> {
  console.log(`Benchmark on Node ${process.versions.node}${quick ? ' (quick)' : ''}\n`);
  const start = await startup();
  console.log('start-up: a whole list run of dist/main versus `node -e 0`, interleaved, medians');
  console.table({
    'list run (ms)': start.listRunMs.toFixed(1),
    'bare node (ms)': start.bareNodeMs.toFixed(1),
    ratio: `${start.ratio.toFixed(2)} (target ≤ ${start.target})`,
    '@actions/core alone (ms)': `${start.coreOnlyMs.toFixed(1)} (ratio ${start.coreOnlyRatio.toFixed(2)})`,
    'undici alone (ms)': `${start.undiciOnlyMs.toFixed(1)} (ratio ${start.undiciOnlyRatio.toFixed(2)})`,
    'main bundle (KiB)': start.mainBundleKiB.toFixed(0),
    'post bundle (KiB)': start.postBundleKiB.toFixed(0),
    'peak RSS (MiB)': `${start.peakRssMiB.toFixed(1)} (bare node ${start.bareNodePeakRssMiB.toFixed(1)})`,
  });

  const waits = [
    await waiting(3_000, false),
    await waiting(20_000, false),
    await waiting(600_000, true),
    await waiting(1_800_000, true),
  ];
  const targets: Record<number, { lag: number; requests: number }> = {
    3000: { lag: 1_000, requests: Number.POSITIVE_INFINITY },
    20000: { lag: 2_000, requests: 20 },
    600000: { lag: 15_000, requests: 70 },
    1800000: { lag: 15_000, requests: 150 },
  };
  console.log(
    '\nwaiting: one snapshot on the emulator (3 s and 20 s in real time; 10 and 30 min on a simulated clock)',
  );
  console.table(
    waits.map((w) => {
      const target = targets[w.durationMs] as { lag: number; requests: number };
      return {
        operation: `${w.durationMs / 1000} s${w.simulated ? ' (simulated)' : ''}`,
        'noticed after (ms)': Math.round(w.detectionLagMs),
        'worst case (ms)': Math.round(pollInterval(w.durationMs)),
        'lag target (ms)': target.lag,
        'list requests': w.listRequests,
        'request target': Number.isFinite(target.requests) ? target.requests : '–',
        met: w.detectionLagMs <= target.lag && w.listRequests <= target.requests ? 'yes' : 'NO',
      };
    }),
  );

  const one = await fleet(1);
  const forty = await fleet(quick ? 10 : 40);
  console.log(
    `\nfleet: create on ${forty.servers} servers in one step versus one (3 s snapshots, the bundle as the runner runs it)`,
  );
  console.table(
    [one, forty].map((f) => ({
      servers: f.servers,
      'wall (ms)': Math.round(f.wallMs),
      creates: f.createRequests,
      polls: f.pollCount,
      'list requests per poll': f.requestsPerPoll.toFixed(2),
    })),
  );
  const fleetRatio = forty.wallMs / one.wallMs;
  console.log(`fleet wall time ratio: ${fleetRatio.toFixed(2)}`);

  const results = {
    date: new Date().toISOString(),
    node: process.versions.node,
    quick,
    startup: start,
    waiting: waits,
    fleet: { one, many: forty, wallTimeRatio: fleetRatio },
  };
  writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(ROOT, 'bench/poll-schedule.svg'), scheduleSvg());
  console.log('\nwrote bench/results.json and bench/poll-schedule.svg');
}

await main();
