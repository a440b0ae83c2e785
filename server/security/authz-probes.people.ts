// Probes of the routes about accounts, the organization and people: auth, org units, audit, workers,
// members, transfers, declarations, liaison, imports and exports.
import { accountFor } from '../modules/activities/activities.factory.js';
import { startSession } from '../modules/auth/auth.queries.js';
import { testIdCard } from '../modules/members/members.factory.js';
import { get, type ProbeInput, type Probes, scoped, scopedPersonal, unscoped } from './authz-probe.js';
import { grantFor, type Subtree } from './authz-world.js';

const PASSWORD = 'correct-horse-battery-staple';

/** An account with a real password (login and password change need one), holding `role` on A. */
async function passwordAccount({ w, fresh, role }: ProbeInput) {
  const username = `pw-${w.ctx.engine}-${fresh.serial()}`;
  const grant = role === 'anonymous' ? grantFor('worker', w.A) : grantFor(role, w.A);
  const userId = await w.ctx.createUser({ username, password: PASSWORD, displayName: username, grants: [grant] });
  const session = await startSession(w.ctx.db, { userId, kind: 'bearer', name: 'authz', ttlMs: 86_400_000 }, w.ctx.clock.now());
  return { username, userId, headers: { authorization: `Bearer ${session.token}` } };
}

const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\n') + '\n';

/** A new account of the caller's role on A (a worker's with a worker record), for checks that use up an account. */
async function throwawayOf({ w, fresh, role }: ProbeInput) {
  if (role === 'anonymous') return null;
  if (role === 'worker') return fresh.workerAccount(w.A);
  return accountFor(w.ctx, grantFor(role, w.A), role === 'member' ? { memberId: await fresh.member(w.A) } : {});
}

