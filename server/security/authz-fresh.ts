// Fresh records for the matrix's writes: every write check gets its own target, made by the system
// administrator (or by the owner a record needs) in the subtree the check aims at, so the rows of the
// matrix never disturb each other.
import type { OrgUnit } from '../db/tables.js';
import { accountFor, type Caller } from '../modules/activities/activities.factory.js';
import { insertMember, insertWorker } from '../modules/appeals/appeals.factory.js';
import { buildUnit } from '../modules/org/org.factory.js';
import { stationBody } from '../modules/stations/stations.factory.js';
import { activityBodyFor, type Api, gridBody, PNG, type Subtree, type World } from './authz-world.js';

let serial = 0;
const next = () => {
  serial += 1;
  return serial;
};

export type Fresh = ReturnType<typeof freshMaker>;

export function freshMaker(w: World, api: Api) {
  const { ctx, admin } = w;
  const must = api.must;

  const fresh = {
    serial: next,
    group: (S: Subtree): Promise<OrgUnit> => buildUnit(ctx.db, { parent: S.branch, kind: 'group', name: `新党小组${next()}` }),
    branch: (S: Subtree): Promise<OrgUnit> =>
      buildUnit(ctx.db, { parent: S.committee, kind: 'mobile_branch', name: `新流动党员党支部${next()}`, platformId: S.platformId, cityCode: S.cityCode }),
    worker: async (S: Subtree): Promise<number> => {
      const workerId = await insertWorker(ctx.db, S.branch, `新司机${next()}`, S.platformId);
      await ctx.db.updateTable('workers').set({ cityCode: S.cityCode }).where('id', '=', workerId).execute();
      return workerId;
    },
    member: (S: Subtree): Promise<number> => insertMember(ctx.db, S.branch, `新党员${next()}`),
    /** A worker of S with an account of their own, to file appeals or declare as one. */
    workerAccount: async (S: Subtree): Promise<Caller & { workerId: number }> => {
      const workerId = await fresh.worker(S);
      return { workerId, ...(await accountFor(ctx, { role: 'worker', unitId: S.branch.id }, { workerId })) };
    },
    /** An appeal filed by a worker of S (the given filer, or a new one), optionally already answered. */
    appeal: async (S: Subtree, options: { filer?: Caller; resolved?: boolean } = {}): Promise<number> => {
      const filer = options.filer ?? (await fresh.workerAccount(S));
      const { id } = await must(filer, 'POST', '/api/v1/appeals', { category: 'rest_facilities', description: `休息点不足 ${next()}` });
      if (options.resolved) await resolve(id);
      return id;
    },
    anonymousAppeal: async (S: Subtree, options: { resolved?: boolean } = {}) => {
      const created = await must<{ id: number; trackingCode: string; secret: string }>(null, 'POST', '/api/v1/appeals', {
        category: 'safety',
        description: `夜间安全 ${next()}`,
        anonymous: true,
        platformId: S.platformId,
        cityCode: S.cityCode,
      });
      if (options.resolved) await resolve(created.id);
      return created;
    },
    station: (S: Subtree) => must(admin, 'POST', '/api/v1/stations', stationBody({ unitId: S.branch.id, cityCode: S.cityCode })).then((s) => s.id),
    stationPhoto: async (S: Subtree) => {
      const stationId = await fresh.station(S);
      const photo = await must(admin, 'POST', `/api/v1/stations/${stationId}/photos`, PNG, { 'content-type': 'image/png' });
      return { stationId, photoId: photo.id };
    },
    /** An activity three days ahead, or one under way now (for check-ins); a branch meeting is for members only. */
    activity: (S: Subtree, options: { underWay?: boolean; membersOnly?: boolean } = {}) => {
      const body: Record<string, unknown> = activityBodyFor(ctx, S.branch.id, `活动${next()}`);
      if (options.membersOnly) Object.assign(body, { kind: 'branch_meeting', audience: 'members_only' });
      if (options.underWay) {
        const now = ctx.clock.now().getTime();
        Object.assign(body, { startsAt: new Date(now - 1_800_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() });
      }
      return must(admin, 'POST', '/api/v1/activities', body).then((a) => a.id);
    },
    team: async (S: Subtree) => {
      const leaderMemberId = await fresh.member(S);
      const team = await must(admin, 'POST', '/api/v1/volunteer-teams', { unitId: S.branch.id, name: `志愿服务队${next()}`, leaderMemberId, foundedOn: '2026-03-01' });
      return { teamId: team.id, leaderMemberId };
    },
    serviceRecord: async (S: Subtree, options: { verified?: boolean } = {}) => {
      const { teamId, leaderMemberId } = await fresh.team(S);
      const record = await must(admin, 'POST', `/api/v1/volunteer-teams/${teamId}/service-records`, { serviceDate: '2026-11-20', hours: 1.5, description: '帮扶', memberId: leaderMemberId });
      if (options.verified) await must(admin, 'POST', `/api/v1/service-records/${record.id}/verify`);
      return record.id;
    },
    post: (S: Subtree) => must(admin, 'POST', '/api/v1/vanguard-posts', { unitId: S.branch.id, title: `先锋岗${next()}`, kind: 'service', duties: '服务司机' }).then((p) => p.id),
    gridRole: async (S: Subtree) => must(admin, 'POST', '/api/v1/grid-roles', gridBody(await fresh.worker(S), S.cityCode)).then((g) => g.id),
    transfer: async (S: Subtree, to: OrgUnit) => {
      const memberId = await fresh.member(S);
      return must(admin, 'POST', '/api/v1/member-transfers', { memberId, toUnitId: to.id, reason: '工作调动' }).then((t) => t.id);
    },
    declaration: async (S: Subtree) => {
      const declarer = await fresh.workerAccount(S);
      return must(declarer, 'POST', '/api/v1/me/member-declaration', { homeOrgText: '老家县委组织部', joinDate: '2012-07-01' }).then((d) => d.id);
    },
    /** A deletion request filed by a new worker account of S (never the role's own: carrying one out closes it). */
    deletionRequest: async (S: Subtree, filer?: Caller) => {
      const by = filer ?? (await fresh.workerAccount(S));
      return must<{ id: number; receipt: string }>(by, 'POST', '/api/v1/me/deletion-requests', { reason: '不再使用' });
    },
    notification: async (userId: number) => {
      const row = await ctx.db
        .insertInto('notifications')
        .values({ userId, kind: 'appeal_update', appealId: null, title: '新消息', body: '测试', createdAt: '2026-11-24T00:00:00.000Z', readAt: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
  };

  async function resolve(id: number) {
    await must(admin, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'acknowledged' });
    await must(admin, 'POST', `/api/v1/appeals/${id}/transitions`, { to: 'resolved', reason: '已与平台沟通解决' });
  }

  return fresh;
}
