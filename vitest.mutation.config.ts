import { configDefaults, defineConfig } from 'vitest/config';

// The unit tier alone, for Stryker (stryker.config.json, `npm run test:mutation`). The same files as the
// `unit` project of vitest.config.ts, without its siblings: the e2e, smoke and soak tiers run src/ in child
// processes (or the bundle), so they cannot see a mutant switched on in this process, and they are slow.
// `isolate: false`: one worker runs every file (Stryker asks for one), and each mutant run re-imports
// nothing; the unit tests keep no state between files (each starts and stops its own emulator).
export default defineConfig({
  test: {
    name: 'unit',
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/e2e/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    isolate: false,
  },
});
