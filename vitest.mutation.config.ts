import { configDefaults, defineConfig } from 'vitest/config';

// The unit tier alone, for Stryker (stryker.config.json, `npm run test:mutation`). The same files as the
// `unit` project of vitest.config.ts, without its siblings: the e2e, smoke and soak tiers run src/ in child
// processes (or the bundle), so they cannot see a mutant switched on in this process, and they are slow.
// The pool is what Stryker's vitest runner (9.x) always sets, one worker thread; `isolate: false` keeps that
// worker's modules between files and between mutant runs. The unit tests keep no state between files (each
// starts and stops its own emulator): `vitest run --config vitest.mutation.config.ts --maxWorkers=1` passes
// them all, in 26 s on two shared cores where `npm run test:unit` took 39 s.
export default defineConfig({
  test: {
    name: 'unit',
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/e2e/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'threads',
    isolate: false,
  },
});
