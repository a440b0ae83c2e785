import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createJobRunner, DEFAULT_STALE_MS, type JobRunner } from '../../core/jobs.js';
import { personTokens } from '../../core/text-search.js';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildTwoProvinces, buildUnit } from '../org/org.factory.js';
import { CONTENDED_ROWS } from './imports.batches.js';
import { XLSX_MIME } from './imports.files.js';
import type { ImportJobView } from './imports.schema.js';
import { workersImportHandler } from './imports.workers.js';

const PASSWORD = 'correct-horse-battery';
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚';

const nameOf = (i: number) => `${SURNAMES[i % 20]}${GIVEN[Math.floor(i / 20) % 20]}${GIVEN[Math.floor(i / 400) % 20]}`;
const phoneOf = (i: number) => `139${String(i).padStart(8, '0')}`;
const csvOf = (header: string[], rows: string[][]) => [header, ...rows].map((r) => r.join(',')).join('\n') + '\n';
const CN_HEADER = ['姓名', '手机号', '平台', '平台工号', '工作类型', '车辆', '城市', '状态'];

type Bad = { line: number; field: string; zh: string };

describeEachEngine('imports', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let admin: Session;
  let platformCode: string;
  const bad: Bad[] = [];
  let bigCsv = '';

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    platformCode = world.platform.code;
    // A branch of the platform in Shenzhen: outside a Sichuan admin's scope.
    await buildUnit(ctx.db, { parent: world.shenzhen, kind: 'mobile_branch', name: '速达出行深圳流动党员党支部', platformId: world.platform.id, cityCode: '440300' });
    await ctx.createUser({ username: 'admin', password: PASSWORD, displayName: '管理员', grants: [{ role: 'org_admin', unitId: world.sichuan.id }] });
    admin = await ctx.login('admin', PASSWORD);

    // 2,000 rows, 25 of them bad in exactly one way each (line = index + 2: the header is line 1).
    const rows: string[][] = [];
    for (let i = 0; i < 2000; i++) {
      const row = [nameOf(i), phoneOf(i), platformCode, `W${i}`, '网约车', '汽车', i % 2 ? '成都' : '510100', '在职'];
      const line = i + 2;
      if (i % 80 === 7) {
        const kind = Math.floor(i / 80) % 5;
        const [field, column, value, zh] = (
          [
            ['phone', 1, '12345', '手机号 12345 不是 11 位中国大陆手机号'],
            ['platform', 2, 'nope', '没有名称或代码为“nope”的平台'],
            ['name', 0, '', '姓名不能为空'],
            ['phone', 1, phoneOf(i - 1), '已有使用这个手机号的劳动者记录'],
            ['', 6, '深圳', '该劳动者所属的服务组织不在您的管辖范围内'],
          ] as const
        )[kind]!;
        row[column] = value;
        bad.push({ line, field, zh });
      }
      rows.push(row);
    }
    bigCsv = csvOf(CN_HEADER, rows);
  });

  const upload = async (body: string | Buffer, query: string, contentType = 'text/csv') => {
    const response = await ctx.app.inject({ method: 'POST', url: `/api/v1/imports/workers?${query}`, headers: { ...admin.headers, 'content-type': contentType }, payload: body });
    expect(response.statusCode, response.body).toBe(202);
    return response.json<ImportJobView>();
  };
  const jobOf = async (id: number) => (await ctx.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: admin.headers })).json<ImportJobView>();
  const importFile = async (body: string | Buffer, query: string, contentType?: string) => {
    const queued = await upload(body, query, contentType);
    await ctx.app.importJobs.drain();
    return jobOf(queued.id);
  };
  const workerCount = async () => Number((await ctx.db.selectFrom('workers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  /** Runs the queued jobs to their end on a runner of its own, with these handler options (the app's waits meanwhile). */
  const runImportWith = async (options: Parameters<typeof workersImportHandler>[1]) => {
    await ctx.app.importJobs.stop();
    const config = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: ctx.url, LOG_LEVEL: 'silent' });
    const runner = createJobRunner({ db: ctx.db, clock: ctx.clock, handlers: { workers: workersImportHandler({ db: ctx.db, clock: ctx.clock, config }, options) } });
    runner.start();
    await runner.drain();
    await runner.stop();
    ctx.app.importJobs.start();
  };

  it('imports 2,000 rows: valid ones land, each bad row is rejected with its reason in the error report', async () => {
    const job = await importFile(bigCsv, 'fileName=workers.csv');
    expect(job).toMatchObject({ status: 'done', rowsDone: 2000, rowsTotal: 2000, created: 1975, updated: 0, unchanged: 0, rejected: 25, error: null });
    expect(job.mapping).toMatchObject({ name: '姓名', phone: '手机号', platformWorkerId: '平台工号' });
    expect(await workerCount()).toBe(1975);
    // Rows of the bulk insert are found by name and phone tail (through their search grams).
    for (const q of [nameOf(1234), '1234']) {
      const found = await ctx.app.inject({ method: 'GET', url: `/api/v1/workers?q=${encodeURIComponent(q)}`, headers: admin.headers });
      expect(found.json<{ items: { name: string }[] }>().items.map((w) => w.name)).toEqual([nameOf(1234)]);
    }
    // Each new worker's grams are exactly their tokens beside their stored sort key and unit path, as
    // writeSearchGrams would have written them from the row (the import writes them from what it inserted).
    const stored = await ctx.db.selectFrom('workers').select(['id', 'name', 'nameSort', 'unitPath', 'phoneTail']).execute();
    const expected = stored.flatMap((w) => personTokens(w.name, w.phoneTail).map((gram) => `${gram}|${w.nameSort}|${w.id}|${w.unitPath}`)).sort();
    const grams = await ctx.db.selectFrom('workersGrams').select(['gram', 'sortKey', 'personId', 'unitPath']).execute();
    expect(grams.map((g) => `${g.gram}|${g.sortKey}|${g.personId}|${g.unitPath}`).sort()).toEqual(expected);

    const report = await ctx.app.inject({ method: 'GET', url: `/api/v1/imports/${job.id}/errors.csv`, headers: admin.headers });
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toContain('text/csv');
    const lines = report.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('行号 row,字段 field,原因,reason');
    expect(lines).toHaveLength(26);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(bad.map((b) => `${b.line},${b.field},${b.zh}`));
    expect(lines[1]).toContain('12345 is not an 11-digit mainland China mobile number');
  });

  it('re-importing the same file changes nothing: every valid row is unchanged', async () => {
    const job = await importFile(bigCsv, 'fileName=workers.csv');
    expect(job).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 1975, rejected: 25 });
    expect(await workerCount()).toBe(1975);
  });

  it('updates a changed row, and the new name is searchable', async () => {
    const csv = csvOf(CN_HEADER, [
      ['欧阳新名', phoneOf(0), platformCode, 'W0', '网约车', '汽车', '510100', '离职'],
      [nameOf(2), phoneOf(2), platformCode, 'W2', '网约车', '汽车', '510100', '在职'],
    ]);
    const job = await importFile(csv, 'fileName=change.csv');
    expect(job).toMatchObject({ status: 'done', created: 0, updated: 1, unchanged: 1, rejected: 0 });
    const found = await ctx.app.inject({ method: 'GET', url: `/api/v1/workers?q=${encodeURIComponent('阳新')}`, headers: admin.headers });
    expect(found.json<{ items: { name: string; status: string }[] }>().items).toMatchObject([{ name: '欧阳新名', status: 'inactive' }]);
  });

  it('a dry run validates and counts, writing no worker', async () => {
    const csv = csvOf(['name', 'phone', 'platform', 'platformWorkerId', 'city'], [
      ['新人甲', '13800000001', platformCode, 'N1', '510100'],
      ['新人乙', 'bad', platformCode, 'N2', '510100'],
    ]);
    const job = await importFile(csv, 'fileName=dry.csv&dryRun=true');
    expect(job).toMatchObject({ status: 'done', dryRun: true, created: 1, rejected: 1 });
    expect(await workerCount()).toBe(1975);
  });

  it('refuses a file without the required columns before queuing it', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/imports/workers?fileName=x.csv', headers: { ...admin.headers, 'content-type': 'text/csv' }, payload: 'foo,bar\n1,2\n' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].message).toContain('姓名');
  });

  it('imports an XLSX file with English headers and numeric phone cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('workers');
    sheet.addRow(['Name', 'Phone', 'Platform', 'Platform worker id', 'City', 'Vehicle']);
    for (let i = 0; i < 300; i++) sheet.addRow([nameOf(i), Number(`137${String(i).padStart(8, '0')}`), world.platform.name, `X${i}`, '成都市', i === 5 ? 'rocket' : 'car']);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const job = await importFile(buffer, 'fileName=workers.xlsx', XLSX_MIME);
    expect(job).toMatchObject({ status: 'done', format: 'xlsx', rowsDone: 300, created: 299, rejected: 1 });
    const report = await ctx.app.inject({ method: 'GET', url: `/api/v1/imports/${job.id}/errors.csv`, headers: admin.headers });
    expect(report.body).toContain('7,vehicle,无法识别的车辆“rocket”,"Unknown vehicle ""rocket"""');
  });

  it('exports the filtered list with masked phones, and unmasks (audited) for those allowed', async () => {
    const csv = await ctx.app.inject({ method: 'GET', url: `/api/v1/workers/export.csv?q=${encodeURIComponent('阳新')}`, headers: admin.headers });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toEqual(['姓名,手机号,平台,平台工号,工作类型,车辆,城市,城市名称,状态,服务组织编号', `欧阳新名,139****0000,${platformCode},W0,ride_hailing,car,510100,成都市,inactive,${world.branchA.id}`]);

    const xlsx = await ctx.app.inject({ method: 'GET', url: '/api/v1/workers/export.xlsx?status=active&unmask=true', headers: admin.headers });
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
    const rows = book.worksheets[0]!.getSheetValues().filter(Boolean);
    // 1975 imported + 299 from the XLSX, less the one made inactive, plus the header.
    expect(rows).toHaveLength(1975 + 299 - 1 + 1);
    expect(rows.slice(1).every((r) => /^1\d{10}$/.test(String((r as unknown[])[2])))).toBe(true);
    const audit = await ctx.db.selectFrom('auditLog').select(['action', 'detail']).where('action', '=', 'worker.export').orderBy('id').execute();
    expect(audit.map((a) => JSON.parse(a.detail!) as { unmasked: boolean; format: string })).toMatchObject([{ format: 'csv', unmasked: false }, { format: 'xlsx', unmasked: true }]);
  });

  it('commits a batch in parts of 500 rows while other writers wait, and in one piece when none do', async () => {
    for (const [waiting, prefix, expected] of [[1, 'P', [1, 2, 3]], [0, 'Q', [1]]] as const) {
      const rows = Array.from({ length: 1200 }, (_, i) => [nameOf(i), `135${waiting}${String(i).padStart(7, '0')}`, platformCode, `${prefix}${i}`, '', '', '510100', '']);
      await ctx.app.importJobs.stop();
      const queued = await upload(csvOf(CN_HEADER, rows), `fileName=${prefix}.csv`);
      const committed: number[] = [];
      await runImportWith({ batchSize: 2000, writersWaiting: () => waiting, afterBatch: (_job, n) => void committed.push(n) });
      // Transactions committed: 500 + 500 + 200 rows, or all 1,200 at once.
      expect(committed).toEqual(expected);
      expect(await jobOf(queued.id)).toMatchObject({ status: 'done', rowsDone: 1200, created: 1200, rejected: 0 });
    }
  });

  it('takes a transaction back whole when a writer comes between any two of its statements, and goes on in parts', async () => {
    // Row 1,000 (third slice) renames the worker row 10 creates (first slice): what a taken-back transaction
    // decided must be forgotten, and the rows decided again.
    const fileOf = (prefix: string, phone: string) => {
      const rows = Array.from({ length: 1200 }, (_, i) => [nameOf(i), `${phone}${String(i).padStart(7, '0')}`, platformCode, `${prefix}${i}`, '', '', '510100', '']);
      rows[1000] = ['欧阳后改', rows[10]![1]!, platformCode, `${prefix}10`, '', '', '510100', ''];
      return csvOf(CN_HEADER, rows);
    };
    const count = (prefix: string) =>
      ctx.db.selectFrom('workers').select((eb) => eb.fn.countAll().as('n')).where('platformWorkerId', 'like', `${prefix}%`).executeTakeFirstOrThrow().then((r) => Number(r.n));
    // Without writers: every look for them (one before the transaction, one after each of its statements
    // until finish is done, one after each slice), in one transaction of 1,200 rows (1,199 workers: one row
    // renames another).
    await ctx.app.importJobs.stop();
    await upload(fileOf('N', '1349'), 'fileName=N.csv');
    let looks = 0;
    const alone: Promise<number>[] = [];
    await runImportWith({ batchSize: 1200, checkEveryRows: 400, writersWaiting: () => ((looks += 1), 0), afterBatch: () => void alone.push(count('N')) });
    expect(await Promise.all(alone)).toEqual([1199]);
    const lookCount = looks;
    expect(lookCount).toBeGreaterThan(12);

    // The writer comes after the first statement, in the middle, and after the last of finish's inserts.
    for (const [at, prefix, phone] of [[2, 'Ja', '1341'], [Math.floor(lookCount / 2), 'Jb', '1342'], [lookCount, 'Jc', '1343']] as const) {
      await ctx.app.importJobs.stop();
      const queued = await upload(fileOf(prefix, phone), `fileName=${prefix}.csv`);
      let look = 0;
      const committed: Promise<number>[] = [];
      await runImportWith({ batchSize: 1200, checkEveryRows: 400, quietMs: 60_000, writersWaiting: () => ((look += 1) === at ? 1 : 0), afterBatch: () => void committed.push(count(prefix)) });
      // Nothing of the first transaction stayed: the rows went again in parts of CONTENDED_ROWS.
      expect(await Promise.all(committed), `writer at look ${at}`).toEqual([CONTENDED_ROWS, 2 * CONTENDED_ROWS, 1199]);
      expect(await jobOf(queued.id)).toMatchObject({ status: 'done', rowsDone: 1200, created: 1199, updated: 1, unchanged: 0, rejected: 0 });
      const renamed = await ctx.db.selectFrom('workers').select(['id', 'name']).where('platformWorkerId', '=', `${prefix}10`).executeTakeFirstOrThrow();
      expect(renamed.name).toBe('欧阳后改');
      const grams = await ctx.db.selectFrom('workersGrams').select('gram').where('personId', '=', renamed.id).execute();
      expect(grams.map((g) => g.gram).sort()).toEqual([...personTokens('欧阳后改', '0010')].sort());
    }
  });

  it('after a transaction is taken back, the next whole one holds half its rows, and each committed doubles that', async () => {
    await ctx.app.importJobs.stop();
    const rows = Array.from({ length: 2400 }, (_, i) => [nameOf(i), `1345${String(i).padStart(7, '0')}`, platformCode, `K${i}`, '', '', '510100', '']);
    await upload(csvOf(CN_HEADER, rows), 'fileName=K.csv');
    let looks = 0;
    const committed: Promise<number>[] = [];
    const count = () => ctx.db.selectFrom('workers').select((eb) => eb.fn.countAll().as('n')).where('platformWorkerId', 'like', 'K%').executeTakeFirstOrThrow().then((r) => Number(r.n));
    // No quiet spell asked for: the writer comes once, during the first transaction of 2,400 rows.
    let gaveWay = 0;
    await runImportWith({
      batchSize: 2400,
      quietMs: 0,
      writersWaiting: () => ((looks += 1) === 3 ? 1 : 0),
      giveWay: async () => void (gaveWay += 1),
      afterBatch: () => void committed.push(count()),
    });
    // 1,200 rows, then at most 2,400 (the 1,200 left).
    expect(await Promise.all(committed)).toEqual([1200, 2400]);
    // Every transaction, the one taken back too, first lets waiting writers in: the import thread's giveWay is
    // where background work's writers, which never make it take a transaction back, get their turn.
    expect(gaveWay).toBe(3);
  });

  it('writes the grams of a worker created and then changed within one transaction from its last name only', async () => {
    await ctx.app.importJobs.stop();
    // Row 1,000 (in the third slice) changes the name of the worker row 10 created (in the first).
    const rows = Array.from({ length: 1200 }, (_, i) => [nameOf(i), `1346${String(i).padStart(7, '0')}`, platformCode, `G${i}`, '', '', '510100', '']);
    rows[1000] = ['欧阳改名', rows[10]![1]!, platformCode, 'G10', '', '', '510100', ''];
    const queued = await upload(csvOf(CN_HEADER, rows), 'fileName=G.csv');
    await runImportWith({ batchSize: 1200, checkEveryRows: 400 });
    expect(await jobOf(queued.id)).toMatchObject({ status: 'done', rowsDone: 1200, created: 1199, updated: 1, rejected: 0 });
    const stored = await ctx.db.selectFrom('workers').select(['id', 'name', 'nameSort', 'unitPath', 'phoneTail']).where('platformWorkerId', 'like', 'G%').execute();
    expect(stored.find((w) => w.name === '欧阳改名')).toBeDefined();
    const expected = stored.flatMap((w) => personTokens(w.name, w.phoneTail).map((gram) => `${gram}|${w.nameSort}|${w.id}|${w.unitPath}`)).sort();
    const ids = stored.map((w) => w.id);
    const grams = await ctx.db.selectFrom('workersGrams').select(['gram', 'sortKey', 'personId', 'unitPath']).where('personId', 'in', ids).execute();
    expect(grams.map((g) => `${g.gram}|${g.sortKey}|${g.personId}|${g.unitPath}`).sort()).toEqual(expected);
  });

  it('lets later rows of a transaction meet the workers it created, and inserts those by unit, then name', async () => {
    await ctx.app.importJobs.stop();
    // One transaction in three slices of 400 rows; its new workers reach the table only at its end.
    const phone = (i: number) => `1348${String(i).padStart(7, '0')}`;
    const rows = Array.from({ length: 1200 }, (_, i) => [nameOf(i), phone(i), platformCode, `H${i}`, '', '', '510100', '']);
    rows[500] = ['重号者', phone(10), platformCode, 'H-same-phone', '', '', '510100', '']; // the phone of row 10's new worker
    rows[600] = [nameOf(20), phone(5000), platformCode, 'H20', '', '', '510100', '']; // row 20's new worker changes phone…
    rows[900] = ['接号者', phone(20), platformCode, 'H-old-phone', '', '', '510100', '']; // …so its first one is free again
    rows[1100] = [...rows[30]!]; // row 30 again, unchanged
    const queued = await upload(csvOf(CN_HEADER, rows), 'fileName=H.csv');
    await runImportWith({ batchSize: 1200, checkEveryRows: 400 });
    expect(await jobOf(queued.id)).toMatchObject({ status: 'done', rowsDone: 1200, created: 1197, updated: 1, unchanged: 1, rejected: 1 });
    const errors = await ctx.db.selectFrom('importJobErrors').select(['rowNumber', 'field']).where('jobId', '=', queued.id).execute();
    expect(errors).toEqual([{ rowNumber: 502, field: 'phone' }]);
    const stored = await ctx.db.selectFrom('workers').select(['id', 'name', 'nameSort', 'unitPath', 'phoneTail', 'platformWorkerId']).where('platformWorkerId', 'like', 'H%').orderBy('id').execute();
    expect(stored).toHaveLength(1197);
    expect(stored.find((w) => w.platformWorkerId === 'H20')?.phoneTail).toBe('5000');
    expect(stored.find((w) => w.platformWorkerId === 'H-old-phone')?.phoneTail).toBe('0020');
    // Ids in insert order: each worker's (unit path, sort key) is at or after the one before (the file's rows are not).
    const before = (a: (typeof stored)[number], b: (typeof stored)[number]) => a.unitPath! < b.unitPath! || (a.unitPath === b.unitPath && a.nameSort <= b.nameSort);
    expect(stored.filter((w, i) => i > 0 && !before(stored[i - 1]!, w)).map((w) => w.platformWorkerId)).toEqual([]);
    expect(rows.slice(0, 50).every((row, i) => i === 0 || rows[i - 1]![0]! <= row[0]!)).toBe(false);
  });

  it('resumes after a crash from the last committed batch, counting each row once', async () => {
    await ctx.app.importJobs.stop();
    const rows = Array.from({ length: 1000 }, (_, i) => [nameOf(i), `136${String(i).padStart(8, '0')}`, platformCode, `C${i}`, '', '', '510100', i === 950 ? '??' : '']);
    const queued = await upload(csvOf(CN_HEADER, rows), 'fileName=crash.csv');
    const config = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: ctx.url, LOG_LEVEL: 'silent' });
    const deps = { db: ctx.db, clock: ctx.clock, config };
    let first: JobRunner | undefined = undefined;
    // The first runner dies after three batches of 100: the job is left running, its heartbeat going stale.
    first = createJobRunner({ db: ctx.db, clock: ctx.clock, handlers: { workers: workersImportHandler(deps, { batchSize: 100, afterBatch: (_job, n) => n === 3 && void first!.stop({ requeue: false }) }) } });
    first.start();
    await first.drain();
    expect(await jobOf(queued.id)).toMatchObject({ status: 'running', rowsDone: 300, created: 300 });

    const second = createJobRunner({ db: ctx.db, clock: ctx.clock, handlers: { workers: workersImportHandler(deps, { batchSize: 100 }) } });
    second.start();
    await second.drain();
    // Not yet stale: a live runner might still own it.
    expect((await jobOf(queued.id)).status).toBe('running');
    ctx.clock.advance(DEFAULT_STALE_MS + 1000);
    await second.drain();
    await second.stop();
    expect(await jobOf(queued.id)).toMatchObject({ status: 'done', rowsDone: 1000, rowsTotal: 1000, created: 999, updated: 0, unchanged: 0, rejected: 1 });
    expect(Number((await ctx.db.selectFrom('workers').select((eb) => eb.fn.countAll().as('n')).where('platformWorkerId', 'like', 'C%').executeTakeFirstOrThrow()).n)).toBe(999);
    ctx.app.importJobs.start();
  });
});
