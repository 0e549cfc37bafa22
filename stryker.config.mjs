// Mutation testing of src/ against the unit tier: `npm run test:mutation` (CONTRIBUTING.md says how to read
// it). Too slow for every submission, so not in .ci/run: .github/workflows/mutation.yml runs it weekly.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  // The unit files only (vitest.mutation.config.ts, isolate: false), in the one worker thread that the
  // runner always asks vitest for. `related`: a mutant of src/api/settle.ts runs only the test files that
  // import it, directly or not.
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  mutate: ['src/**/*.ts', '!src/entrypoints/**'],
  // A mutant of a module-level constant (FLEET_CONCURRENCY, DEFAULT_RETRY, ...) needs every test re-run
  // with the module re-imported: many times slower, for few mutants. Skipped; the tests that pin those
  // constants are named in CONTRIBUTING.md.
  ignoreStatic: true,
  coverageAnalysis: 'perTest',
  // Two cores, shared: one test runner (each mutant run is one vitest worker, which starts emulators).
  concurrency: 1,
  // Reuses the last run's results for code and tests that did not change. The file is local (gitignored);
  // delete it, or pass --force, for a full run.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  clearTextReporter: { allowEmojis: false, logTests: false, reportTests: false, reportScoreTable: true },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Some unit tests wait for real time limits (a stalled answer, a hang); a busy machine needs slack.
  timeoutMS: 10_000,
};
