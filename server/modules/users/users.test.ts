import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildTwoProvinces } from '../org/org.factory.js';

const PASSWORD = 'correct-horse-battery';

describeEachEngine('users: role grants, and sessions that end when they change', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let admin: Session;
  let sichuan: Session;
  let secretary: Session;
  const ids = { admin: 0, sichuan: 0, branch: 0, member: 0, shenzhen: 0 };
  let address = 0;

  const call = (session: Session | { authorization: string } | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: session && 'headers' in session ? session.headers : (session ?? {}), remoteAddress: `10.4.0.${(address++ % 250) + 1}`, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    ids.admin = await ctx.createUser({ username: 'admin', password: PASSWORD, displayName: '系统管理员', grants: [{ role: 'system_admin', unitId: null }] });
    ids.sichuan = await ctx.createUser({ username: 'sichuan', password: PASSWORD, displayName: '四川管理员', grants: [{ role: 'org_admin', unitId: world.sichuan.id }] });
    ids.branch = await ctx.createUser({ username: 'branch', password: PASSWORD, displayName: '一支部书记', grants: [{ role: 'branch_secretary', unitId: world.branchA.id }] });
    ids.member = await ctx.createUser({ username: 'member', password: PASSWORD, displayName: '党员小李', grants: [{ role: 'member', unitId: world.branchA.id }] });
    ids.shenzhen = await ctx.createUser({ username: 'shenzhen', password: PASSWORD, displayName: '深圳书记', grants: [{ role: 'org_admin', unitId: world.shenzhen.id }] });
    admin = await ctx.login('admin', PASSWORD);
    sichuan = await ctx.login('sichuan', PASSWORD);
    secretary = await ctx.login('branch', PASSWORD);
  });

  it('lists the users an org admin manages: those with a grant in the subtree, showing only those grants', async () => {
    const list = await call(sichuan, 'GET', '/api/v1/users');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((u: { username: string }) => u.username)).toEqual(['sichuan', 'branch', 'member']);
    const everyone = await call(admin, 'GET', '/api/v1/users?limit=2');
    expect(everyone.json().items.map((u: { username: string }) => u.username)).toEqual(['admin', 'sichuan']);
    const next = await call(admin, 'GET', `/api/v1/users?limit=10&cursor=${everyone.json().nextCursor}`);
    expect(next.json().items.map((u: { username: string }) => u.username)).toEqual(['branch', 'member', 'shenzhen']);
    expect((await call(admin, 'GET', `/api/v1/users?q=${encodeURIComponent('深圳')}`)).json().items.map((u: { id: number }) => u.id)).toEqual([ids.shenzhen]);
    // A secretary manages no one: in scope, not permitted.
    expect((await call(secretary, 'GET', '/api/v1/users')).statusCode).toBe(403);
  });

  it('grants a role within the subtree, ends every session and token of that user, and audits it', async () => {
    const memberSession = await ctx.login('member', PASSWORD);
    const memberToken = await ctx.bearer('member', PASSWORD);
    expect((await call(memberSession, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
    const granted = await call(sichuan, 'POST', `/api/v1/users/${ids.member}/grants`, { role: 'branch_secretary', unitId: world.groupA.id });
    expect(granted.statusCode, granted.body).toBe(201);
    expect(granted.json()).toMatchObject({ sessionsEnded: 3, user: { username: 'member' } });
    expect(granted.json().user.grants.map((g: { role: string }) => g.role)).toEqual(['member', 'branch_secretary']);
    // The old cookie and the old token are dead; a fresh login carries the new role.
    expect((await call(memberSession, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await call(memberToken, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    const fresh = await ctx.login('member', PASSWORD);
    expect((await call(fresh, 'GET', '/api/v1/auth/me')).json().grants.map((g: { role: string }) => g.role)).toEqual(['member', 'branch_secretary']);
    const audit = await ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'user.grant_added').where('entityId', '=', String(ids.member)).executeTakeFirstOrThrow();
    expect(audit.userId).toBe(ids.sichuan);
    expect(JSON.parse(audit.detail!)).toMatchObject({ role: 'branch_secretary', unitId: world.groupA.id, sessionsEnded: 3 });
    expect((await call(sichuan, 'POST', `/api/v1/users/${ids.member}/grants`, { role: 'branch_secretary', unitId: world.groupA.id })).statusCode).toBe(409);
  });

  it('revokes a grant: the privilege does not linger in an open session', async () => {
    const before = await ctx.login('member', PASSWORD);
    // As secretary of the group the member may read its people; after the revocation that session is gone.
    expect((await call(before, 'GET', `/api/v1/workers?unitId=${world.groupA.id}`)).statusCode).toBe(200);
    const grant = (await ctx.db.selectFrom('roleGrants').select('id').where('userId', '=', ids.member).where('role', '=', 'branch_secretary').executeTakeFirstOrThrow()).id;
    const revoked = await call(sichuan, 'DELETE', `/api/v1/users/${ids.member}/grants/${grant}`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().user.grants.map((g: { role: string }) => g.role)).toEqual(['member']);
    expect(revoked.json().sessionsEnded).toBeGreaterThanOrEqual(1);
    expect((await call(before, 'GET', `/api/v1/workers?unitId=${world.groupA.id}`)).statusCode).toBe(401);
    const after = await ctx.login('member', PASSWORD);
    expect((await call(after, 'GET', '/api/v1/workers')).json().items).toEqual([]);
    expect((await ctx.db.selectFrom('auditLog').select('action').where('action', '=', 'user.grant_revoked').where('entityId', '=', String(ids.member)).execute())).toHaveLength(1);
  });

  it('keeps an org admin inside the subtree: other provinces are not found, system admin is not theirs to give', async () => {
    expect((await call(sichuan, 'POST', `/api/v1/users/${ids.shenzhen}/grants`, { role: 'member', unitId: world.branchA.id })).statusCode).toBe(404);
    expect((await call(sichuan, 'POST', `/api/v1/users/${ids.member}/grants`, { role: 'member', unitId: world.shenzhen.id })).statusCode).toBe(404);
    expect((await call(sichuan, 'POST', `/api/v1/users/${ids.member}/grants`, { role: 'system_admin', unitId: null })).statusCode).toBe(403);
    const adminGrant = (await ctx.db.selectFrom('roleGrants').select('id').where('userId', '=', ids.admin).executeTakeFirstOrThrow()).id;
    expect((await call(sichuan, 'DELETE', `/api/v1/users/${ids.admin}/grants/${adminGrant}`)).statusCode).toBe(404);
    const shenzhenGrant = (await ctx.db.selectFrom('roleGrants').select('id').where('userId', '=', ids.shenzhen).executeTakeFirstOrThrow()).id;
    expect((await call(sichuan, 'DELETE', `/api/v1/users/${ids.shenzhen}/grants/${shenzhenGrant}`)).statusCode).toBe(404);
    expect((await call(secretary, 'POST', `/api/v1/users/${ids.member}/grants`, { role: 'analyst', unitId: world.branchA.id })).statusCode).toBe(403);
    // Nothing was written by the refusals.
    expect(await ctx.db.selectFrom('roleGrants').select('id').where('userId', '=', ids.member).execute()).toHaveLength(1);
  });

  it('refuses changes to one’s own grants, bad bodies with a 400 problem, and a role on a closed unit', async () => {
    const own = (await ctx.db.selectFrom('roleGrants').select('id').where('userId', '=', ids.sichuan).executeTakeFirstOrThrow()).id;
    const self = await call(sichuan, 'DELETE', `/api/v1/users/${ids.sichuan}/grants/${own}`);
    expect(self.statusCode).toBe(409);
    expect(self.headers['content-type']).toContain('application/problem+json');
    expect((await call(admin, 'POST', `/api/v1/users/${ids.admin}/grants`, { role: 'analyst', unitId: world.sichuan.id })).statusCode).toBe(409);
    const bad = await call(admin, 'POST', `/api/v1/users/${ids.member}/grants`, { role: 'org_admin', unitId: null });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'body.unitId' });
    expect((await call(admin, 'POST', `/api/v1/users/${ids.member}/grants`, { role: 'emperor', unitId: world.sichuan.id })).statusCode).toBe(400);
    await ctx.db.updateTable('orgUnits').set({ closedOn: '2026-11-01', closeReason: '测试' }).where('id', '=', world.groupA.id).execute();
    expect((await call(admin, 'POST', `/api/v1/users/${ids.member}/grants`, { role: 'member', unitId: world.groupA.id })).statusCode).toBe(409);
  });

  it('lets a system admin grant and revoke system_admin', async () => {
    const granted = await call(admin, 'POST', `/api/v1/users/${ids.shenzhen}/grants`, { role: 'system_admin', unitId: null });
    expect(granted.statusCode, granted.body).toBe(201);
    const grant = granted.json().user.grants.find((g: { role: string }) => g.role === 'system_admin');
    expect(grant).toMatchObject({ unitId: null });
    expect((await call(admin, 'DELETE', `/api/v1/users/${ids.shenzhen}/grants/${grant.id}`)).statusCode).toBe(200);
  });
});
