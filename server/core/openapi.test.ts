import SwaggerParser from '@apidevtools/swagger-parser';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../test/harness.js';
import { MAX_ROW_ID } from './ids.js';

describeEachEngine('OpenAPI, health and metrics', (ctx) => {
  it('serves a valid OpenAPI 3.1 document of every API route at /docs/json', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    await SwaggerParser.validate(structuredClone(document));
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/org-units', '/api/v1/org-units/{id}', '/api/v1/audit']),
    );
    expect(document.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema.required).toEqual(['username', 'password']);
  });

  it('bounds every integer a client sends by what a PostgreSQL integer column holds', async () => {
    const document = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    const unbounded: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (!node || typeof node !== 'object') return;
      const schema = node as { type?: unknown; maximum?: number; exclusiveMaximum?: number };
      const limit = schema.maximum ?? schema.exclusiveMaximum;
      if (schema.type === 'integer' && (limit === undefined || limit > MAX_ROW_ID)) unbounded.push(where);
      for (const [key, value] of Object.entries(node)) walk(value, `${where}.${key}`);
    };
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const { parameters, requestBody } = operation as { parameters?: unknown; requestBody?: unknown };
        walk({ parameters, requestBody }, `${method.toUpperCase()} ${path}`);
      }
    }
    expect(unbounded).toEqual([]);
  });

  it('answers text with a NUL character as a client error, never a 500 (PostgreSQL refuses it in text columns)', async () => {
    await ctx.createUser({ username: 'nul-tester', password: 'correct-horse-battery', displayName: '测试', grants: [{ role: 'system_admin', unitId: null }] });
    const session = await ctx.login('nul-tester', 'correct-horse-battery');
    const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: session.headers, payload: { name: 'a\u0000b' } });
    // Refused by the request validator on both engines alike (core/request-validation.ts), naming the field.
    expect(response.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'body.name' }] });
  });

  it('serves the interactive docs page at /docs', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger');
  });

  it('answers health and readiness, and counts requests per route for Prometheus', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    await ctx.app.inject({ method: 'GET', url: '/api/v1/org-units/42' });
    const metrics = await ctx.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(/convoy_http_requests_total\{method="GET",route="\/api\/v1\/org-units\/:id",status="401"\} 1/);
    expect(metrics.body).toContain('convoy_http_request_duration_seconds_bucket');
    // Every answer is counted in its own series, by status too, and timed once.
    await ctx.app.inject({ method: 'GET', url: '/api/v1/org-units/43' });
    await ctx.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    const again = (await ctx.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(again).toMatch(/convoy_http_requests_total\{method="GET",route="\/api\/v1\/org-units\/:id",status="401"\} 2/);
    expect(again).toMatch(/convoy_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(again).toMatch(/convoy_http_requests_total\{method="GET",route="\/metrics",status="200"\} 1/);
    expect(again).toMatch(/convoy_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/org-units\/:id"\} 2/);
  });

  it('answers an address the router cannot read (a stray %, an over-long id) with a problem, not Fastify’s own JSON', async () => {
    const badEscape = await ctx.app.inject({ method: 'GET', url: '/api/v1/org-units/%E4%B8', headers: { 'accept-language': 'en' } });
    expect(badEscape.statusCode).toBe(400);
    expect(badEscape.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(badEscape.json()).toMatchObject({ code: 'BAD_ADDRESS', title: 'Invalid address', status: 400 });
    const tooLong = await ctx.app.inject({ method: 'POST', url: `/api/v1/org-units/${'9'.repeat(300)}/close`, payload: {} });
    expect(tooLong.statusCode).toBe(414);
    expect(tooLong.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(tooLong.json()).toMatchObject({ code: 'BAD_ADDRESS', title: '地址无效', status: 414 });
  });

  it('answers an unknown API address with a 404 problem', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: { 'accept-language': 'en' } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', detail: 'There is no such address: GET /api/v1/nothing-here' });
  });
});
