// Appeals that do not come from a worker's own phone: staff recording a phone call, and someone without
// an account (or with one that is neither a worker's nor a handler's) filing anonymously.
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildPlatform, buildUnit } from '../org/org.factory.js';
import { APPEAL_TEST_PASSWORD, type AppealWorld, buildAppealWorld } from './appeals.factory.js';

describeEachEngine('appeals: phone calls and filing without an account', (ctx) => {
  let w: AppealWorld;
  let analyst: Session;
  let address = 0;
  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
    await ctx.createUser({ username: 'analyst', password: APPEAL_TEST_PASSWORD, displayName: '数据分析员', grants: [{ role: 'analyst', unitId: w.committee.id }] });
    analyst = await ctx.login('analyst', APPEAL_TEST_PASSWORD);
  });

  const call = (session: Session | null, method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method, url, headers: { ...(session?.headers ?? {}), ...headers }, remoteAddress: `10.2.0.${(address++ % 250) + 1}`, ...(payload ? { payload } : {}) });

  const phoneCall = { category: 'safety', description: '来电：夜里在火车东站上客区被醉酒乘客纠缠，希望增加巡逻。', anonymous: false, contactName: '赵师傅', contactPhone: '13912345678', contactPreference: 'phone' } as const;

  it('records a caller without a worker record at the unit that took the call, phone masked for handlers, the read audited', async () => {
    const response = await call(w.sessions.secretaryB, 'POST', '/api/v1/appeals', { ...phoneCall, platformId: w.platform.id, cityCode: '510100', unitId: w.branchB.id });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({ trackingCode: null, secret: null, status: 'submitted', unitName: w.branchB.name });
    const row = await ctx.db.selectFrom('appeals').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ workerId: null, channel: 'phone', recordedBy: w.users.secretaryB, contactName: '赵师傅', unitId: w.branchB.id, level: 'branch', contactPreference: 'phone' });
    // The number is stored encrypted, never as typed.
    expect(row.contactPhoneEnc).not.toContain('13912345678');

    const detail = await call(w.sessions.secretaryB, 'GET', `/api/v1/appeals/${created.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ channel: 'phone', anonymous: false, filer: { workerId: null, name: '赵师傅', phone: '139****5678' } });
    expect(detail.body).not.toContain('13912345678');
    const reads = await ctx.db.selectFrom('auditLog').select('userId').where('action', '=', 'appeal.read').where('entityId', '=', String(created.id)).execute();
    expect(reads.map((r) => r.userId)).toContain(w.users.secretaryB);
    const inbox = await call(w.sessions.secretaryB, 'GET', '/api/v1/appeals?limit=200');
    expect(inbox.json().items.map((i: { id: number }) => i.id)).toContain(created.id);
  });

  it('records a call from a worker on record under their name, so it shows among their own appeals', async () => {
    const response = await call(w.sessions.secretaryA, 'POST', '/api/v1/appeals', { category: 'insurance_injury', description: '来电：送客途中被追尾受伤，平台保险不予理赔。', anonymous: false, workerId: w.otherDriverId, unitId: w.branchA.id, contactPreference: 'phone' });
    expect(response.statusCode, response.body).toBe(201);
    const row = await ctx.db.selectFrom('appeals').selectAll().where('id', '=', response.json().id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ workerId: w.otherDriverId, channel: 'phone', recordedBy: w.users.secretaryA, contactName: null, unitId: w.branchA.id, platformId: w.platform.id, cityCode: '510100' });
    const mine = await call(w.sessions.otherDriver, 'GET', '/api/v1/me/appeals');
    expect(mine.json().items.map((i: { id: number }) => i.id)).toContain(row.id);
    // A worker outside the secretary's branch is not hers to file for.
    const outside = await call(w.sessions.secretaryB, 'POST', '/api/v1/appeals', { category: 'insurance_injury', description: '来电：越权代为反映的测试内容', anonymous: false, workerId: w.otherDriverId });
    expect(outside.statusCode).toBe(404);
  });

  it('routes a recorded call by platform and city when no unit is named', async () => {
    const response = await call(w.sessions.committee, 'POST', '/api/v1/appeals', { ...phoneCall, platformId: w.platform.id, cityCode: '510100' });
    expect(response.statusCode, response.body).toBe(201);
    const row = await ctx.db.selectFrom('appeals').select(['unitId', 'channel', 'recordedBy']).where('id', '=', response.json().id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ unitId: w.branchA.id, channel: 'phone', recordedBy: w.users.committee });
  });

  it('lets nobody but staff choose the unit, and staff only where they handle appeals', async () => {
    const outside = await call(w.sessions.secretaryB, 'POST', '/api/v1/appeals', { ...phoneCall, platformId: w.platform.id, cityCode: '510100', unitId: w.branchA.id });
    expect(outside.statusCode).toBe(404);
    expect(outside.headers['content-type']).toContain('application/problem+json');
    const worker = await call(w.sessions.driver, 'POST', '/api/v1/appeals', { category: 'safety', description: '我想把诉求交给第二支部处理', anonymous: false, unitId: w.branchB.id }, { 'accept-language': 'en' });
    expect(worker.statusCode).toBe(400);
    expect(worker.json().errors[0].field).toBe('body.unitId');
    expect(worker.json().detail).toMatch(/[a-z]/);
    const before = await ctx.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const badPhone = await call(w.sessions.secretaryB, 'POST', '/api/v1/appeals', { ...phoneCall, contactPhone: '12345', platformId: w.platform.id, cityCode: '510100', unitId: w.branchB.id });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().errors[0].field).toBe('body.contactPhone');
    const after = await ctx.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses a named appeal from an account that is neither a worker’s nor a handler’s, but takes an anonymous one like anyone’s', async () => {
    const named = await call(analyst, 'POST', '/api/v1/appeals', { ...phoneCall, platformId: w.platform.id, cityCode: '510100' });
    expect(named.statusCode).toBe(403);
    const anonymous = await call(analyst, 'POST', '/api/v1/appeals', { category: 'rest_facilities', description: '东站附近没有能休息的地方，夏天很难熬。', anonymous: true, platformId: w.platform.id, cityCode: '510100' });
    expect(anonymous.statusCode, anonymous.body).toBe(201);
    const row = await ctx.db.selectFrom('appeals').selectAll().where('id', '=', anonymous.json().id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ anonymous: 1, workerId: null, recordedBy: null, contactName: null, channel: 'app' });
    const audit = await ctx.db.selectFrom('auditLog').select(['userId', 'ip']).where('entityType', '=', 'appeal').where('entityId', '=', String(row.id)).execute();
    expect(audit.every((a) => a.userId === null && a.ip === null)).toBe(true);
  });

  it('tells anyone, without an account, which platforms and cities take appeals', async () => {
    const response = await call(null, 'GET', '/api/v1/appeal-places');
    expect(response.statusCode).toBe(200);
    const places = response.json();
    expect(places.platforms).toEqual([expect.objectContaining({ id: w.platform.id, code: w.platform.code, name: w.platform.name, cityCodes: ['510100'], anyCity: true })]);
    expect(places.cities).toEqual([expect.objectContaining({ code: '510100', name: '成都市' })]);
    // The same answer filed through: a logged-out anonymous appeal reaches a branch of that platform in that city.
    const filed = await call(null, 'POST', '/api/v1/appeals', { category: 'traffic_parking', description: '东站网约车上客区被划成禁停区，接单就被罚。', anonymous: true, platformId: places.platforms[0].id, cityCode: places.cities[0].code }, { 'idempotency-key': 'places-3f1c2b7e-8a8e-4d4f-9b1c-2e3d4f5a6b7c' });
    expect(filed.statusCode, filed.body).toBe(201);
    expect([w.branchA.name, w.branchB.name]).toContain(filed.json().unitName);
    expect(filed.json().trackingCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  });

  it('names only the branches’ cities for a platform without a committee, and refuses another city with 409 and nothing written', async () => {
    const courier = await buildPlatform(ctx.db, { name: '测试快递' });
    await buildUnit(ctx.db, { parent: w.shenzhen, kind: 'mobile_branch', name: '测试快递深圳流动党员党支部', platformId: courier.id, cityCode: '440300' });
    const places = (await call(null, 'GET', '/api/v1/appeal-places')).json();
    expect(places.platforms).toContainEqual(expect.objectContaining({ id: courier.id, cityCodes: ['440300'], anyCity: false }));
    expect(places.cities.map((c: { code: string }) => c.code)).toEqual(['440300', '510100']);
    const before = await ctx.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const elsewhere = await call(null, 'POST', '/api/v1/appeals', { category: 'income_fees', description: '派件费每单降了五毛，没有任何通知。', anonymous: true, platformId: courier.id, cityCode: '510100' }, { 'accept-language': 'en' });
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.headers['content-type']).toContain('application/problem+json');
    expect(elsewhere.json().detail).toContain('No unit');
    const after = await ctx.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
  it('refuses a contact-log entry without the worker it is about, with 400 and nothing filed (a 500 on the foreign key; FUZZ_SEED=1965327769)', async () => {
    const before = await ctx.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const attempts: [Session, object][] = [
      [w.sessions.secretaryA, { ...phoneCall, unitId: w.branchA.id, contactId: 987_654 }],
      [w.sessions.secretaryA, { ...phoneCall, contactId: 1 }],
      [w.sessions.driver, { category: 'income_fees', description: '自己提交，却带着别人的联系记录', anonymous: false, contactId: 1 }],
    ];
    for (const [session, body] of attempts) {
      const response = await call(session, 'POST', '/api/v1/appeals', body);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'body.contactId' })] });
    }
    const after = await ctx.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
