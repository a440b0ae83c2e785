import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { type AppealWorld, buildAppealWorld } from '../appeals/appeals.factory.js';
import { sheetNames } from './privacy.export.js';
import type { PersonalData } from './privacy.schema.js';

describeEachEngine('privacy: my data and its deletion', (ctx) => {
  let w: AppealWorld;
  let address = 0;
  const ids = { appeal: 0, anonymousAppeal: 0 };

  const call = (session: Session | null, method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: session?.headers ?? {}, remoteAddress: `10.7.0.${(address++ % 250) + 1}`, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
    await ctx.db.updateTable('workers').set({ userId: w.users.driver }).where('id', '=', w.driverId).execute();
    expect((await call(w.sessions.driver, 'POST', `/api/v1/workers/${w.driverId}/consent`, { version: '2026-10', purpose: '联系服务与诉求处理', channel: 'mobile_page' })).statusCode).toBe(200);
    const filed = await call(w.sessions.driver, 'POST', '/api/v1/appeals', { category: 'income_fees', description: '平台抽成涨到28%，我的电话13912345678', anonymous: false, address: '成都市武侯区天府大道100号' });
    expect(filed.statusCode, filed.body).toBe(201);
    ids.appeal = filed.json<{ id: number }>().id;
    const anonymous = await call(w.sessions.driver, 'POST', '/api/v1/appeals', { category: 'account_penalties', description: '匿名：被平台无故封号三天', anonymous: true });
    ids.anonymousAppeal = anonymous.json<{ id: number }>().id;
    await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${ids.appeal}/replies`, { body: '已收到，正在与平台沟通', visibility: 'public' });
    await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${ids.appeal}/replies`, { body: '内部备注：该司机多次投诉', visibility: 'internal' });
    const added = await call(w.sessions.driver, 'POST', `/api/v1/me/appeals/${ids.appeal}/replies`, { body: '补充：扣费截图在我这里' });
    expect(added.statusCode, added.body).toBe(200);
    await ctx.db
      .insertInto('liaisonContacts')
      .values({ memberId: w.liaisonMemberId, workerId: w.driverId, contactedOn: '2026-11-20', channel: 'visit', notes: '家里老人生病，收入压力大', demandsRaised: null, createdAt: '2026-11-20T02:00:00.000Z', createdBy: w.users.liaison })
      .execute();
  });

  const exportOf = async (session: Session) => {
    const response = await call(session, 'GET', '/api/v1/me/data.json');
    expect(response.statusCode, response.body).toBe(200);
    return response.json<PersonalData>();
  };

  it('exports everything held about me as JSON: record with my full phone, consent history, my appeals with the public timeline, contacts about me, notifications; audited', async () => {
    const mine = await exportOf(w.sessions.driver);
    expect(mine.data.worker).toHaveLength(1);
    expect(mine.data.worker[0]).toMatchObject({ id: w.driverId, name: '王建军' });
    expect(mine.data.worker[0]!.phone).toMatch(/^137\d{8}$/);
    expect(mine.data.consentHistory).toEqual([expect.objectContaining({ action: 'worker.consent', version: '2026-10', channel: 'mobile_page' })]);
    expect(mine.data.appeals.map((a) => a.id)).toEqual([ids.appeal]);
    const bodies = mine.data.appealTimeline.map((e) => e.body);
    expect(bodies).toEqual(expect.arrayContaining(['已收到，正在与平台沟通', '补充：扣费截图在我这里']));
    // Staff working notes and the anonymous appeal are not the person's record: nothing ties them to him.
    expect(JSON.stringify(mine)).not.toContain('内部备注');
    expect(JSON.stringify(mine)).not.toContain('无故封号');
    expect(mine.data.liaisonContacts).toEqual([expect.objectContaining({ contactedOn: '2026-11-20', notes: '家里老人生病，收入压力大' })]);
    expect(mine.data.account).toEqual([expect.objectContaining({ username: 'driver', displayName: '王建军' })]);
    expect(mine.data.roles).toEqual([expect.objectContaining({ role: 'worker', unitName: w.branchB.name })]);
    const audit = await ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'privacy.export').where('userId', '=', w.users.driver).execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ format: 'json', rows: { appeals: 1, worker: 1 } });
    // The audit row says that an export happened and how big it was, never what it held.
    expect(audit[0]!.detail).not.toContain('王建军');
  });

  it('holds nothing of another person in my export', async () => {
    const other = await exportOf(w.sessions.otherDriver);
    expect(other.data.worker[0]).toMatchObject({ id: w.otherDriverId, name: '孙立新' });
    expect(other.data.appeals).toEqual([]);
    expect(other.data.liaisonContacts).toEqual([]);
    expect(JSON.stringify(other)).not.toContain('王建军');
    const staff = await exportOf(w.sessions.secretaryA);
    expect(staff.data.worker).toEqual([]);
    expect(staff.data.account).toEqual([expect.objectContaining({ username: 'secA' })]);
  });

  it('exports the same as XLSX, one sheet per kind', async () => {
    const response = await call(w.sessions.driver, 'GET', '/api/v1/me/data.xlsx');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(Object.values(sheetNames));
    const appeals = book.getWorksheet(sheetNames.appeals)!;
    const header = (appeals.getRow(1).values as unknown[]).slice(1);
    expect(header).toContain('description');
    expect(appeals.getRow(2).getCell(header.indexOf('id') + 1).value).toBe(ids.appeal);
    expect(book.getWorksheet(sheetNames.member)!.getRow(1).getCell(1).value).toBe('（无 / none）');
    const audit = await ctx.db.selectFrom('auditLog').select('detail').where('action', '=', 'privacy.export').where('userId', '=', w.users.driver).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ format: 'xlsx' });
  });

  it('refuses the export without a session', async () => {
    const response = await call(null, 'GET', '/api/v1/me/data.json');
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('lets a person withdraw a waiting request, and keeps one open request at a time', async () => {
    const first = await call(w.sessions.otherDriver, 'POST', '/api/v1/me/deletion-requests', { reason: '不再跑车了' });
    expect(first.statusCode, first.body).toBe(201);
    const second = await call(w.sessions.otherDriver, 'POST', '/api/v1/me/deletion-requests', {});
    expect(second.statusCode).toBe(409);
    const withdrawn = await call(w.sessions.otherDriver, 'POST', `/api/v1/me/deletion-requests/${first.json().id}/withdraw`);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn' });
    expect((await call(w.sessions.otherDriver, 'POST', `/api/v1/me/deletion-requests/${first.json().id}/withdraw`)).statusCode).toBe(409);
    expect((await call(w.sessions.driver, 'POST', `/api/v1/me/deletion-requests/${first.json().id}/withdraw`)).statusCode).toBe(404);
  });

  it('lets staff refuse with a reason the person sees', async () => {
    const asked = await call(w.sessions.otherDriver, 'POST', '/api/v1/me/deletion-requests', {});
    const id = asked.json<{ id: number }>().id;
    const rejected = await call(w.sessions.secretaryA, 'POST', `/api/v1/deletion-requests/${id}/reject`, { reason: '您的工伤诉求仍在仲裁中，相关记录须保留至结案' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const mine = await call(w.sessions.otherDriver, 'GET', '/api/v1/me/deletion-requests');
    expect(mine.json().items[0]).toMatchObject({ id, status: 'rejected', decisionNote: '您的工伤诉求仍在仲裁中，相关记录须保留至结案' });
    expect((await ctx.db.selectFrom('workers').select('name').where('id', '=', w.otherDriverId).executeTakeFirstOrThrow()).name).toBe('孙立新');
  });

  it('carries out a deletion: details anonymized, figures kept, account closed, outcome audited and visible by receipt', async () => {
    const asked = await call(w.sessions.driver, 'POST', '/api/v1/me/deletion-requests', { reason: '换了工作' });
    expect(asked.statusCode, asked.body).toBe(201);
    const { id, receipt, dueAt } = asked.json<{ id: number; receipt: string; dueAt: string }>();
    expect(Date.parse(dueAt) - ctx.clock.now().getTime()).toBe(15 * 86_400_000);

    // Only staff over the driver's serving unit (branch B) see and decide it.
    const listA = await call(w.sessions.secretaryA, 'GET', '/api/v1/deletion-requests?status=requested');
    expect(listA.json().items.map((r: { id: number }) => r.id)).not.toContain(id);
    expect((await call(w.sessions.secretaryA, 'POST', `/api/v1/deletion-requests/${id}/carry-out`, {})).statusCode).toBe(404);
    expect((await call(w.sessions.liaison, 'POST', `/api/v1/deletion-requests/${id}/carry-out`, {})).statusCode).toBe(404);
    const listB = await call(w.sessions.secretaryB, 'GET', '/api/v1/deletion-requests?status=requested');
    expect(listB.json().items).toEqual([expect.objectContaining({ id, personName: '王建军', unitName: w.branchB.name, reason: '换了工作' })]);
    expect((await call(w.sessions.driver, 'GET', '/api/v1/deletion-requests')).statusCode).toBe(403);

    const appealsBefore = await ctx.db.selectFrom('appeals').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const done = await call(w.sessions.secretaryB, 'POST', `/api/v1/deletion-requests/${id}/carry-out`, { note: '已核实本人身份' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'carried_out', decisionNote: '已核实本人身份', reason: null, outcome: { anonymized: { worker: 1, appeals: 1, liaisonContacts: 1, account: 1 } } });
    expect((await call(w.sessions.secretaryB, 'POST', `/api/v1/deletion-requests/${id}/carry-out`, {})).statusCode).toBe(409);

    const worker = await ctx.db.selectFrom('workers').selectAll().where('id', '=', w.driverId).executeTakeFirstOrThrow();
    expect(worker).toMatchObject({ name: '已删除', phoneTail: '', userId: null, platformId: w.platform.id, cityCode: '510100', unitId: w.branchB.id });
    expect(worker.anonymizedAt).not.toBeNull();
    const appeal = await ctx.db.selectFrom('appeals').selectAll().where('id', '=', ids.appeal).executeTakeFirstOrThrow();
    expect(appeal).toMatchObject({ workerId: null, address: null, description: '［已删除］', category: 'income_fees', platformId: w.platform.id });
    const events = await ctx.db.selectFrom('appealEvents').select(['body', 'actorUserId']).where('appealId', '=', ids.appeal).execute();
    expect(events.map((e) => e.body)).not.toContain('补充：扣费截图在我这里');
    expect(events.some((e) => e.actorUserId === w.users.driver)).toBe(false);
    // Staff replies are theirs, not the person's, and stay.
    expect(events.map((e) => e.body)).toContain('已收到，正在与平台沟通');
    const appealsAfter = await ctx.db.selectFrom('appeals').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(appealsAfter.n)).toBe(Number(appealsBefore.n));
    const contact = await ctx.db.selectFrom('liaisonContacts').selectAll().where('workerId', '=', w.driverId).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ notes: null, contactedOn: '2026-11-20', channel: 'visit' });
    expect(await ctx.db.selectFrom('notifications').selectAll().where('userId', '=', w.users.driver).execute()).toEqual([]);

    // Nothing left names him, except the audit log, which is append-only and kept by law.
    const everything = JSON.stringify(await Promise.all([ctx.db.selectFrom('workers').selectAll().execute(), ctx.db.selectFrom('appeals').selectAll().execute(), ctx.db.selectFrom('users').selectAll().execute(), ctx.db.selectFrom('deletionRequests').selectAll().execute()]));
    expect(everything).not.toContain('王建军');
    expect(everything).not.toContain('换了工作');
    expect(everything).not.toContain('天府大道');

    // The account is closed: the old session is gone, and the password no longer logs in.
    expect((await call(w.sessions.driver, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'driver', password: 'correct-horse-battery' }, remoteAddress: '10.9.9.9' });
    expect(login.statusCode).toBe(401);

    const byReceipt = await call(null, 'POST', '/api/v1/privacy/deletion-receipts', { receipt });
    expect(byReceipt.statusCode, byReceipt.body).toBe(200);
    expect(byReceipt.json()).toMatchObject({ status: 'carried_out', decisionNote: '已核实本人身份' });
    expect((await call(null, 'POST', '/api/v1/privacy/deletion-receipts', { receipt: 'x'.repeat(24) })).statusCode).toBe(404);

    const audit = await ctx.db.selectFrom('auditLog').select(['action', 'userId', 'detail']).where('entityType', '=', 'deletion_request').where('entityId', '=', String(id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['privacy.deletion_requested', 'privacy.deletion_carried_out']);
    expect(audit[1]!.userId).toBe(w.users.secretaryB);
  });

  it('throttles receipt look-ups per address: 429 with Retry-After, as problem+json', async () => {
    let last = await ctx.app.inject({ method: 'POST', url: '/api/v1/privacy/deletion-receipts', payload: { receipt: 'y'.repeat(24) }, remoteAddress: '10.8.8.8' });
    for (let i = 0; i < 12 && last.statusCode !== 429; i++) {
      last = await ctx.app.inject({ method: 'POST', url: '/api/v1/privacy/deletion-receipts', payload: { receipt: 'y'.repeat(24) }, remoteAddress: '10.8.8.8' });
    }
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(last.headers['content-type']).toContain('application/problem+json');
  });
});
