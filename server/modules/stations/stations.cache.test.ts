import { gunzipSync } from 'node:zlib';
import { check } from '@placemarkio/check-geojson';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/harness.js';
import { appLogging } from '../../test/test-logs.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { type AppealWorld, buildAppealWorld } from '../appeals/appeals.factory.js';
import { dailyHours, insertStationRow, stationBody } from './stations.factory.js';
import { stationsByIds } from './stations.queries.js';
import { nearbyResultSchema } from './stations.schema.js';
import { stationView } from './stations.views.js';

// Nearby answers and the map layer come from memory (the index and what it keeps per station); these
// tests hold them to what reading the rows afresh would answer, right after every kind of write.
describeEachEngine('stations: nearby answers and the map layer from memory, fresh after every write', (ctx) => {
  let w: AppealWorld;
  let address = 0;
  // Yibin: no other test of this file puts a station near it.
  const spot = { lat: 28.7602, lng: 104.6432 };
  const nearbyUrl = (extra = '') => `/api/v1/stations/nearby?lat=${spot.lat}&lng=${spot.lng}&limit=10&radiusKm=20${extra}`;
  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
  });

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, options: { payload?: object; headers?: Record<string, string> } = {}) =>
    ctx.app.inject({ method, url, headers: { ...(method === 'GET' ? {} : w.sessions.secretaryA.headers), ...options.headers }, remoteAddress: `10.3.0.${(address++ % 250) + 1}`, ...(options.payload ? { payload: options.payload } : {}) });
  const create = async (overrides: Parameters<typeof stationBody>[0]) => {
    const response = await call('POST', '/api/v1/stations', { payload: stationBody({ unitId: w.branchA.id, ...spot, ...overrides }) });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: number }>();
  };
  const nearby = async (extra = '') => {
    const response = await call('GET', nearbyUrl(extra));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    // The answer is assembled from cached UTF-8 bytes: its declared length is its length in bytes.
    expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length);
    expect(response.rawPayload.toString('utf8')).toBe(JSON.stringify(response.json()));
    return response.json<{ items: { id: number; name: string; status: string; openNow: boolean; nextChange: string | null; distanceMetres: number }[]; evaluatedAt: string }>();
  };
  /** What the answer would be with every station read from the database now, through the same view. */
  const expectFreshRows = async (answer: Awaited<ReturnType<typeof nearby>>) => {
    expect(nearbyResultSchema.strict().parse({ ...answer, items: [] })).toBeTruthy();
    const rows = await stationsByIds(ctx.db, answer.items.map((i) => i.id));
    const now = ctx.clock.now();
    expect(answer.evaluatedAt).toBe(now.toISOString());
    expect(answer.items).toEqual(rows.map((row, i) => ({ ...stationView(row, now), distanceMetres: answer.items[i]!.distanceMetres })));
    for (const item of answer.items) expect(nearbyResultSchema.shape.items.element.strict().parse(item)).toEqual(item);
  };

  it('answers exactly what the rows read afresh give: views, open states, next changes, order and distances', async () => {
    const holiday = { weekly: dailyHours('09:00', '21:00').weekly, exceptions: [{ from: '2026-11-25', to: '2026-11-25', ranges: [{ opens: '14:00', closes: '16:00' }], note: '检修' }] };
    await create({ name: '宜宾叙州区司机之家', kind: 'driver_home', lat: spot.lat + 0.001, services: ['ev_charging', 'toilet'], hours: dailyHours('00:00', '24:00') });
    await create({ name: '宜宾夜间服务站', lat: spot.lat + 0.002, services: ['hot_water'], hours: dailyHours('22:00', '06:00') });
    await create({ name: '宜宾检修日驿站', lat: spot.lat + 0.003, services: ['hot_water', 'toilet'], hours: holiday, description: '引号 "quoted" 与反斜杠 \\ 都原样保留' });
    const suspended = await create({ name: '宜宾暂停驿站', lat: spot.lat + 0.004 });
    expect((await call('PATCH', `/api/v1/stations/${suspended.id}`, { payload: { status: 'suspended', statusNote: '装修' } })).statusCode).toBe(200);

    const all = await nearby();
    expect(all.items.map((i) => i.name)).toEqual(['宜宾叙州区司机之家', '宜宾夜间服务站', '宜宾检修日驿站', '宜宾暂停驿站']);
    await expectFreshRows(all);
    // 10:00 in China: the maintenance day opens at 14:00 only; the night station at 22:00.
    expect(all.items.map((i) => [i.openNow, i.nextChange])).toEqual([
      [true, null],
      [false, '2026-11-25T14:00:00.000Z'],
      [false, '2026-11-25T06:00:00.000Z'],
      [false, null],
    ]);
    const open = await nearby('&openNow=true&service=toilet');
    expect(open.items.map((i) => i.name)).toEqual(['宜宾叙州区司机之家']);
    await expectFreshRows(open);

    // Past a change the open states follow the clock, also for stations answered before.
    ctx.clock.set('2026-11-25T06:30:00.000Z');
    const afternoon = await nearby();
    await expectFreshRows(afternoon);
    expect(afternoon.items.find((i) => i.name === '宜宾检修日驿站')).toMatchObject({ openNow: true, nextChange: '2026-11-25T08:00:00.000Z' });
    ctx.clock.set('2026-11-25T08:00:00.000Z');
    const evening = await nearby('&openNow=true&service=hot_water');
    expect(evening.items.map((i) => i.name)).toEqual([]);
    await expectFreshRows(await nearby());
    // Past China's midnight the five-week horizon moves on.
    ctx.clock.set('2026-11-25T16:00:00.000Z');
    await expectFreshRows(await nearby());
    ctx.clock.set('2026-11-25T02:00:00.000Z');
    await expectFreshRows(await nearby());
  });

  it('serves each change of this process in the very next answer: an edit, new hours, a suspension and its end, a close', async () => {
    const station = await create({ name: '宜宾临港驿站', lat: spot.lat - 0.001, services: ['toilet', 'hot_water'], hours: dailyHours('08:00', '20:00') });
    const seen = async (extra = '') => (await nearby(extra)).items.find((i) => i.id === station.id);
    expect(await seen('&openNow=true')).toMatchObject({ name: '宜宾临港驿站', openNow: true });

    expect((await call('PATCH', `/api/v1/stations/${station.id}`, { payload: { name: '宜宾临港经开区驿站', services: ['toilet'] } })).statusCode).toBe(200);
    expect(await seen()).toMatchObject({ name: '宜宾临港经开区驿站' });
    expect(await seen('&service=hot_water')).toBeUndefined();
    await expectFreshRows(await nearby());

    expect((await call('PATCH', `/api/v1/stations/${station.id}`, { payload: { hours: dailyHours('18:00', '23:00') } })).statusCode).toBe(200);
    expect(await seen('&openNow=true')).toBeUndefined();
    expect(await seen()).toMatchObject({ openNow: false, nextChange: '2026-11-25T10:00:00.000Z' });

    expect((await call('PATCH', `/api/v1/stations/${station.id}`, { payload: { hours: dailyHours('00:00', '24:00'), status: 'suspended' } })).statusCode).toBe(200);
    expect(await seen()).toMatchObject({ status: 'suspended', openNow: false, nextChange: null });
    expect(await seen('&openNow=true')).toBeUndefined();
    expect((await call('PATCH', `/api/v1/stations/${station.id}`, { payload: { status: 'active' } })).statusCode).toBe(200);
    expect(await seen('&openNow=true')).toMatchObject({ status: 'active', openNow: true });

    expect((await call('POST', `/api/v1/stations/${station.id}/close`, { payload: { reason: '场地到期' } })).statusCode).toBe(200);
    expect(await seen()).toBeUndefined();
    await expectFreshRows(await nearby());
  });

  it('keeps a nearby search that lands while a write commits from answering with the index read before it', async () => {
    const station = await create({ name: '宜宾南岸驿站', lat: spot.lat - 0.002 });
    // The write and the search start together; the search may come before the write, never after it with old rows.
    const [renamed, during] = await Promise.all([call('PATCH', `/api/v1/stations/${station.id}`, { payload: { name: '宜宾南岸西区驿站' } }), nearby()]);
    expect(renamed.statusCode).toBe(200);
    expect(['宜宾南岸驿站', '宜宾南岸西区驿站']).toContain(during.items.find((i) => i.id === station.id)?.name);
    expect((await nearby()).items.find((i) => i.id === station.id)?.name).toBe('宜宾南岸西区驿站');
  });

  it('gives the map layer a strong ETag, answers a matching If-None-Match with 304, and a new tag after a write', async () => {
    const first = await call('GET', '/api/v1/stations.geojson');
    expect(first.statusCode).toBe(200);
    expect(() => check(first.body)).not.toThrow();
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{20,}"$/);
    expect(first.headers['cache-control']).toMatch(/^public, max-age=(\d|[1-5]\d|60), must-revalidate$/);
    expect(first.headers.vary).toBe('Accept-Encoding');

    for (const tag of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await call('GET', '/api/v1/stations.geojson', { headers: { 'if-none-match': tag } });
      expect(again.statusCode, tag).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
    }
    expect((await call('GET', '/api/v1/stations.geojson', { headers: { 'if-none-match': '"stale"' } })).statusCode).toBe(200);

    const station = await create({ name: '宜宾三江口驿站', lat: spot.lat + 0.01 });
    const afterCreate = await call('GET', '/api/v1/stations.geojson', { headers: { 'if-none-match': etag } });
    expect(afterCreate.statusCode).toBe(200);
    expect(afterCreate.headers.etag).not.toBe(etag);
    expect(afterCreate.json<{ features: { id: number }[] }>().features.map((f) => f.id)).toContain(station.id);

    const renamedTag = afterCreate.headers.etag as string;
    expect((await call('PATCH', `/api/v1/stations/${station.id}`, { payload: { name: '宜宾三江口合江门驿站' } })).statusCode).toBe(200);
    const afterRename = await call('GET', '/api/v1/stations.geojson', { headers: { 'if-none-match': renamedTag } });
    expect(afterRename.statusCode).toBe(200);
    expect(afterRename.json<{ features: { id: number; properties: { name: string } }[] }>().features.find((f) => f.id === station.id)?.properties.name).toBe('宜宾三江口合江门驿站');

    const closedTag = afterRename.headers.etag as string;
    expect((await call('POST', `/api/v1/stations/${station.id}/close`, { payload: { reason: '撤站' } })).statusCode).toBe(200);
    const afterClose = await call('GET', '/api/v1/stations.geojson', { headers: { 'if-none-match': closedTag } });
    expect(afterClose.statusCode).toBe(200);
    expect(afterClose.json<{ features: { id: number }[] }>().features.map((f) => f.id)).not.toContain(station.id);
  });

  it('changes the tag when an open state in the layer changes with the clock, and shortens max-age to that change', async () => {
    ctx.clock.set('2026-11-25T02:00:00.000Z');
    await create({ name: '宜宾午间驿站', lat: spot.lat + 0.02, hours: dailyHours('10:00', '10:30') });
    const before = await call('GET', '/api/v1/stations.geojson');
    // The station closes at 10:30 China time, 30 minutes on: the copy may be kept for a minute at most.
    expect(before.headers['cache-control']).toBe('public, max-age=60, must-revalidate');
    ctx.clock.advance(29 * 60_000 + 30_000);
    const soon = await call('GET', '/api/v1/stations.geojson', { headers: { 'if-none-match': before.headers.etag as string } });
    expect(soon.statusCode).toBe(304);
    expect(soon.headers['cache-control']).toBe('public, max-age=30, must-revalidate');
    ctx.clock.advance(30_000);
    const after = await call('GET', '/api/v1/stations.geojson', { headers: { 'if-none-match': before.headers.etag as string } });
    expect(after.statusCode).toBe(200);
    const feature = after.json<{ features: { properties: { name: string; openNow: boolean } }[] }>().features.find((f) => f.properties.name === '宜宾午间驿站');
    expect(feature?.properties.openNow).toBe(false);
    ctx.clock.set('2026-11-25T02:00:00.000Z');
  });

  it('sends the layer gzipped, compressed once, to a client that accepts it, with its own tag; filters answer from memory too', async () => {
    const plain = await call('GET', '/api/v1/stations.geojson');
    const zipped = await call('GET', '/api/v1/stations.geojson', { headers: { 'accept-encoding': 'br;q=1, gzip;q=0.8' } });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
    expect((await call('GET', '/api/v1/stations.geojson', { headers: { 'accept-encoding': 'gzip', 'if-none-match': zipped.headers.etag as string } })).statusCode).toBe(304);
    const refused = await call('GET', '/api/v1/stations.geojson', { headers: { 'accept-encoding': 'gzip;q=0, *' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toBe(plain.body);

    const filtered = await call('GET', '/api/v1/stations.geojson?openNow=true&service=toilet&cityCode=510100');
    expect(() => check(filtered.body)).not.toThrow();
    const features = filtered.json<{ features: { properties: { openNow: boolean; services: string[]; cityCode: string } }[] }>().features;
    expect(features.length).toBeGreaterThan(0);
    expect(features.every((f) => f.properties.openNow && f.properties.services.includes('toilet') && f.properties.cityCode === '510100')).toBe(true);
    expect(filtered.headers.etag).not.toBe(plain.headers.etag);
  });

  it('prints a renamed running unit’s new name once the stamp is checked (the rename bumps the org units’ stamp)', async () => {
    const station = await create({ name: '宜宾翠屏驿站', lat: spot.lat - 0.004 });
    const tag = (await call('GET', '/api/v1/stations.geojson')).headers.etag as string;
    const renamed = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/org-units/${w.branchA.id}`, headers: w.sessions.committee.headers, payload: { name: '青禾出行宜宾流动党员党支部' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    ctx.clock.advance(6_000);
    expect((await nearby()).items.find((i) => i.id === station.id)).toMatchObject({ unitName: '青禾出行宜宾流动党员党支部' });
    const layer = await call('GET', '/api/v1/stations.geojson', { headers: { 'if-none-match': tag } });
    expect(layer.statusCode).toBe(200);
    expect(layer.json<{ features: { id: number; properties: { unitName: string } }[] }>().features.find((f) => f.id === station.id)?.properties.unitName).toBe('青禾出行宜宾流动党员党支部');
  });

  it('shows another process’s write in nearby answers and the map layer once the stamp is checked', async () => {
    const logging = appLogging(`stations-cache-second-${ctx.engine}`);
    const config = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: ctx.url, LOG_LEVEL: logging.level });
    const second = await buildApp({ db: ctx.db, engine: ctx.engine, config, clock: ctx.clock }, { ...logging.options, webRoot: '/nonexistent' });
    await second.ready();
    try {
      const tag = (await second.inject({ method: 'GET', url: '/api/v1/stations.geojson', remoteAddress: '10.3.1.1' })).headers.etag as string;
      const other = await insertStationRow(ctx.db, { ...spot, lat: spot.lat - 0.003, updatedAt: ctx.clock.now().toISOString() });
      ctx.clock.advance(6_000);
      expect((await second.inject({ method: 'GET', url: nearbyUrl(), remoteAddress: '10.3.1.2' })).json<{ items: { id: number }[] }>().items.map((i) => i.id)).toContain(other);
      const layer = await second.inject({ method: 'GET', url: '/api/v1/stations.geojson', headers: { 'if-none-match': tag }, remoteAddress: '10.3.1.3' });
      expect(layer.statusCode).toBe(200);
      expect(layer.json<{ features: { id: number }[] }>().features.map((f) => f.id)).toContain(other);
    } finally {
      await second.close();
      logging.close();
    }
  });
});
