import { expect, it } from 'vitest';
import { describeEachEngine } from '../test/harness.js';

describeEachEngine('security headers', (ctx) => {
  it('sends a strict content security policy and the usual hardening headers on every answer', async () => {
    for (const url of ['/healthz', '/api/v1/appeal-categories', '/api/v1/no-such-route']) {
      const response = await ctx.app.inject({ method: 'GET', url });
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('sends the same hardening headers, in the same order, on a nearby answer, its validation problem and a health check', async () => {
    const hardening = (headers: Record<string, unknown>) => Object.entries(headers).filter(([name]) => (name.startsWith('x-') && !name.startsWith('x-ratelimit-')) || ['content-security-policy', 'referrer-policy', 'strict-transport-security', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'origin-agent-cluster'].includes(name));
    const health = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    const nearby = await ctx.app.inject({ method: 'GET', url: '/api/v1/stations/nearby?lat=30.657&lng=104.081&limit=3&openNow=true' });
    const refused = await ctx.app.inject({ method: 'GET', url: '/api/v1/stations/nearby?lat=north&lng=104.081', headers: { 'accept-language': 'en' } });
    expect(nearby.statusCode).toBe(200);
    expect(nearby.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(hardening(health.headers).length).toBeGreaterThanOrEqual(10);
    expect(hardening(nearby.headers)).toEqual(hardening(health.headers));
    expect(hardening(refused.headers)).toEqual(hardening(health.headers));
    // Set first, so they come before what the route adds.
    expect(Object.keys(nearby.headers)[0]).toBe('content-security-policy');
  });

  it('serves the API docs under a policy of their own that still allows no inline or foreign scripts', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'\s*;/);
    expect(csp).toContain("object-src 'none'");
  });
});
