// Which code a run starts: the committed bundle that action.yml names, or the TypeScript source it is
// built from, run directly by Node 24's type stripping.
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, readActionYml } from './action-yml.ts';

/**
 * What runs. `bundle`: dist/, the entries action.yml names, exactly what a workflow runs, so it is only as
 * new as the last `npm run build`. `source`: src/entrypoints/*.ts, the entries `npm run build` bundles, so
 * a change to src/ is tested without a build.
 */
export type ActionCode = 'source' | 'bundle';

/** The entry points `npm run build` bundles into dist/main and dist/post. */
export const SOURCE_ENTRIES = { main: 'src/entrypoints/main.ts', post: 'src/entrypoints/post.ts' } as const;

/** The entry file of a step, relative to the repository root, and the Node options it needs. */
export function actionEntry(step: 'main' | 'post', code: ActionCode): { file: string; nodeArgs: string[] } {
  if (code === 'bundle') {
    const yml = readActionYml();
    return { file: step === 'main' ? yml.main : yml.post, nodeArgs: [] };
  }
  return { file: SOURCE_ENTRIES[step], nodeArgs: SOURCE_NODE_ARGS };
}

/**
 * Node options for the source only; the bundle gets none, it runs as the runner runs it. Node 24 strips the
 * types without a flag, but earlier 24.x releases print an ExperimentalWarning for it on stderr, noise to a
 * test that reads stderr (24.9 prints none). Loading src/ and node_modules file by file costs ~200 ms more
 * per start than the one-file bundle, enough to shift the timing-sensitive tests; Node's compile cache
 * (keyed by each file's content, so an edit is never served stale) takes that back to the bundle's ~100 ms.
 * Options, not environment variables, so the action's environment is exactly what the runner gives it.
 */
const SOURCE_NODE_ARGS = [
  '--disable-warning=ExperimentalWarning',
  '--import',
  `data:text/javascript,${encodeURIComponent(
    `import { enableCompileCache } from 'node:module'; enableCompileCache(${JSON.stringify(
      join(ROOT, 'node_modules/.cache/run-action'),
    )});`,
  )}`,
];

let sourceWarmed: Promise<void> | undefined;

/**
 * Fills Node's compile cache for the source, once per process: starts each entry with no inputs (main stops
 * at the input check, post finds no state, so neither sends a request). With a cold cache (after `npm ci`)
 * a source run starts in ~225 ms instead of ~110 ms, enough to lose the race in a timing-sensitive test run
 * on its own. Call it in a setup hook, not in the test, so its time is not counted against the test's.
 */
export function warmSource(): Promise<void> {
  sourceWarmed ??= Promise.all(
    Object.values(SOURCE_ENTRIES).map(
      (file) =>
        new Promise<void>((done) => {
          const child = spawn(process.execPath, [...SOURCE_NODE_ARGS, join(ROOT, file)], {
            env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() },
            cwd: tmpdir(),
            stdio: 'ignore',
          });
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          child.on('error', () => undefined);
          child.on('close', () => {
            clearTimeout(timer);
            done();
          });
        }),
    ),
  ).then(() => undefined);
  return sourceWarmed;
}
