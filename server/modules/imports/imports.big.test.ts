// The big import: a generated 100,000-row XLSX of workers with 1% bad rows, imported through
// the real upload and job runner, with a crash part-way and a resume by another runner. Exact counts,
// the error report's content, and the table itself are checked. The file is written once for both
// engines with exceljs's streaming writer.
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createJobRunner, DEFAULT_STALE_MS, type JobRunner } from '../../core/jobs.js';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildTwoProvinces } from '../org/org.factory.js';
import { XLSX_MIME } from './imports.files.js';
import type { ImportJobView } from './imports.schema.js';
import { workersImportHandler } from './imports.workers.js';

const ROWS = 100_000;
const PASSWORD = 'correct-horse-battery';
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚';
const nameOf = (i: number) => `${SURNAMES[i % 20]}${GIVEN[Math.floor(i / 20) % 20]}${GIVEN[Math.floor(i / 400) % 20]}`;
const phoneOf = (i: number) => `135${String(i).padStart(8, '0')}`;

// Row i (0-based) sits on spreadsheet line i + 2. Every hundredth row, from the 38th, is bad in one of
// four ways; the kinds cycle, so the report's lines can be predicted exactly.
const isBad = (i: number) => i % 100 === 37;
const badKind = (i: number) => Math.floor(i / 100) % 4;
const expectedReportLine = (i: number): string => {
  const line = i + 2;
  switch (badKind(i)) {
    case 0:
      return `${line},phone,手机号 12345 不是 11 位中国大陆手机号,12345 is not an 11-digit mainland China mobile number`;
    case 1:
      return `${line},platform,没有名称或代码为“NOPE”的平台,"There is no platform named or coded ""NOPE"""`;
    case 2:
      return `${line},name,姓名不能为空,Name is required`;
    default:
      return `${line},city,无法识别的城市“火星”（请填写城市名或 6 位行政区划代码）,"Unknown city ""火星"" (use the city name or its six-digit code)"`;
  }
};
const BAD = Array.from({ length: ROWS }, (_, i) => i).filter(isBad).length;

