// Turns Vitest's JSON report into the closing line of `npm test` and its exit status.
// Usage: node scripts/summarize-tests.mjs <report.json> <vitest exit status> <failures found before Vitest> [<Vitest's output>]
import { existsSync, readFileSync } from 'node:fs';

const [reportPath = 'test-results/vitest.json', vitestStatusArg = '0', extraArg = '0', outputPath] = process.argv.slice(2);
const vitestStatus = Number(vitestStatusArg);
let failed = Number(extraArg);
let passed = 0;
let skipped = 0;

if (existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file that fails to load or whose beforeAll throws may report no failed test; it still failed.
  for (const file of report.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed').length;
    if (file.status === 'failed' && failedTests === 0) {
      failed += 1;
      console.error(`Failed without a failing test: ${file.name}\n${(file.message ?? '').split('\n').slice(0, 5).join('\n')}`);
    }
  }
} else {
  console.error(`No test report at ${reportPath}: Vitest did not finish.`);
}

/**
 * Vitest prints errors outside any test (unhandled rejections, uncaught exceptions) in a section of its
 * own above the summary; a CI log that keeps only the tail loses them, so they are printed again last.
 */
function errorsOutsideTests(path) {
  if (!path || !existsSync(path)) return null;
  // eslint-disable-next-line no-control-regex
  const lines = readFileSync(path, 'utf8').replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const start = lines.findIndex((line) => /Unhandled (Errors|Rejection|Error)/.test(line));
  if (start < 0) return null;
  const end = lines.findIndex((line, i) => i > start && /^\s*Test Files\s/.test(line));
  return lines.slice(start, end < 0 ? undefined : end).filter((line) => line.trim() !== '').slice(0, 60).join('\n');
}

if (passed + failed === 0) console.error('No test ran.');
// Vitest also fails a run for errors outside any test (unhandled rejections, a globalSetup that throws).
if (vitestStatus !== 0 && failed === 0) {
  failed = 1;
  console.error(`Vitest exited with status ${vitestStatus} although no test failed: counted as one failure.`);
  const errors = errorsOutsideTests(outputPath);
  if (errors) console.error(`What Vitest printed about it (first lines; the whole output is ${outputPath}):\n${errors}`);
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
