import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildTwoProvinces } from '../org/org.factory.js';
import { testIdCard } from './members.factory.js';

const PASSWORD = 'correct-horse-battery';

describeEachEngine('members', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let secretary: Session;
  let otherSecretary: Session;
  let analyst: Session;
  const ids: Record<string, number> = {};

  const create = (session: Session, payload: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: '/api/v1/members', headers: session.headers, payload });
  const base = (n: number) => ({ gender: 'male', birthYear: 1988, idCard: testIdCard(n), joinDate: '2015-07-01', status: 'full', unitId: world.branchA.id });

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    await ctx.createUser({ username: 'branch', password: PASSWORD, displayName: '书记', grants: [{ role: 'branch_secretary', unitId: world.branchA.id }] });
    await ctx.createUser({ username: 'other', password: PASSWORD, displayName: '另一书记', grants: [{ role: 'branch_secretary', unitId: world.branchB.id }] });
    await ctx.createUser({ username: 'analyst', password: PASSWORD, displayName: '分析员', grants: [{ role: 'analyst', unitId: world.sichuan.id }] });
    secretary = await ctx.login('branch', PASSWORD);
    otherSecretary = await ctx.login('other', PASSWORD);
    analyst = await ctx.login('analyst', PASSWORD);
    const people = [
      ['欧阳明华', '13812345678', {}],
      ['张伟', '13900001111', { status: 'probationary' }],
      ['王明', '13700002222', { isMobile: true, homeOrgText: '四川省南充市某村党支部', mobilityType: 'within_province', mobilityReason: '外出务工' }],
      ['安然', '13600005678', {}],
    ] as const;
    let n = 1;
    for (const [name, phone, extra] of people) {
      const response = await create(secretary, { ...base(n++), name, phone, ...extra });
      expect(response.statusCode, response.body).toBe(201);
      ids[name] = response.json<{ id: number }>().id;
    }
  });

  const list = async (session: Session, query: string) => {
    const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/members?${query}`, headers: session.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: { id: number; name: string; phone: string; isMobile: boolean }[]; nextCursor: string | null }>();
  };

  it('lists members in pinyin order with masked phones', async () => {
    const page = await list(secretary, '');
    expect(page.items.map((m) => m.name)).toEqual(['安然', '欧阳明华', '王明', '张伟']);
    expect(page.items[1]!.phone).toBe('138****5678');
  });

  it('finds a member by a two-character fragment, by one character, and by phone tail', async () => {
    expect((await list(secretary, `q=${encodeURIComponent('阳明')}`)).items.map((m) => m.name)).toEqual(['欧阳明华']);
    expect((await list(secretary, `q=${encodeURIComponent('明')}`)).items.map((m) => m.name)).toEqual(['欧阳明华', '王明']);
    expect((await list(secretary, 'q=5678')).items.map((m) => m.name)).toEqual(['安然', '欧阳明华']);
    expect((await list(secretary, `q=${encodeURIComponent('明阳')}`)).items).toEqual([]);
  });

  it('filters by status and mobility, and pages with the cursor', async () => {
    expect((await list(secretary, 'status=probationary')).items.map((m) => m.name)).toEqual(['张伟']);
    expect((await list(secretary, 'isMobile=true')).items.map((m) => m.name)).toEqual(['王明']);
    const first = await list(secretary, 'limit=3');
    const second = await list(secretary, `limit=3&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((m) => m.name)).toEqual(['安然', '欧阳明华', '王明', '张伟']);
    expect(second.nextCursor).toBeNull();
  });

  it('keeps members of another branch out of sight: empty list, 404 on detail and on the unit filter', async () => {
    expect((await list(otherSecretary, '')).items).toEqual([]);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/members/${ids['张伟']}`, headers: otherSecretary.headers })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/members?unitId=${world.branchA.id}`, headers: otherSecretary.headers })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/v1/members/${ids['张伟']}`, headers: otherSecretary.headers, payload: { name: '改名' } })).statusCode).toBe(404);
  });

  it('gives analysts no person at all', async () => {
    expect((await list(analyst, '')).items).toEqual([]);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/members/${ids['张伟']}`, headers: analyst.headers })).statusCode).toBe(404);
  });

  it('masks phone and ID number, unmasks on request, and audits both reads apart', async () => {
    const masked = await ctx.app.inject({ method: 'GET', url: `/api/v1/members/${ids['王明']}`, headers: secretary.headers });
    expect(masked.statusCode, masked.body).toBe(200);
    const idCard = testIdCard(3);
    expect(masked.json()).toMatchObject({
      name: '王明',
      phone: '137****2222',
      idCard: `${idCard.slice(0, 3)}***********${idCard.slice(-4)}`,
      unmasked: false,
      unitName: world.branchA.name,
      isMobile: true,
      homeOrgText: '四川省南充市某村党支部',
      mobilityType: 'within_province',
      roles: [],
      transfers: [],
    });
    const unmasked = await ctx.app.inject({ method: 'GET', url: `/api/v1/members/${ids['王明']}?unmask=true`, headers: secretary.headers });
    expect(unmasked.json()).toMatchObject({ phone: '13700002222', idCard, unmasked: true });
    const rows = await ctx.db.selectFrom('auditLog').select('action').where('entityType', '=', 'member').where('entityId', '=', String(ids['王明'])).orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['member.create', 'member.read', 'member.unmask']);
  });

  it('stores phone and ID number encrypted, never in clear', async () => {
    const row = await ctx.db.selectFrom('members').selectAll().where('id', '=', ids['张伟']!).executeTakeFirstOrThrow();
    const raw = JSON.stringify(row);
    expect(raw).not.toContain('13900001111');
    expect(raw).not.toContain(testIdCard(2));
    expect(row.phoneTail).toBe('1111');
    expect(row.unitPath).toBe(world.branchA.path);
  });

  it('refuses duplicates (409), a bad ID check character (400) and a host that is not a mobile branch (409)', async () => {
    expect((await create(secretary, { ...base(90), name: '重复', phone: '+86 139-0000-1111' })).statusCode).toBe(409);
    expect((await create(secretary, { ...base(2), name: '重复', phone: '13500009999' })).statusCode).toBe(409);
    const good = testIdCard(91);
    const wrongCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const bad = await create(secretary, { ...base(91), idCard: wrongCheck, name: '校验', phone: '13500009998' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'body.idCard' });
    const group = await create(secretary, { ...base(92), unitId: world.groupA.id, name: '小组', phone: '13500009997' });
    expect(group.statusCode).toBe(409);
    expect(group.json().code).toBe('RULE_VIOLATION');
  });

  it('links a member to the worker with the same phone instead of keeping two records of one person', async () => {
    const worker = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/workers',
      headers: secretary.headers,
      payload: { name: '李强', phone: '13511112222', platformId: world.platform.id, platformWorkerId: 'L1', workType: 'ride_hailing', vehicle: 'car', cityCode: '510100', unitId: world.branchA.id },
    });
    expect(worker.statusCode, worker.body).toBe(201);
    const member = await create(secretary, { ...base(93), name: '李强', phone: '13511112222' });
    expect(member.statusCode, member.body).toBe(201);
    expect(member.json().workerId).toBe(worker.json().id);
  });

  it('renames a member and finds the new name, not the old one', async () => {
    const response = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/members/${ids['安然']}`, headers: secretary.headers, payload: { name: '安晓东', status: 'full' } });
    expect(response.statusCode, response.body).toBe(200);
    expect((await list(secretary, `q=${encodeURIComponent('晓东')}`)).items.map((m) => m.name)).toEqual(['安晓东']);
    expect((await list(secretary, `q=${encodeURIComponent('安然')}`)).items).toEqual([]);
  });

  it('keeps time-bounded roles with one open secretary per branch', async () => {
    const start = (id: number, payload: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: `/api/v1/members/${id}/roles`, headers: secretary.headers, payload });
    const first = await start(ids['欧阳明华']!, { unitId: world.branchA.id, role: 'secretary', fromDate: '2024-01-01' });
    expect(first.statusCode, first.body).toBe(201);
    const roleId = first.json<{ roles: { id: number }[] }>().roles[0]!.id;
    expect((await start(ids['张伟']!, { unitId: world.branchA.id, role: 'secretary', fromDate: '2025-01-01' })).statusCode).toBe(409);
    const end = await ctx.app.inject({ method: 'POST', url: `/api/v1/members/${ids['欧阳明华']}/roles/${roleId}/end`, headers: secretary.headers, payload: { toDate: '2025-12-31' } });
    expect(end.statusCode, end.body).toBe(200);
    expect(end.json().roles[0]).toMatchObject({ role: 'secretary', fromDate: '2024-01-01', toDate: '2025-12-31', unitName: world.branchA.name });
    expect((await start(ids['张伟']!, { unitId: world.branchA.id, role: 'secretary', fromDate: '2026-01-01' })).statusCode).toBe(201);
    expect((await start(ids['张伟']!, { unitId: world.groupA.id, role: 'group_leader', fromDate: '2026-01-01' })).statusCode).toBe(201);
    expect((await start(ids['张伟']!, { unitId: world.branchB.id, role: 'committee_member', fromDate: '2026-01-01' })).statusCode).toBe(404);
  });
});
