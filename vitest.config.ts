import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Three projects run one after another (sequence.groupOrder), so each gets the whole machine: fast
// unit files first, then the HTTP suites on both databases, then the browser journeys one file at a
// time (one Chromium and one app server is what 2 cores take without timeouts turning flaky).
const cores = availableParallelism();
const unitPatterns = ['server/**/*.rules.test.ts', 'server/**/*.unit.test.ts', 'web/**/*.unit.test.ts', 'bench/**/*.unit.test.ts'];
const ignored = ['**/node_modules/**', 'web/dist/**', 'data/**', 'test-results/**'];

// The browser helper may start the app once for all journeys; the config picks that up when it exists.
const e2eGlobalSetup = ['e2e/global-setup.ts'].filter((file) => existsSync(file));

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    // A failing test prints its own output; passing ones stay quiet so the log shows what matters.
    silent: 'passed-only',
    projects: [
      {
        test: {
          name: 'unit',
          include: unitPatterns,
          exclude: ignored,
          sequence: { groupOrder: 0 },
          maxWorkers: cores,
        },
      },
      {
        test: {
          name: 'api',
          include: ['server/**/*.test.ts'],
          exclude: [...ignored, ...unitPatterns],
          globalSetup: ['server/test/global-setup.ts'],
          pool: 'forks',
          // Each file spends most of its time waiting on SQLite or the PostgreSQL server, so one worker
          // per core keeps both cores busy while the server gets its share.
          maxWorkers: cores,
          // Tests that start processes (the CLI, a server to kill) or hash many passwords set a longer one.
          testTimeout: 30_000,
          // beforeAll creates and migrates a database on each engine and logs people in (scrypt).
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          exclude: ignored,
          globalSetup: e2eGlobalSetup,
          fileParallelism: false,
          maxWorkers: 1,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
