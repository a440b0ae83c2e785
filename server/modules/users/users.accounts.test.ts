import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildTwoProvinces } from '../org/org.factory.js';

const PASSWORD = 'correct-horse-battery';

describeEachEngine('users: disabling, unlocking and resetting an account', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let admin: Session;
  let sichuan: Session;
  let secretary: Session;
  const ids = { admin: 0, sichuan: 0, branch: 0, driver: 0, twoPlaces: 0, shenzhen: 0 };
  let address = 0;

  const call = (session: Session | null, method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: session?.headers ?? {}, remoteAddress: `10.5.0.${(address++ % 250) + 1}`, ...(payload ? { payload } : {}) });
  const loginStatus = async (username: string, password: string) =>
    (await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: `10.6.0.${(address++ % 250) + 1}` })).statusCode;
  const auditOf = (action: string, userId: number) =>
    ctx.db.selectFrom('auditLog').selectAll().where('action', '=', action).where('entityId', '=', String(userId)).execute();

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    ids.admin = await ctx.createUser({ username: 'admin', password: PASSWORD, displayName: '系统管理员', grants: [{ role: 'system_admin', unitId: null }] });
    ids.sichuan = await ctx.createUser({ username: 'sichuan', password: PASSWORD, displayName: '四川管理员', grants: [{ role: 'org_admin', unitId: world.sichuan.id }] });
    ids.branch = await ctx.createUser({ username: 'branch', password: PASSWORD, displayName: '一支部书记', grants: [{ role: 'branch_secretary', unitId: world.branchA.id }] });
    ids.driver = await ctx.createUser({ username: 'driver', password: PASSWORD, displayName: '王师傅', grants: [{ role: 'worker', unitId: world.branchA.id }] });
    // Holds a role in Sichuan and one in Shenzhen: the account is not Sichuan's alone.
    ids.twoPlaces = await ctx.createUser({ username: 'two-places', password: PASSWORD, displayName: '两地书记', grants: [{ role: 'member', unitId: world.branchA.id }, { role: 'org_admin', unitId: world.shenzhen.id }] });
    ids.shenzhen = await ctx.createUser({ username: 'shenzhen', password: PASSWORD, displayName: '深圳书记', grants: [{ role: 'org_admin', unitId: world.shenzhen.id }] });
    admin = await ctx.login('admin', PASSWORD);
    sichuan = await ctx.login('sichuan', PASSWORD);
    secretary = await ctx.login('branch', PASSWORD);
  });

  it('disables an account in scope: its sessions and tokens end at once, it cannot log in, and the reason is audited', async () => {
    const driverSession = await ctx.login('driver', PASSWORD);
    const driverToken = await ctx.bearer('driver', PASSWORD);
    const disabled = await call(sichuan, 'POST', `/api/v1/users/${ids.driver}/disable`, { reason: '本人离职' });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json()).toMatchObject({ sessionsEnded: 3, user: { username: 'driver', disabled: true, disabledAt: ctx.clock.now().toISOString() } });
    expect((await call(driverSession, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: driverToken })).statusCode).toBe(401);
    expect(await loginStatus('driver', PASSWORD)).toBe(401);
    const [audit] = await auditOf('user.disabled', ids.driver);
    expect(audit?.userId).toBe(ids.sichuan);
    expect(JSON.parse(audit?.detail ?? '{}')).toMatchObject({ reason: '本人离职', sessionsEnded: 3 });
    // The list shows it; disabling twice is a conflict that writes nothing.
    const listed = (await call(sichuan, 'GET', '/api/v1/users?q=driver')).json().items[0];
    expect(listed).toMatchObject({ id: ids.driver, disabled: true });
    const twice = await call(sichuan, 'POST', `/api/v1/users/${ids.driver}/disable`, { reason: '再次' });
    expect(twice.statusCode).toBe(409);
    expect(twice.headers['content-type']).toContain('application/problem+json');
    expect(await auditOf('user.disabled', ids.driver)).toHaveLength(1);
  });

  it('enables it again: the old password works and old failures are forgotten', async () => {
    const enabled = await call(sichuan, 'POST', `/api/v1/users/${ids.driver}/enable`);
    expect(enabled.statusCode, enabled.body).toBe(200);
    expect(enabled.json().user).toMatchObject({ disabled: false, disabledAt: null, failedLogins: 0, lockedUntil: null });
    expect(await loginStatus('driver', PASSWORD)).toBe(200);
    expect(await auditOf('user.enabled', ids.driver)).toHaveLength(1);
    expect((await call(sichuan, 'POST', `/api/v1/users/${ids.driver}/enable`)).statusCode).toBe(409);
  });

  it('lifts a lockout after wrong passwords without ending the user’s sessions', async () => {
    const open = await ctx.login('driver', PASSWORD);
    for (let i = 0; i < 5; i += 1) expect(await loginStatus('driver', 'not-the-password')).toBe(401);
    expect(await loginStatus('driver', PASSWORD)).toBe(429);
    const seen = (await call(admin, 'GET', '/api/v1/users?q=driver')).json().items[0];
    expect(seen.failedLogins).toBe(5);
    expect(Date.parse(seen.lockedUntil)).toBeGreaterThan(ctx.clock.now().getTime());
    const unlocked = await call(sichuan, 'POST', `/api/v1/users/${ids.driver}/unlock`);
    expect(unlocked.statusCode, unlocked.body).toBe(200);
    expect(unlocked.json()).toMatchObject({ sessionsEnded: 0, user: { failedLogins: 0, lockedUntil: null } });
    expect((await call(open, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
    expect(await loginStatus('driver', PASSWORD)).toBe(200);
    expect(JSON.parse((await auditOf('user.unlocked', ids.driver))[0]?.detail ?? '{}')).toEqual({ failedLogins: 5 });
    expect((await call(sichuan, 'POST', `/api/v1/users/${ids.driver}/unlock`)).statusCode).toBe(409);
  });

  it('resets a lost password to a temporary one shown once: the old one and every session stop working, nothing of it is stored in clear', async () => {
    const open = await ctx.login('branch', PASSWORD);
    const reset = await call(sichuan, 'POST', `/api/v1/users/${ids.branch}/password-reset`);
    expect(reset.statusCode, reset.body).toBe(200);
    const { temporaryPassword, sessionsEnded } = reset.json<{ temporaryPassword: string; sessionsEnded: number }>();
    expect(temporaryPassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(sessionsEnded).toBeGreaterThanOrEqual(2);
    expect((await call(open, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await call(secretary, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect(await loginStatus('branch', PASSWORD)).toBe(401);
    expect(await loginStatus('branch', temporaryPassword)).toBe(200);
    const audit = await auditOf('user.password_reset', ids.branch);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(temporaryPassword);
    const hash = (await ctx.db.selectFrom('users').select('passwordHash').where('id', '=', ids.branch).executeTakeFirstOrThrow()).passwordHash;
    expect(hash).not.toContain(temporaryPassword);
    secretary = await ctx.login('branch', temporaryPassword);
  });

  it('keeps an org admin to accounts wholly in their subtree; a secretary and oneself are refused; nothing is written', async () => {
    const before = await ctx.db.selectFrom('users').select(['id', 'disabledAt', 'passwordHash', 'failedLogins']).orderBy('id').execute();
    // Outside the subtree: not found. A role elsewhere too: seen, but the account is not Sichuan's to change.
    expect((await call(sichuan, 'POST', `/api/v1/users/${ids.shenzhen}/disable`, { reason: '越权' })).statusCode).toBe(404);
    expect((await call(sichuan, 'POST', `/api/v1/users/${ids.admin}/password-reset`)).statusCode).toBe(404);
    const mixed = await call(sichuan, 'POST', `/api/v1/users/${ids.twoPlaces}/disable`, { reason: '越权' });
    expect(mixed.statusCode).toBe(403);
    expect(mixed.json().detail).toContain('上级管理员');
    expect((await call(sichuan, 'POST', `/api/v1/users/${ids.twoPlaces}/password-reset`)).statusCode).toBe(403);
    expect((await call(secretary, 'POST', `/api/v1/users/${ids.driver}/disable`, { reason: '越权' })).statusCode).toBe(403);
    expect((await call(sichuan, 'POST', `/api/v1/users/${ids.sichuan}/password-reset`)).statusCode).toBe(409);
    expect((await call(admin, 'POST', `/api/v1/users/${ids.admin}/disable`, { reason: '自己' })).statusCode).toBe(409);
    const noReason = await call(sichuan, 'POST', `/api/v1/users/${ids.driver}/disable`, { reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0]).toMatchObject({ field: 'body.reason' });
    expect((await call(admin, 'POST', '/api/v1/users/999999/unlock')).statusCode).toBe(404);
    expect(await ctx.db.selectFrom('users').select(['id', 'disabledAt', 'passwordHash', 'failedLogins']).orderBy('id').execute()).toEqual(before);
    // A system admin manages the mixed account as a whole.
    expect((await call(admin, 'POST', `/api/v1/users/${ids.twoPlaces}/disable`, { reason: '调离' })).statusCode).toBe(200);
  });

  it('refuses to reset the password of a disabled account or to enable an erased one', async () => {
    expect((await call(admin, 'POST', `/api/v1/users/${ids.twoPlaces}/password-reset`)).statusCode).toBe(409);
    await ctx.db.updateTable('users').set({ username: `erased-${ids.twoPlaces}` }).where('id', '=', ids.twoPlaces).execute();
    expect((await call(admin, 'POST', `/api/v1/users/${ids.twoPlaces}/enable`)).statusCode).toBe(409);
  });
});
