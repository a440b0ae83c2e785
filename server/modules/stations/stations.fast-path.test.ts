import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { describeEachEngine } from '../../test/harness.js';
import { type AppealWorld, buildAppealWorld } from '../appeals/appeals.factory.js';
import { dailyHours, stationBody } from './stations.factory.js';

// The nearby search answered in front of Fastify (core/fast-path.ts) must be the route's answer: same
// status, headers and bytes, the same count against the address's limit, the same metrics, fresh after a
// write; and whatever it does not take (credentials, odd queries, errors) must reach the route.
describeEachEngine('stations: the nearby search in front of Fastify answers as the route does', (ctx) => {
  let w: AppealWorld;
  // fast: answers nearby in front of Fastify; general: the same app without (BuildOptions.fastPaths false).
  const apps: { fast?: FastifyInstance; general?: FastifyInstance } = {};
  const origins = { fast: '', general: '' };
  // Requests that reached Fastify's request path in the fast app.
  let reachedFastify = 0;
  // Zigong: no other test puts a station near it.
  const spot = { lat: 29.3392, lng: 104.7784 };

  const start = async (fastPaths: boolean) => {
    const config = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: ctx.url, LOG_LEVEL: 'warn' });
    const app = await buildApp({ db: ctx.db, engine: ctx.engine, config, clock: ctx.clock }, { logger: false, webRoot: '/nonexistent', fastPaths });
    if (fastPaths) app.addHook('onRequest', async () => void (reachedFastify += 1));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { app, origin: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
  };

  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
    for (const [i, services] of ([['hot_water', 'toilet'], ['hot_water'], ['phone_charging', 'toilet'], ['ev_charging']] as const).entries()) {
      const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/stations', headers: w.sessions.secretaryA.headers, payload: stationBody({ unitId: w.branchA.id, lat: spot.lat + i * 0.002, lng: spot.lng, name: `自贡盐井驿站${i + 1}`, services: [...services], hours: dailyHours('00:00', '24:00') }) });
      expect(response.statusCode, response.body).toBe(201);
    }
    const fast = await start(true);
    const general = await start(false);
    Object.assign(apps, { fast: fast.app, general: general.app });
    Object.assign(origins, { fast: fast.origin, general: general.origin });
  });
  afterAll(async () => {
    await apps.fast?.close();
    await apps.general?.close();
  });

  /** A request from the given loopback address; the headers exactly as sent, in order, without the date. */
  const get = (origin: string, path: string, headers: Record<string, string> = {}, method = 'GET', localAddress = '127.0.0.1') =>
    new Promise<{ status: number; headers: [string, string][]; body: Buffer }>((resolve, reject) => {
      const { hostname, port } = new URL(origin);
      const sent = request({ host: hostname, port, path, method, headers, localAddress, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const pairs: [string, string][] = [];
          for (let i = 0; i < response.rawHeaders.length; i += 2) pairs.push([response.rawHeaders[i]!.toLowerCase(), response.rawHeaders[i + 1]!]);
          resolve({ status: response.statusCode ?? 0, headers: pairs.filter(([name]) => name !== 'date'), body: Buffer.concat(chunks) });
        });
      });
      sent.on('error', reject);
      sent.end();
    });
  /** Asks both apps; each has its own count per address, so both counts move alike. */
  const both = async (path: string, headers: Record<string, string> = {}, method = 'GET') => {
    const before = reachedFastify;
    const fast = await get(origins.fast, path, headers, method);
    const general = await get(origins.general, path, headers, method);
    return { fast, general, viaFastify: reachedFastify > before };
  };
  const nearby = (query: string) => `/api/v1/stations/nearby?lat=${spot.lat}&lng=${spot.lng}&${query}`;

  it('answers plain queries in front of Fastify with the same status, headers and bytes', async () => {
    for (const query of ['limit=5', 'limit=3&openNow=true&service=hot_water', 'service=hot_water,toilet&radiusKm=5', 'coordinateSystem=gcj02&kind=union_station', 'limit=2&radiusKm=0.1']) {
      const { fast, general, viaFastify } = await both(nearby(query));
      expect(viaFastify, query).toBe(false);
      expect(fast.status, query).toBe(200);
      expect(fast.headers, query).toEqual(general.headers);
      expect(fast.body.equals(general.body), query).toBe(true);
    }
    const { fast } = await both(nearby('limit=5&service=hot_water'));
    expect(JSON.parse(fast.body.toString('utf8')).items.map((i: { name: string }) => i.name)).toEqual(['自贡盐井驿站1', '自贡盐井驿站2']);
  });

  it('leaves credentials, escapes, bad queries and other methods to the route, which answers as ever', async () => {
    const cases: { path: string; headers?: Record<string, string>; method?: string; status: number }[] = [
      { path: nearby('limit=5'), headers: { cookie: 'theme=dark' }, status: 200 },
      { path: nearby('limit=5'), headers: { authorization: 'Bearer not-a-token' }, status: 200 },
      { path: nearby('limit=5&service=hot%5Fwater'), status: 200 },
      { path: nearby('limit=0'), status: 400 },
      { path: nearby('service=hot_water&service=toilet'), status: 400 },
      { path: nearby('limit=5&colour=red'), status: 400 },
      { path: nearby('limit'), status: 400 },
      { path: '/api/v1/stations/nearby', status: 400 },
      { path: nearby('limit=5'), method: 'HEAD', status: 200 },
    ];
    for (const c of cases) {
      const { fast, general, viaFastify } = await both(c.path, c.headers, c.method);
      expect(viaFastify, c.path).toBe(true);
      expect(fast.status, c.path).toBe(c.status);
      expect(fast.status, c.path).toBe(general.status);
      if (c.status === 400) {
        expect(fast.headers.find(([name]) => name === 'content-type')?.[1]).toBe('application/problem+json; charset=utf-8');
        // The request id differs from app to app; everything else is the same problem.
        const { requestId: _a, ...fastProblem } = JSON.parse(fast.body.toString('utf8')) as Record<string, unknown>;
        const { requestId: _b, ...generalProblem } = JSON.parse(general.body.toString('utf8')) as Record<string, unknown>;
        expect(fastProblem).toEqual(generalProblem);
      } else {
        expect(fast.body.equals(general.body), c.path).toBe(true);
      }
    }
  });

  it('counts both ways against one limit per address, and the route answers 429 past it', async () => {
    const remaining = async (headers: Record<string, string> = {}) => {
      const response = await get(origins.fast, nearby('limit=1'), headers);
      return { status: response.status, remaining: Number(response.headers.find(([name]) => name === 'x-ratelimit-remaining')?.[1]), response };
    };
    const first = await remaining();
    // In front of Fastify, then through it (a cookie), then in front again: one count each.
    expect((await remaining({ cookie: 'theme=dark' })).remaining).toBe(first.remaining - 1);
    expect((await remaining()).remaining).toBe(first.remaining - 2);
    let last = await remaining();
    while (last.status === 200) last = await remaining();
    expect(last.status).toBe(429);
    expect(last.response.headers.find(([name]) => name === 'content-type')?.[1]).toBe('application/problem+json; charset=utf-8');
    const header = (name: string) => last.response.headers.find(([sent]) => sent === name)?.[1];
    expect(Number(header('retry-after'))).toBeGreaterThan(0);
    // The plugin's headers on a 429 too: the limit, nothing left, when the window ends.
    expect([header('x-ratelimit-limit'), header('x-ratelimit-remaining'), Number(header('x-ratelimit-reset')) > 0]).toEqual(['120', '0', true]);
    expect(JSON.parse(last.response.body.toString('utf8'))).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    // The 429 came from the route: the answer in front of Fastify handed the request on, counted once.
    const before = reachedFastify;
    expect((await remaining()).status).toBe(429);
    expect(reachedFastify).toBe(before + 1);
  });

  it('counts its answers in the route’s metrics and sees a write of its own app at once', async () => {
    const count = async () => {
      const metrics = await apps.fast!.inject({ method: 'GET', url: '/metrics' });
      const line = metrics.body.split('\n').find((l) => l.startsWith('convoy_http_requests_total{method="GET",route="/api/v1/stations/nearby",status="200"}'));
      return Number(line?.split(' ')[1] ?? 0);
    };
    const before = await count();
    // Another address: the last test used up this one's limit.
    const at = { lat: spot.lat + 1, lng: spot.lng };
    const path = `/api/v1/stations/nearby?lat=${at.lat}&lng=${at.lng}&limit=5&radiusKm=1`;
    const ask = async () => {
      const response = await get(origins.fast, path, {}, 'GET', '127.0.0.2');
      expect(response.status).toBe(200);
      return JSON.parse(response.body.toString('utf8')) as { items: { name: string }[] };
    };
    let seen = reachedFastify;
    expect((await ask()).items).toEqual([]);
    expect(reachedFastify).toBe(seen);
    const created = await apps.fast!.inject({ method: 'POST', url: '/api/v1/stations', headers: w.sessions.secretaryA.headers, payload: stationBody({ unitId: w.branchA.id, ...at, name: '自贡新开驿站', hours: dailyHours('00:00', '24:00') }) });
    expect(created.statusCode, created.body).toBe(201);
    seen = reachedFastify;
    expect((await ask()).items.map((i) => i.name)).toEqual(['自贡新开驿站']);
    expect(reachedFastify).toBe(seen);
    expect(await count()).toBe(before + 2);
  });
});
