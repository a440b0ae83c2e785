import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createJobRunner } from '../../core/jobs.js';
import { decryptNullable, sensitiveCodec } from '../../core/sensitive.js';
import { personTokens } from '../../core/text-search.js';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { testIdCard } from '../members/members.factory.js';
import { buildTwoProvinces } from '../org/org.factory.js';
import { XLSX_MIME } from './imports.files.js';
import { membersImportHandler } from './imports.members.js';
import type { ImportJobView } from './imports.schema.js';

const PASSWORD = 'correct-horse-battery';
const HEADER = ['姓名', '性别', '出生年份', '手机号', '身份证号', '入党日期', '状态', '所在支部', '流动党员', '组织关系所在地', '流动类型'];
const csvOf = (rows: (string | number)[][]) => [HEADER, ...rows].map((r) => r.join(',')).join('\n') + '\n';
const badIdCard = (n: number) => {
  const good = testIdCard(n);
  return good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
};

describeEachEngine('members import and export', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let admin: Session;
  let otherSecretary: Session;

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    await ctx.createUser({ username: 'admin', password: PASSWORD, displayName: '管理员', grants: [{ role: 'org_admin', unitId: world.sichuan.id }] });
    await ctx.createUser({ username: 'other', password: PASSWORD, displayName: '第二支部书记', grants: [{ role: 'branch_secretary', unitId: world.branchB.id }] });
    admin = await ctx.login('admin', PASSWORD);
    otherSecretary = await ctx.login('other', PASSWORD);
  });

  const importAs = async (session: Session, body: string | Buffer, query: string, contentType = 'text/csv') => {
    const response = await ctx.app.inject({ method: 'POST', url: `/api/v1/imports/members?${query}`, headers: { ...session.headers, 'content-type': contentType }, payload: body });
    expect(response.statusCode, response.body).toBe(202);
    await ctx.app.importJobs.drain();
    return (await ctx.app.inject({ method: 'GET', url: `/api/v1/imports/${response.json<ImportJobView>().id}`, headers: session.headers })).json<ImportJobView>();
  };
  const reportOf = async (session: Session, id: number) => {
    const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/imports/${id}/errors.csv`, headers: session.headers });
    return response.body.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1);
  };
  // The harness's secret: membership details are stored encrypted, and compared here in clear.
  const codec = sensitiveCodec('x'.repeat(40));
  const memberByName = async (name: string) => {
    const row = await ctx.db.selectFrom('members').selectAll().where('name', '=', name).executeTakeFirst();
    return row && { ...row, joinDate: codec.decrypt(row.joinDate), homeOrgText: decryptNullable(codec, row.homeOrgText) };
  };

  it('creates members from Chinese headers, names units by name or id, and reports each bad row', async () => {
    // A worker with the phone of 欧阳明华 already exists: the member is linked to them, not duplicated.
    const workerCsv = `姓名,手机号,平台,平台工号,城市\n欧阳明华,13812340001,${world.platform.code},P1,510100\n`;
    const workers = await ctx.app.inject({ method: 'POST', url: '/api/v1/imports/workers?fileName=w.csv', headers: { ...admin.headers, 'content-type': 'text/csv' }, payload: workerCsv });
    expect(workers.statusCode).toBe(202);
    await ctx.app.importJobs.drain();

    const job = await importAs(admin, csvOf([
      ['欧阳明华', '男', 1988, '13812340001', testIdCard(1), '2015-07-01', '正式党员', world.branchA.name, '否', '', ''],
      ['张伟', '女', 1990, '13812340002', testIdCard(2), '2018/7/1', '预备党员', world.branchB.id, '是', '四川省南充市某村党支部', '跨省流动'],
      ['李四', '男', 1985, '13812340003', badIdCard(3), '2015-07-01', '', world.branchA.name, '', '', ''],
      ['王五', '未知', 1985, '13812340004', testIdCard(4), '2015-07-01', '', world.branchA.name, '', '', ''],
      ['赵六', '男', 1985, '13812340005', testIdCard(5), '2015-07-01', '', world.committee.name, '', '', ''],
      ['钱七', '男', 1985, '13812340006', testIdCard(6), '2015-07-01', '', '不存在的支部', '', '', ''],
      ['孙八', '男', 1985, '13812340007', testIdCard(7), '2015-13-01', '', world.branchA.name, '', '', ''],
      ['周九', '男', 1985, '13812340001', testIdCard(8), '2015-07-01', '', world.branchA.name, '', '', ''],
      ['吴十', '女', 1992, '13812340009', testIdCard(9), '2020-01-01', '', String(world.branchA.id), '是', '', '星际流动'],
    ]), 'fileName=members.csv');
    expect(job).toMatchObject({ kind: 'members', status: 'done', rowsDone: 9, rowsTotal: 9, created: 2, updated: 0, unchanged: 0, rejected: 7, error: null });
    expect(job.mapping).toMatchObject({ name: '姓名', idCard: '身份证号', unit: '所在支部' });
    expect(await reportOf(admin, job.id)).toEqual([
      '4,idCard,身份证号码无效（校验位不符）,The ID number is not valid (check character mismatch)',
      '5,gender,无法识别的性别“未知”（男/女）,"Unknown gender ""未知"" (男/女)"',
      '6,unit,党员只能由流动党员党支部管理,Members are hosted by a mobile branch only',
      `7,unit,您的管辖范围内没有“不存在的支部”这个组织,"There is no unit ""不存在的支部"" within your scope"`,
      '8,joinDate,入党日期“2015-13-01”无效,"Join date ""2015-13-01"" is not valid"',
      '9,phone,已有使用这个手机号的党员记录,A member with this phone number is already recorded',
      '10,mobilityType,无法识别的流动类型“星际流动”,"Unknown mobility type ""星际流动"""',
    ]);
    const ouyang = await memberByName('欧阳明华');
    const worker = await ctx.db.selectFrom('workers').select('id').where('platformWorkerId', '=', 'P1').executeTakeFirstOrThrow();
    expect(ouyang).toMatchObject({ unitId: world.branchA.id, status: 'full', gender: 'male', joinDate: '2015-07-01', isMobile: 0, workerId: worker.id });
    expect(await memberByName('张伟')).toMatchObject({ unitId: world.branchB.id, status: 'probationary', joinDate: '2018-07-01', isMobile: 1, homeOrgText: '四川省南充市某村党支部', mobilityType: 'across_provinces' });
    // Searchable like any member.
    const found = await ctx.app.inject({ method: 'GET', url: `/api/v1/members?q=${encodeURIComponent('阳明')}`, headers: admin.headers });
    expect(found.json<{ items: { name: string }[] }>().items.map((m) => m.name)).toEqual(['欧阳明华']);
    // Each new member's grams are exactly their tokens beside their stored sort key and unit path.
    const stored = await ctx.db.selectFrom('members').select(['id', 'name', 'nameSort', 'unitPath', 'phoneTail']).execute();
    const expected = stored.flatMap((m) => personTokens(m.name, m.phoneTail).map((gram) => `${gram}|${m.nameSort}|${m.id}|${m.unitPath}`)).sort();
    const grams = await ctx.db.selectFrom('membersGrams').select(['gram', 'sortKey', 'personId', 'unitPath']).execute();
    expect(grams.map((g) => `${g.gram}|${g.sortKey}|${g.personId}|${g.unitPath}`).sort()).toEqual(expected);
  });

  it('upserts by ID number: unchanged, updated, and a change of branch refused (that is a transfer)', async () => {
    const job = await importAs(admin, csvOf([
      ['欧阳明华', '男', 1988, '13812340001', testIdCard(1), '2015-07-01', '正式党员', world.branchA.name, '否', '', ''],
      ['张伟', '女', 1990, '13812340002', testIdCard(2), '2018-07-01', '正式党员', world.branchB.id, '是', '四川省南充市某村党支部', '跨省流动'],
      ['欧阳明华', '男', 1988, '13812340001', testIdCard(1), '2015-07-01', '正式党员', world.branchB.name, '否', '', ''],
    ]), 'fileName=again.csv');
    expect(job).toMatchObject({ status: 'done', created: 0, updated: 1, unchanged: 1, rejected: 1 });
    expect(await reportOf(admin, job.id)).toEqual(['4,unit,导入不能更改党员所在支部，请办理组织关系转接,An import cannot move a member to another branch; request a transfer of relation instead']);
    expect(await memberByName('张伟')).toMatchObject({ status: 'full', unitId: world.branchB.id });
    expect(await memberByName('欧阳明华')).toMatchObject({ unitId: world.branchA.id });
  });

  it('keeps to the uploader’s scope: units and members outside it are refused; a dry run writes nothing', async () => {
    const job = await importAs(otherSecretary, csvOf([
      ['欧阳明华', '男', 1988, '13812340001', testIdCard(1), '2015-07-01', '正式党员', world.branchA.name, '否', '', ''],
      ['新人', '男', 1995, '13812340011', testIdCard(11), '2021-07-01', '', world.branchA.name, '', '', ''],
      ['新人二', '女', 1996, '13812340012', testIdCard(12), '2021-07-01', '', world.branchB.name, '', '', ''],
    ]), 'fileName=scope.csv&dryRun=true');
    expect(job).toMatchObject({ status: 'done', dryRun: true, created: 1, rejected: 2 });
    expect((await reportOf(otherSecretary, job.id)).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      '2,idCard,持该身份证号的党员由您管辖范围之外的支部管理',
      `3,unit,您的管辖范围内没有“${world.branchA.name}”这个组织`,
    ]);
    expect(await memberByName('新人二')).toBeUndefined();
  });

  it('imports an XLSX with English headers, and refuses a file without the required columns', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('members');
    sheet.addRow(['Name', 'Gender', 'Birth year', 'Phone', 'ID card', 'Join date', 'Unit']);
    sheet.addRow(['林一', 'female', 1991, 13812340021, testIdCard(21), new Date('2016-07-01T00:00:00Z'), world.branchA.id]);
    sheet.addRow(['林二', 'male', 1991, 13812340022, testIdCard(22), '2016-07-01', world.branchA.id]);
    const job = await importAs(admin, Buffer.from(await book.xlsx.writeBuffer()), 'fileName=members.xlsx', XLSX_MIME);
    expect(job).toMatchObject({ status: 'done', format: 'xlsx', created: 2, rejected: 0 });
    expect(await memberByName('林一')).toMatchObject({ gender: 'female', joinDate: '2016-07-01', status: 'full' });

    const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/imports/members?fileName=x.csv', headers: { ...admin.headers, 'content-type': 'text/csv' }, payload: '姓名,手机号\n甲,13800000000\n' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].message).toContain('身份证号');
  });

  it('exports members with the list’s filters, masked unless unmask=true, audited, and importable back', async () => {
    const csv = await ctx.app.inject({ method: 'GET', url: '/api/v1/members/export.csv?isMobile=true', headers: admin.headers });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/members-.*\.csv/);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toEqual([
      '姓名,性别,出生年份,手机号,身份证号,入党日期,状态,所在支部,支部名称,流动党员,组织关系所在地,流动类型',
      `张伟,女,1990,138****0002,510***********${testIdCard(2).slice(-4)},2018-07-01,正式党员,${world.branchB.id},${world.branchB.name},是,四川省南充市某村党支部,跨省流动`,
    ]);

    const xlsx = await ctx.app.inject({ method: 'GET', url: `/api/v1/members/export.xlsx?unitId=${world.branchA.id}&unmask=true`, headers: admin.headers });
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
    const rows = book.worksheets[0]!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(rows.map((r) => r[0])).toEqual(['姓名', '林二', '林一', '欧阳明华']);
    expect(rows[3]!.slice(0, 10)).toEqual(['欧阳明华', '男', 1988, '13812340001', testIdCard(1), '2015-07-01', '正式党员', world.branchA.id, world.branchA.name, '否']);

    // Another branch's secretary sees only their branch and may not unmask another's.
    const other = await ctx.app.inject({ method: 'GET', url: '/api/v1/members/export.csv', headers: otherSecretary.headers });
    expect(other.body.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((l) => l.split(',')[0])).toEqual(['张伟']);
    const refused = await ctx.app.inject({ method: 'GET', url: `/api/v1/members/export.csv?unitId=${world.branchA.id}&unmask=true`, headers: otherSecretary.headers });
    expect(refused.statusCode).toBe(404);

    const audit = await ctx.db.selectFrom('auditLog').select(['detail']).where('action', '=', 'member.export').orderBy('id').execute();
    expect(audit.map((a) => JSON.parse(a.detail!) as object)).toMatchObject([
      { format: 'csv', unmasked: false, filters: { isMobile: 'true' } },
      { format: 'xlsx', unmasked: true, filters: { unitId: world.branchA.id } },
      { format: 'csv', unmasked: false },
    ]);

    // The unmasked export is a valid import: every row unchanged.
    const exported = Buffer.from(xlsx.rawPayload);
    const job = await importAs(admin, exported, 'fileName=roundtrip.xlsx', XLSX_MIME);
    expect(job).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 3, rejected: 0 });
  });
  it('commits what is done at the slice under way when a writer comes (members are written as they are decided)', async () => {
    await ctx.app.importJobs.stop();
    const rows = Array.from({ length: 1200 }, (_, i) => {
      const born = 1970 + Math.floor(i / 1000);
      return [`党员${i}`, '男', born, `1370000${String(i).padStart(4, '0')}`, testIdCard(i, born), '2015-07-01', '正式党员', world.branchA.name, '是', '', ''];
    });
    const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/imports/members?fileName=cut.csv', headers: { ...admin.headers, 'content-type': 'text/csv' }, payload: csvOf(rows) });
    expect(response.statusCode, response.body).toBe(202);
    const count = () => ctx.db.selectFrom('members').select((eb) => eb.fn.countAll().as('n')).where('name', 'like', '党员%').executeTakeFirstOrThrow().then((r) => Number(r.n));
    // Nobody waits when the batch begins (one look); one writer comes during the first slice of 400 rows.
    let looks = 0;
    const committed: Promise<number>[] = [];
    const config = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: ctx.url, LOG_LEVEL: 'silent' });
    const options = { batchSize: 1200, checkEveryRows: 400, quietMs: 0, writersWaiting: () => ((looks += 1) === 2 ? 1 : 0), afterBatch: () => void committed.push(count()) };
    const runner = createJobRunner({ db: ctx.db, clock: ctx.clock, handlers: { members: membersImportHandler({ db: ctx.db, clock: ctx.clock, config }, options) } });
    runner.start();
    await runner.drain();
    await runner.stop();
    ctx.app.importJobs.start();
    // The first transaction commits the slice it had done; the second, the other 800 rows.
    expect(await Promise.all(committed)).toEqual([400, 1200]);
    const job = (await ctx.app.inject({ method: 'GET', url: `/api/v1/imports/${response.json<ImportJobView>().id}`, headers: admin.headers })).json<ImportJobView>();
    expect(job).toMatchObject({ status: 'done', rowsDone: 1200, created: 1200, rejected: 0 });
  });
});
