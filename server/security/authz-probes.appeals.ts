// Probes of the appeal routes (handling, the worker's own, anonymous tracking, photos, figures),
// notifications, Open311 and the operational endpoints.
import { get, type ProbeInput, type Probes, scoped, scopedPersonal, unscoped } from './authz-probe.js';
import { PNG } from './authz-world.js';

// The Monday (China time) of the test clock's week: clusters are answered per week.
const WEEK = '2026-11-23';

/**
 * For the worker's own routes, "own" is an appeal the caller filed when the caller is a worker (any other
 * role files none: theirs is an appeal of A's workers), "other" one filed by a worker of B.
 */
async function myAppeal({ side, S, fresh, caller, role }: ProbeInput, options: { resolved?: boolean } = {}) {
  return side === 'own' && role === 'worker' && caller ? fresh.appeal(S, { filer: caller, ...options }) : fresh.appeal(S, options);
}

export const appealProbes: Probes = {
  'GET /api/v1/appeal-categories': get('/api/v1/appeal-categories'),
  'GET /api/v1/appeal-places': get('/api/v1/appeal-places'),
  'GET /api/v1/appeals': scoped(({ S }) => ({ url: `/api/v1/appeals?unitId=${S.branch.id}` })),
  'POST /api/v1/appeals': unscoped(({ role, w, fresh }) => ({
    url: '/api/v1/appeals',
    // Without a session only anonymous filing exists; with one, the caller files under their name.
    payload:
      role === 'anonymous'
        ? { category: 'safety', description: `匿名反映 ${fresh.serial()}`, anonymous: true, platformId: w.A.platformId, cityCode: w.A.cityCode }
        : { category: 'safety', description: `反映 ${fresh.serial()}`, platformId: w.A.platformId, cityCode: w.A.cityCode },
  })),
  'GET /api/v1/appeals/:id': scoped(({ S }) => ({ url: `/api/v1/appeals/${S.appealId}` })),
  'GET /api/v1/appeals/:id/similar': scoped(({ S }) => ({ url: `/api/v1/appeals/${S.appealId}/similar` })),
  'POST /api/v1/appeals/:id/transitions': scoped(async ({ S, fresh }) => ({ url: `/api/v1/appeals/${await fresh.appeal(S)}/transitions`, payload: { to: 'acknowledged' } })),
  'POST /api/v1/appeals/:id/replies': scoped(async ({ S, fresh }) => ({ url: `/api/v1/appeals/${await fresh.appeal(S)}/replies`, payload: { body: '已收到，正在与平台沟通', visibility: 'public' } })),
  'POST /api/v1/appeals/:id/escalate': scoped(async ({ S, fresh }) => ({ url: `/api/v1/appeals/${await fresh.appeal(S)}/escalate`, payload: { reason: '支部无法协调平台' } })),
  'POST /api/v1/appeals/:id/transfer': scoped(async ({ S, fresh }) => ({ url: `/api/v1/appeals/${await fresh.appeal(S)}/transfer`, payload: { unitId: S.committee.id, reason: '需平台党委协调' } })),
  'POST /api/v1/appeals/assign': scoped(async ({ S, fresh }) => ({ url: '/api/v1/appeals/assign', payload: { ids: [await fresh.appeal(S)], assigneeUserId: null } })),
  'GET /api/v1/appeal-handlers': scoped(({ S }) => ({ url: `/api/v1/appeal-handlers?unitId=${S.branch.id}` })),
  'GET /api/v1/sla-policies': scoped(({ S }) => ({ url: `/api/v1/sla-policies?unitId=${S.branch.id}` })),
  'PUT /api/v1/sla-policies': scoped(({ S }) => ({
    url: '/api/v1/sla-policies',
    payload: { unitId: S.branch.id, category: 'safety', acknowledgeHours: 12, updateHours: 24, resolveHours: 72 },
  })),
  'GET /api/v1/me/appeals': get('/api/v1/me/appeals'),
  'GET /api/v1/me/appeals/:id': scopedPersonal(async (input) => ({ url: `/api/v1/me/appeals/${await myAppeal(input)}` })),
  'POST /api/v1/me/appeals/:id/feedback': scopedPersonal(async (input) => ({ url: `/api/v1/me/appeals/${await myAppeal(input, { resolved: true })}/feedback`, payload: { action: 'confirm', rating: 5 } })),
  'POST /api/v1/me/appeals/:id/replies': scopedPersonal(async (input) => ({ url: `/api/v1/me/appeals/${await myAppeal(input)}/replies`, payload: { body: '补充：截图已上传' } })),
  // Tracking is public and keyed by the code and secret, not by any scope.
  'GET /api/v1/appeals/track/:code': unscoped(({ w }) => ({ url: `/api/v1/appeals/track/${w.A.anonymousAppeal.trackingCode}?secret=${w.A.anonymousAppeal.secret}` })),
  'POST /api/v1/appeals/track/:code/feedback': unscoped(async ({ w, fresh }) => {
    const appeal = await fresh.anonymousAppeal(w.A, { resolved: true });
    return { url: `/api/v1/appeals/track/${appeal.trackingCode}/feedback`, payload: { secret: appeal.secret, action: 'confirm', rating: 4 } };
  }),
  'POST /api/v1/appeals/track/:code/replies': unscoped(async ({ w, fresh }) => {
    const appeal = await fresh.anonymousAppeal(w.A);
    return { url: `/api/v1/appeals/track/${appeal.trackingCode}/replies`, payload: { secret: appeal.secret, body: '补充：事发在晚上十点' } };
  }),
  // Photos go to an appeal of one's own: "own" is an appeal the caller filed, "other" one of B's worker.
  'POST /api/v1/appeals/:id/photos': scopedPersonal(async (input) => ({ url: `/api/v1/appeals/${await myAppeal(input)}/photos`, payload: PNG, headers: { 'content-type': 'image/png' } })),
  'GET /api/v1/appeals/:id/photos/:photoId': scoped(({ S }) => ({ url: `/api/v1/appeals/${S.appealId}/photos/${S.appealPhotoId}` })),
  'GET /api/v1/appeal-figures': scoped(({ S }) => ({ url: `/api/v1/appeal-figures?unitId=${S.branch.id}` })),
  'GET /api/v1/appeal-clusters': scoped(({ S }) => ({ url: `/api/v1/appeal-clusters?unitId=${S.branch.id}` })),
  'POST /api/v1/appeal-clusters/answer': scoped(({ S }) => ({
    url: '/api/v1/appeal-clusters/answer',
    payload: { unitId: S.branch.id, category: 'rest_facilities', platformId: S.platformId, cityCode: S.cityCode, week: WEEK, body: '已协调新增休息点三处' },
  })),

  'GET /api/v1/notifications': get('/api/v1/notifications'),
  // "own" is a notification of the caller, "other" one of subtree B's worker.
  'POST /api/v1/notifications/:id/read': scopedPersonal(async ({ side, S, fresh, caller }) => {
    const owner = side === 'own' && caller ? caller.userId : S.callers.worker.userId;
    return { url: `/api/v1/notifications/${await fresh.notification(owner)}/read` };
  }),
  'POST /api/v1/notifications/read-all': unscoped(() => ({ url: '/api/v1/notifications/read-all' })),

  // Open311 reads are public and show only non-anonymous appeals, without personal data.
  'GET /open311/v2/services.:format': get('/open311/v2/services.json'),
  'GET /open311/v2/services/:service_code.:format': get('/open311/v2/services/safety.json'),
  'GET /open311/v2/requests.:format': get('/open311/v2/requests.json'),
  'GET /open311/v2/requests/:id.:format': unscoped(({ w }) => ({ url: `/open311/v2/requests/${w.A.appealId}.json` })),
  // Filing needs an API token as api_key: the role's own bearer token, none for anonymous.
  'POST /open311/v2/requests.:format': unscoped(({ caller, w, fresh }) => {
    const fields: Record<string, string> = {
      service_code: 'rest_facilities',
      description: `服务区没有休息的地方 ${fresh.serial()}`,
      lat: '30.65',
      long: '104.06',
      'attribute[city]': w.A.cityCode,
      'attribute[platform]': `authz-A-${w.ctx.engine}`,
    };
    if (caller) fields.api_key = caller.headers.authorization?.replace(/^Bearer /, '') ?? '';
    return { url: '/open311/v2/requests.json', payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }),

  'GET /healthz': get('/healthz'),
  'GET /readyz': get('/readyz'),
  'GET /metrics': get('/metrics'),
};
