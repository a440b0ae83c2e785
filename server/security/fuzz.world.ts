// The small world the fuzzer runs in: the appeal world (two provinces, a driver with an account, a
// liaison member, handlers at each level) plus a system administrator and one record of each kind the
// API manages, created through the API itself so the records are what real use makes. The world's ids,
// codes and secrets become hints, so fuzzed requests reach records that exist and not only 404s.
import { expect } from 'vitest';
import { accountFor, activityBody } from '../modules/activities/activities.factory.js';
import { APPEAL_TEST_PASSWORD, buildAppealWorld, insertWorker } from '../modules/appeals/appeals.factory.js';
import { stationBody } from '../modules/stations/stations.factory.js';
import type { Session, TestContext } from '../test/harness.js';
import type { Caller } from './fuzz.requests.js';

export type FuzzWorld = {
  /** Headers of each caller; anonymous has none. */
  headersOf: Record<Caller, Record<string, string>>;
  /**
   * A strong role may lawfully end a caller (carry out the worker's deletion request, take away a grant):
   * before each route, a caller whose session no longer answers is replaced by a new account of that role.
   */
  reviveCallers: () => Promise<void>;
  /** A bearer token that POST /auth/logout may end without logging out the fuzzing admin. */
  disposableHeaders: Record<string, string>;
  hints: Record<string, readonly unknown[]>;
};

type Answer = { id: number; trackingCode?: string | null; secret?: string | null; token?: string; version?: number };

export async function buildFuzzWorld(ctx: TestContext): Promise<FuzzWorld> {
  const w = await buildAppealWorld(ctx);
  await ctx.createUser({ username: 'fuzz-admin', password: APPEAL_TEST_PASSWORD, displayName: '系统管理员', grants: [{ role: 'system_admin', unitId: null }] });
  const admin: Session = await ctx.login('fuzz-admin', APPEAL_TEST_PASSWORD);
  const disposable = await accountFor(ctx, { role: 'system_admin', unitId: null });

  const create = async (session: Session | null, method: 'POST' | 'GET', url: string, payload?: object): Promise<Answer> => {
    const response = await ctx.app.inject({ method, url: `/api/v1${url}`, headers: session?.headers ?? {}, ...(payload ? { payload } : {}), remoteAddress: '10.99.0.1' });
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    return response.json<Answer>();
  };
  const station = await create(admin, 'POST', '/stations', stationBody({ unitId: w.branchA.id, cityCode: '510100' }));
  const checkIn = await create(admin, 'GET', `/stations/${station.id}/check-in-link`);
  const activity = await create(admin, 'POST', '/activities', activityBody(ctx, w.branchA.id));
  const team = await create(admin, 'POST', '/volunteer-teams', { unitId: w.branchA.id, name: '爱心车队志愿服务队', leaderMemberId: w.liaisonMemberId, foundedOn: '2026-03-01' });
  const post = await create(admin, 'POST', '/vanguard-posts', { unitId: w.branchA.id, title: '安全驾驶先锋岗', kind: 'safety', duties: '带头安全驾驶', holderMemberId: w.liaisonMemberId, fromDate: '2026-01-01' });
  const named = await create(w.sessions.driver, 'POST', '/appeals', { category: 'safety', description: '夜间接单路段照明不足，存在安全隐患', anonymous: false });
  const anonymous = await create(null, 'POST', '/appeals', { category: 'income_fees', description: '平台抽成比例突然提高，收入下降', anonymous: true, platformId: w.platform.id, cityCode: '510100' });

  const units = [w.sichuan, w.chengdu, w.committee, w.branchA, w.branchB, w.groupA, w.guangdong, w.shenzhen].map((u) => u.id);
  const headersOf: FuzzWorld['headersOf'] = { admin: admin.headers, worker: w.sessions.driver.headers, anonymous: {} };
  const answers = async (headers: Record<string, string>) => (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode === 200;
  const reviveCallers = async () => {
    if (!(await answers(headersOf.admin))) headersOf.admin = (await accountFor(ctx, { role: 'system_admin', unitId: null })).headers;
    if (!(await answers(headersOf.worker))) {
      const workerId = await insertWorker(ctx.db, w.branchB, '赵新来', w.platform.id);
      headersOf.worker = (await accountFor(ctx, { role: 'worker', unitId: w.branchB.id }, { workerId })).headers;
    }
  };
  return {
    headersOf,
    reviveCallers,
    disposableHeaders: disposable.headers,
    hints: {
      unitId: units,
      parentId: units,
      toUnitId: units,
      homeUnitId: units,
      sourceId: units,
      targetId: units,
      childIds: [[w.groupA.id], [w.branchA.id, w.branchB.id]],
      workerId: [w.driverId, w.otherDriverId],
      memberId: [w.liaisonMemberId],
      leaderMemberId: [w.liaisonMemberId],
      holderMemberId: [w.liaisonMemberId],
      platformId: [w.platform.id],
      audiencePlatformId: [w.platform.id],
      cityCode: ['510100', '440300', '510000'],
      audienceCityCode: ['510100'],
      stationId: [station.id],
      activityId: [activity.id],
      teamId: [team.id],
      postId: [post.id],
      ids: [[named.id], [named.id, anonymous.id]],
      code: [anonymous.trackingCode],
      secret: [anonymous.secret],
      token: [checkIn.token],
      version: [1, 2],
      // Failed logins lock an account: fuzz them against one whose session the fuzzer does not use.
      username: ['secA', 'nobody'],
    },
  };
}
