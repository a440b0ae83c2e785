import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/harness.js';

const PASSWORD = 'lantern-river-quietly-42';

describeEachEngine('auth: lockout and password changes', (ctx) => {
  let address = 0;
  const login = (username: string, password: string) =>
    ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: `10.3.0.${(address++ % 250) + 1}`, payload: { username, password } });

  beforeAll(async () => {
    await ctx.createUser({ username: 'guarded', password: PASSWORD, displayName: '王守卫', grants: [{ role: 'analyst', unitId: null }] });
    await ctx.createUser({ username: 'changer', password: PASSWORD, displayName: '李改密', grants: [{ role: 'analyst', unitId: null }] });
  });

  it('locks an account after five wrong passwords in a row, for a minute, then lets the right one in', async () => {
    for (let i = 0; i < 5; i++) expect((await login('guarded', `wrong-guess-${i}`)).statusCode).toBe(401);
    const locked = await login('guarded', PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('60');
    expect(locked.json().code).toBe('ACCOUNT_LOCKED');
    ctx.clock.advance(61_000);
    expect((await login('guarded', PASSWORD)).statusCode).toBe(200);
    const user = await ctx.db.selectFrom('users').select(['failedLogins', 'lockedUntil']).where('username', '=', 'guarded').executeTakeFirstOrThrow();
    expect(user).toEqual({ failedLogins: 0, lockedUntil: null });
    const audit = await ctx.db.selectFrom('auditLog').select('action').where('username', '=', 'guarded').execute();
    expect(audit.map((a) => a.action)).toContain('auth.login_locked');
  });

  it('changes a password only to a strong one, and ends every other session and token', async () => {
    const session = await ctx.login('changer', PASSWORD);
    const token = await ctx.bearer('changer', PASSWORD);
    const change = (newPassword: string, currentPassword = PASSWORD) =>
      ctx.app.inject({ method: 'POST', url: '/api/v1/auth/me/password', headers: session.headers, payload: { currentPassword, newPassword } });
    const wrongCurrent = await change('granite-orchid-seventy-9', 'not-my-password');
    expect(wrongCurrent.statusCode).toBe(400);
    const common = await change('1qaz2wsx3edc');
    expect(common.statusCode).toBe(400);
    expect(common.json().errors[0]).toMatchObject({ field: 'body.newPassword' });
    expect((await change('changer-2026-secure')).statusCode).toBe(400);
    const ok = await change('granite-orchid-seventy-9');
    expect(ok.statusCode, ok.body).toBe(200);
    const renewed = ok.cookies.find((c) => c.name === 'convoy_session');
    expect(renewed?.value).toBeTruthy();
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: token })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `convoy_session=${renewed!.value}` } })).statusCode).toBe(200);
    expect((await login('changer', PASSWORD)).statusCode).toBe(401);
    expect((await login('changer', 'granite-orchid-seventy-9')).statusCode).toBe(200);
  });
});
