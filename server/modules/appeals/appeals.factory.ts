// A small world for appeal tests: two branches of one platform committee under a city committee, a
// worker with an account in branch A, a liaison member, and the people who handle appeals at each level.
import type { Kysely } from 'kysely';
import { nameSortKey } from '../../core/name-sort.js';
import { sensitiveCodec } from '../../core/sensitive.js';
import type { Database, OrgUnit } from '../../db/tables.js';
import type { Session, TestContext } from '../../test/harness.js';
import { buildTwoProvinces } from '../org/org.factory.js';

export const APPEAL_TEST_PASSWORD = 'correct-horse-battery';
const codec = sensitiveCodec('x'.repeat(40));
let serial = 0;

export async function insertWorker(db: Kysely<Database>, unit: OrgUnit, name: string, platformId: number): Promise<number> {
  serial += 1;
  const phone = `137${String(serial).padStart(8, '0')}`;
  const row = await db
    .insertInto('workers')
    .values({ name, nameSort: nameSortKey(name), phoneEnc: codec.encrypt(phone), phoneHash: codec.hash(phone), phoneTail: phone.slice(-4), unitId: unit.id, unitPath: unit.path, platformId, platformWorkerId: `AW${serial}`, workType: 'ride_hailing', vehicle: 'car', cityCode: '510100', status: 'active', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertMember(db: Kysely<Database>, unit: OrgUnit, name: string): Promise<number> {
  serial += 1;
  const phone = `136${String(serial).padStart(8, '0')}`;
  const row = await db
    .insertInto('members')
    .values({ name, nameSort: nameSortKey(name), phoneEnc: codec.encrypt(phone), phoneHash: codec.hash(phone), phoneTail: phone.slice(-4), unitId: unit.id, unitPath: unit.path, gender: 'female', birthYear: 1988, idCardEnc: codec.encrypt(`AID${serial}`), idCardHash: codec.hash(`AID${serial}`), joinDate: codec.encrypt('2016-07-01'), status: 'full', isMobile: 1, liaisonTarget: 10, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function buildAppealWorld(ctx: TestContext) {
  const world = await buildTwoProvinces(ctx.db);
  const pw = APPEAL_TEST_PASSWORD;
  const driverId = await insertWorker(ctx.db, world.branchB, '王建军', world.platform.id);
  const otherDriverId = await insertWorker(ctx.db, world.branchA, '孙立新', world.platform.id);
  const liaisonMemberId = await insertMember(ctx.db, world.branchA, '李秀英');
  // The driver's serving unit is branch B, but his liaison sits in branch A: appeals follow the liaison.
  await ctx.db.insertInto('liaisonAssignments').values({ workerId: driverId, memberId: liaisonMemberId, assignedAt: '2026-02-01T00:00:00.000Z', assignedBy: null }).execute();

  const users = {
    driver: await ctx.createUser({ username: 'driver', password: pw, displayName: '王建军', grants: [{ role: 'worker', unitId: world.branchB.id }] }),
    otherDriver: await ctx.createUser({ username: 'driver2', password: pw, displayName: '孙立新', grants: [{ role: 'worker', unitId: world.branchA.id }] }),
    liaison: await ctx.createUser({ username: 'liaison', password: pw, displayName: '李秀英', grants: [{ role: 'member', unitId: world.branchA.id }] }),
    secretaryA: await ctx.createUser({ username: 'secA', password: pw, displayName: '刘书记', grants: [{ role: 'branch_secretary', unitId: world.branchA.id }] }),
    secretaryB: await ctx.createUser({ username: 'secB', password: pw, displayName: '陈书记', grants: [{ role: 'branch_secretary', unitId: world.branchB.id }] }),
    committee: await ctx.createUser({ username: 'committee', password: pw, displayName: '平台党委张委员', grants: [{ role: 'org_admin', unitId: world.committee.id }] }),
    city: await ctx.createUser({ username: 'city', password: pw, displayName: '市行业党委赵委员', grants: [{ role: 'org_admin', unitId: world.chengdu.id }] }),
  };
  await ctx.db.updateTable('users').set({ workerId: driverId }).where('id', '=', users.driver).execute();
  await ctx.db.updateTable('users').set({ workerId: otherDriverId }).where('id', '=', users.otherDriver).execute();
  await ctx.db.updateTable('users').set({ memberId: liaisonMemberId }).where('id', '=', users.liaison).execute();
  const sessions: Record<keyof typeof users, Session> = {} as Record<keyof typeof users, Session>;
  // Sessions expire when a test moves the clock on by hours; log everyone in again afterwards.
  const relogin = async () => {
    for (const [key, name] of [['driver', 'driver'], ['otherDriver', 'driver2'], ['liaison', 'liaison'], ['secretaryA', 'secA'], ['secretaryB', 'secB'], ['committee', 'committee'], ['city', 'city']] as const) {
      sessions[key] = await ctx.login(name, pw);
    }
  };
  await relogin();
  return { ...world, driverId, otherDriverId, liaisonMemberId, users, sessions, relogin };
}
export type AppealWorld = Awaited<ReturnType<typeof buildAppealWorld>>;
