import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { type AppealWorld, buildAppealWorld } from './appeals.factory.js';
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

  it('escalates each missed deadline exactly once, even with two processes ticking at the same instant', async () => {
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

  it('confirms answers the worker left alone for 7 days, once', async () => {
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
