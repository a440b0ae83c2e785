import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/harness.js';
import { buildUnit } from '../org/org.factory.js';

const PASSWORD = 'correct-horse-battery';

describeEachEngine('auth: login, sessions, tokens and CSRF', (ctx) => {
  beforeAll(async () => {
    const unit = await buildUnit(ctx.db, { name: '四川省新就业群体行业党委' });
    await ctx.createUser({ username: 'sichuan', password: PASSWORD, displayName: '四川管理员', grants: [{ role: 'org_admin', unitId: unit.id }] });
  });

  const login = (username: string, password: string, extra: { remoteAddress?: string; cookie?: string; acceptLanguage?: string } = {}) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password },
      remoteAddress: extra.remoteAddress ?? '10.0.0.1',
      headers: { ...(extra.cookie ? { cookie: extra.cookie } : {}), ...(extra.acceptLanguage ? { 'accept-language': extra.acceptLanguage } : {}) },
    });

  it('logs in with an HttpOnly SameSite session cookie and tells the grants', async () => {
    const response = await login('sichuan', PASSWORD);
    expect(response.statusCode).toBe(200);
    const session = response.cookies.find((c) => c.name === 'convoy_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(response.json()).toMatchObject({ username: 'sichuan', grants: [{ role: 'org_admin', unitName: '四川省新就业群体行业党委' }] });
    const stored = await ctx.db.selectFrom('sessions').select('id').execute();
    expect(stored.map((s) => s.id)).not.toContain(session!.value);
  });

  it('refuses a wrong password with 401 in Chinese by default, English on request, and audits it', async () => {
    const zh = await login('sichuan', 'wrong-password');
    expect(zh.statusCode).toBe(401);
    expect(zh.json()).toMatchObject({ code: 'LOGIN_FAILED', detail: '用户名或密码不正确。' });
    const en = await login('nobody', 'wrong-password', { acceptLanguage: 'en' });
    expect(en.json().detail).toBe('The username or password is not correct.');
    const failures = await ctx.db.selectFrom('auditLog').select(['username', 'ip']).where('action', '=', 'auth.login_failed').execute();
    expect(failures).toEqual(expect.arrayContaining([{ username: 'sichuan', ip: '10.0.0.1' }, { username: 'nobody', ip: '10.0.0.1' }]));
  });

  it('rotates the session at login: the cookie presented before stops working', async () => {
    const first = await login('sichuan', PASSWORD, { remoteAddress: '10.0.0.2' });
    const firstCookie = `convoy_session=${first.cookies.find((c) => c.name === 'convoy_session')!.value}`;
    const second = await login('sichuan', PASSWORD, { remoteAddress: '10.0.0.2', cookie: firstCookie });
    expect(second.statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: firstCookie } })).statusCode).toBe(401);
  });

  it('logs out: the session ends and the cookie is cleared', async () => {
    const session = await ctx.login('sichuan', PASSWORD);
    const out = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: session.headers });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'convoy_session')?.value).toBe('');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers })).statusCode).toBe(401);
  });

  it('requires the CSRF token on writes made with the cookie, not on reads or bearer writes', async () => {
    const session = await ctx.login('sichuan', PASSWORD);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: session.cookie } })).statusCode).toBe(200);
    const forged = await ctx.app.inject({ method: 'PUT', url: '/api/v1/auth/me/locale', headers: { cookie: session.cookie }, payload: { locale: 'en' } });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().code).toBe('CSRF_FAILED');
    const wrong = await ctx.app.inject({ method: 'PUT', url: '/api/v1/auth/me/locale', headers: { cookie: session.cookie, 'x-csrf-token': 'guess' }, payload: { locale: 'en' } });
    expect(wrong.statusCode).toBe(403);
    const bearer = await ctx.bearer('sichuan', PASSWORD);
    const viaToken = await ctx.app.inject({ method: 'PUT', url: '/api/v1/auth/me/locale', headers: bearer, payload: { locale: 'en' } });
    expect(viaToken.statusCode).toBe(200);
    expect(viaToken.json().locale).toBe('en');
  });

  it('expires an idle cookie session, and every session at its absolute expiry', async () => {
    const session = await ctx.login('sichuan', PASSWORD);
    const bearer = await ctx.bearer('sichuan', PASSWORD);
    ctx.clock.advance(3 * 3600_000);
    try {
      expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers })).statusCode).toBe(401);
      expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer })).statusCode).toBe(200);
      ctx.clock.advance(91 * 86_400_000);
      expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer })).statusCode).toBe(401);
    } finally {
      ctx.clock.set('2026-11-25T02:00:00.000Z');
    }
  });

  it('rate-limits login attempts with 429 and Retry-After', { timeout: 180_000 }, async () => {
    const responses = [];
    // An unknown name, so that account lockout (auth-security.test.ts) does not answer first.
    for (let i = 0; i < 22; i++) responses.push(await login('nobody-here', 'wrong-password', { remoteAddress: '10.9.9.9' }));
    expect(responses.slice(0, 20).every((r) => r.statusCode === 401)).toBe(true);
    const limited = responses[21];
    expect(limited?.statusCode).toBe(429);
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited?.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect((await login('sichuan', PASSWORD, { remoteAddress: '10.9.9.10' })).statusCode).toBe(200);
  });

  it('stores passwords with a memory-hard hash, never in clear', async () => {
    const user = await ctx.db.selectFrom('users').select('passwordHash').where('username', '=', 'sichuan').executeTakeFirstOrThrow();
    expect(user.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(user.passwordHash).not.toContain(PASSWORD);
  });
});
