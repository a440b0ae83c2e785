// Probes of the service routes: stations, activities (with their feeds and check-ins) and volunteering.
import { activityTokens } from '../modules/activities/activities.tokens.js';
import { stationBody } from '../modules/stations/stations.factory.js';
import { get, type ProbeInput, type Probes, scoped, scopedPersonal, unscoped } from './authz-probe.js';
import { activityBodyFor, gridBody, PNG } from './authz-world.js';

// The harness's CONVOY_SECRET: the QR and calendar tokens are derived from it.
const tokens = activityTokens('x'.repeat(40));

/** An upcoming activity in S that the caller has signed up for, when they could. */
async function signedUpActivity({ S, fresh, api, caller }: ProbeInput) {
  const id = await fresh.activity(S);
  if (caller) await api.call(caller, 'POST', `/api/v1/activities/${id}/sign-up`);
  return id;
}

/** A team in S that the caller has joined when they could. */
async function joinedTeam({ S, fresh, api, caller }: ProbeInput) {
  const { teamId } = await fresh.team(S);
  if (caller) await api.call(caller, 'POST', `/api/v1/volunteer-teams/${teamId}/join`);
  return teamId;
}

export const serviceProbes: Probes = {
  'GET /api/v1/stations/nearby': get('/api/v1/stations/nearby?lat=30.6574&lng=104.0658'),
  'GET /api/v1/stations.geojson': get('/api/v1/stations.geojson'),
  'GET /api/v1/stations': scoped(({ S }) => ({ url: `/api/v1/stations?unitId=${S.branch.id}` })),
  'POST /api/v1/stations': scoped(({ S }) => ({ url: '/api/v1/stations', payload: stationBody({ unitId: S.branch.id, cityCode: S.cityCode }) })),
  'GET /api/v1/stations/:id': scoped(({ S }) => ({ url: `/api/v1/stations/${S.stationId}` })),
  'PATCH /api/v1/stations/:id': scoped(async ({ S, fresh }) => ({ url: `/api/v1/stations/${await fresh.station(S)}`, payload: { capacity: 20 } })),
  'POST /api/v1/stations/:id/close': scoped(async ({ S, fresh }) => ({ url: `/api/v1/stations/${await fresh.station(S)}/close`, payload: { reason: '场地到期' } })),
  'GET /api/v1/stations/:id/check-in-link': scoped(({ S }) => ({ url: `/api/v1/stations/${S.stationId}/check-in-link` })),
  'GET /api/v1/stations/:id/qr.svg': scoped(({ S }) => ({ url: `/api/v1/stations/${S.stationId}/qr.svg` })),
  'POST /api/v1/stations/:id/visits': scoped(async ({ S, fresh, api, w }) => {
    const stationId = await fresh.station(S);
    const link = await api.must<{ token: string }>(w.admin, 'GET', `/api/v1/stations/${stationId}/check-in-link`);
    return { url: `/api/v1/stations/${stationId}/visits`, payload: { token: link.token } };
  }),
  'GET /api/v1/stations/visits/summary': scoped(({ S }) => ({ url: `/api/v1/stations/visits/summary?unitId=${S.branch.id}&month=2026-11` })),
  'POST /api/v1/stations/:id/ratings': scoped(async ({ S, fresh }) => ({ url: `/api/v1/stations/${await fresh.station(S)}/ratings`, payload: { stars: 5, comment: '热水很方便' } })),
  'GET /api/v1/stations/:id/ratings': scoped(({ S }) => ({ url: `/api/v1/stations/${S.stationId}/ratings` })),
  'POST /api/v1/stations/:id/problems': scoped(({ S }) => ({ url: `/api/v1/stations/${S.stationId}/problems`, payload: { description: '饮水机坏了，没有热水' } })),
  'POST /api/v1/stations/:id/photos': scoped(async ({ S, fresh }) => ({ url: `/api/v1/stations/${await fresh.station(S)}/photos`, payload: PNG, headers: { 'content-type': 'image/png' } })),
  'GET /api/v1/stations/:id/photos/:photoId': scoped(({ S }) => ({ url: `/api/v1/stations/${S.stationId}/photos/${S.stationPhotoId}` })),
  'DELETE /api/v1/stations/:id/photos/:photoId': scoped(async ({ S, fresh }) => {
    const { stationId, photoId } = await fresh.stationPhoto(S);
    return { url: `/api/v1/stations/${stationId}/photos/${photoId}` };
  }),

  'GET /api/v1/activities': scoped(({ S }) => ({ url: `/api/v1/activities?unitId=${S.branch.id}` })),
  'POST /api/v1/activities': scoped(({ S, w }) => ({ url: '/api/v1/activities', payload: activityBodyFor(w.ctx, S.branch.id) })),
  'GET /api/v1/activities/attendance': scoped(({ S }) => ({ url: `/api/v1/activities/attendance?unitId=${S.branch.id}&month=2026-11` })),
  'GET /api/v1/activities/:id': scoped(({ S }) => ({ url: `/api/v1/activities/${S.activityId}` })),
  'PATCH /api/v1/activities/:id': scoped(async ({ S, fresh }) => ({ url: `/api/v1/activities/${await fresh.activity(S)}`, payload: { capacity: 60 } })),
  'POST /api/v1/activities/:id/cancel': scoped(async ({ S, fresh }) => ({ url: `/api/v1/activities/${await fresh.activity(S)}/cancel`, payload: { reason: '天气原因' } })),
  'GET /api/v1/activities/:id/participants': scoped(({ S }) => ({ url: `/api/v1/activities/${S.activityId}/participants` })),
  'GET /api/v1/activities/:id/check-in-link': scoped(({ S }) => ({ url: `/api/v1/activities/${S.activityId}/check-in-link` })),
  'GET /api/v1/activities/:id/qr.svg': scoped(({ S }) => ({ url: `/api/v1/activities/${S.activityId}/qr.svg` })),
  'POST /api/v1/activities/:id/attendees/:workerId/check-in': scoped(async ({ S, fresh }) => ({
    url: `/api/v1/activities/${await fresh.activity(S, { underWay: true })}/attendees/${await fresh.worker(S)}/check-in`,
  })),
  'POST /api/v1/activities/:id/members/:memberId/check-in': scoped(async ({ S, fresh }) => ({
    url: `/api/v1/activities/${await fresh.activity(S, { underWay: true, membersOnly: true })}/members/${await fresh.member(S)}/check-in`,
  })),
  'GET /api/v1/me/activities': get('/api/v1/me/activities'),
  'GET /api/v1/me/activities/available': get('/api/v1/me/activities/available'),
  'POST /api/v1/activities/:id/sign-up': scoped(async ({ S, fresh }) => ({ url: `/api/v1/activities/${await fresh.activity(S)}/sign-up` })),
  'DELETE /api/v1/activities/:id/sign-up': scopedPersonal(async (input) => ({ url: `/api/v1/activities/${await signedUpActivity(input)}/sign-up` })),
  'POST /api/v1/activities/:id/check-in': scoped(async ({ S, fresh }) => {
    const id = await fresh.activity(S, { underWay: true });
    return { url: `/api/v1/activities/${id}/check-in`, payload: { token: tokens.checkIn(id) } };
  }),
  // Calendar feeds are opened by their secret token, not by a session: the token is the scope.
  'GET /api/v1/units/:id/activities.ics': unscoped(({ w }) => ({ url: `/api/v1/units/${w.A.branch.id}/activities.ics?token=${tokens.unitFeed(w.A.branch.id)}` })),
  'GET /api/v1/units/:id/activities/feed-link': scoped(({ S }) => ({ url: `/api/v1/units/${S.branch.id}/activities/feed-link` })),
  'GET /api/v1/me/activities.ics': unscoped(({ w }) => ({ url: `/api/v1/me/activities.ics?token=${tokens.userFeed(w.A.callers.worker.userId)}` })),
  'GET /api/v1/me/activities/feed-link': get('/api/v1/me/activities/feed-link'),

  'POST /api/v1/volunteer-teams': scoped(async ({ S, fresh }) => ({
    url: '/api/v1/volunteer-teams',
    payload: { unitId: S.branch.id, name: `新志愿服务队${fresh.serial()}`, leaderMemberId: await fresh.member(S), foundedOn: '2026-11-01' },
  })),
  'GET /api/v1/volunteer-teams': scoped(({ S }) => ({ url: `/api/v1/volunteer-teams?unitId=${S.branch.id}` })),
  'PATCH /api/v1/volunteer-teams/:id': scoped(async ({ S, fresh }) => ({ url: `/api/v1/volunteer-teams/${(await fresh.team(S)).teamId}`, payload: { description: '周末服务' } })),
  'GET /api/v1/volunteer-teams/:id': scoped(({ S }) => ({ url: `/api/v1/volunteer-teams/${S.teamId}` })),
  'POST /api/v1/volunteer-teams/:id/close': scoped(async ({ S, fresh }) => ({ url: `/api/v1/volunteer-teams/${(await fresh.team(S)).teamId}/close`, payload: { reason: '队员流失' } })),
  'POST /api/v1/volunteer-teams/:id/join': scoped(async ({ S, fresh }) => ({ url: `/api/v1/volunteer-teams/${(await fresh.team(S)).teamId}/join` })),
  'POST /api/v1/volunteer-teams/:id/leave': scopedPersonal(async (input) => ({ url: `/api/v1/volunteer-teams/${await joinedTeam(input)}/leave` })),
  'POST /api/v1/volunteer-teams/:id/roster': scoped(async ({ S, fresh }) => ({ url: `/api/v1/volunteer-teams/${(await fresh.team(S)).teamId}/roster`, payload: { workerId: await fresh.worker(S) } })),
  'DELETE /api/v1/volunteer-teams/:id/roster/:entryId': scoped(async ({ S, fresh, api, w }) => {
    const { teamId } = await fresh.team(S);
    const entry = await api.must(w.admin, 'POST', `/api/v1/volunteer-teams/${teamId}/roster`, { workerId: await fresh.worker(S) });
    return { url: `/api/v1/volunteer-teams/${teamId}/roster/${entry.id}` };
  }),
  'POST /api/v1/volunteer-teams/:id/service-records': scoped(async ({ S, fresh }) => {
    const { teamId, leaderMemberId } = await fresh.team(S);
    return { url: `/api/v1/volunteer-teams/${teamId}/service-records`, payload: { serviceDate: '2026-11-21', hours: 2, description: '送姜茶', memberId: leaderMemberId } };
  }),
  'GET /api/v1/volunteer-teams/:id/service-records': scoped(({ S }) => ({ url: `/api/v1/volunteer-teams/${S.teamId}/service-records` })),
  'GET /api/v1/service-records': get('/api/v1/service-records'),
  'POST /api/v1/service-records/:id/verify': scoped(async ({ S, fresh }) => ({ url: `/api/v1/service-records/${await fresh.serviceRecord(S)}/verify` })),
  'POST /api/v1/service-records/:id/reject': scoped(async ({ S, fresh }) => ({ url: `/api/v1/service-records/${await fresh.serviceRecord(S)}/reject`, payload: { reason: '时长不符' } })),
  'POST /api/v1/service-records/:id/revoke': scoped(async ({ S, fresh }) => ({ url: `/api/v1/service-records/${await fresh.serviceRecord(S, { verified: true })}/revoke`, payload: { reason: '重复记录' } })),
  'GET /api/v1/volunteers/hours': scoped(({ S }) => ({ url: `/api/v1/volunteers/hours?unitId=${S.branch.id}` })),
  'GET /api/v1/volunteers/ledger': scoped(({ S }) => ({ url: `/api/v1/volunteers/ledger?unitId=${S.branch.id}` })),
  'POST /api/v1/vanguard-posts': scoped(({ S, fresh }) => ({ url: '/api/v1/vanguard-posts', payload: { unitId: S.branch.id, title: `文明先锋岗${fresh.serial()}`, kind: 'civility', duties: '文明行车' } })),
  'GET /api/v1/vanguard-posts': scoped(({ S }) => ({ url: `/api/v1/vanguard-posts?unitId=${S.branch.id}` })),
  'POST /api/v1/vanguard-posts/:id/holders': scoped(async ({ S, fresh }) => ({ url: `/api/v1/vanguard-posts/${await fresh.post(S)}/holders`, payload: { memberId: await fresh.member(S), fromDate: '2026-11-01' } })),
  'POST /api/v1/vanguard-posts/:id/end': scoped(async ({ S, fresh, api, w }) => {
    const postId = await fresh.post(S);
    await api.must(w.admin, 'POST', `/api/v1/vanguard-posts/${postId}/holders`, { memberId: await fresh.member(S), fromDate: '2026-11-01' });
    return { url: `/api/v1/vanguard-posts/${postId}/end`, payload: { toDate: '2026-11-24', reason: '任期结束' } };
  }),
  'GET /api/v1/vanguard-posts/:id': scoped(({ S }) => ({ url: `/api/v1/vanguard-posts/${S.postId}` })),
  'POST /api/v1/grid-roles': scoped(async ({ S, fresh }) => ({ url: '/api/v1/grid-roles', payload: gridBody(await fresh.worker(S), S.cityCode) })),
  'GET /api/v1/grid-roles': scoped(({ S }) => ({ url: `/api/v1/grid-roles?unitId=${S.branch.id}` })),
  'POST /api/v1/grid-roles/:id/end': scoped(async ({ S, fresh }) => ({ url: `/api/v1/grid-roles/${await fresh.gridRole(S)}/end`, payload: { toDate: '2026-11-24' } })),
  'GET /api/v1/me/volunteering': get('/api/v1/me/volunteering'),
};
