import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildTwoProvinces } from '../org/org.factory.js';

const PASSWORD = 'correct-horse-battery';

describeEachEngine('workers', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let secretary: Session;
  let otherSecretary: Session;
  let analyst: Session;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    await ctx.createUser({ username: 'branch', password: PASSWORD, displayName: '书记', grants: [{ role: 'branch_secretary', unitId: world.branchA.id }] });
    await ctx.createUser({ username: 'other', password: PASSWORD, displayName: '另一书记', grants: [{ role: 'branch_secretary', unitId: world.branchB.id }] });
    await ctx.createUser({ username: 'analyst', password: PASSWORD, displayName: '分析员', grants: [{ role: 'analyst', unitId: world.sichuan.id }] });
    secretary = await ctx.login('branch', PASSWORD);
    otherSecretary = await ctx.login('other', PASSWORD);
    analyst = await ctx.login('analyst', PASSWORD);
    const people = [
      ['欧阳明华', '13812345678', 'D001'],
      ['张伟', '13900001111', 'D002'],
      ['王明', '13700002222', 'D003'],
      ['安然', '13600005678', 'D004'],
    ] as const;
    for (const [name, phone, platformWorkerId] of people) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/workers',
        headers: secretary.headers,
        payload: { name, phone, platformId: world.platform.id, platformWorkerId, workType: 'ride_hailing', vehicle: 'car', cityCode: '510100', unitId: world.branchA.id },
      });
      expect(response.statusCode, response.body).toBe(201);
      ids[name] = response.json<{ id: number }>().id;
    }
  });

  const list = async (session: Session, query: string) => {
    const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/workers?${query}`, headers: session.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: { id: number; name: string; phone: string }[]; nextCursor: string | null }>();
  };

  it('lists workers in pinyin order with masked phones', async () => {
    const page = await list(secretary, '');
    expect(page.items.map((w) => w.name)).toEqual(['安然', '欧阳明华', '王明', '张伟']);
    expect(page.items[1]!.phone).toBe('138****5678');
  });

  it('finds a worker by a two-character fragment inside the name, by one character, and by phone tail', async () => {
    expect((await list(secretary, `q=${encodeURIComponent('阳明')}`)).items.map((w) => w.name)).toEqual(['欧阳明华']);
    expect((await list(secretary, `q=${encodeURIComponent('明')}`)).items.map((w) => w.name)).toEqual(['欧阳明华', '王明']);
    expect((await list(secretary, 'q=5678')).items.map((w) => w.name)).toEqual(['安然', '欧阳明华']);
    expect((await list(secretary, `q=${encodeURIComponent('明阳')}`)).items).toEqual([]);
  });

  it('pages with the cursor in pinyin order', async () => {
    const first = await list(secretary, 'limit=3');
    const second = await list(secretary, `limit=3&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((w) => w.name)).toEqual(['安然', '欧阳明华', '王明', '张伟']);
    expect(second.nextCursor).toBeNull();
  });

  it('keeps workers of another branch out of sight: empty lists, 404 on detail', async () => {
    expect((await list(otherSecretary, '')).items).toEqual([]);
    const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/workers/${ids['张伟']}`, headers: otherSecretary.headers });
    expect(response.statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/workers?unitId=${world.branchA.id}`, headers: otherSecretary.headers })).statusCode).toBe(404);
  });

  it('gives analysts aggregates only, never a person', async () => {
    expect((await list(analyst, '')).items).toEqual([]);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/workers/${ids['张伟']}`, headers: analyst.headers })).statusCode).toBe(404);
  });

  it('audits every read of a worker’s detail, and every unmask apart', async () => {
    const masked = await ctx.app.inject({ method: 'GET', url: `/api/v1/workers/${ids['张伟']}`, headers: secretary.headers });
    expect(masked.json()).toMatchObject({ name: '张伟', phone: '139****1111', phoneUnmasked: false, unitName: world.branchA.name, cityName: '成都市' });
    const unmasked = await ctx.app.inject({ method: 'GET', url: `/api/v1/workers/${ids['张伟']}?unmask=true`, headers: secretary.headers });
    expect(unmasked.json()).toMatchObject({ phone: '13900001111', phoneUnmasked: true });
    const rows = await ctx.db.selectFrom('auditLog').select(['action', 'username']).where('entityType', '=', 'worker').where('entityId', '=', String(ids['张伟'])).orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['worker.create', 'worker.read', 'worker.unmask']);
  });

  it('stores the phone encrypted, never in clear', async () => {
    const row = await ctx.db.selectFrom('workers').selectAll().where('id', '=', ids['张伟']!).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('13900001111');
    expect(row.phoneTail).toBe('1111');
  });

  it('refuses a second record with the same phone or platform worker id, and a bad phone', async () => {
    const base = { name: '重复', platformId: world.platform.id, workType: 'ride_hailing', vehicle: 'car', cityCode: '510100', unitId: world.branchA.id };
    const samePhone = await ctx.app.inject({ method: 'POST', url: '/api/v1/workers', headers: secretary.headers, payload: { ...base, phone: '+86 139-0000-1111', platformWorkerId: 'X1' } });
    expect(samePhone.statusCode).toBe(409);
    const sameId = await ctx.app.inject({ method: 'POST', url: '/api/v1/workers', headers: secretary.headers, payload: { ...base, phone: '13500009999', platformWorkerId: 'D002' } });
    expect(sameId.statusCode).toBe(409);
    const badPhone = await ctx.app.inject({ method: 'POST', url: '/api/v1/workers', headers: secretary.headers, payload: { ...base, phone: '12345678901', platformWorkerId: 'X2' } });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().errors[0]).toMatchObject({ field: 'body.phone' });
  });

  it('renames a worker and finds the new name, not the old one', async () => {
    const response = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/workers/${ids['王明']}`, headers: secretary.headers, payload: { name: '王晓东' } });
    expect(response.statusCode).toBe(200);
    expect((await list(secretary, `q=${encodeURIComponent('晓东')}`)).items.map((w) => w.name)).toEqual(['王晓东']);
    expect((await list(secretary, `q=${encodeURIComponent('王明')}`)).items).toEqual([]);
  });

  it('records consent, and on withdrawal hides the worker from every list', async () => {
    const consent = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/workers/${ids['安然']}/consent`,
      headers: secretary.headers,
      payload: { version: '2026-10', purpose: '联系服务与诉求处理', channel: 'paper' },
    });
    expect(consent.statusCode).toBe(200);
    expect(consent.json().consent).toMatchObject({ version: '2026-10', channel: 'paper', at: '2026-11-25T02:00:00.000Z', withdrawnAt: null });
    const withdraw = await ctx.app.inject({ method: 'POST', url: `/api/v1/workers/${ids['安然']}/consent/withdraw`, headers: secretary.headers });
    expect(withdraw.statusCode).toBe(204);
    expect((await list(secretary, '')).items.map((w) => w.name)).not.toContain('安然');
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/workers/${ids['安然']}`, headers: secretary.headers })).statusCode).toBe(404);
  });

  it('lets a worker see their own record without auditing it, and keep seeing it after withdrawing', async () => {
    const userId = await ctx.createUser({ username: 'zhangwei', password: PASSWORD, displayName: '张伟', grants: [{ role: 'worker', unitId: world.branchA.id }] });
    await ctx.db.updateTable('workers').set({ userId }).where('id', '=', ids['张伟']!).execute();
    const own = await ctx.login('zhangwei', PASSWORD);
    const auditRows = async () => (await ctx.db.selectFrom('auditLog').select('id').where('entityType', '=', 'worker').where('entityId', '=', String(ids['张伟'])).execute()).length;
    const before = await auditRows();
    const mine = await ctx.app.inject({ method: 'GET', url: '/api/v1/me/worker', headers: own.headers });
    expect(mine.json()).toMatchObject({ name: '张伟', phone: '13900001111' });
    expect(await auditRows()).toBe(before);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/workers/${ids['张伟']}/consent/withdraw`, headers: own.headers })).statusCode).toBe(204);
    const after = await ctx.app.inject({ method: 'GET', url: '/api/v1/me/worker', headers: own.headers });
    expect(after.statusCode).toBe(200);
    expect(after.json().consent.withdrawnAt).toBe('2026-11-25T02:00:00.000Z');
    const again = await ctx.app.inject({ method: 'POST', url: `/api/v1/workers/${ids['张伟']}/consent`, headers: own.headers, payload: { version: '2026-10', purpose: '联系服务', channel: 'mobile_page' } });
    expect(again.json().consent).toMatchObject({ withdrawnAt: null, channel: 'mobile_page' });
    expect((await list(secretary, `q=${encodeURIComponent('张伟')}`)).items).toHaveLength(1);
  });

  it('places a new worker in a branch the secretary serves when no unit is named', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/workers',
      headers: otherSecretary.headers,
      payload: { name: '刘洋', phone: '13511112222', platformId: world.platform.id, platformWorkerId: 'D100', workType: 'ride_hailing', vehicle: 'car', cityCode: '510100' },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().unitId).toBe(world.branchB.id);
    const elsewhere = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/workers',
      headers: otherSecretary.headers,
      payload: { name: '刘洋', phone: '13511113333', platformId: world.platform.id, platformWorkerId: 'D101', workType: 'ride_hailing', vehicle: 'car', cityCode: '440300' },
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().errors[0].field).toBe('body.unitId');
  });

  it('follows its branch when the branch moves: still in scope, under the new path', async () => {
    const admin = 'movewatch';
    await ctx.createUser({ username: admin, password: PASSWORD, displayName: '管理员', grants: [{ role: 'org_admin', unitId: world.sichuan.id }] });
    const session = await ctx.login(admin, PASSWORD);
    const target = await ctx.app.inject({ method: 'POST', url: '/api/v1/org-units', headers: session.headers, payload: { parentId: world.chengdu.id, name: '新平台党委', kind: 'platform_committee' } });
    const targetId = target.json<{ id: number }>().id;
    expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/org-units/${world.branchA.id}/move`, headers: session.headers, payload: { parentId: targetId } })).statusCode).toBe(200);
    const row = await ctx.db.selectFrom('workers').select('unitPath').where('id', '=', ids['张伟']!).executeTakeFirstOrThrow();
    expect(row.unitPath).toBe(`/${world.sichuan.id}/${world.chengdu.id}/${targetId}/${world.branchA.id}/`);
    expect((await list(secretary, `q=${encodeURIComponent('张伟')}`)).items).toHaveLength(1);
  });
});
