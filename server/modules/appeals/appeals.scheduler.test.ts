import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { type AppealWorld, buildAppealWorld } from './appeals.factory.js';
import { anonymizeClosedAppeals } from './appeals.retention.js';
import { autoConfirm, escalateBreaches, schedulerTick } from './appeals.scheduler.js';

const HOUR = 3_600_000;
const run = promisify(execFile);

describeEachEngine('appeals: the durable scheduler', (ctx) => {
  let w: AppealWorld;
  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
  });

  const call = (session: Session, method: 'GET' | 'POST', url: string, payload?: object) => ctx.app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });
  const file = async (description: string) => {
    const response = await call(w.sessions.driver, 'POST', '/api/v1/appeals', { category: 'rest_facilities', description, anonymous: false });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as number;
  };

  it('escalates each missed deadline exactly once, even with two processes ticking at the same instant', { timeout: 180_000 }, async () => {
    const ids: number[] = [];
    for (let i = 0; i < 24; i++) ids.push(await file(`调度测试${i + 1}：服务站晚上不开门，充电桩太少`));
    ctx.clock.advance(25 * HOUR);
    const now = ctx.clock.now();
    // Two separate processes, as two app servers would be, both ticking at the same instant.
    const tick = () => run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'scheduler-tick', '--at', now.toISOString()], { env: { ...process.env, DATABASE_URL: ctx.url } });
    const outputs = await Promise.all([tick(), tick()]);
    const reports = outputs.map((o) => JSON.parse(o.stdout.trim().split('\n').pop()!) as { escalated: number });
    // Whatever a process had to leave (it lost a race for a lock) the next tick picks up; nothing twice.
    const mopUp = await escalateBreaches(ctx.db, now);
    expect(reports[0]!.escalated + reports[1]!.escalated + mopUp.escalated).toBe(ids.length);
    const events = await ctx.db.selectFrom('appealEvents').select(['appealId', 'breachKey']).where('kind', '=', 'escalated').where('appealId', 'in', ids).execute();
    expect(events).toHaveLength(ids.length);
    expect(new Set(events.map((e) => e.appealId)).size).toBe(ids.length);
    expect(events.every((e) => e.breachKey?.startsWith('branch:acknowledge:'))).toBe(true);
    const rows = await ctx.db.selectFrom('appeals').select(['level', 'unitId', 'dueAt']).where('id', 'in', ids).execute();
    expect(rows.every((r) => r.level === 'platform_committee' && r.unitId === w.committee.id)).toBe(true);
    // The new level's clock starts at the escalation: acknowledge within 24 h.
    expect(rows.every((r) => Date.parse(r.dueAt!) === now.getTime() + 24 * HOUR)).toBe(true);
    expect(await escalateBreaches(ctx.db, now)).toEqual({ escalated: 0, recorded: 0 });
    const notified = await ctx.db.selectFrom('notifications').select(['userId']).where('appealId', '=', ids[0]!).where('kind', '=', 'appeal.escalated').execute();
    expect(notified.map((n) => n.userId).sort((x, y) => x - y)).toEqual([w.users.driver, w.users.secretaryA, w.users.committee].sort((x, y) => x - y));
    // A day later the committee has not acknowledged either: up to the city's industry committee, then a single recorded breach.
    ctx.clock.advance(25 * HOUR);
    const second = await escalateBreaches(ctx.db, ctx.clock.now());
    expect(second.escalated).toBeGreaterThanOrEqual(ids.length);
    ctx.clock.advance(25 * HOUR);
    const top = await escalateBreaches(ctx.db, ctx.clock.now());
    expect(top.recorded).toBeGreaterThanOrEqual(ids.length);
    expect(await escalateBreaches(ctx.db, ctx.clock.now())).toEqual({ escalated: 0, recorded: 0 });
    const breached = await ctx.db.selectFrom('appealEvents').select('id').where('kind', '=', 'breached').where('appealId', '=', ids[0]!).execute();
    expect(breached).toHaveLength(1);
    await w.relogin();
    const seen = await call(w.sessions.driver, 'GET', `/api/v1/me/appeals/${ids[0]}`);
    expect(seen.json()).toMatchObject({ level: 'industry_committee', holder: w.chengdu.name });
    expect(seen.json().timeline.filter((e: { kind: string; automatic: boolean }) => e.kind === 'escalated' && e.automatic)).toHaveLength(2);
    expect(seen.body).not.toContain('"breached"');
  });

  it('does not escalate while the appeal waits on the worker', async () => {
    await w.relogin();
    const id = await file('调度测试四：等待司机补充材料');
    await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'acknowledged' });
    await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'waiting_on_worker', reason: '请上传停车罚单照片' });
    ctx.clock.advance(100 * HOUR);
    await schedulerTick(ctx.db, ctx.clock.now());
    const row = await ctx.db.selectFrom('appeals').select(['level', 'dueAt', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ level: 'branch', dueAt: null, status: 'waiting_on_worker' });
  });

  it('confirms answers the worker left alone for 7 days, once', { timeout: 180_000 }, async () => {
    await w.relogin();
    const id = await file('调度测试五：希望增加夜间休息点');
    await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'acknowledged' });
    const resolved = await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'resolved', reason: '已在二环路新增两处司机之家' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    ctx.clock.advance(6 * 24 * HOUR);
    expect(await autoConfirm(ctx.db, ctx.clock.now())).toBe(0);
    ctx.clock.advance(24 * HOUR);
    const tick = () => run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'scheduler-tick', '--at', ctx.clock.now().toISOString()], { env: { ...process.env, DATABASE_URL: ctx.url } });
    const outputs = await Promise.all([tick(), tick()]);
    const confirmed = outputs.map((o) => (JSON.parse(o.stdout.trim().split('\n').pop()!) as { confirmed: number }).confirmed);
    expect(confirmed[0]! + confirmed[1]! + (await autoConfirm(ctx.db, ctx.clock.now()))).toBe(1);
    const row = await ctx.db.selectFrom('appeals').select(['status', 'closedAt']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('confirmed');
    const events = await ctx.db.selectFrom('appealEvents').select('id').where('appealId', '=', id).where('toStatus', '=', 'confirmed').execute();
    expect(events).toHaveLength(1);
  });
});

