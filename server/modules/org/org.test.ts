import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildTwoProvinces } from './org.factory.js';

const PASSWORD = 'correct-horse-battery';

describeEachEngine('org units: reading, creating and scope', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let admin: Session;
  let sichuanAdmin: Session;
  let secretary: Session;

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    await ctx.createUser({ username: 'admin', password: PASSWORD, displayName: '管理员', grants: [{ role: 'system_admin', unitId: null }] });
    await ctx.createUser({ username: 'sichuan', password: PASSWORD, displayName: '四川', grants: [{ role: 'org_admin', unitId: world.sichuan.id }] });
    await ctx.createUser({ username: 'branch', password: PASSWORD, displayName: '张书记', grants: [{ role: 'branch_secretary', unitId: world.branchA.id }] });
    admin = await ctx.login('admin', PASSWORD);
    sichuanAdmin = await ctx.login('sichuan', PASSWORD);
    secretary = await ctx.login('branch', PASSWORD);
  });

  const get = (session: Session, url: string, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'GET', url, headers: { ...session.headers, ...headers } });
  const post = (session: Session, url: string, payload: unknown, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'POST', url, payload: payload as object, headers: { ...session.headers, ...headers } });

  it('shows a unit with its parent chain, platform, city and counts beneath', async () => {
    const response = await get(sichuanAdmin, `/api/v1/org-units/${world.committee.id}`);
    expect(response.statusCode).toBe(200);
    const unit = response.json();
    expect(unit).toMatchObject({
      name: '速达出行成都平台企业党委',
      kind: 'platform_committee',
      platform: { id: world.platform.id },
      city: { code: '510100', name: '成都市', nameEn: 'Chengdu', province: '四川省' },
      counts: { descendants: 3, byKind: { mobile_branch: 2, group: 1 } },
      childCount: 2,
      allowedChildKinds: ['secondary_committee', 'mobile_branch'],
    });
    expect(unit.ancestors.map((a: { name: string }) => a.name)).toEqual(['四川省新就业群体行业党委', '成都市新就业群体行业党委']);
  });

  it('refuses an establishment date that is not on the calendar with a 400', async () => {
    for (const establishedOn of ['9696-73-92', '2026-02-30', '0000-01-01']) {
      const response = await post(secretary, '/api/v1/org-units', { parentId: world.branchA.id, name: '日期有误的党小组', kind: 'group', establishedOn });
      expect(response.statusCode, `${establishedOn}: ${response.body}`).toBe(400);
    }
  });

  it('lists the top units of each user’s scope', async () => {
    const roots = async (session: Session) => (await get(session, '/api/v1/org-units?rootsOnly=true')).json().items.map((u: { id: number }) => u.id);
    expect(await roots(admin)).toEqual(expect.arrayContaining([world.sichuan.id, world.guangdong.id]));
    expect(await roots(sichuanAdmin)).toEqual([world.sichuan.id]);
    expect(await roots(secretary)).toEqual([world.branchA.id]);
  });

  it('lists children and searches names only inside the scope', async () => {
    const children = (await get(sichuanAdmin, `/api/v1/org-units?parentId=${world.committee.id}`)).json();
    expect(children.items.map((u: { name: string }) => u.name)).toEqual(['速达出行成都第一流动党员党支部', '速达出行成都第二流动党员党支部']);
    const everywhere = (await get(admin, `/api/v1/org-units?q=${encodeURIComponent('行业党委')}`)).json().items;
    expect(everywhere).toHaveLength(4);
    const inSichuan = (await get(sichuanAdmin, `/api/v1/org-units?q=${encodeURIComponent('行业党委')}`)).json().items;
    expect(inSichuan.map((u: { name: string }) => u.name).sort()).toEqual(['四川省新就业群体行业党委', '成都市新就业群体行业党委']);
    const fromBranch = (await get(secretary, `/api/v1/org-units?q=${encodeURIComponent('支部')}`)).json().items;
    expect(fromBranch.map((u: { id: number }) => u.id)).toEqual([world.branchA.id]);
  });

  it('pages through a list with the cursor, never repeating or skipping', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/v1/org-units?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await get(admin, query)).json<{ items: { id: number }[]; nextCursor: string | null }>();
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(new Set(seen).size);
    expect(seen).toHaveLength(8);
  });

  it('answers 404 for a unit outside the user’s subtree, as for one that does not exist', async () => {
    const outside = await get(secretary, `/api/v1/org-units/${world.branchB.id}`);
    const missing = await get(secretary, '/api/v1/org-units/999999');
    expect(outside.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(outside.json().detail).toBe(missing.json().detail);
    expect((await get(sichuanAdmin, `/api/v1/org-units/${world.shenzhen.id}`)).statusCode).toBe(404);
  });

  it('lets a secretary create a group in the branch but nothing outside it', async () => {
    const created = await post(secretary, '/api/v1/org-units', { parentId: world.branchA.id, name: '第二党小组', kind: 'group' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ parentId: world.branchA.id, kind: 'group', platformId: world.platform.id, cityCode: '510100' });
    const outside = await post(secretary, '/api/v1/org-units', { parentId: world.branchB.id, name: '越权党小组', kind: 'group' });
    expect(outside.statusCode).toBe(404);
    const rename = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/org-units/${world.branchB.id}`, headers: secretary.headers, payload: { name: '改名' } });
    expect(rename.statusCode).toBe(404);
    const unchanged = await ctx.db.selectFrom('orgUnits').select('name').where('id', '=', world.branchB.id).executeTakeFirstOrThrow();
    expect(unchanged.name).toBe('速达出行成都第二流动党员党支部');
  });

  it('creates a mobile branch under Chengdu, records its history and audits the write', async () => {
    const created = await post(sichuanAdmin, '/api/v1/org-units', {
      parentId: world.chengdu.id,
      name: '成都测试流动党员党支部',
      kind: 'mobile_branch',
      platformId: world.platform.id,
      cityCode: '510100',
      establishedOn: '2026-11-01',
    });
    expect(created.statusCode).toBe(201);
    const unit = created.json();
    expect(unit).toMatchObject({ depth: 2, establishedOn: '2026-11-01', history: [{ kind: 'created' }] });
    const audit = await ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'org_unit.create').where('entityId', '=', String(unit.id)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ username: 'sichuan', entityType: 'org_unit' });
    expect(audit[0]!.ip).toBeTruthy();
  });

  it('refuses a unit of the wrong kind for its parent, and a duplicate name, with 409 problem+json', async () => {
    const wrongKind = await post(sichuanAdmin, '/api/v1/org-units', { parentId: world.chengdu.id, name: '某党小组', kind: 'group' });
    expect(wrongKind.statusCode).toBe(409);
    expect(wrongKind.json()).toMatchObject({ code: 'RULE_VIOLATION', detail: '行业党委下不能设立党小组' });
    const duplicate = await post(sichuanAdmin, '/api/v1/org-units', { parentId: world.committee.id, name: '速达出行成都第一流动党员党支部', kind: 'mobile_branch' });
    expect(duplicate.statusCode).toBe(409);
  });

  it('rejects bad input with field errors in the asked language, and stores nothing', async () => {
    const before = await ctx.db.selectFrom('orgUnits').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const response = await post(
      sichuanAdmin,
      '/api/v1/org-units',
      { parentId: world.chengdu.id, name: '', kind: 'club', cityCode: '51', extra: true },
      { 'accept-language': 'en-US,en;q=0.9' },
    );
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', title: 'The request is not valid' });
    const fields = problem.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.name', 'body.kind', 'body.cityCode', 'body.extra']));
    const inChinese = await post(sichuanAdmin, '/api/v1/org-units', { parentId: world.chengdu.id, name: '', kind: 'mobile_branch' });
    expect(inChinese.json().errors[0]).toEqual({ field: 'body.name', message: '不能为空' });
    const unknownCity = await post(sichuanAdmin, '/api/v1/org-units', { parentId: world.chengdu.id, name: '某支部', kind: 'mobile_branch', cityCode: '999999' });
    expect(unknownCity.statusCode).toBe(400);
    expect(unknownCity.json().errors[0].field).toBe('body.cityCode');
    const after = await ctx.db.selectFrom('orgUnits').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('rejects a forged cursor with a 400, not a 500', async () => {
    const response = await get(admin, '/api/v1/org-units?cursor=not-a-cursor');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('querystring.cursor');
  });

  it('lets readers read and not write', async () => {
    await ctx.createUser({ username: 'driver', password: PASSWORD, displayName: '李师傅', grants: [{ role: 'worker', unitId: world.branchA.id }] });
    const driver = await ctx.login('driver', PASSWORD);
    expect((await get(driver, `/api/v1/org-units/${world.branchA.id}`)).statusCode).toBe(200);
    const write = await post(driver, '/api/v1/org-units', { parentId: world.branchA.id, name: '司机小组', kind: 'group' });
    expect(write.statusCode).toBe(403);
  });

  it('lets staff find any open mobile branch by name as a transfer target, names only', async () => {
    const found = (await get(secretary, `/api/v1/org-units/branch-directory?q=${encodeURIComponent('第二')}`)).json();
    expect(found.items).toEqual([{ id: world.branchB.id, name: '速达出行成都第二流动党员党支部', platformId: world.platform.id, cityCode: '510100' }]);
    await ctx.createUser({ username: 'driver2', password: PASSWORD, displayName: '司机', grants: [{ role: 'worker', unitId: world.branchA.id }] });
    const driver = await ctx.login('driver2', PASSWORD);
    expect((await get(driver, '/api/v1/org-units/branch-directory')).statusCode).toBe(403);
  });

  it('lists platforms and finds cities by name, pinyin or code', async () => {
    expect((await get(secretary, '/api/v1/platforms')).json().items).toHaveLength(1);
    const byName = (await get(secretary, `/api/v1/divisions?q=${encodeURIComponent('成都')}`)).json().items;
    expect(byName).toEqual([{ code: '510100', name: '成都市', nameEn: 'Chengdu', province: '四川省' }]);
    const byPinyin = (await get(secretary, '/api/v1/divisions?q=dongguan')).json().items;
    expect(byPinyin[0]).toMatchObject({ code: '441900', name: '东莞市' });
  });
});
