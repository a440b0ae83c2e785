// The seeded world the authorization matrix is checked on: two disjoint subtrees A and B of the same
// shape, each with its people and records, and one account of every role granted on A (plus the same on
// B, who create B's records as their owners would). "Own scope" requests target A, "other scope" B.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { OrgUnit, Role } from '../db/tables.js';
import { insertMember, insertWorker } from '../modules/appeals/appeals.factory.js';
import { accountFor, type Caller } from '../modules/activities/activities.factory.js';
import { buildPlatform, buildUnit } from '../modules/org/org.factory.js';
import { stationBody } from '../modules/stations/stations.factory.js';
import type { TestContext } from '../test/harness.js';

export const matrixRoles = ['system_admin', 'org_admin', 'branch_secretary', 'member', 'worker', 'analyst', 'anonymous'] as const;
export type MatrixRole = (typeof matrixRoles)[number];
export type SignedInRole = Exclude<MatrixRole, 'anonymous'>;
export type Side = 'own' | 'other';

// A 1×1 PNG: the smallest real image the photo routes accept by content.
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let probeAddress = 0;
/** Every request comes from its own address, so per-address rate limits never decide an outcome. */
export function nextProbeAddress(): string {
  probeAddress += 1;
  return `10.${(probeAddress >> 16) & 255}.${(probeAddress >> 8) & 255}.${probeAddress & 255}`;
}

export type Subtree = {
  platformId: number;
  cityCode: string;
  root: OrgUnit;
  committee: OrgUnit;
  branch: OrgUnit;
  group: OrgUnit;
  /** Accounts granted in this subtree (system_admin is the same global account on both sides). */
  callers: Record<SignedInRole, Caller>;
  workerId: number;
  memberId: number;
  appealId: number;
  anonymousAppeal: { id: number; trackingCode: string; secret: string };
  appealPhotoId: number;
  stationId: number;
  stationPhotoId: number;
  activityId: number;
  teamId: number;
  serviceRecordId: number;
  postId: number;
  gridRoleId: number;
  notificationId: number;
};

export type World = { ctx: TestContext; A: Subtree; B: Subtree; admin: Caller };

