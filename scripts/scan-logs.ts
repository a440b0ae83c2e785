// The last step of `npm test`: no personal data in the logs the suites' servers wrote.
// Usage: npx tsx scripts/scan-logs.ts [LOG_DIR] [--expect api,e2e]   (LOG_DIR defaults to $CONVOY_LOG_DIR)
// Fails, with file:line for each hit, when a log holds a phone or ID number the suites used, or when
// there was nothing worth scanning (see server/test/log-scan.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { literalsIn, masked, scanLogDir } from '../server/test/log-scan.js';
import { LOG_DIR_ENV, logKinds, type LogKind } from '../server/test/test-logs.js';

const root = resolve(import.meta.dirname, '..');
const { positionals, values } = parseArgs({ allowPositionals: true, options: { expect: { type: 'string' } } });
const dir = positionals[0] ?? process.env[LOG_DIR_ENV];
if (!dir) {
  console.error(`Usage: scan-logs.ts LOG_DIR [--expect api,e2e] (or set ${LOG_DIR_ENV})`);
  process.exit(2);
}
const expected = (values.expect ?? '').split(',').filter((k): k is LogKind => (logKinds as readonly string[]).includes(k));

// Numbers tests send that no database keeps (a rejected request's body, a look-up) are in their sources.
const sourceValues = new Set<string>();
for (const folder of ['server', 'e2e']) {
  for (const entry of readdirSync(join(root, folder), { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) for (const value of literalsIn(readFileSync(join(entry.parentPath, entry.name), 'utf8'))) sourceValues.add(value);
  }
}

const report = scanLogDir(dir, { extraValues: sourceValues, expect: expected });
const counts = logKinds.map((k) => `${k} ${report.files[k]} files/${report.requestLines[k]} requests`).join(', ');
console.log(`Log scan: ${report.lines} lines (${counts}) searched for ${report.values} phone and ID numbers (${report.needles} forms).`);
for (const problem of report.problems) console.error(`  cannot vouch for the logs: ${problem}`);
for (const finding of report.findings.slice(0, 50)) console.error(`  ${relative(process.cwd(), finding.file)}:${finding.line}: ${finding.needle.kind} ${masked(finding.needle.value)}`);
if (report.findings.length > 50) console.error(`  … and ${report.findings.length - 50} more`);
if (report.findings.length > 0 || report.problems.length > 0) {
  console.error(`Personal data in logs: ${report.findings.length} hit(s), ${report.problems.length} problem(s).`);
  process.exit(1);
}
console.log('No personal data in the logs.');
