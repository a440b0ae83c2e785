// A small world for volunteering tests: two branches of one platform committee, workers who are not
// members, members who lead teams, and staff at each level — each with a session.
import type { Session, TestContext } from '../../test/harness.js';
import { insertMember, insertWorker } from '../appeals/appeals.factory.js';
import { buildTwoProvinces } from '../org/org.factory.js';

export const VOLUNTEER_TEST_PASSWORD = 'correct-horse-battery';

export async function buildVolunteerWorld(ctx: TestContext) {
  const world = await buildTwoProvinces(ctx.db);
  const pw = VOLUNTEER_TEST_PASSWORD;
  const platformId = world.platform.id;
  const people = {
    driver: await insertWorker(ctx.db, world.branchA, '王海涛', platformId),
    rider: await insertWorker(ctx.db, world.branchA, '赵小雨', platformId),
    driverB: await insertWorker(ctx.db, world.branchB, '孙立新', platformId),
    leaderA: await insertMember(ctx.db, world.branchA, '李秀英'),
    leaderA2: await insertMember(ctx.db, world.branchA, '周建国'),
    leaderB: await insertMember(ctx.db, world.branchB, '陈红梅'),
    memberA: await insertMember(ctx.db, world.branchA, '吴志强'),
  };
  const accounts = [
    ['driver', 'worker', world.branchA.id, { workerId: people.driver }],
    ['rider', 'worker', world.branchA.id, { workerId: people.rider }],
    ['driverB', 'worker', world.branchB.id, { workerId: people.driverB }],
    ['leaderA', 'member', world.branchA.id, { memberId: people.leaderA }],
    ['leaderA2', 'member', world.branchA.id, { memberId: people.leaderA2 }],
    ['leaderB', 'member', world.branchB.id, { memberId: people.leaderB }],
    ['secA', 'branch_secretary', world.branchA.id, {}],
    ['secB', 'branch_secretary', world.branchB.id, {}],
    ['analyst', 'analyst', world.chengdu.id, {}],
  ] as const;
  const users = {} as Record<(typeof accounts)[number][0], number>;
  for (const [username, role, unitId, link] of accounts) {
    users[username] = await ctx.createUser({ username, password: pw, displayName: username, grants: [{ role, unitId }] });
    if (Object.keys(link).length > 0) await ctx.db.updateTable('users').set(link).where('id', '=', users[username]).execute();
  }
  const sessions = {} as Record<(typeof accounts)[number][0], Session>;
  // Sessions idle out when a test moves the clock on by hours; log everyone in again afterwards.
  const relogin = async () => {
    for (const [username] of accounts) sessions[username] = await ctx.login(username, pw);
  };
  await relogin();
  return { ...world, people, users, sessions, relogin };
}
export type VolunteerWorld = Awaited<ReturnType<typeof buildVolunteerWorld>>;