let folder = '';
let file = '';

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'convoy-big-import-'));
  file = join(folder, 'workers-100k.xlsx');
  const started = performance.now();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('劳动者');
  sheet.addRow(['姓名', '手机号', '平台', '平台工号', '工作类型', '车辆', '城市', '状态']).commit();
  for (let i = 0; i < ROWS; i++) {
    const row: (string | number)[] = [nameOf(i), Number(phoneOf(i)), 'SPEED', `B${i}`, '网约车', '汽车', i % 2 ? '成都' : '510100', '在职'];
    if (isBad(i)) {
      const kind = badKind(i);
      if (kind === 0) row[1] = '12345';
      else if (kind === 1) row[2] = 'NOPE';
      else if (kind === 2) row[0] = '';
      else row[6] = '火星';
    }
    sheet.addRow(row).commit();
  }
  sheet.commit();
  await workbook.commit();
  console.info(`generated ${ROWS} rows (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${Math.round(performance.now() - started)} ms`);
}, 120_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describeEachEngine('import of 100,000 workers from XLSX', (ctx) => {
  let admin: Session;

  beforeAll(async () => {
    const world = await buildTwoProvinces(ctx.db);
    await ctx.db.updateTable('platforms').set({ code: 'SPEED' }).where('id', '=', world.platform.id).execute();
    await ctx.createUser({ username: 'admin', password: PASSWORD, displayName: '管理员', grants: [{ role: 'org_admin', unitId: world.sichuan.id }] });
    admin = await ctx.login('admin', PASSWORD);
  });

  it('imports 99,000 rows, rejects the 1,000 bad ones by name, and survives a crash part-way', { timeout: 300_000 }, async () => {
    const started = performance.now();
    // The app's own runner stands aside: two runners of our own play the crash and the resume.
    await ctx.app.importJobs.stop();
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/imports/workers?fileName=workers-100k.xlsx',
      headers: { ...admin.headers, 'content-type': XLSX_MIME },
      payload: createReadStream(file),
    });
    expect(response.statusCode, response.body).toBe(202);
    const jobId = response.json<ImportJobView>().id;
    const jobOf = async () => (await ctx.app.inject({ method: 'GET', url: `/api/v1/imports/${jobId}`, headers: admin.headers })).json<ImportJobView>();

    const deps = { db: ctx.db, clock: ctx.clock, config: loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: ctx.url, LOG_LEVEL: 'silent' }) };
    // The first runner dies after 37 batches of 1,000, leaving the job running with a heartbeat going stale.
    let first: JobRunner | undefined = undefined;
    first = createJobRunner({ db: ctx.db, clock: ctx.clock, handlers: { workers: workersImportHandler(deps, { batchSize: 1000, afterBatch: (_job, n) => n === 37 && void first!.stop({ requeue: false }) }) } });
    first.start();
    await first.drain();
    const crashed = await jobOf();
    // 37,000 rows committed, of which 370 bad (one in every hundred).
    expect(crashed).toMatchObject({ status: 'running', rowsDone: 37_000, created: 36_630, rejected: 370 });
    expect(await countWorkers()).toBe(36_630);
    const crashedAt = performance.now();

    // The second resumes with the default batch sizes (larger ones, from 37,000 rows committed on).
    const second = createJobRunner({ db: ctx.db, clock: ctx.clock, handlers: { workers: workersImportHandler(deps) } });
    second.start();
    ctx.clock.advance(DEFAULT_STALE_MS + 1000);
    await second.drain();
    await second.stop();
    ctx.app.importJobs.start();
    const done = await jobOf();
    expect(done).toMatchObject({ status: 'done', format: 'xlsx', rowsDone: ROWS, rowsTotal: ROWS, created: ROWS - BAD, updated: 0, unchanged: 0, rejected: BAD, error: null });
    expect(BAD).toBe(1000);
    expect(await countWorkers()).toBe(ROWS - BAD);
    const errorRows = await ctx.db.selectFrom('importJobErrors').select((eb) => eb.fn.countAll().as('n')).where('jobId', '=', jobId).executeTakeFirstOrThrow();
    expect(Number(errorRows.n)).toBe(BAD);

    // The error report: one line per bad row, in row order, each naming its field and reason.
    const report = await ctx.app.inject({ method: 'GET', url: `/api/v1/imports/${jobId}/errors.csv`, headers: admin.headers });
    expect(report.statusCode).toBe(200);
    const lines = report.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(BAD + 1);
    const badRows = Array.from({ length: ROWS }, (_, i) => i).filter(isBad);
    // Spot checks at the start, on both sides of the crash, and at the end; then every line at once.
    expect(lines[1]).toBe('39,phone,手机号 12345 不是 11 位中国大陆手机号,12345 is not an 11-digit mainland China mobile number');
    expect(lines[2]).toBe('139,platform,没有名称或代码为“NOPE”的平台,"There is no platform named or coded ""NOPE"""');
    expect(lines[370]).toBe(expectedReportLine(36_937));
    expect(lines[371]).toBe(expectedReportLine(37_037));
    expect(lines[BAD]).toBe('99939,city,无法识别的城市“火星”（请填写城市名或 6 位行政区划代码）,"Unknown city ""火星"" (use the city name or its six-digit code)"');
    expect(lines.slice(1)).toEqual(badRows.map(expectedReportLine));

    // Spot checks in the table: rows on both sides of the crash landed as written, the bad ones did not.
    const sample = await ctx.db.selectFrom('workers').select(['platformWorkerId', 'name', 'cityCode', 'phoneTail']).where('platformWorkerId', 'in', ['B0', 'B36999', 'B37000', 'B99999', 'B37', 'B36937']).orderBy('id').execute();
    expect(sample).toEqual([
      { platformWorkerId: 'B0', name: nameOf(0), cityCode: '510100', phoneTail: '0000' },
      { platformWorkerId: 'B36999', name: nameOf(36_999), cityCode: '510100', phoneTail: '6999' },
      { platformWorkerId: 'B37000', name: nameOf(37_000), cityCode: '510100', phoneTail: '7000' },
      { platformWorkerId: 'B99999', name: nameOf(99_999), cityCode: '510100', phoneTail: '9999' },
    ]);
    const finishedAt = performance.now();
    console.info(`[${ctx.engine}] 100k XLSX import: ${Math.round(crashedAt - started)} ms to the crash, ${Math.round(finishedAt - crashedAt)} ms to resume and check, ${Math.round(finishedAt - started)} ms in all`);
  });

  const countWorkers = async () => Number((await ctx.db.selectFrom('workers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
});
