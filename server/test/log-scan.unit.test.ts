import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { idCardCheckCharacter } from '../core/sensitive.js';
import { findInLine, literalsIn, needlesOf, scanLogDir } from './log-scan.js';

const run = promisify(execFile);
const PHONE = '13987654321';
const ID_17 = '51010419880307123';
const ID = `${ID_17}${idCardCheckCharacter(ID_17)}`;

// Log lines as the servers write them (pino JSON, at trace level).
const request = (url: string) => `{"level":30,"time":1764921600123,"pid":42,"reqId":"5e0c8a51-2f3b-4c1d-9e8f-0a1b2c3d4e5f","req":{"method":"GET","url":"${url}"},"msg":"incoming request"}`;
const completed = `{"level":30,"time":1764921600130,"reqId":"87654321-1234-5678-9abc-def012345678","res":{"statusCode":200},"responseTime":4.87654321,"msg":"request completed"}`;

/** A run folder: recorded values, and logs of the given kinds. */
function runFolder(logs: Partial<Record<'api' | 'e2e', string[]>>, values = [`phone\t${PHONE}`, `idCard\t${ID}`]) {
  const dir = mkdtempSync(join(tmpdir(), 'convoy-scan-test-'));
  mkdirSync(join(dir, 'values'));
  writeFileSync(join(dir, 'values', 'suite.txt'), `${values.join('\n')}\n`);
  for (const [kind, lines] of Object.entries(logs)) {
    mkdirSync(join(dir, kind));
    writeFileSync(join(dir, kind, 'server-1.log'), `${lines.join('\n')}\n`);
  }
  folders.push(dir);
  return dir;
}
const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('the log scan', () => {
  const needles = needlesOf([PHONE, ID]);

  it.each([
    ['plain', `"msg":"called ${PHONE}"`, 'phone'],
    ['with spaces', `"msg":"called 139 8765 4321"`, 'phone'],
    ['with dashes', `"url":"/x/139-8765-4321"`, 'phone'],
    ['with +86', `"msg":"+86 139 8765 4321"`, 'phone'],
    ['as 86 and the number', `"msg":"8613987654321"`, 'phone'],
    ['its last eight digits alone', `"msg":"尾号 87654321 的司机"`, 'phone, last 8 digits'],
    ['an ID number', `"body":{"idCard":"${ID}"}`, 'ID number'],
    ['an ID number in groups, lower-case x', `"msg":"${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14).toLowerCase()}"`, 'ID number'],
  ])('finds a phone or ID number written %s', (_, line, kind) => {
    expect(findInLine(line, needles).map((n) => n.kind)).toContain(kind);
  });

  it.each([
    ['inside a longer number', `"time":1${PHONE}9`],
    ['as the digits of a timestamp', `"time":"2026-12-05T08:53:55.123Z"`],
    ['eight digits in a request id or response time', completed],
    ['eight digits inside a word', `"key":"ab87654321"`],
  ])('finds nothing %s', (_, line) => {
    expect(findInLine(line, needles)).toEqual([]);
  });

  it('picks phone and valid ID numbers out of source text, not other long numbers', () => {
    expect(literalsIn(`const phone = '${PHONE}'; const id = "${ID}"; const big = 999999999999999999; const ts = 17649216001234;`).sort()).toEqual([PHONE, ID].sort());
  });

  it('reports a planted phone number with its file and line, and passes the same logs without it', () => {
    const clean = runFolder({ api: [request('/api/v1/workers?q=…'), completed], e2e: [request('/me'), completed] });
    expect(scanLogDir(clean, { expect: ['api', 'e2e'] })).toMatchObject({ findings: [], problems: [], requestLines: { api: 2, e2e: 2 } });

    const planted = runFolder({ api: [request('/api/v1/workers?q=…'), `{"level":20,"msg":"looked up ${PHONE}"}`, completed], e2e: [request('/me'), completed] });
    const report = scanLogDir(planted, { expect: ['api', 'e2e'] });
    expect(report.findings).toEqual([{ file: join(planted, 'api', 'server-1.log'), line: 2, needle: { kind: 'phone', value: PHONE } }]);
  });

  it('cannot vouch for a run without logs, with an empty log, without request lines or without numbers to look for', () => {
    expect(scanLogDir(runFolder({ api: [request('/a'), completed] }), { expect: ['api', 'e2e'] }).problems).toEqual([expect.stringContaining('no e2e logs')]);
    expect(scanLogDir(runFolder({ api: [request('/a')], e2e: [''] }), { expect: ['api', 'e2e'] }).problems).toEqual(expect.arrayContaining([expect.stringContaining('is empty')]));
    expect(scanLogDir(runFolder({ api: ['{"msg":"listening"}'] }), { expect: ['api'] }).problems).toEqual([expect.stringContaining('no request lines')]);
    expect(scanLogDir(runFolder({ api: [request('/a')] }, []), { expect: ['api'] }).problems).toEqual([expect.stringContaining('no phone or ID numbers')]);
  });

  it('fails `npm test`’s last step with file:line when a log holds a phone number', async () => {
    const planted = runFolder({ api: [request('/api/v1/members'), `{"level":50,"err":{"message":"duplicate phone 139-8765-4321"}}`], e2e: [request('/me')] });
    const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/scan-logs.ts', planted, '--expect', 'api,e2e']).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/api\/server-1\.log:2: phone 139\*\*\*\*4321/);
  }, 60_000);
});
