import type { Kysely } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { nameSortKey } from '../../core/name-sort.js';
import { sensitiveCodec } from '../../core/sensitive.js';
import type { Database, OrgUnit } from '../../db/tables.js';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildTwoProvinces } from '../org/org.factory.js';

const PASSWORD = 'correct-horse-battery';
const codec = sensitiveCodec('x'.repeat(40));
let serial = 0;

// Rows written directly: these tests are about liaison, not about how members are registered.
async function insertPerson(db: Kysely<Database>, table: 'members' | 'workers', unit: OrgUnit, name: string, platformId: number) {
  serial += 1;
  const phone = `139${String(serial).padStart(8, '0')}`;
  const common = { name, nameSort: nameSortKey(name), phoneEnc: codec.encrypt(phone), phoneHash: codec.hash(phone), phoneTail: phone.slice(-4), unitId: unit.id, unitPath: unit.path, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
  if (table === 'workers') {
    const row = await db.insertInto('workers').values({ ...common, platformId, platformWorkerId: `W${serial}`, workType: 'ride_hailing', vehicle: 'car', cityCode: '510100', status: 'active' }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }
  const row = await db
    .insertInto('members')
    .values({ ...common, unitPath: unit.path, gender: 'male', birthYear: 1985, idCardEnc: codec.encrypt(`ID${serial}`), idCardHash: codec.hash(`ID${serial}`), joinDate: codec.encrypt('2015-07-01'), status: 'full', isMobile: 0, liaisonTarget: 3 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describeEachEngine('liaison', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let secretary: Session;
  let otherSecretary: Session;
  let admin: Session;
  const members: number[] = [];
  const workers: number[] = [];
  let workerOfB = 0;
  let memberOfB = 0;

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    for (const name of ['李书华', '陈卫东']) members.push(await insertPerson(ctx.db, 'members', world.branchA, name, world.platform.id));
    for (let i = 0; i < 8; i++) workers.push(await insertPerson(ctx.db, 'workers', world.branchA, `司机${'甲乙丙丁戊己庚辛'[i]}`, world.platform.id));
    memberOfB = await insertPerson(ctx.db, 'members', world.branchB, '周建国', world.platform.id);
    workerOfB = await insertPerson(ctx.db, 'workers', world.branchB, '赵师傅', world.platform.id);
    await ctx.createUser({ username: 'branch', password: PASSWORD, displayName: '书记', grants: [{ role: 'branch_secretary', unitId: world.branchA.id }] });
    await ctx.createUser({ username: 'other', password: PASSWORD, displayName: '书记乙', grants: [{ role: 'branch_secretary', unitId: world.branchB.id }] });
    secretary = await ctx.login('branch', PASSWORD);
    otherSecretary = await ctx.login('other', PASSWORD);
    await ctx.createUser({ username: 'chengdu', password: PASSWORD, displayName: '成都管理员', grants: [{ role: 'org_admin', unitId: world.chengdu.id }] });
    admin = await ctx.login('chengdu', PASSWORD);
  });

  const call = (session: Session, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });

  it('auto-assigns the branch’s workers to its members, balanced and within each target', async () => {
    const response = await call(admin, 'POST', '/api/v1/liaison/auto-assign', { unitId: world.committee.id });
    expect(response.statusCode, response.body).toBe(200);
    // Branch A: 2 members × target 3 = 6 of 8 workers; branch B: 1 member for 1 worker.
    expect(response.json()).toEqual({ assigned: 7, leftUnassigned: 2 });
    const rows = await ctx.db.selectFrom('liaisonAssignments').selectAll().execute();
    const load = (memberId: number) => rows.filter((r) => r.memberId === memberId).length;
    expect([load(members[0]!), load(members[1]!)]).toEqual([3, 3]);
    expect(rows.find((r) => r.workerId === workerOfB)?.memberId).toBe(memberOfB);
  });

  it('does not let a secretary auto-assign outside the branch', async () => {
    const response = await call(otherSecretary, 'POST', '/api/v1/liaison/auto-assign', { unitId: world.branchA.id });
    expect(response.statusCode).toBe(404);
  });

  it('refuses a liaison from another branch', async () => {
    const response = await call(secretary, 'PUT', `/api/v1/liaison/assignments/${workers[7]}`, { memberId: memberOfB });
    expect(response.statusCode).toBe(404);
    const sameBranchOtherScope = await call(otherSecretary, 'PUT', `/api/v1/liaison/assignments/${workerOfB}`, { memberId: members[0] });
    expect(sameBranchOtherScope.statusCode).toBe(404);
    // An admin who sees both branches still may not cross them.
    const acrossBranches = await call(admin, 'PUT', `/api/v1/liaison/assignments/${workers[7]}`, { memberId: memberOfB });
    expect(acrossBranches.statusCode).toBe(409);
    expect(await ctx.db.selectFrom('liaisonAssignments').select('memberId').where('workerId', '=', workers[7]!).executeTakeFirst()).toBeUndefined();
  });

  it('logs a contact with demands raised, and the board shows who is overdue', async () => {
    const assigned = await ctx.db.selectFrom('liaisonAssignments').selectAll().where('memberId', '=', members[0]!).orderBy('workerId').execute();
    const response = await call(secretary, 'POST', '/api/v1/liaison/contacts', {
      workerId: assigned[0]!.workerId,
      contactedOn: '2026-11-20',
      channel: 'station',
      notes: '在司机之家聊了半小时',
      demandsRaised: '平台抽成上调，收入下降',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ memberName: '李书华', channel: 'station', demandsRaised: '平台抽成上调，收入下降' });
    const board = await call(secretary, 'GET', `/api/v1/liaison/board?unitId=${world.branchA.id}`);
    const row = board.json().items.find((m: { memberId: number }) => m.memberId === members[0]);
    expect(row).toMatchObject({ name: '李书华', unitName: world.branchA.name, target: 3, assigned: 3, overdue: 2, lastContactOn: '2026-11-20' });
    const mine = await call(secretary, 'GET', `/api/v1/liaison/members/${members[0]}/workers`);
    expect(mine.json().items.filter((w: { overdue: boolean }) => !w.overdue)).toHaveLength(1);
    expect(mine.json().items[0].phone).toMatch(/^139\*{4}\d{4}$/);
  });

  it('refuses a contact date that is not on the calendar with a 400, writing nothing', async () => {
    const assigned = await ctx.db.selectFrom('liaisonAssignments').selectAll().where('memberId', '=', members[0]!).orderBy('workerId').execute();
    const before = await ctx.db.selectFrom('liaisonContacts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    for (const contactedOn of ['0000-00-00', '2026-02-30', '2026-13-01', '0000-01-01']) {
      const response = await call(secretary, 'POST', '/api/v1/liaison/contacts', { workerId: assigned[0]!.workerId, contactedOn, channel: 'visit' });
      expect(response.statusCode, `${contactedOn}: ${response.body}`).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: expect.arrayContaining([expect.objectContaining({ field: 'body.contactedOn' })]) });
    }
    const after = await ctx.db.selectFrom('liaisonContacts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('reports coverage for a unit', async () => {
    const response = await call(secretary, 'GET', `/api/v1/liaison/coverage?unitId=${world.branchA.id}`);
    expect(response.json()).toEqual({
      unitId: world.branchA.id,
      workers: 8,
      withLiaison: 6,
      contactedLast30Days: 1,
      shareWithLiaison: 0.75,
      shareContactedLast30Days: 0.125,
      members: 2,
      membersOverTarget: 0,
      membersUnderTarget: 0,
    });
  });

  it('re-assigns by hand and unassigns, auditing both', async () => {
    const workerId = workers[7]!;
    expect((await call(secretary, 'PUT', `/api/v1/liaison/assignments/${workerId}`, { memberId: members[1] })).statusCode).toBe(200);
    expect((await call(secretary, 'DELETE', `/api/v1/liaison/assignments/${workerId}`)).statusCode).toBe(204);
    const actions = await ctx.db.selectFrom('auditLog').select('action').where('entityType', '=', 'worker').where('entityId', '=', String(workerId)).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['liaison.assign', 'liaison.unassign']);
  });
});
