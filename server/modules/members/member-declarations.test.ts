import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildTwoProvinces } from '../org/org.factory.js';
import { testIdCard } from './members.factory.js';

const PASSWORD = 'correct-horse-battery';

describeEachEngine('member declarations', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let secretary: Session;
  let otherSecretary: Session;
  let driver: Session;
  let courier: Session;
  let stranger: Session;
  const workerIds: Record<string, number> = {};

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    await ctx.createUser({ username: 'branch', password: PASSWORD, displayName: '书记', grants: [{ role: 'branch_secretary', unitId: world.branchA.id }] });
    await ctx.createUser({ username: 'other', password: PASSWORD, displayName: '另一书记', grants: [{ role: 'branch_secretary', unitId: world.branchB.id }] });
    secretary = await ctx.login('branch', PASSWORD);
    otherSecretary = await ctx.login('other', PASSWORD);
    for (const [username, name, phone] of [
      ['driver', '周杰', '13811110001'],
      ['courier', '吴芳', '13811110002'],
    ] as const) {
      // Recorded without a unit: the platform and city route them (and their declaration) to branch A.
      const worker = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/workers',
        headers: secretary.headers,
        payload: { name, phone, platformId: world.platform.id, platformWorkerId: username, workType: 'ride_hailing', vehicle: 'car', cityCode: '510100' },
      });
      expect(worker.statusCode, worker.body).toBe(201);
      const userId = await ctx.createUser({ username, password: PASSWORD, displayName: name, grants: [] });
      workerIds[username] = worker.json<{ id: number }>().id;
      await ctx.db.updateTable('workers').set({ userId }).where('id', '=', workerIds[username]).execute();
    }
    await ctx.createUser({ username: 'stranger', password: PASSWORD, displayName: '无记录', grants: [] });
    driver = await ctx.login('driver', PASSWORD);
    courier = await ctx.login('courier', PASSWORD);
    stranger = await ctx.login('stranger', PASSWORD);
  });

  const post = (session: Session, url: string, payload: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: session.headers, payload });
  const pending = async (session: Session, status = 'pending') => {
    const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/member-declarations?status=${status}`, headers: session.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: { id: number; workerName: string; phone: string; decisionReason: string | null }[] }>().items;
  };
  const verifyBody = { gender: 'male', birthYear: 1990, idCard: testIdCard(7, 1990), status: 'full', mobilityType: 'across_provinces' };

  it('routes a worker’s declaration to the branch of their platform and city, once', async () => {
    const declared = await post(driver, '/me/member-declaration', { homeOrgText: '河南省周口市某村党支部', joinDate: '2012-07-01' });
    expect(declared.statusCode, declared.body).toBe(201);
    expect(declared.json()).toMatchObject({ unitId: world.branchA.id, status: 'pending', workerName: '周杰', phone: '138****0001' });
    expect((await post(driver, '/me/member-declaration', { homeOrgText: '再报一次', joinDate: '2012-07-01' })).statusCode).toBe(409);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me/member-declaration', headers: driver.headers })).json()).toMatchObject({ status: 'pending' });
    expect((await post(stranger, '/me/member-declaration', { homeOrgText: '某支部', joinDate: '2012-07-01' })).statusCode).toBe(404);
  });

  it('shows pending declarations to the branch in scope and to no one else', async () => {
    expect((await pending(secretary)).map((d) => d.workerName)).toEqual(['周杰']);
    expect(await pending(otherSecretary)).toEqual([]);
    const [declaration] = await pending(secretary);
    expect((await post(otherSecretary, `/member-declarations/${declaration!.id}/verify`, verifyBody)).statusCode).toBe(404);
    expect((await post(otherSecretary, `/member-declarations/${declaration!.id}/reject`, { reason: '查无此人' })).statusCode).toBe(404);
    expect((await post(driver, `/member-declarations/${declaration!.id}/reject`, { reason: '自己拒绝' })).statusCode).toBe(404);
  });

  it('verifies a declaration into a mobile member linked to the worker', async () => {
    const [declaration] = await pending(secretary);
    const wrongCheck = verifyBody.idCard.slice(0, 17) + (verifyBody.idCard.endsWith('1') ? '2' : '1');
    const badId = await post(secretary, `/member-declarations/${declaration!.id}/verify`, { ...verifyBody, idCard: wrongCheck });
    expect(badId.statusCode).toBe(400);
    const verified = await post(secretary, `/member-declarations/${declaration!.id}/verify`, verifyBody);
    expect(verified.statusCode, verified.body).toBe(200);
    const memberId = verified.json<{ memberId: number }>().memberId;
    expect(verified.json()).toMatchObject({ status: 'verified', decidedAt: '2026-11-25T02:00:00.000Z' });
    const member = await ctx.app.inject({ method: 'GET', url: `/api/v1/members/${memberId}`, headers: secretary.headers });
    expect(member.json()).toMatchObject({
      name: '周杰',
      phone: '138****0001',
      workerId: workerIds.driver,
      unitId: world.branchA.id,
      isMobile: true,
      homeOrgText: '河南省周口市某村党支部',
      joinDate: '2012-07-01',
      mobilityType: 'across_provinces',
    });
    const worker = await ctx.app.inject({ method: 'GET', url: `/api/v1/workers/${workerIds.driver}`, headers: secretary.headers });
    expect(worker.json()).toMatchObject({ memberId });
    expect((await post(secretary, `/member-declarations/${declaration!.id}/verify`, verifyBody)).statusCode).toBe(409);
    expect((await post(driver, '/me/member-declaration', { homeOrgText: '又一次', joinDate: '2012-07-01' })).statusCode).toBe(409);
    expect(await pending(secretary)).toEqual([]);
  });

  it('rejects a declaration with a reason the worker sees', async () => {
    expect((await post(courier, '/me/member-declaration', { homeOrgText: '某街道党工委', joinDate: '2020-07-01' })).statusCode).toBe(201);
    const [declaration] = await pending(secretary);
    const rejected = await post(secretary, `/member-declarations/${declaration!.id}/reject`, { reason: '原组织未能核实' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me/member-declaration', headers: courier.headers })).json()).toMatchObject({ status: 'rejected', decisionReason: '原组织未能核实' });
    expect((await pending(secretary, 'rejected')).map((d) => d.workerName)).toEqual(['吴芳']);
    const audit = await ctx.db.selectFrom('auditLog').select('action').where('entityType', '=', 'member_declaration').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['member_declaration.create', 'member_declaration.verify', 'member_declaration.create', 'member_declaration.reject']);
  });
});
