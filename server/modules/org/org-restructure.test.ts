import { beforeEach, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildTwoProvinces } from './org.factory.js';

const PASSWORD = 'correct-horse-battery';

describeEachEngine('org units: move, merge, split and close', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let admin: Session;
  let secretary: Session;
  let round = 0;

  // Each test gets its own world and users, so a restructuring in one never leaks into another.
  beforeEach(async () => {
    round += 1;
    world = await buildTwoProvinces(ctx.db);
    await ctx.createUser({ username: `admin${round}`, password: PASSWORD, displayName: '管理员', grants: [{ role: 'org_admin', unitId: world.sichuan.id }] });
    await ctx.createUser({ username: `branch${round}`, password: PASSWORD, displayName: '书记', grants: [{ role: 'branch_secretary', unitId: world.branchA.id }] });
    admin = await ctx.login(`admin${round}`, PASSWORD);
    secretary = await ctx.login(`branch${round}`, PASSWORD);
  });

  const post = (session: Session, url: string, payload: object) => ctx.app.inject({ method: 'POST', url, payload, headers: session.headers });
  const pathOf = async (id: number) => (await ctx.db.selectFrom('orgUnits').select(['path', 'depth', 'parentId']).where('id', '=', id).executeTakeFirstOrThrow());

  it('moves a branch with its groups under another platform committee, rewriting paths and depths', async () => {
    const otherCommittee = await post(admin, '/api/v1/org-units', { parentId: world.sichuan.id, name: '另一个平台党委', kind: 'platform_committee' });
    expect(otherCommittee.statusCode).toBe(201);
    const targetId = otherCommittee.json().id as number;
    const moved = await post(admin, `/api/v1/org-units/${world.branchA.id}/move`, { parentId: targetId });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().ancestors.map((a: { id: number }) => a.id)).toEqual([world.sichuan.id, targetId]);
    expect(await pathOf(world.groupA.id)).toEqual({ path: `/${world.sichuan.id}/${targetId}/${world.branchA.id}/${world.groupA.id}/`, depth: 3, parentId: world.branchA.id });
    const committee = (await ctx.app.inject({ method: 'GET', url: `/api/v1/org-units/${world.committee.id}`, headers: admin.headers })).json();
    expect(committee.counts.descendants).toBe(1);
    const events = await ctx.db.selectFrom('orgUnitEvents').selectAll().where('unitId', '=', world.branchA.id).where('kind', '=', 'moved').execute();
    expect(JSON.parse(events[0]!.detail)).toEqual({ fromParentId: world.committee.id, toParentId: targetId });
  });

  it('refuses to move a unit under its own descendant, and leaves every path as it was', async () => {
    const before = await ctx.db.selectFrom('orgUnits').select(['id', 'path']).orderBy('id').execute();
    const response = await post(admin, `/api/v1/org-units/${world.chengdu.id}/move`, { parentId: world.committee.id });
    expect(response.statusCode).toBe(409);
    expect(await ctx.db.selectFrom('orgUnits').select(['id', 'path']).orderBy('id').execute()).toEqual(before);
  });

  it('does not let an org admin move a unit out of the scope', async () => {
    const response = await post(admin, `/api/v1/org-units/${world.branchA.id}/move`, { parentId: world.shenzhen.id });
    expect(response.statusCode).toBe(404);
    expect((await pathOf(world.branchA.id)).parentId).toBe(world.committee.id);
  });

  it('merges one branch into another: children move, the source is closed and both histories say so', async () => {
    const response = await post(admin, '/api/v1/org-units/merge', { sourceId: world.branchA.id, targetId: world.branchB.id, reason: '两个支部党员人数少，合并' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: world.branchB.id, childCount: 1, history: [{ kind: 'merged' }] });
    expect((await pathOf(world.groupA.id)).parentId).toBe(world.branchB.id);
    const source = (await ctx.app.inject({ method: 'GET', url: `/api/v1/org-units/${world.branchA.id}`, headers: admin.headers })).json();
    expect(source).toMatchObject({ closedOn: '2026-11-25', closeReason: '两个支部党员人数少，合并', mergedIntoId: world.branchB.id, childCount: 0 });
    expect(source.history[0].kind).toBe('merged_into');
    const audit = await ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'org_unit.merge').where('entityId', '=', String(world.branchB.id)).execute();
    expect(audit).toHaveLength(1);
    const closedStillListed = (await ctx.app.inject({ method: 'GET', url: `/api/v1/org-units?parentId=${world.committee.id}&includeClosed=true`, headers: admin.headers })).json();
    expect(closedStillListed.items.map((u: { id: number }) => u.id)).toContain(world.branchA.id);
  });

  it('refuses to merge units of different kinds', async () => {
    const response = await post(admin, '/api/v1/org-units/merge', { sourceId: world.branchA.id, targetId: world.chengdu.id });
    expect(response.statusCode).toBe(409);
    expect((await pathOf(world.groupA.id)).parentId).toBe(world.branchA.id);
  });

  it('splits a branch: the new unit stands beside it and takes the chosen groups', async () => {
    const extra = await post(secretary, '/api/v1/org-units', { parentId: world.branchA.id, name: '第二党小组', kind: 'group' });
    expect(extra.statusCode).toBe(201);
    const response = await post(admin, `/api/v1/org-units/${world.branchA.id}/split`, { name: '速达出行成都第三流动党员党支部', childIds: [extra.json().id] });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({ parentId: world.committee.id, kind: 'mobile_branch', platformId: world.platform.id, cityCode: '510100', childCount: 1 });
    expect(created.history[0]).toMatchObject({ kind: 'split_from' });
    expect((await pathOf(extra.json().id)).parentId).toBe(created.id);
    expect((await pathOf(world.groupA.id)).parentId).toBe(world.branchA.id);
  });

  it('refuses a split that names a unit which is not a direct child, creating nothing', async () => {
    const count = async () => Number((await ctx.db.selectFrom('orgUnits').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const response = await post(admin, `/api/v1/org-units/${world.branchA.id}/split`, { name: '拆分出的支部', childIds: [world.groupA.id, world.branchB.id] });
    expect(response.statusCode).toBe(409);
    expect(await count()).toBe(before);
  });

  it('closes a group with a date and reason; a secretary may not close their own branch', async () => {
    const detail = (await ctx.app.inject({ method: 'GET', url: `/api/v1/org-units/${world.branchA.id}`, headers: secretary.headers })).json();
    expect(detail.permissions).toEqual({ write: true, restructure: false });
    const ownBranch = await post(secretary, `/api/v1/org-units/${world.branchA.id}/close`, { closedOn: '2026-11-20', reason: '撤销' });
    expect(ownBranch.statusCode).toBe(403);
    const closed = await post(secretary, `/api/v1/org-units/${world.groupA.id}/close`, { closedOn: '2026-11-20', reason: '成员调整' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ closedOn: '2026-11-20', closeReason: '成员调整', allowedChildKinds: [], permissions: { write: false, restructure: false }, history: [{ kind: 'closed' }] });
    const rename = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/org-units/${world.groupA.id}`, headers: secretary.headers, payload: { name: '新名字' } });
    expect(rename.statusCode).toBe(409);
    expect(rename.json().code).toBe('UNIT_CLOSED');
  });

  it('refuses to close a unit that still has open units beneath', async () => {
    const response = await post(admin, `/api/v1/org-units/${world.committee.id}/close`, { closedOn: '2026-11-20', reason: '撤销' });
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toContain('2');
  });

  it('renames a unit and keeps the old name in its history', async () => {
    const response = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/org-units/${world.branchA.id}`, headers: secretary.headers, payload: { name: '速达出行成都先锋流动党员党支部' } });
    expect(response.statusCode).toBe(200);
    expect(response.json().history[0]).toMatchObject({ kind: 'renamed', detail: { name: { from: '速达出行成都第一流动党员党支部', to: '速达出行成都先锋流动党员党支部' } } });
  });
});
