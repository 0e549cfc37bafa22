import { configDefaults, defineConfig } from 'vitest/config';

// Tiers, one vitest project each; `npm test` runs them all, `npm run test:<tier>` one or two.
//   unit:  in-process tests of src/, the emulator and the scripts (the inner loop, seconds)
//   e2e:   the TypeScript source run as the runner runs an action, against the emulator over HTTP
//   smoke: the committed dist/ run the same way, a few scenarios (.ci/run checks dist/ is fresh first)
//   soak:  the chaos soak, the source under random faults for about a minute
const SOAK = ['test/e2e/chaos.test.ts'];
const SMOKE = ['test/e2e/smoke.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/e2e/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SMOKE, ...SOAK],
        },
      },
      { extends: true, test: { name: 'smoke', include: SMOKE } },
      { extends: true, test: { name: 'soak', include: SOAK } },
    ],
  },
});
