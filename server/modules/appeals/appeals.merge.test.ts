// Duplicates: a handler finds the appeals that look like this one and merges it into another; the merged
// one closes, the target notes it, and nothing moves a merged appeal again.
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { type AppealWorld, buildAppealWorld } from './appeals.factory.js';

describeEachEngine('appeals: finding and merging duplicates', (ctx) => {
  let w: AppealWorld;
  let address = 0;
  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
  });

  const call = (session: Session | null, method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: session?.headers ?? {}, remoteAddress: `10.3.0.${(address++ % 250) + 1}`, ...(payload ? { payload } : {}) });

  const file = async (session: Session, category: string, description: string) => {
    const response = await call(session, 'POST', '/api/v1/appeals', { category, description, anonymous: false });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as number;
  };

  it('offers open appeals of the same category, platform and city that the handler handles, and merges one into another', async () => {
    // Both drivers' appeals reach branch A (one by liaison, one by serving unit).
    const first = await file(w.sessions.otherDriver, 'income_fees', '合并测试：平台把抽成提高到了百分之二十八');
    const duplicate = await file(w.sessions.driver, 'income_fees', '合并测试：这周抽成突然涨了，没有通知');
    const otherCategory = await file(w.sessions.driver, 'traffic_parking', '合并测试：东站上客区不让停车');

    const similar = await call(w.sessions.secretaryA, 'GET', `/api/v1/appeals/${duplicate}/similar`);
    expect(similar.statusCode, similar.body).toBe(200);
    const ids = similar.json().items.map((i: { id: number }) => i.id);
    expect(ids).toContain(first);
    expect(ids).not.toContain(duplicate);
    expect(ids).not.toContain(otherCategory);
    // Another branch does not even learn that the appeal exists.
    expect((await call(w.sessions.secretaryB, 'GET', `/api/v1/appeals/${duplicate}/similar`)).statusCode).toBe(404);

    const before = (await call(w.sessions.secretaryA, 'GET', `/api/v1/appeals/${duplicate}`)).json();
    const merged = await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${duplicate}/transitions`, { to: 'merged', mergedIntoId: first, reason: '与同支部另一条抽成诉求合并办理', version: before.version });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json()).toMatchObject({ status: 'merged', mergedIntoId: first, allowedTransitions: [], canEscalate: false });
    expect(merged.json().deadlines.dueAt).toBeNull();

    // The target's handlers see what was merged into it; its worker does not see the internal note.
    const target = (await call(w.sessions.secretaryA, 'GET', `/api/v1/appeals/${first}`)).json();
    expect(target.timeline).toContainEqual(expect.objectContaining({ kind: 'merged', visibility: 'internal', body: `#${duplicate}` }));
    const targetForWorker = (await call(w.sessions.otherDriver, 'GET', `/api/v1/me/appeals/${first}`)).json();
    expect(targetForWorker.timeline.some((e: { kind: string }) => e.kind === 'merged')).toBe(false);
    // The filer of the duplicate learns where it went and why.
    const mine = (await call(w.sessions.driver, 'GET', `/api/v1/me/appeals/${duplicate}`)).json();
    expect(mine).toMatchObject({ status: 'merged', mergedIntoId: first });
    expect(mine.timeline.at(-1)).toMatchObject({ toStatus: 'merged', body: '与同支部另一条抽成诉求合并办理' });

    // A merged appeal is no longer offered as a duplicate, and moves no more.
    const again = (await call(w.sessions.secretaryA, 'GET', `/api/v1/appeals/${otherCategory}/similar`)).json();
    expect(again.items.map((i: { id: number }) => i.id)).not.toContain(duplicate);
    const moved = await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${duplicate}/transitions`, { to: 'acknowledged' });
    expect(moved.statusCode).toBe(409);
    expect(moved.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses merging into itself, into a closed appeal, or into one the handler does not handle, and leaves everything as it was', async () => {
    const a = await file(w.sessions.otherDriver, 'safety', '合并拒绝测试：夜里在东站被醉酒乘客纠缠');
    const closed = await file(w.sessions.otherDriver, 'safety', '合并拒绝测试：另一条已经不予受理的诉求');
    const rejected = await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${closed}/transitions`, { to: 'rejected', reason: '重复提交' });
    expect(rejected.statusCode, rejected.body).toBe(200);

    const self = await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${a}/transitions`, { to: 'merged', mergedIntoId: a });
    expect(self.statusCode).toBe(400);
    expect(self.json().errors[0].field).toBe('body.mergedIntoId');
    const intoClosed = await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${a}/transitions`, { to: 'merged', mergedIntoId: closed });
    expect(intoClosed.statusCode).toBe(409);

    // An appeal held by branch B: branch A's secretary may not merge into it.
    const elsewhere = await call(w.sessions.secretaryB, 'POST', '/api/v1/appeals', { category: 'safety', description: '合并拒绝测试：第二支部记录的来电', anonymous: false, contactName: '钱师傅', platformId: w.platform.id, cityCode: '510100', unitId: w.branchB.id });
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);
    const intoOther = await call(w.sessions.secretaryA, 'POST', `/api/v1/appeals/${a}/transitions`, { to: 'merged', mergedIntoId: elsewhere.json().id });
    expect(intoOther.statusCode).toBe(404);

    const row = await ctx.db.selectFrom('appeals').select(['status', 'mergedIntoId']).where('id', '=', a).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'submitted', mergedIntoId: null });
    const events = await ctx.db.selectFrom('appealEvents').select('kind').where('kind', '=', 'merged').where('body', '=', `#${a}`).execute();
    expect(events).toEqual([]);
  });
});
