import { check } from '@placemarkio/check-geojson';
import gcoord from 'gcoord';
import { beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { APPEAL_TEST_PASSWORD, type AppealWorld, buildAppealWorld } from '../appeals/appeals.factory.js';
import { allDay, dailyHours, insertStationRow, stationBody } from './stations.factory.js';
import { appLogging } from '../../test/test-logs.js';

describeEachEngine('stations: writes, scope, nearby search and the map layer', (ctx) => {
  let w: AppealWorld;
  let admin: Session;
  let address = 0;
  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
    await ctx.createUser({ username: 'admin', password: APPEAL_TEST_PASSWORD, displayName: '系统管理员', grants: [{ role: 'system_admin', unitId: null }] });
    admin = await ctx.login('admin', APPEAL_TEST_PASSWORD);
  });

  const call = (session: Session | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: session?.headers ?? {}, remoteAddress: `10.2.0.${(address++ % 250) + 1}`, ...(payload ? { payload } : {}) });
  const create = async (session: Session, overrides: Parameters<typeof stationBody>[0] = {}) => {
    const response = await call(session, 'POST', '/api/v1/stations', stationBody({ unitId: w.branchA.id, ...overrides }));
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };

  it('lets a branch secretary add a station to her branch, converts the position for Chinese maps and audits it', async () => {
    const station = await create(w.sessions.secretaryA, { name: '青禾出行司机之家（高新区天府三街店）', kind: 'driver_home', lat: 30.5458, lng: 104.0632, hours: allDay(), services: ['ev_charging', 'toilet', 'hot_water'] });
    expect(station).toMatchObject({ unitId: w.branchA.id, unitName: w.branchA.name, cityCode: '510100', location: { lat: 30.5458, lng: 104.0632 }, openNow: true, nextChange: null, status: 'active' });
    // GCJ-02 sits a few hundred metres east and north of WGS-84 in Chengdu.
    expect(station.gcj02.lng - 104.0632).toBeGreaterThan(0.001);
    expect(station.gcj02.lat - 30.5458).toBeLessThan(0);
    expect(station.navigation.amap).toContain(`position=${station.gcj02.lng}%2C${station.gcj02.lat}`);
    expect(station.navigation.amap).toContain('coordinate=gaode');
    // BD-09 is GCJ-02 shifted once more (about 0.0065° east and 0.006° north) and leads back to the stored point.
    expect(station.bd09.lng - station.gcj02.lng).toBeGreaterThan(0.005);
    expect(station.bd09.lng - station.gcj02.lng).toBeLessThan(0.008);
    expect(station.bd09.lat - station.gcj02.lat).toBeGreaterThan(0.004);
    expect(station.bd09.lat - station.gcj02.lat).toBeLessThan(0.008);
    const [backLng, backLat] = gcoord.transform<[number, number]>([station.bd09.lng, station.bd09.lat], gcoord.BD09, gcoord.WGS84);
    expect(backLng).toBeCloseTo(104.0632, 4);
    expect(backLat).toBeCloseTo(30.5458, 4);
    expect(station.navigation.baidu).toContain(`location=${station.bd09.lat}%2C${station.bd09.lng}`);
    expect(station.navigation.baidu).toContain('coord_type=bd09ll');
    expect(station.navigation.baidu).toContain('output=html');
    const audit = await ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'station.create').where('entityId', '=', String(station.id)).executeTakeFirstOrThrow();
    expect(audit.userId).toBe(w.users.secretaryA);
  });

  it('stores a position picked on a GCJ-02 map as WGS-84', async () => {
    const station = await create(w.sessions.secretaryA, { lat: 30.5435, lng: 104.0657, coordinateSystem: 'gcj02' });
    expect(station.gcj02.lat).toBeCloseTo(30.5435, 5);
    expect(station.gcj02.lng).toBeCloseTo(104.0657, 5);
    expect(station.location.lng).toBeLessThan(104.0657);
  });

  it('answers 404 outside the writer’s subtree, 403 inside it without org.write, 403 for a station without a unit unless system admin', async () => {
    const outside = await call(w.sessions.secretaryB, 'POST', '/api/v1/stations', stationBody({ unitId: w.branchA.id }));
    expect(outside.statusCode).toBe(404);
    const worker = await call(w.sessions.driver, 'POST', '/api/v1/stations', stationBody({ unitId: w.branchB.id }));
    expect(worker.statusCode).toBe(403);
    const noUnit = await call(w.sessions.committee, 'POST', '/api/v1/stations', stationBody({ unitId: null, operatorName: '锦江区总工会' }));
    expect(noUnit.statusCode).toBe(403);
    const byAdmin = await call(admin, 'POST', '/api/v1/stations', stationBody({ unitId: null, operatorName: '锦江区总工会', kind: 'union_station' }));
    expect(byAdmin.statusCode, byAdmin.body).toBe(201);
    expect(byAdmin.json()).toMatchObject({ unitId: null, operatorName: '锦江区总工会' });
    const nobody = await call(admin, 'POST', '/api/v1/stations', stationBody({ unitId: null, operatorName: null }));
    expect(nobody.statusCode).toBe(400);
  });

  it('refuses malformed hours with a problem naming the field, in the reader’s language', async () => {
    const body = stationBody({ unitId: w.branchA.id, hours: dailyHours('08:00', '08:00') });
    const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/stations', headers: { ...w.sessions.secretaryA.headers, 'accept-language': 'en' }, payload: body });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(response.json())).toContain('hours');
  });

  it('finds the nearest stations without a login, with distance in metres, filters and the same ids as the map layer', async () => {
    const near = await create(w.sessions.secretaryA, { name: '工会驿站（春熙路）', kind: 'union_station', lat: 30.6575, lng: 104.0806, services: ['ebike_battery', 'toilet'], hours: dailyHours('09:00', '21:00') });
    const night = await create(w.sessions.secretaryA, { name: '户外劳动者服务站（太古里）', lat: 30.6545, lng: 104.0832, services: ['toilet'], hours: dailyHours('22:00', '06:00') });
    const response = await call(null, 'GET', '/api/v1/stations/nearby?lat=30.6570&lng=104.0810&limit=3');
    expect(response.statusCode, response.body).toBe(200);
    const items = response.json().items;
    expect(items.map((i: { id: number }) => i.id).slice(0, 2)).toEqual([near.id, night.id]);
    expect(items[0].distanceMetres).toBeGreaterThan(30);
    expect(items[0].distanceMetres).toBeLessThan(80);
    // 10:00 in Chengdu: the night station is closed and says when it opens.
    expect(items[1]).toMatchObject({ openNow: false, nextChange: '2026-11-25T14:00:00.000Z' });
    const open = await call(null, 'GET', '/api/v1/stations/nearby?lat=30.6570&lng=104.0810&limit=3&openNow=true&service=toilet');
    expect(open.json().items.map((i: { id: number }) => i.id)).not.toContain(night.id);
    expect(open.json().items[0].id).toBe(near.id);
    const battery = await call(null, 'GET', '/api/v1/stations/nearby?lat=30.6570&lng=104.0810&limit=5&service=ebike_battery,toilet');
    expect(battery.json().items.map((i: { id: number }) => i.id)).toEqual([near.id]);
    const far = await call(null, 'GET', '/api/v1/stations/nearby?lat=22.54&lng=114.05&limit=5&radiusKm=20');
    expect(far.json().items).toEqual([]);

    const geo = await call(null, 'GET', '/api/v1/stations.geojson');
    expect(geo.headers['content-type']).toContain('application/geo+json');
    expect(() => check(geo.body)).not.toThrow();
    const collection = geo.json();
    const feature = collection.features.find((f: { id: number }) => f.id === near.id);
    expect(feature.geometry).toEqual({ type: 'Point', coordinates: [104.0806, 30.6575] });
    expect(feature.properties).toMatchObject({ name: '工会驿站（春熙路）', services: ['ebike_battery', 'toilet'], openNow: true });
    const openOnly = await call(null, 'GET', '/api/v1/stations.geojson?openNow=true&service=toilet');
    expect(() => check(openOnly.body)).not.toThrow();
    expect(openOnly.json().features.map((f: { id: number }) => f.id)).not.toContain(night.id);
  });

  it('keeps the index in step with its own writes at once, and a second server process sees them within seconds', async () => {
    // A second app on the same database, as a second server process would run.
    const logging = appLogging(`stations-second-${ctx.engine}`);
    const config = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: ctx.url, LOG_LEVEL: logging.level });
    const second = await buildApp({ db: ctx.db, engine: ctx.engine, config, clock: ctx.clock }, { ...logging.options, webRoot: '/nonexistent' });
    await second.ready();
    try {
      const spot = { lat: 31.2, lng: 107.5 };
      const url = `/api/v1/stations/nearby?lat=${spot.lat}&lng=${spot.lng}&limit=5&radiusKm=5`;
      const idsFrom = async (app: typeof second) => (await app.inject({ method: 'GET', url, remoteAddress: `10.2.1.${(address++ % 250) + 1}` })).json().items.map((i: { id: number }) => i.id);
      const station = await create(w.sessions.secretaryA, { ...spot, name: '户外劳动者服务站（达州西外）' });
      expect(await idsFrom(ctx.app)).toEqual([station.id]);
      expect(await idsFrom(second)).toEqual([]);
      ctx.clock.advance(6_000);
      expect((await call(w.sessions.secretaryA, 'PATCH', `/api/v1/stations/${station.id}`, { name: '户外劳动者服务站（达州西外大街）' })).statusCode).toBe(200);
      expect(await idsFrom(second)).toEqual([station.id]);

      // A move in the same millisecond as the rename the second process has seen changes no count and, by
      // the clock, no time: the change stamp must still move (updated_at never repeats the newest one).
      const moved = await call(w.sessions.secretaryA, 'PATCH', `/api/v1/stations/${station.id}`, { lat: 30.0, lng: 107.5 });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(await idsFrom(ctx.app)).toEqual([]);
      ctx.clock.advance(6_000);
      expect(await idsFrom(second)).toEqual([]);

      // A row written by something else entirely (an import, a script) shows up the same way.
      const other = await insertStationRow(ctx.db, { ...spot, updatedAt: ctx.clock.now().toISOString() });
      ctx.clock.advance(6_000);
      expect(await idsFrom(ctx.app)).toEqual([other]);
    } finally {
      await second.close();
      logging.close();
    }
  });

  it('moves a station only with org.write on both units, and closes it for good', async () => {
    const station = await create(w.sessions.secretaryA);
    const toB = await call(w.sessions.secretaryA, 'PATCH', `/api/v1/stations/${station.id}`, { unitId: w.branchB.id });
    expect(toB.statusCode).toBe(404);
    const byCommittee = await call(w.sessions.committee, 'PATCH', `/api/v1/stations/${station.id}`, { unitId: w.branchB.id, services: ['wifi'], hours: dailyHours('07:00', '23:00') });
    expect(byCommittee.statusCode, byCommittee.body).toBe(200);
    expect(byCommittee.json()).toMatchObject({ unitId: w.branchB.id, services: ['wifi'] });
    const notHers = await call(w.sessions.secretaryA, 'PATCH', `/api/v1/stations/${station.id}`, { name: '改个名字' });
    expect(notHers.statusCode).toBe(404);
    const closed = await call(w.sessions.secretaryB, 'POST', `/api/v1/stations/${station.id}/close`, { reason: '场地到期' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', openNow: false });
    expect((await call(w.sessions.secretaryB, 'PATCH', `/api/v1/stations/${station.id}`, { name: '重新开放' })).statusCode).toBe(409);
    const geo = (await call(null, 'GET', '/api/v1/stations.geojson')).json();
    expect(geo.features.map((f: { id: number }) => f.id)).not.toContain(station.id);
    const detail = await call(null, 'GET', `/api/v1/stations/${station.id}`);
    expect(detail.json()).toMatchObject({ status: 'closed', statusNote: '场地到期', canEdit: false });
    const actions = await ctx.db.selectFrom('auditLog').select('action').where('entityType', '=', 'station').where('entityId', '=', String(station.id)).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['station.create', 'station.update', 'station.close']);
  });

  it('lists stations for anyone logged in, filtered and paged by id; not without a login', async () => {
    expect((await call(null, 'GET', '/api/v1/stations')).statusCode).toBe(401);
    const page1 = await call(w.sessions.driver, 'GET', `/api/v1/stations?unitId=${w.committee.id}&limit=2`);
    expect(page1.statusCode, page1.body).toBe(200);
    expect(page1.json().items).toHaveLength(2);
    const page2 = await call(w.sessions.driver, 'GET', `/api/v1/stations?unitId=${w.committee.id}&limit=2&cursor=${page1.json().nextCursor}`);
    expect(page2.json().items[0].id).toBeGreaterThan(page1.json().items[1].id);
    const byName = await call(w.sessions.driver, 'GET', `/api/v1/stations?q=${encodeURIComponent('春熙路')}`);
    expect(byName.json().items.map((s: { name: string }) => s.name)).toEqual(['工会驿站（春熙路）']);
    const withBattery = await call(w.sessions.driver, 'GET', '/api/v1/stations?service=ebike_battery');
    expect(withBattery.json().items.every((s: { services: string[] }) => s.services.includes('ebike_battery'))).toBe(true);
    const detail = await call(w.sessions.secretaryA, 'GET', `/api/v1/stations/${byName.json().items[0].id}`);
    expect(detail.json()).toMatchObject({ canEdit: true, rating: { average: null, count: 0 }, myRating: null, photos: [] });
  });
});
