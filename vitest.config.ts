import { defineConfig } from 'vitest/config';

// Three tiers: fast pure unit tests beside the code, integration tests that talk to a database
// (PGlite always, PostgreSQL when TEST_DATABASE_URL is set), and browser end-to-end tests.

// Line coverage the scientific and data core must keep (issue 8), checked per directory: one global figure would
// let a well-tested directory hide a poorly tested one. Enforced by `npm run test:coverage` (CI); `npm test` skips
// the instrumentation.
const COVERED_CORE = ['src/science', 'src/ml', 'src/chem', 'src/db'];
const MIN_LINES_PERCENT = 90;

export default defineConfig({
  test: {
    coverage: {
      provider: 'v8',
      // Every source file counts, loaded by a test or not, so an untested module shows as 0 % instead of vanishing.
      include: ['src/**/*.ts'],
      exclude: [
        'src/**/*.test.ts',
        // Entry points that only ever run in another process or thread (the forked PGlite host, the RDKit worker
        // thread). Every embedded-database and chemistry test runs them, but V8 coverage sees the test process only.
        'src/db/pglite-host.ts',
        'src/chem/worker.ts',
      ],
      reporter: ['text-summary', 'json-summary', 'html'],
      reportsDirectory: 'coverage',
      reportOnFailure: true, // a failing test should not also hide where coverage stands
      thresholds: Object.fromEntries(COVERED_CORE.map((dir) => [`${dir}/**`, { lines: MIN_LINES_PERCENT }])),
    },
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.int.test.ts', 'node_modules/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['src/**/*.int.test.ts', 'test/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['e2e/**/*.e2e.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
