// Start-up: a whole list run of the committed bundle (dist/main) against `node -e 0`, interleaved, with
// the floors every action on @actions/core or undici pays, peak memory and the bundles' sizes.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Emulator } from '../emulator/index.ts';
import { ROOT } from '../scripts/action-yml.ts';
import { median, quick, TOKEN } from './common.ts';

export interface Startup {
  runs: number;
  listRunMs: number;
  bareNodeMs: number;
  ratio: number;
  target: number;
  coreOnlyMs: number;
  coreOnlyRatio: number;
  undiciOnlyMs: number;
  undiciOnlyRatio: number;
  /** @actions/core with @actions/github's context: what reading the run's context through it would cost. */
  githubContextMs: number;
  githubContextRatio: number;
  mainBundleKiB: number;
  postBundleKiB: number;
  peakRssMiB: number;
  bareNodePeakRssMiB: number;
}

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

/** Peak resident memory of one child process, in MiB, as it reports it on exit. */
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
    { encoding: 'utf8' },
  );
  if (built.status !== 0) throw new Error(`ncc failed: ${built.stderr}`);
  return join(dir, 'index.mjs');
}

/** The medians of `runs` interleaved starts of the bundle, bare node and the two floors. */
async function timeStarts(entry: string, env: NodeJS.ProcessEnv, runs: number) {
  const floor = floorBundle("import * as core from '@actions/core';\ncore.info('listed');\n");
  const undiciFloor = floorBundle("import { Agent } from 'undici';\nnew Agent().close();\n");
  const githubFloor = floorBundle(
    "import * as core from '@actions/core';\nimport { context } from '@actions/github';\ncore.info(context.sha);\n",
  );
  const times = {
    bundle: [] as number[],
    bare: [] as number[],
    core: [] as number[],
    undici: [] as number[],
    github: [] as number[],
  };
  try {
    await timeProcess([entry], env);
    for (let i = 0; i < runs; i++) {
      times.bundle.push(await timeProcess([entry], env));
      times.bare.push(await timeProcess(['-e', '0'], env));
      times.core.push(await timeProcess([floor], env));
      times.undici.push(await timeProcess([undiciFloor], env));
      times.github.push(await timeProcess([githubFloor], env));
    }
  } finally {
    for (const file of [floor, undiciFloor, githubFloor])
      rmSync(dirname(file), { recursive: true, force: true });
  }
  return {
    bundle: median(times.bundle),
    bare: median(times.bare),
    core: median(times.core),
    undici: median(times.undici),
    github: median(times.github),
  };
}

/** The median of three peak-memory readings of one command. */
async function medianPeakRss(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return median([await peakRss(args, env), await peakRss(args, env), await peakRss(args, env)]);
}

/** The size of the .js files in each of dist/main and dist/post, in KiB. */
function bundleKiB(): [number, number] {
  const [main, post] = ['dist/main', 'dist/post'].map((folder) =>
    readdirSync(join(ROOT, folder))
      .filter((f) => f.endsWith('.js'))
      .reduce((sum, f) => sum + statSync(join(ROOT, folder, f)).size, 0),
  );
  return [(main ?? 0) / 1024, (post ?? 0) / 1024];
}

export async function startup(): Promise<Startup> {
  const emulator = new Emulator({ token: TOKEN });
  const apiUrl = await emulator.start();
  const env = {
    PATH: process.env.PATH,
    INPUT_OPERATION: 'list',
    INPUT_API_URL: apiUrl,
    INPUT_API_TOKEN: TOKEN,
    GITHUB_OUTPUT: '/dev/null',
    GITHUB_STEP_SUMMARY: '/dev/null',
    RUNNER_TEMP: join(ROOT, 'bench'),
  };
  const entry = join(ROOT, 'dist/main/index.js');
  const runs = quick ? 7 : 21;
  try {
    const t = await timeStarts(entry, env, runs);
    const peakRssMiB = await medianPeakRss([entry], env);
    const bareNodePeakRssMiB = await medianPeakRss(['-e', '0'], env);
    const [mainBundleKiB, postBundleKiB] = bundleKiB();
    return {
      runs,
      listRunMs: t.bundle,
      bareNodeMs: t.bare,
      ratio: t.bundle / t.bare,
      target: 2.0,
      coreOnlyMs: t.core,
      coreOnlyRatio: t.core / t.bare,
      undiciOnlyMs: t.undici,
      undiciOnlyRatio: t.undici / t.bare,
      githubContextMs: t.github,
      githubContextRatio: t.github / t.bare,
      mainBundleKiB,
      postBundleKiB,
      peakRssMiB,
      bareNodePeakRssMiB,
    };
  } finally {
    await emulator.stop();
  }
}
