// Proves the harness itself: each engine gets a migrated database and a working app.
import { expect, it } from 'vitest';
import { describeEachEngine } from './harness.js';

describeEachEngine('test harness', (ctx) => {
  it('answers /readyz from its own database', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', database: ctx.engine });
  });

  it('refuses /api/v1/auth/me without a session, as problem+json', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 401 });
  });

  it('logs in with a cookie session and with a bearer token', async () => {
    await ctx.createUser({ username: 'harness', password: 'harness-password-1', displayName: '测试', grants: [{ role: 'system_admin', unitId: null }] });
    const session = await ctx.login('harness', 'harness-password-1');
    const viaCookie = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers });
    expect(viaCookie.statusCode).toBe(200);
    expect(viaCookie.json()).toMatchObject({ username: 'harness', csrfToken: session.csrfToken });
    const viaBearer = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: await ctx.bearer('harness', 'harness-password-1') });
    expect(viaBearer.statusCode).toBe(200);
  });
});
