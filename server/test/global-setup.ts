// Vitest globalSetup of the `api` project: one throwaway PostgreSQL cluster per run, shared by every test
// file (each file makes its own database in it), so `npx vitest run` needs no server set up beforehand.
import type { TestProject } from 'vitest/node';
import { startPgCluster } from '../../scripts/pg-cluster.js';
import { ensureTestLogDir } from './test-logs.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test cluster's `postgres` database. */
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // No silent skip: the suite promises both engines, so a missing PostgreSQL fails the run with the fix.
  const cluster = await startPgCluster();
  project.provide('pgAdminUrl', cluster.adminUrl);
  // Every app the suites build logs to a file there (test-logs.ts); `npm test` scans them afterwards.
  const removeLogDir = ensureTestLogDir();
  return async () => {
    await cluster.stop();
    removeLogDir();
  };
}
