// Which code a figure that runs the action should run: the committed bundle when it is what
// `npm run build` makes of src/ now, else the TypeScript source (dist/ lags src/ between builds).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../scripts/action-yml.ts';
import { type ActionCode, SOURCE_ENTRIES } from '../scripts/run-action.ts';

export interface CodeChoice {
  code: ActionCode;
  why: string;
}

/**
 * Builds the main entry as `npm run build` does, into a temporary folder so dist/ is left alone, and
 * compares it with dist/main/index.js. `--code=bundle` or `--code=source` overrides the check.
 */
export function chooseCode(argv: string[] = process.argv): CodeChoice {
  const forced = argv.find((a) => a.startsWith('--code='))?.slice('--code='.length);
  if (forced === 'bundle' || forced === 'source') return { code: forced, why: `--code=${forced}` };
  const dir = mkdtempSync(join(tmpdir(), 'bench-build-'));
  try {
    const built = spawnSync(
      join(ROOT, 'node_modules/.bin/ncc'),
      ['build', join(ROOT, SOURCE_ENTRIES.main), '-o', dir, '-m', '-q', '--no-cache'],
      { encoding: 'utf8', timeout: 300_000 },
    );
    if (built.status !== 0) {
      // ncc type-checks the whole project: a broken file anywhere (a test being written) fails the build.
      const first =
        /ERROR in (\S+)/.exec(built.stderr ?? '')?.[1]?.replace(`${ROOT}/`, '') ?? 'see npm run build';
      return {
        code: 'source',
        why: `a fresh build of src/ failed (${first}), so dist/ could not be checked`,
      };
    }
    const fresh = readFileSync(join(dir, 'index.js'));
    const committed = readFileSync(join(ROOT, 'dist/main/index.js'));
    return fresh.equals(committed)
      ? { code: 'bundle', why: 'dist/main is what npm run build makes of src/ now: what users run' }
      : { code: 'source', why: 'dist/main differs from a fresh build of src/ (stale while src/ changes)' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