export type Api = {
  call: (caller: Caller | null, method: InjectOptions['method'], url: string, payload?: unknown, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  /** Like call, but the answer must be 2xx: for building the world, where anything else is a bug in the test. */
  must: <T = { id: number }>(caller: Caller | null, method: InjectOptions['method'], url: string, payload?: unknown, headers?: Record<string, string>) => Promise<T>;
};

export function apiOf(ctx: TestContext): Api {
  const call: Api['call'] = (caller, method, url, payload, headers = {}) =>
    ctx.app.inject({
      method,
      url,
      remoteAddress: nextProbeAddress(),
      headers: { ...(caller?.headers ?? {}), ...headers },
      ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
    });
  const must: Api['must'] = async (caller, method, url, payload, headers) => {
    const response = await call(caller, method, url, payload, headers);
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  return { call, must };
}

// Where each role's grant sits: admins and analysts over the whole subtree, the rest on the branch.
const grantLevel: Record<Exclude<SignedInRole, 'system_admin'>, 'root' | 'branch'> = {
  org_admin: 'root',
  analyst: 'root',
  branch_secretary: 'branch',
  member: 'branch',
  worker: 'branch',
};

/** The grant an account of `role` holds in subtree S. */
export function grantFor(role: SignedInRole, S: Subtree | { root: OrgUnit; branch: OrgUnit }): { role: Role; unitId: number | null } {
  if (role === 'system_admin') return { role, unitId: null };
  return { role, unitId: grantLevel[role] === 'root' ? S.root.id : S.branch.id };
}

async function buildSubtree(ctx: TestContext, api: Api, admin: Caller, label: 'A' | 'B', cityCode: string): Promise<Subtree> {
  const db = ctx.db;
  const platform = await buildPlatform(db, { code: `authz-${label}-${ctx.engine}`, name: `测试平台${label}` });
  const root = await buildUnit(db, { name: `${label}省新就业群体行业党委`, cityCode: cityCode.slice(0, 2) + '0000' });
  const committee = await buildUnit(db, { parent: root, kind: 'platform_committee', name: `${label}平台企业党委`, platformId: platform.id, cityCode });
  const branch = await buildUnit(db, { parent: committee, kind: 'mobile_branch', name: `${label}流动党员党支部`, platformId: platform.id, cityCode });
  const group = await buildUnit(db, { parent: branch, kind: 'group', name: `${label}第一党小组` });
  const workerId = await insertWorker(db, branch, `${label}王建军`, platform.id);
  await db.updateTable('workers').set({ cityCode }).where('id', '=', workerId).execute();
  const memberId = await insertMember(db, branch, `${label}李秀英`);

  const callers = { system_admin: admin } as Record<SignedInRole, Caller>;
  for (const role of Object.keys(grantLevel) as Exclude<SignedInRole, 'system_admin'>[]) {
    const link = role === 'worker' ? { workerId } : role === 'member' ? { memberId } : {};
    callers[role] = await accountFor(ctx, grantFor(role, { root, branch }), link);
  }

  const appeal = await api.must(callers.worker, 'POST', '/api/v1/appeals', { category: 'income_fees', description: `${label}：平台抽成上调，收入下降` });
  const anonymous = await api.must<{ id: number; trackingCode: string; secret: string }>(null, 'POST', '/api/v1/appeals', {
    category: 'safety',
    description: `${label}：夜间接单安全`,
    anonymous: true,
    platformId: platform.id,
    cityCode,
  });
  const appealPhoto = await api.must(callers.worker, 'POST', `/api/v1/appeals/${appeal.id}/photos`, PNG, { 'content-type': 'image/png' });
  const station = await api.must(admin, 'POST', '/api/v1/stations', stationBody({ unitId: branch.id, cityCode }));
  const stationPhoto = await api.must(admin, 'POST', `/api/v1/stations/${station.id}/photos`, PNG, { 'content-type': 'image/png' });
  const activity = await api.must(admin, 'POST', '/api/v1/activities', activityBodyFor(ctx, branch.id));
  const team = await api.must(admin, 'POST', '/api/v1/volunteer-teams', { unitId: branch.id, name: `${label}爱心车队志愿服务队`, leaderMemberId: memberId, foundedOn: '2026-03-01' });
  const record = await api.must(admin, 'POST', `/api/v1/volunteer-teams/${team.id}/service-records`, { serviceDate: '2026-11-20', hours: 2, description: '送水', memberId });
  const post = await api.must(admin, 'POST', '/api/v1/vanguard-posts', { unitId: branch.id, title: `${label}安全先锋岗`, kind: 'safety', duties: '提醒安全驾驶', holderMemberId: memberId, fromDate: '2026-01-01' });
  const grid = await api.must(admin, 'POST', '/api/v1/grid-roles', gridBody(workerId, cityCode));
  const notification = await db
    .insertInto('notifications')
    .values({ userId: callers.worker.userId, kind: 'appeal_update', appealId: appeal.id, title: '诉求有新进展', body: '已受理', createdAt: '2026-11-24T00:00:00.000Z', readAt: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    platformId: platform.id,
    cityCode,
    root,
    committee,
    branch,
    group,
    callers,
    workerId,
    memberId,
    appealId: appeal.id,
    anonymousAppeal: anonymous,
    appealPhotoId: appealPhoto.id,
    stationId: station.id,
    stationPhotoId: stationPhoto.id,
    activityId: activity.id,
    teamId: team.id,
    serviceRecordId: record.id,
    postId: post.id,
    gridRoleId: grid.id,
    notificationId: notification.id,
  };
}

/** An activity three days after the test clock, open to the platform and city of the unit. */
export function activityBodyFor(ctx: TestContext, unitId: number, title = '免费体检进司机之家') {
  const start = new Date(ctx.clock.now().getTime() + 72 * 3_600_000);
  return {
    unitId,
    kind: 'health_check',
    title,
    address: '天府大道北段1700号 司机之家',
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
    capacity: 50,
  };
}

export function gridBody(workerId: number, cityCode: string) {
  return { workerId, communityName: '玉林社区', cityCode, gridName: '第三网格', roleTitle: 'grid_member', fromDate: '2026-06-01' };
}

export async function buildAuthzWorld(ctx: TestContext): Promise<World> {
  const api = apiOf(ctx);
  const admin = await accountFor(ctx, { role: 'system_admin', unitId: null });
  const A = await buildSubtree(ctx, api, admin, 'A', '510100');
  const B = await buildSubtree(ctx, api, admin, 'B', '440300');
  return { ctx, A, B, admin };
}