/** Waits until a queued import job has finished, so it changes nothing behind a later check. */
async function importFinished(input: ProbeInput, jobId: number) {
  for (let i = 0; i < 500; i += 1) {
    const job = await input.w.ctx.db.selectFrom('importJobs').select('status').where('id', '=', jobId).executeTakeFirst();
    if (!job || !['queued', 'running'].includes(job.status)) return;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error(`import job ${jobId} did not finish`);
}

function importProbe(kind: 'workers' | 'members') {
  return unscoped((input) => {
    const rows =
      kind === 'workers'
        ? [['姓名', '手机号', '平台', '平台工号', '工作类型', '车辆', '城市'], ['导入司机', '13900000000', input.w.A.platformId.toString(), `IMP${input.fresh.serial()}`, 'ride_hailing', 'car', '510100']]
        : [['姓名', '性别', '出生年份', '手机号', '身份证号', '入党日期', '状态', '所在支部'], ['导入党员', '女', '1990', '13800000000', testIdCard(900), '2015-07-01', '正式党员', String(input.w.A.branch.id)]];
    return {
      url: `/api/v1/imports/${kind}?fileName=${kind}.csv&dryRun=true`,
      payload: csv(rows),
      headers: { 'content-type': 'text/csv' },
      settle: async (response) => {
        if (response.statusCode === 202) await importFinished(input, response.json<{ id: number }>().id);
      },
    };
  });
}

// One import job per subtree, made by its branch secretary: jobs are seen by whoever made them.
const importJobs = new WeakMap<Subtree, number>();
async function importJobOf(input: ProbeInput): Promise<number> {
  const known = importJobs.get(input.S);
  if (known !== undefined) return known;
  // A row with a bad phone number, so that the job has an error report to read too.
  const rows = [['姓名', '手机号', '平台', '平台工号', '工作类型', '车辆', '城市'], ['号码不对', '123', input.S.platformId.toString(), 'BAD1', 'ride_hailing', 'car', input.S.cityCode]];
  const job = await input.api.must(input.S.callers.branch_secretary, 'POST', '/api/v1/imports/workers?fileName=w.csv', csv(rows), { 'content-type': 'text/csv' });
  await importFinished(input, job.id);
  importJobs.set(input.S, job.id);
  return job.id;
}

const workerBody = (S: Subtree, n: number) => ({
  name: `新登记司机${n}`,
  phone: `139${String(10_000_000 + n).slice(-8)}`,
  platformId: S.platformId,
  platformWorkerId: `NEW${n}`,
  workType: 'ride_hailing',
  vehicle: 'car',
  cityCode: S.cityCode,
  unitId: S.branch.id,
});

const memberBody = (S: Subtree, n: number) => ({
  name: `新登记党员${n}`,
  gender: 'male',
  birthYear: 1985,
  phone: `158${String(10_000_000 + n).slice(-8)}`,
  idCard: testIdCard(500 + (n % 400), 1985),
  joinDate: '2010-07-01',
  status: 'full',
  unitId: S.branch.id,
});

export const peopleProbes: Probes = {
  'POST /api/v1/auth/login': unscoped(async (input) => {
    const account = await passwordAccount(input);
    return { url: '/api/v1/auth/login', payload: { username: account.username, password: PASSWORD } };
  }),
  'POST /api/v1/auth/logout': unscoped(async ({ w, role, caller }) => {
    // A session of its own, so that ending it leaves the role's session for the other checks.
    if (role === 'anonymous' || !caller) return { url: '/api/v1/auth/logout' };
    const session = await startSession(w.ctx.db, { userId: caller.userId, kind: 'bearer', name: 'logout', ttlMs: 86_400_000 }, w.ctx.clock.now());
    return { url: '/api/v1/auth/logout', as: { userId: caller.userId, headers: { authorization: `Bearer ${session.token}` } } };
  }),
  'GET /api/v1/auth/me': get('/api/v1/auth/me'),
  'PUT /api/v1/auth/me/locale': unscoped(() => ({ url: '/api/v1/auth/me/locale', payload: { locale: 'zh-CN' } })),
  'POST /api/v1/auth/me/password': unscoped(async (input) => {
    // Changing a password ends the account's other sessions: a throwaway account keeps the role's own.
    const payload = { currentPassword: PASSWORD, newPassword: 'lantern-harbor-quietly-88' };
    if (input.role === 'anonymous') return { url: '/api/v1/auth/me/password', payload };
    return { url: '/api/v1/auth/me/password', payload, as: await passwordAccount(input) };
  }),
  'POST /api/v1/auth/tokens': unscoped(() => ({ url: '/api/v1/auth/tokens', payload: { name: 'authz' } })),

  'GET /api/v1/users': get('/api/v1/users'),
  // Grant changes end every session of the target: each check changes a new account of S, never a role's own.
  'POST /api/v1/users/:id/grants': scoped(async ({ S, w }) => {
    const target = await accountFor(w.ctx, { role: 'worker', unitId: S.branch.id });
    return { url: `/api/v1/users/${target.userId}/grants`, payload: { role: 'member', unitId: S.branch.id } };
  }),
  'DELETE /api/v1/users/:id/grants/:grantId': scoped(async ({ S, w }) => {
    const target = await accountFor(w.ctx, { role: 'member', unitId: S.branch.id });
    const grant = await w.ctx.db.selectFrom('roleGrants').select('id').where('userId', '=', target.userId).executeTakeFirstOrThrow();
    return { url: `/api/v1/users/${target.userId}/grants/${grant.id}` };
  }),
  // Account changes (users.accounts.routes.ts) act on a new account of S whose every grant lies in S.
  'POST /api/v1/users/:id/disable': scoped(async ({ S, w }) => {
    const target = await accountFor(w.ctx, { role: 'worker', unitId: S.branch.id });
    return { url: `/api/v1/users/${target.userId}/disable`, payload: { reason: '权限矩阵检查' } };
  }),
  'POST /api/v1/users/:id/enable': scoped(async ({ S, w }) => {
    const target = await accountFor(w.ctx, { role: 'worker', unitId: S.branch.id });
    await w.ctx.db.updateTable('users').set({ disabledAt: w.ctx.clock.now().toISOString() }).where('id', '=', target.userId).execute();
    return { url: `/api/v1/users/${target.userId}/enable` };
  }),
  'POST /api/v1/users/:id/unlock': scoped(async ({ S, w }) => {
    const target = await accountFor(w.ctx, { role: 'worker', unitId: S.branch.id });
    const lockedUntil = new Date(w.ctx.clock.now().getTime() + 3_600_000).toISOString();
    await w.ctx.db.updateTable('users').set({ failedLogins: 7, lockedUntil }).where('id', '=', target.userId).execute();
    return { url: `/api/v1/users/${target.userId}/unlock` };
  }),
  'POST /api/v1/users/:id/password-reset': scoped(async ({ S, w }) => {
    const target = await accountFor(w.ctx, { role: 'worker', unitId: S.branch.id });
    return { url: `/api/v1/users/${target.userId}/password-reset` };
  }),

  'GET /api/v1/org-units': scoped(({ S }) => ({ url: `/api/v1/org-units?parentId=${S.branch.id}` })),
  'POST /api/v1/org-units': scoped(({ S, fresh }) => ({ url: '/api/v1/org-units', payload: { parentId: S.branch.id, name: `新建党小组${fresh.serial()}`, kind: 'group' } })),
  'GET /api/v1/org-units/branch-directory': get('/api/v1/org-units/branch-directory'),
  'GET /api/v1/org-units/:id': scoped(({ S }) => ({ url: `/api/v1/org-units/${S.group.id}` })),
  'PATCH /api/v1/org-units/:id': scoped(async ({ S, fresh }) => ({ url: `/api/v1/org-units/${(await fresh.group(S)).id}`, payload: { name: `改名党小组${fresh.serial()}` } })),
  'POST /api/v1/org-units/:id/move': scoped(async ({ S, fresh }) => {
    const group = await fresh.group(S);
    const branch = await fresh.branch(S);
    return { url: `/api/v1/org-units/${group.id}/move`, payload: { parentId: branch.id } };
  }),
  'POST /api/v1/org-units/merge': scoped(async ({ S, fresh }) => {
    const [source, target] = [await fresh.group(S), await fresh.group(S)];
    return { url: '/api/v1/org-units/merge', payload: { sourceId: source.id, targetId: target.id, reason: '人数少，合并' } };
  }),
  'POST /api/v1/org-units/:id/split': scoped(async ({ S, fresh, w }) => {
    const branch = await fresh.branch(S);
    const child = await w.ctx.db.selectFrom('orgUnits').select('id').where('id', '=', (await fresh.group({ ...S, branch })).id).executeTakeFirstOrThrow();
    return { url: `/api/v1/org-units/${branch.id}/split`, payload: { name: `拆分支部${fresh.serial()}`, childIds: [child.id], establishedOn: '2026-11-25' } };
  }),
  'POST /api/v1/org-units/:id/close': scoped(async ({ S, fresh }) => ({ url: `/api/v1/org-units/${(await fresh.group(S)).id}/close`, payload: { closedOn: '2026-11-25', reason: '成员流动' } })),
  'GET /api/v1/platforms': get('/api/v1/platforms'),
  'GET /api/v1/divisions': get('/api/v1/divisions?q=成都'),
  'GET /api/v1/audit': get('/api/v1/audit'),

  'GET /api/v1/workers': scoped(({ S }) => ({ url: `/api/v1/workers?unitId=${S.branch.id}` })),
  'POST /api/v1/workers': scoped(({ S, fresh }) => ({ url: '/api/v1/workers', payload: workerBody(S, fresh.serial()) })),
  'GET /api/v1/workers/:id': scoped(({ S }) => ({ url: `/api/v1/workers/${S.workerId}` })),
  'PATCH /api/v1/workers/:id': scoped(async ({ S, fresh }) => ({ url: `/api/v1/workers/${await fresh.worker(S)}`, payload: { vehicle: 'van' } })),
  'GET /api/v1/me/worker': get('/api/v1/me/worker'),
  'POST /api/v1/workers/:id/consent': scoped(async ({ S, fresh }) => ({
    url: `/api/v1/workers/${await fresh.worker(S)}/consent`,
    payload: { version: '2026-01', purpose: '联系与服务', channel: 'paper' },
  })),
  'POST /api/v1/workers/:id/consent/withdraw': scoped(async ({ S, fresh, w, api }) => {
    const workerId = await fresh.worker(S);
    await api.must(w.admin, 'POST', `/api/v1/workers/${workerId}/consent`, { version: '2026-01', purpose: '联系与服务', channel: 'paper' });
    return { url: `/api/v1/workers/${workerId}/consent/withdraw` };
  }),
  'GET /api/v1/workers/export.csv': scoped(({ S }) => ({ url: `/api/v1/workers/export.csv?unitId=${S.branch.id}` })),
  'GET /api/v1/workers/export.xlsx': scoped(({ S }) => ({ url: `/api/v1/workers/export.xlsx?unitId=${S.branch.id}` })),
  'POST /api/v1/imports/workers': importProbe('workers'),
  'POST /api/v1/imports/members': importProbe('members'),
  'GET /api/v1/imports': get('/api/v1/imports'),
  'GET /api/v1/imports/:id': scoped(async (input) => ({ url: `/api/v1/imports/${await importJobOf(input)}` })),
  'GET /api/v1/imports/:id/errors.csv': scoped(async (input) => ({ url: `/api/v1/imports/${await importJobOf(input)}/errors.csv` })),

  'GET /api/v1/members': scoped(({ S }) => ({ url: `/api/v1/members?unitId=${S.branch.id}` })),
  'POST /api/v1/members': scoped(({ S, fresh }) => ({ url: '/api/v1/members', payload: memberBody(S, fresh.serial()) })),
  'GET /api/v1/members/:id': scoped(({ S }) => ({ url: `/api/v1/members/${S.memberId}` })),
  'PATCH /api/v1/members/:id': scoped(async ({ S, fresh }) => ({ url: `/api/v1/members/${await fresh.member(S)}`, payload: { isMobile: false } })),
  'GET /api/v1/members/export.csv': scoped(({ S }) => ({ url: `/api/v1/members/export.csv?unitId=${S.branch.id}` })),
  'GET /api/v1/members/export.xlsx': scoped(({ S }) => ({ url: `/api/v1/members/export.xlsx?unitId=${S.branch.id}` })),
  'POST /api/v1/members/:id/roles': scoped(async ({ S, fresh }) => ({
    url: `/api/v1/members/${await fresh.member(S)}/roles`,
    payload: { unitId: S.branch.id, role: 'committee_member', fromDate: '2026-11-01' },
  })),
  'POST /api/v1/members/:id/roles/:roleId/end': scoped(async ({ S, fresh, api, w }) => {
    const memberId = await fresh.member(S);
    const detail = await api.must<{ roles: { id: number }[] }>(w.admin, 'POST', `/api/v1/members/${memberId}/roles`, { unitId: S.branch.id, role: 'committee_member', fromDate: '2026-11-01' });
    return { url: `/api/v1/members/${memberId}/roles/${detail.roles[0]!.id}/end`, payload: { toDate: '2026-11-24' } };
  }),
  'GET /api/v1/member-transfers': get('/api/v1/member-transfers'),
  'POST /api/v1/member-transfers': scoped(async ({ S, fresh }) => ({
    url: '/api/v1/member-transfers',
    payload: { memberId: await fresh.member(S), toUnitId: (await fresh.branch(S)).id, reason: '工作调动' },
  })),
  'GET /api/v1/member-transfers/:id': scoped(async ({ S, fresh }) => ({ url: `/api/v1/member-transfers/${await fresh.transfer(S, await fresh.branch(S))}` })),
  'POST /api/v1/member-transfers/:id/approve': scoped(async ({ S, fresh }) => ({ url: `/api/v1/member-transfers/${await fresh.transfer(S, await fresh.branch(S))}/approve` })),
  'POST /api/v1/member-transfers/:id/accept': scoped(async ({ S, fresh, api, w }) => {
    const id = await fresh.transfer(S, await fresh.branch(S));
    await api.call(w.admin, 'POST', `/api/v1/member-transfers/${id}/approve`);
    return { url: `/api/v1/member-transfers/${id}/accept` };
  }),
  'POST /api/v1/member-transfers/:id/reject': scoped(async ({ S, fresh }) => ({ url: `/api/v1/member-transfers/${await fresh.transfer(S, await fresh.branch(S))}/reject`, payload: { reason: '材料不全' } })),
  // A worker declares once: a new worker of A stands in for the role, so the check repeats the same way.
  'POST /api/v1/me/member-declaration': unscoped(async ({ role, w, fresh }) => ({
    url: '/api/v1/me/member-declaration',
    payload: { homeOrgText: '老家县委组织部', joinDate: '2012-07-01' },
    ...(role === 'worker' ? { as: await fresh.workerAccount(w.A) } : {}),
  })),
  'GET /api/v1/me/member-declaration': unscoped(async ({ role, w, fresh, api }) => {
    if (role !== 'worker') return { url: '/api/v1/me/member-declaration' };
    const declarer = await fresh.workerAccount(w.A);
    await api.must(declarer, 'POST', '/api/v1/me/member-declaration', { homeOrgText: '老家县委组织部', joinDate: '2012-07-01' });
    return { url: '/api/v1/me/member-declaration', as: declarer };
  }),
  'GET /api/v1/member-declarations': get('/api/v1/member-declarations'),
  'POST /api/v1/member-declarations/:id/verify': scoped(async ({ S, fresh }) => ({
    url: `/api/v1/member-declarations/${await fresh.declaration(S)}/verify`,
    payload: { gender: 'female', birthYear: 1990, idCard: testIdCard(fresh.serial() % 1000, 1990), status: 'full' },
  })),
  'POST /api/v1/member-declarations/:id/reject': scoped(async ({ S, fresh }) => ({ url: `/api/v1/member-declarations/${await fresh.declaration(S)}/reject`, payload: { reason: '查无此人' } })),

  'GET /api/v1/me/data.json': get('/api/v1/me/data.json'),
  'GET /api/v1/me/data.xlsx': get('/api/v1/me/data.xlsx'),
  'GET /api/v1/me/deletion-requests': get('/api/v1/me/deletion-requests'),
  // One open request per account: a new account of the role files, so the check repeats the same way.
  'POST /api/v1/me/deletion-requests': unscoped(async (input) => {
    const as = await throwawayOf(input);
    return { url: '/api/v1/me/deletion-requests', payload: { reason: '不再使用' }, ...(as ? { as } : {}) };
  }),
  // "own" is the caller's own request (a new account of the role files it), "other" one of B's worker.
  'POST /api/v1/me/deletion-requests/:id/withdraw': scopedPersonal(async (input) => {
    const own = input.side === 'own' ? await throwawayOf(input) : null;
    const request = await input.fresh.deletionRequest(input.S, own ?? undefined);
    return { url: `/api/v1/me/deletion-requests/${request.id}/withdraw`, ...(own ? { as: own } : {}) };
  }),
  'POST /api/v1/privacy/deletion-receipts': unscoped(async ({ w, fresh }) => ({ url: '/api/v1/privacy/deletion-receipts', payload: { receipt: (await fresh.deletionRequest(w.A)).receipt } })),
  'GET /api/v1/deletion-requests': get('/api/v1/deletion-requests'),
  'POST /api/v1/deletion-requests/:id/carry-out': scoped(async ({ S, fresh }) => ({ url: `/api/v1/deletion-requests/${(await fresh.deletionRequest(S)).id}/carry-out`, payload: { note: '已核实' } })),
  'POST /api/v1/deletion-requests/:id/reject': scoped(async ({ S, fresh }) => ({ url: `/api/v1/deletion-requests/${(await fresh.deletionRequest(S)).id}/reject`, payload: { reason: '诉求处理中，依法保留' } })),

  'GET /api/v1/liaison/board': scoped(({ S }) => ({ url: `/api/v1/liaison/board?unitId=${S.branch.id}` })),
  'GET /api/v1/liaison/members/:memberId/workers': scoped(({ S }) => ({ url: `/api/v1/liaison/members/${S.memberId}/workers` })),
  'PUT /api/v1/liaison/assignments/:workerId': scoped(async ({ S, fresh }) => ({ url: `/api/v1/liaison/assignments/${await fresh.worker(S)}`, payload: { memberId: S.memberId } })),
  'DELETE /api/v1/liaison/assignments/:workerId': scoped(async ({ S, fresh, api, w }) => {
    const workerId = await fresh.worker(S);
    await api.must(w.admin, 'PUT', `/api/v1/liaison/assignments/${workerId}`, { memberId: S.memberId });
    return { url: `/api/v1/liaison/assignments/${workerId}` };
  }),
  'POST /api/v1/liaison/auto-assign': scoped(({ S }) => ({ url: '/api/v1/liaison/auto-assign', payload: { unitId: S.branch.id } })),
  'POST /api/v1/liaison/contacts': scoped(({ S }) => ({ url: '/api/v1/liaison/contacts', payload: { workerId: S.workerId, memberId: S.memberId, contactedOn: '2026-11-24', channel: 'phone' } })),
  'GET /api/v1/liaison/contacts': scoped(({ S }) => ({ url: `/api/v1/liaison/contacts?workerId=${S.workerId}` })),
  'GET /api/v1/liaison/coverage': scoped(({ S }) => ({ url: `/api/v1/liaison/coverage?unitId=${S.branch.id}` })),
};
