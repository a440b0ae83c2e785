import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { type AppealWorld, buildAppealWorld } from './appeals.factory.js';

const HOUR = 3_600_000;

describeEachEngine('appeals: filing, routing, handling', (ctx) => {
  let w: AppealWorld;
  let address = 0;
  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
  });

  const call = (session: Session | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method, url, headers: { ...(session?.headers ?? {}), ...headers }, remoteAddress: `10.1.0.${(address++ % 250) + 1}`, ...(payload ? { payload } : {}) });

  const fee = { category: 'income_fees', description: '平台抽成从20%涨到了28%，没有提前通知', contactPreference: 'in_app' } as const;

  it('files a worker’s appeal to his liaison’s branch with deadlines of 24 h and 72 h, and tells the branch', async () => {
    const response = await call(w.sessions.driver, 'POST', '/api/v1/appeals', { ...fee, anonymous: false });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({ trackingCode: null, secret: null, status: 'submitted', unitName: w.branchA.name });
    const row = await ctx.db.selectFrom('appeals').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ workerId: w.driverId, unitId: w.branchA.id, level: 'branch', platformId: w.platform.id, cityCode: '510100', channel: 'app' });
    const now = ctx.clock.now().getTime();
    expect(Date.parse(row.acknowledgeBy!)).toBe(now + 24 * HOUR);
    expect(Date.parse(row.resolveBy!)).toBe(now + 72 * HOUR);
    expect(row.dueAt).toBe(row.acknowledgeBy);
    const notes = await ctx.db.selectFrom('notifications').selectAll().where('appealId', '=', created.id).execute();
    expect(notes.map((n) => n.userId)).toEqual([w.users.secretaryA]);
    const audit = await ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'appeal.create').where('entityId', '=', String(created.id)).executeTakeFirstOrThrow();
    expect(audit.userId).toBe(w.users.driver);
  });

  it('answers a retry with the same Idempotency-Key with the first appeal, and refuses the key for another request', async () => {
    const key = 'retry-7f7d6c1e-2b1d-4d7e-9d55-0d8a1f7c2e11';
    const first = await call(w.sessions.driver, 'POST', '/api/v1/appeals', { ...fee, anonymous: false, description: '重试测试：夜间派单越来越少' }, { 'idempotency-key': key });
    const second = await call(w.sessions.driver, 'POST', '/api/v1/appeals', { ...fee, anonymous: false, description: '重试测试：夜间派单越来越少' }, { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const rows = await ctx.db.selectFrom('appeals').select('id').where('description', '=', '重试测试：夜间派单越来越少').execute();
    expect(rows).toHaveLength(1);
    const other = await call(w.sessions.driver, 'POST', '/api/v1/appeals', { ...fee, anonymous: false, description: '另一件事情，和上一条不同' }, { 'idempotency-key': key });
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toContain('application/problem+json');
  });

  it('makes one appeal when the same key arrives twice at once', async () => {
    const key = 'race-0c1b9a2f-5d5e-4f4e-8a4b-3b3c2d1e0f00';
    const body = { ...fee, anonymous: false, description: '并发测试：同一个请求同时到达两次' };
    const [a, b] = await Promise.all([call(w.sessions.driver, 'POST', '/api/v1/appeals', body, { 'idempotency-key': key }), call(w.sessions.driver, 'POST', '/api/v1/appeals', body, { 'idempotency-key': key })]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).toBe(b.json().id);
    expect(await ctx.db.selectFrom('appeals').select('id').where('description', '=', body.description).execute()).toHaveLength(1);
  });

  it('keeps an anonymous filer unknown: no worker, recorder, audit actor, or address anywhere', async () => {
    const key = 'anon-5a0e2c64-9f0e-4a0b-b0a1-1c2d3e4f5a6b';
    const response = await call(w.sessions.driver, 'POST', '/api/v1/appeals', { ...fee, anonymous: true, category: 'account_penalties', description: '匿名：被平台无故封号三天' }, { 'idempotency-key': key });
    expect(response.statusCode, response.body).toBe(201);
    const { id, trackingCode, secret } = response.json();
    expect(trackingCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(secret).toHaveLength(32);
    const row = await ctx.db.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    // Routed by the worker's liaison (the branch must get it), but nothing stored points back at him.
    expect(row).toMatchObject({ workerId: null, recordedBy: null, contactId: null, contactName: null, anonymous: 1, unitId: w.branchA.id });
    expect(row.secretHash).not.toContain(secret);
    const events = await ctx.db.selectFrom('appealEvents').selectAll().where('appealId', '=', id).execute();
    expect(events.every((e) => e.actorUserId === null)).toBe(true);
    const audit = await ctx.db.selectFrom('auditLog').selectAll().where('entityType', '=', 'appeal').where('entityId', '=', String(id)).execute();
    expect(audit.every((a) => a.userId === null && a.username === null && a.ip === null)).toBe(true);
    const stored = await ctx.db.selectFrom('idempotencyKeys').select('response').execute();
    expect(stored.some((s) => s.response.includes(secret) || s.response.includes(trackingCode))).toBe(false);
    const mine = await call(w.sessions.driver, 'GET', '/api/v1/me/appeals');
    expect(mine.json().items.map((i: { id: number }) => i.id)).not.toContain(id);
    const detail = await call(w.sessions.secretaryA, 'GET', `/api/v1/appeals/${id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ anonymous: true, filer: null });
    expect(detail.body).not.toContain('王建军');
    const tracked = await call(null, 'GET', `/api/v1/appeals/track/${trackingCode}`);
    expect(tracked.statusCode).toBe(200);
    expect(tracked.json()).toMatchObject({ id, holder: w.branchA.name, canGiveFeedback: false });
  });

  it('lets someone without an account file only anonymously, naming platform and city', async () => {
    const named = await call(null, 'POST', '/api/v1/appeals', { ...fee, anonymous: false, platformId: w.platform.id, cityCode: '510100' });
    expect(named.statusCode).toBe(401);
    const missing = await call(null, 'POST', '/api/v1/appeals', { ...fee, anonymous: true });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors?.[0]?.field ?? missing.body).toContain('platformId');
    const ok = await call(null, 'POST', '/api/v1/appeals', { ...fee, anonymous: true, platformId: w.platform.id, cityCode: '510100' }, { 'accept-language': 'en' });
    expect(ok.statusCode, ok.body).toBe(201);
    // No liaison and no serving unit: the platform's branch in the city takes it.
    const row = await ctx.db.selectFrom('appeals').select(['unitId', 'channel']).where('id', '=', ok.json().id).executeTakeFirstOrThrow();
    expect([w.branchA.id, w.branchB.id]).toContain(row.unitId);
  });

  it('lets a liaison member file for his worker from a contact, and refuses a worker he does not serve', async () => {
    const contact = await ctx.db.insertInto('liaisonContacts').values({ memberId: w.liaisonMemberId, workerId: w.driverId, contactedOn: '2026-11-20', channel: 'station', notes: '在司机之家见面', demandsRaised: '希望增加夜间停车点', createdAt: '2026-11-20T08:00:00.000Z', createdBy: w.users.liaison }).returning('id').executeTakeFirstOrThrow();
    const response = await call(w.sessions.liaison, 'POST', '/api/v1/appeals', { category: 'traffic_parking', description: '希望增加夜间停车点', anonymous: false, workerId: w.driverId, contactId: contact.id });
    expect(response.statusCode, response.body).toBe(201);
    const row = await ctx.db.selectFrom('appeals').selectAll().where('id', '=', response.json().id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ workerId: w.driverId, channel: 'member', recordedBy: w.users.liaison, contactId: contact.id });
    const refused = await call(w.sessions.liaison, 'POST', '/api/v1/appeals', { ...fee, anonymous: false, workerId: w.otherDriverId });
    expect(refused.statusCode).toBe(404);
  });

  it('keeps a branch out of another branch’s appeals, while the committee above sees both', async () => {
    const filed = await call(w.sessions.otherDriver, 'POST', '/api/v1/appeals', { ...fee, anonymous: false, description: '范围测试：A支部的诉求' });
    const id = filed.json().id;
    expect((await call(w.sessions.secretaryB, 'GET', `/api/v1/appeals/${id}`)).statusCode).toBe(404);
    const listB = await call(w.sessions.secretaryB, 'GET', '/api/v1/appeals?limit=200');
    expect(listB.json().items.map((i: { id: number }) => i.id)).not.toContain(id);
    const listCommittee = await call(w.sessions.committee, 'GET', '/api/v1/appeals?limit=200');
    expect(listCommittee.json().items.map((i: { id: number }) => i.id)).toContain(id);
    expect((await call(w.sessions.secretaryB, 'POST', `/api/v1/appeals/${id}/replies`, { body: '越权', visibility: 'public' })).statusCode).toBe(404);
    expect((await call(w.sessions.otherDriver, 'GET', `/api/v1/appeals/${id}`)).statusCode).toBe(404);
  });

  it('walks the status machine: 409 for a move it does not allow, reasons required, worker sees replies but not notes', async () => {
    const id = (await call(w.sessions.driver, 'POST', '/api/v1/appeals', { ...fee, anonymous: false, description: '状态测试：保险理赔一直没有下文' })).json().id;
    const jump = await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'resolved', reason: '已解决' });
    expect(jump.statusCode).toBe(409);
    expect(jump.headers['content-type']).toContain('application/problem+json');
    expect((await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'confirmed' })).statusCode).toBe(409);
    const ack = await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'acknowledged' });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().deadlines.acknowledgeBy).toBeNull();
    expect(ack.json().filer).toMatchObject({ workerId: w.driverId, name: '王建军' });
    expect(ack.json().filer.phone).toMatch(/^137\*{4}\d{4}$/);
    const noReason = await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'rejected' });
    expect(noReason.statusCode).toBe(400);
    await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/replies`, { body: '已联系保险公司，三天内给您回复', visibility: 'public' });
    await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/replies`, { body: '内部：该公司多次拖延理赔', visibility: 'internal' });
    const stale = await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'in_progress', version: 1 });
    expect(stale.statusCode).toBe(409);
    const mine = await call(w.sessions.driver, 'GET', `/api/v1/me/appeals/${id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('三天内给您回复');
    expect(mine.body).not.toContain('内部：');
    expect(mine.body).not.toContain('刘书记');
    expect(mine.json()).toMatchObject({ status: 'acknowledged', holder: w.branchA.name });
    expect(mine.json().expectedBy).not.toBeNull();
    const audit = await ctx.db.selectFrom('auditLog').select('action').where('entityId', '=', String(id)).where('userId', '=', w.users.secretaryA).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['appeal.read', 'appeal.transition', 'appeal.reply', 'appeal.note']));
  });

  it('stops the clocks while waiting on the worker and restarts them, shifted, when he answers', async () => {
    const id = (await call(w.sessions.driver, 'POST', '/api/v1/appeals', { ...fee, anonymous: false, description: '暂停测试：被乘客投诉扣分' })).json().id;
    await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'acknowledged' });
    const before = await ctx.db.selectFrom('appeals').select('resolveBy').where('id', '=', id).executeTakeFirstOrThrow();
    const wait = await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'waiting_on_worker', reason: '请补充行程单截图' });
    expect(wait.json().deadlines).toMatchObject({ dueAt: null, paused: true });
    expect(wait.json().delayReason).toBe('请补充行程单截图');
    ctx.clock.advance(10 * HOUR);
    await w.relogin();
    const answered = await call(w.sessions.driver, 'POST', `/api/v1/me/appeals/${id}/replies`, { body: '截图已上传，行程号 20261125-8831' });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'in_progress', delayReason: null });
    const after = await ctx.db.selectFrom('appeals').select(['resolveBy', 'dueAt']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(Date.parse(after.resolveBy!) - Date.parse(before.resolveBy!)).toBe(10 * HOUR);
    expect(after.dueAt).not.toBeNull();
  });

  it('escalates by hand to the platform committee: the branch keeps reading but no longer handles it', async () => {
    const id = (await call(w.sessions.driver, 'POST', '/api/v1/appeals', { ...fee, anonymous: false, description: '上报测试：全城司机抽成上调' })).json().id;
    const up = await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/escalate`, { reason: '涉及平台规则，支部无法解决' });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ level: 'platform_committee', unitId: w.committee.id, holder: w.committee.name });
    expect(up.json().deadlines.acknowledgeBy).not.toBeNull();
    const readByBranch = await call(w.sessions.secretaryA, 'GET', `/api/v1/appeals/${id}`);
    expect(readByBranch.statusCode).toBe(200);
    expect(readByBranch.json().allowedTransitions).toEqual([]);
    expect((await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/replies`, { body: '支部补充', visibility: 'public' })).statusCode).toBe(403);
    const notified = await ctx.db.selectFrom('notifications').select('userId').where('appealId', '=', id).where('kind', '=', 'appeal.escalated').execute();
    // Both levels, and the driver, who is told who holds his appeal now.
    expect(notified.map((n) => n.userId).sort((a, b) => a - b)).toEqual([w.users.driver, w.users.secretaryA, w.users.committee].sort((a, b) => a - b));
    const again = await call(w.sessions.committee, 'POST', `/api/v1/appeals/${id}/escalate`, { reason: '需要行业党委协调' });
    expect(again.json()).toMatchObject({ level: 'industry_committee', unitId: w.chengdu.id, canEscalate: false });
    const top = await call(w.sessions.city, 'POST', `/api/v1/appeals/${id}/escalate`, { reason: '再上报' });
    expect(top.statusCode).toBe(409);
  });

  it('applies the receiving unit’s SLA for the category on transfer', async () => {
    const put = await call(w.sessions.secretaryB, 'PUT', '/api/v1/sla-policies', { unitId: w.branchB.id, category: 'income_fees', acknowledgeHours: 4, updateHours: 12, resolveHours: 48 });
    expect(put.statusCode, put.body).toBe(200);
    const id = (await call(w.sessions.driver, 'POST', '/api/v1/appeals', { ...fee, anonymous: false, description: '转办测试：结算延迟' })).json().id;
    const moved = await call(w.sessions.committee, 'POST', `/api/v1/appeals/${id}/transfer`, { unitId: w.branchB.id, reason: '该司机由第二支部服务' });
    expect(moved.statusCode, moved.body).toBe(200);
    const now = ctx.clock.now().getTime();
    expect(Date.parse(moved.json().deadlines.acknowledgeBy)).toBe(now + 4 * HOUR);
    expect(Date.parse(moved.json().deadlines.resolveBy)).toBe(now + 48 * HOUR);
    const policies = await call(w.sessions.secretaryB, 'GET', `/api/v1/sla-policies?unitId=${w.branchB.id}`);
    expect(policies.json().items.find((p: { category: string }) => p.category === 'safety')).toMatchObject({ acknowledgeHours: 24, resolveHours: 72 });
  });

  it('lets the worker confirm with a rating within 7 days, and not after', async () => {
    const file = async (text: string) => (await call(w.sessions.driver, 'POST', '/api/v1/appeals', { ...fee, anonymous: false, description: text })).json().id as number;
    const resolve = async (id: number) => {
      await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'acknowledged' });
      const r = await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'resolved', reason: '平台已退还多扣的服务费' });
      expect(r.statusCode, r.body).toBe(200);
    };
    const a = await file('反馈测试一：多扣服务费');
    const b = await file('反馈测试二：多扣服务费');
    await resolve(a);
    await resolve(b);
    const noRating = await call(w.sessions.driver, 'POST', `/api/v1/me/appeals/${a}/feedback`, { action: 'confirm' });
    expect(noRating.statusCode).toBe(400);
    const ok = await call(w.sessions.driver, 'POST', `/api/v1/me/appeals/${a}/feedback`, { action: 'confirm', rating: 5, comment: '谢谢支部' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'confirmed', rating: 5, canGiveFeedback: false });
    const list = (await call(w.sessions.driver, 'GET', '/api/v1/me/appeals')).json().items as { id: number; canGiveFeedback: boolean; expectedBy: string | null }[];
    expect(list.find((i) => i.id === a)).toMatchObject({ canGiveFeedback: false, expectedBy: null });
    expect(list.find((i) => i.id === b)).toMatchObject({ canGiveFeedback: true, expectedBy: null });
    ctx.clock.advance(8 * 24 * HOUR);
    await w.relogin();
    expect((await call(w.sessions.driver, 'GET', '/api/v1/me/appeals')).json().items.find((i: { id: number }) => i.id === b).canGiveFeedback).toBe(false);
    const late = await call(w.sessions.driver, 'POST', `/api/v1/me/appeals/${b}/feedback`, { action: 'reopen', comment: '又被多扣了' });
    expect(late.statusCode).toBe(409);
    expect((await call(w.sessions.otherDriver, 'GET', `/api/v1/me/appeals/${a}`)).statusCode).toBe(404);
  });

  it('lets an anonymous filer act only with the secret: reopen, photos', async () => {
    const filed = (await call(null, 'POST', '/api/v1/appeals', { category: 'safety', description: '匿名：夜里接单遇到醉酒乘客骚扰', anonymous: true, platformId: w.platform.id, cityCode: '510100' })).json();
    const { id, trackingCode, secret } = filed;
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    const noSecret = await ctx.app.inject({ method: 'POST', url: `/api/v1/appeals/${id}/photos`, headers: { 'content-type': 'image/png' }, payload: png });
    expect(noSecret.statusCode).toBe(404);
    const upload = await ctx.app.inject({ method: 'POST', url: `/api/v1/appeals/${id}/photos`, headers: { 'content-type': 'image/png', 'x-appeal-secret': secret }, payload: png });
    expect(upload.statusCode, upload.body).toBe(201);
    const fake = await ctx.app.inject({ method: 'POST', url: `/api/v1/appeals/${id}/photos`, headers: { 'content-type': 'image/jpeg', 'x-appeal-secret': secret }, payload: Buffer.from('not really a jpeg at all') });
    expect(fake.statusCode).toBe(415);
    const photo = await ctx.app.inject({ method: 'GET', url: `/api/v1/appeals/${id}/photos/${upload.json().id}?secret=${secret}` });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(photo.rawPayload, png)).toBe(0);
    const row = await ctx.db.selectFrom('appeals').select('unitId').where('id', '=', id).executeTakeFirstOrThrow();
    const handler = row.unitId === w.branchA.id ? w.sessions.secretaryA : w.sessions.secretaryB;
    await call(handler, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'acknowledged' });
    await call(handler, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'resolved', reason: '已向平台反馈，增加一键报警' });
    const wrong = await call(null, 'POST', `/api/v1/appeals/track/${trackingCode}/feedback`, { secret: 'x'.repeat(32), action: 'reopen', comment: '还是不安全' });
    expect(wrong.statusCode).toBe(404);
    const reopen = await call(null, 'POST', `/api/v1/appeals/track/${trackingCode}/feedback`, { secret, action: 'reopen', comment: '还是不安全' });
    expect(reopen.statusCode, reopen.body).toBe(200);
    expect(reopen.json()).toMatchObject({ status: 'reopened' });
    const withSecret = await call(null, 'GET', `/api/v1/appeals/track/${trackingCode.toLowerCase()}?secret=${secret}`);
    expect(withSecret.json().photos).toHaveLength(1);
  });

  it('throttles anonymous tracking look-ups per address: 429 with Retry-After, as problem+json', async () => {
    const answers = [];
    for (let i = 0; i < 31; i++) answers.push(await ctx.app.inject({ method: 'GET', url: '/api/v1/appeals/track/ABCD-EFGH', remoteAddress: '10.200.0.1' }));
    expect(answers.slice(0, 30).every((a) => a.statusCode === 404)).toBe(true);
    const limited = answers[30]!;
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/appeals/track/ABCD-EFGH', remoteAddress: '10.200.0.2' })).statusCode).toBe(404);
  });

  it('keeps appeals in scope when their branch moves in the tree (held and origin paths follow)', async () => {
    const id = (await call(w.sessions.driver, 'POST', '/api/v1/appeals', { ...fee, anonymous: false, description: '搬迁测试：支部调整后诉求仍可见' })).json().id;
    await ctx.createUser({ username: 'root', password: 'correct-horse-battery', displayName: '系统管理员', grants: [{ role: 'system_admin', unitId: null }] });
    const root = await ctx.login('root', 'correct-horse-battery');
    const moved = await call(root, 'POST', `/api/v1/org-units/${w.branchA.id}/move`, { parentId: w.sichuan.id });
    expect(moved.statusCode, moved.body).toBe(200);
    const row = await ctx.db.selectFrom('appeals').select(['unitPath', 'originUnitPath']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ unitPath: `${w.sichuan.path}${w.branchA.id}/`, originUnitPath: `${w.sichuan.path}${w.branchA.id}/` });
    await w.relogin();
    expect((await call(w.sessions.secretaryA, 'GET', `/api/v1/appeals/${id}`)).statusCode).toBe(200);
    // The platform committee no longer stands above the branch, so it no longer sees its appeals.
    expect((await call(w.sessions.committee, 'GET', `/api/v1/appeals/${id}`)).statusCode).toBe(404);
  });
});
