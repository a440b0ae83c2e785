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

  it('serves the API docs under a policy of their own that still allows no inline or foreign scripts', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'\s*;/);
    expect(csp).toContain("object-src 'none'");
  });
});
