import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { type AppealWorld, buildAppealWorld } from './appeals.factory.js';

describeEachEngine('appeals: figures and key problems', (ctx) => {
  let w: AppealWorld;
  let analyst: Session;
  const fees: number[] = [];
  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
    await ctx.createUser({ username: 'analyst', password: 'correct-horse-battery', displayName: '分析员', grants: [{ role: 'analyst', unitId: w.chengdu.id }] });
    analyst = await ctx.login('analyst', 'correct-horse-battery');
    for (let i = 0; i < 4; i++) {
      const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: w.sessions.driver.headers, payload: { category: 'income_fees', description: `抽成上调第${i + 1}次反映：每单多扣两元`, anonymous: false } });
      fees.push(response.json().id);
    }
    await ctx.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: w.sessions.driver.headers, payload: { category: 'health', description: '夏天高温中暑，希望服务站备药', anonymous: false } });
  });

  const get = (session: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: session.headers });

  it('groups the same complaint of many workers into one problem that an analyst may see but not answer', async () => {
    const clusters = await get(analyst, `/api/v1/appeal-clusters?unitId=${w.chengdu.id}`);
    expect(clusters.statusCode, clusters.body).toBe(200);
    expect(clusters.json().items).toEqual([expect.objectContaining({ category: 'income_fees', platformId: w.platform.id, cityCode: '510100', count: 4, appealIds: fees })]);
    expect(clusters.body).not.toContain('王建军');
    const answer = await ctx.app.inject({ method: 'POST', url: '/api/v1/appeal-clusters/answer', headers: analyst.headers, payload: { unitId: w.chengdu.id, category: 'income_fees', platformId: w.platform.id, cityCode: '510100', week: clusters.json().items[0].week, body: '统一答复：平台正在核查' } });
    expect(answer.statusCode).toBe(403);
  });

  it('answers and resolves the whole cluster at once', async () => {
    const week = (await get(w.sessions.secretaryA, '/api/v1/appeal-clusters?minCount=2')).json().items[0].week;
    await ctx.app.inject({ method: 'POST', url: `/api/v1/appeals/${fees[1]}/transitions`, headers: w.sessions.secretaryA.headers, payload: { to: 'acknowledged' } });
    const answer = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/appeal-clusters/answer',
      headers: w.sessions.secretaryA.headers,
      payload: { unitId: w.branchA.id, category: 'income_fees', platformId: w.platform.id, cityCode: '510100', week, body: '平台已承诺下月起恢复原抽成比例，并退还多扣部分', resolve: true },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toEqual({ answered: 4, resolved: 4, skipped: 0 });
    const rows = await ctx.db.selectFrom('appeals').select(['status', 'resolvedOnTime', 'acknowledgedOnTime']).where('id', 'in', fees).execute();
    expect(rows.every((r) => r.status === 'resolved' && r.resolvedOnTime === 1 && r.acknowledgedOnTime === 1)).toBe(true);
    const mine = await get(w.sessions.driver, `/api/v1/me/appeals/${fees[0]}`);
    expect(mine.body).toContain('恢复原抽成比例');
    expect((await get(w.sessions.secretaryA, '/api/v1/appeal-clusters?minCount=2')).json().items).toEqual([]);
  });

  it('reports figures for a unit: volume by week and category, compliance, satisfaction', async () => {
    await ctx.app.inject({ method: 'POST', url: `/api/v1/me/appeals/${fees[0]}/feedback`, headers: w.sessions.driver.headers, payload: { action: 'confirm', rating: 4 } });
    const figures = await get(analyst, `/api/v1/appeal-figures?unitId=${w.committee.id}`);
    expect(figures.statusCode, figures.body).toBe(200);
    const body = figures.json();
    expect(body.total).toBe(5);
    expect(body.volume).toEqual(expect.arrayContaining([expect.objectContaining({ category: 'income_fees', count: 4 }), expect.objectContaining({ category: 'health', count: 1 })]));
    expect(body.resolvedOnTimeShare).toBe(1);
    expect(body.medianHoursToResolve).toBe(0);
    expect(body.satisfaction).toMatchObject({ average: 4 });
    expect(body.openOverdue).toBe(0);
    expect((await get(w.sessions.secretaryB, `/api/v1/appeal-figures?unitId=${w.branchA.id}`)).statusCode).toBe(404);
    const bad = await get(analyst, `/api/v1/appeal-figures?unitId=${w.committee.id}&from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z`);
    expect(bad.statusCode).toBe(400);
  });
});