describeEachEngine('appeals: retention', (ctx) => {
  let w: AppealWorld;
  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
  });

  it('removes the filer’s personal details from appeals closed longer than the retention period, once', async () => {
    const headers = w.sessions.driver.headers;
    const filed = await ctx.app.inject({ method: 'POST', url: '/api/v1/appeals', headers, payload: { category: 'customer_disputes', description: '乘客拒付车费，我的电话 139 1234 5678，请联系', anonymous: false, lat: 30.657421, lng: 104.065735, address: '成都市锦江区春熙路 8 号' } });
    const id = filed.json().id as number;
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 7)]);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/appeals/${id}/photos`, headers: { ...headers, 'content-type': 'image/png' }, payload: png })).statusCode).toBe(201);
    const secretary = w.sessions.secretaryA;
    await ctx.app.inject({ method: 'POST', url: `/api/v1/appeals/${id}/transitions`, headers: secretary.headers, payload: { to: 'rejected', reason: '请拨打 12328 交通服务热线，或联系 13800001111 张师傅' } });
    const removed: string[] = [];
    const photos = { put: async () => undefined, get: async () => null, remove: async (key: string) => void removed.push(key) };
    const now = ctx.clock.now();
    expect(await anonymizeClosedAppeals(ctx.db, { now: new Date(now.getTime() + 29 * 86_400_000), retentionDays: 30, photos })).toBe(0);
    expect(await anonymizeClosedAppeals(ctx.db, { now: new Date(now.getTime() + 31 * 86_400_000), retentionDays: 30, photos })).toBeGreaterThanOrEqual(1);
    const row = await ctx.db.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ workerId: null, address: null, lat: 30.66, lng: 104.07, category: 'customer_disputes', status: 'rejected' });
    expect(row.description).toBe('乘客拒付车费，我的电话 ［已删除］，请联系');
    expect(row.anonymizedAt).not.toBeNull();
    const events = await ctx.db.selectFrom('appealEvents').select(['body', 'actorUserId']).where('appealId', '=', id).execute();
    expect(events.some((e) => e.body?.includes('13800001111'))).toBe(false);
    expect(events.some((e) => e.body?.includes('12328'))).toBe(true);
    expect(events.some((e) => e.actorUserId === w.users.driver)).toBe(false);
    expect(await ctx.db.selectFrom('appealPhotos').select('id').where('appealId', '=', id).execute()).toHaveLength(0);
    expect(removed).toHaveLength(1);
    expect(await ctx.db.selectFrom('notifications').select('id').where('appealId', '=', id).where('userId', '=', w.users.driver).execute()).toHaveLength(0);
    expect(await anonymizeClosedAppeals(ctx.db, { now: new Date(now.getTime() + 40 * 86_400_000), retentionDays: 30, photos })).toBe(0);
  });
});
