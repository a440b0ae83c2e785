// Vitest globalSetup of the `e2e` project (picked up by vitest.config.ts when this file exists): the demo
// servers the journeys start log everything to files in the run's log folder (server/test/test-logs.ts),
// which `npm test` scans for personal data afterwards.
import { ensureTestLogDir } from '../server/test/test-logs.js';

export default function setup(): () => void {
  return ensureTestLogDir();
}
