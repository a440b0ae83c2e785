// A small world for activity tests: Chengdu's industry committee over a platform committee with two
// branches (and a group in branch A), Shenzhen beside it, workers of several platforms and cities, a
// member of branch A, and the organizers. Accounts get bearer tokens straight from the session table:
// no password hashing per person (the concurrency tests need dozens) and no idle expiry when a test
// moves the clock on by days.
import type { Role } from '../../db/tables.js';
import type { TestContext } from '../../test/harness.js';
import { startSession } from '../auth/auth.queries.js';
import { insertMember, insertWorker } from '../appeals/appeals.factory.js';
import { buildPlatform, buildTwoProvinces } from '../org/org.factory.js';
import type { OrgUnit } from '../../db/tables.js';

export type Caller = { userId: number; headers: Record<string, string> };
const YEAR_MS = 365 * 86_400_000;
let serial = 0;

export async function accountFor(ctx: TestContext, grant: { role: Role; unitId: number | null }, link: { workerId?: number; memberId?: number } = {}): Promise<Caller> {
  serial += 1;
  const at = '2026-01-01T00:00:00.000Z';
  const { id } = await ctx.db
    .insertInto('users')
    .values({ username: `act-${ctx.engine}-${serial}`, passwordHash: 'not-a-hash', displayName: `测试用户${serial}`, locale: 'zh-CN', workerId: link.workerId ?? null, memberId: link.memberId ?? null, createdAt: at, updatedAt: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.db.insertInto('roleGrants').values({ userId: id, role: grant.role, unitId: grant.unitId, createdAt: at }).execute();
  if (link.workerId) await ctx.db.updateTable('workers').set({ userId: id }).where('id', '=', link.workerId).execute();
  const session = await startSession(ctx.db, { userId: id, kind: 'bearer', name: 'test', ttlMs: YEAR_MS }, ctx.clock.now());
  return { userId: id, headers: { authorization: `Bearer ${session.token}` } };
}

export async function buildActivityWorld(ctx: TestContext) {
  const world = await buildTwoProvinces(ctx.db);
  const otherPlatform = await buildPlatform(ctx.db);
  /** A worker with an account, served by `unit`, on a platform and in a city. */
  const worker = async (unit: OrgUnit, name: string, options: { platformId?: number; cityCode?: string } = {}) => {
    const workerId = await insertWorker(ctx.db, unit, name, options.platformId ?? world.platform.id);
    if (options.cityCode) await ctx.db.updateTable('workers').set({ cityCode: options.cityCode }).where('id', '=', workerId).execute();
    return { workerId, ...(await accountFor(ctx, { role: 'worker', unitId: unit.id }, { workerId })) };
  };
  const driver = await worker(world.branchA, '王建军');
  const driverB = await worker(world.branchB, '孙立新');
  const groupDriver = await worker(world.groupA, '赵小东');
  const otherCityDriver = await worker(world.shenzhen, '陈海', { cityCode: '440300' });
  const otherPlatformDriver = await worker(world.branchA, '刘洋', { platformId: otherPlatform.id });
  const memberId = await insertMember(ctx.db, world.branchA, '李秀英');
  const member = { memberId, ...(await accountFor(ctx, { role: 'member', unitId: world.branchA.id }, { memberId })) };
  // A driver who is also a member: for open activities he is a worker like any other.
  const memberDriverId = await insertWorker(ctx.db, world.branchA, '周志强', world.platform.id);
  const memberDriverMemberId = await insertMember(ctx.db, world.branchA, '周志强');
  const memberDriver = { workerId: memberDriverId, memberId: memberDriverMemberId, ...(await accountFor(ctx, { role: 'worker', unitId: world.branchA.id }, { workerId: memberDriverId, memberId: memberDriverMemberId })) };
  const secretaryA = await accountFor(ctx, { role: 'branch_secretary', unitId: world.branchA.id });
  const secretaryB = await accountFor(ctx, { role: 'branch_secretary', unitId: world.branchB.id });
  const committeeAdmin = await accountFor(ctx, { role: 'org_admin', unitId: world.committee.id });
  const cityAdmin = await accountFor(ctx, { role: 'org_admin', unitId: world.chengdu.id });
  const analyst = await accountFor(ctx, { role: 'analyst', unitId: world.chengdu.id });
  return { ...world, otherPlatform, worker, driver, driverB, groupDriver, otherCityDriver, otherPlatformDriver, member, memberDriver, secretaryA, secretaryB, committeeAdmin, cityAdmin, analyst };
}
export type ActivityWorld = Awaited<ReturnType<typeof buildActivityWorld>>;

const HOUR = 3_600_000;

/** A body for POST /activities starting `inHours` from the test clock, two hours long. */
export function activityBody(ctx: TestContext, unitId: number, overrides: Record<string, unknown> = {}, inHours = 72) {
  const start = new Date(ctx.clock.now().getTime() + inHours * HOUR);
  return {
    unitId,
    kind: 'health_check',
    title: '免费体检进司机之家',
    address: '成都市武侯区天府大道北段1700号 司机之家',
    lat: 30.5728,
    lng: 104.0668,
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 2 * HOUR).toISOString(),
    capacity: 20,
    ...overrides,
  };
}

export async function createActivityAs(ctx: TestContext, caller: Caller, body: object): Promise<{ id: number; version: number; [key: string]: unknown }> {
  const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/activities', headers: caller.headers, payload: body });
  if (response.statusCode !== 201) throw new Error(`create activity: ${response.statusCode} ${response.body}`);
  return response.json();
}
