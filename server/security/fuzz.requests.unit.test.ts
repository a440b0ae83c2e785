import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRoutes, registeredRoutes, requestFor } from './fuzz.requests.js';
import { schemaValue } from './fuzz.values.js';

const tree = `├── /healthz (GET, HEAD)
├── /api/v1/appeals (GET, HEAD, POST)
│   ├── /track/:code (GET, HEAD)
│   │   └── /feedback (POST)
│   └── /:id (GET, HEAD)
│       └── /photos (POST)
│           └── /:photoId (GET, HEAD)
├── /api/v1/stations
│   └── .geojson (GET, HEAD)
└── /open311/v2/requests.:format (GET, HEAD, POST)
`;

describe('the routes the fuzzer finds', () => {
  it('reads every method and full path from Fastify’s route tree, in OpenAPI form', () => {
    expect(registeredRoutes(tree).filter((r) => r.method !== 'HEAD')).toEqual([
      { method: 'GET', path: '/healthz' },
      { method: 'GET', path: '/api/v1/appeals' },
      { method: 'POST', path: '/api/v1/appeals' },
      { method: 'GET', path: '/api/v1/appeals/track/{code}' },
      { method: 'POST', path: '/api/v1/appeals/track/{code}/feedback' },
      { method: 'GET', path: '/api/v1/appeals/{id}' },
      { method: 'POST', path: '/api/v1/appeals/{id}/photos' },
      { method: 'GET', path: '/api/v1/appeals/{id}/photos/{photoId}' },
      { method: 'GET', path: '/api/v1/stations.geojson' },
      { method: 'GET', path: '/open311/v2/requests.{format}' },
      { method: 'POST', path: '/open311/v2/requests.{format}' },
    ]);
  });

  it('fills every path parameter, documented or not, and keeps the request sendable', () => {
    const document = { paths: { '/api/v1/appeals/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', exclusiveMinimum: 0 } }] } } } };
    const routes = fuzzRoutes(tree, document);
    const context = { now: Date.parse('2026-11-25T02:00:00Z'), hints: { code: ['ABC123'] } };
    for (const route of routes) {
      for (const request of fc.sample(requestFor(route, context), 30)) {
        expect(request.url.split('?')[0]).not.toMatch(/\{(code|id|photoId|format)\}/);
        expect(request.url.startsWith('/')).toBe(true);
        // Header values must be visible ASCII, or the request could not be sent at all.
        for (const value of Object.values(request.headers)) expect(value).toMatch(/^[\x20-\x7e]*$/);
      }
    }
  });
});

describe('values from a schema', () => {
  it('stay within an integer’s bounds or sit just past them', () => {
    const values = fc.sample(schemaValue({ type: 'integer', minimum: 1, maximum: 200 }, { now: 0, hints: {} }), 300) as number[];
    expect(values.every((v) => Number.isInteger(v) && v >= 0 && v <= 201)).toBe(true);
    expect(values).toContain(200);
  });

  it('follow enums and patterns', () => {
    expect(fc.sample(schemaValue({ type: 'string', enum: ['a', 'b'] }, { now: 0, hints: {} }), 50).every((v) => v === 'a' || v === 'b')).toBe(true);
    const codes = fc.sample(schemaValue({ type: 'string', pattern: '^\\d{6}$' }, { now: 0, hints: {} }), 200) as string[];
    expect(codes.filter((c) => /^\d{6}$/.test(c)).length).toBeGreaterThan(100);
  });
});
