import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/harness.js';
import { insertStationRow } from '../stations/stations.factory.js';
import { type ActivityWorld, type Caller, activityBody, buildActivityWorld, createActivityAs } from './activities.factory.js';

// activities.station_id has no foreign key: the write path refuses stations that do not exist or are
// closed, with a 400 naming the field, and takes the station's address and position when none is given.
describeEachEngine('activities: held at a station', (ctx) => {
  let w: ActivityWorld;
  let stationId: number;
  let closedStationId: number;
  beforeAll(async () => {
    w = await buildActivityWorld(ctx);
    stationId = await insertStationRow(ctx.db, { name: '天府广场司机之家', kind: 'driver_home', address: '成都市青羊区人民南路一段86号', lat: 30.6574, lng: 104.0658 });
    closedStationId = await insertStationRow(ctx.db, { name: '已关闭的驿站' });
    await ctx.db.updateTable('stations').set({ status: 'closed', closedAt: ctx.clock.now().toISOString() }).where('id', '=', closedStationId).execute();
  });

  const call = (caller: Caller, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method, url, headers: { ...caller.headers, ...headers }, ...(payload ? { payload } : {}) });
  const atStation = (id: number, overrides: Record<string, unknown> = {}) => activityBody(ctx, w.branchA.id, { stationId: id, address: null, lat: null, lng: null, ...overrides });

  it('takes the station’s address and position, and names the station', async () => {
    const created = await createActivityAs(ctx, w.secretaryA, atStation(stationId));
    expect(created).toMatchObject({ stationId, stationName: '天府广场司机之家', address: '成都市青羊区人民南路一段86号', lat: 30.6574, lng: 104.0658 });
    // "Near me" finds it by the station's position, and a station's page finds it by the station.
    const near = await call(w.driver, 'GET', `/api/v1/me/activities/available?lat=30.66&lng=104.07&radiusKm=3&stationId=${stationId}`);
    expect(near.json().items.map((a: { id: number }) => a.id)).toEqual([created.id]);
    const listed = await call(w.secretaryA, 'GET', `/api/v1/activities?unitId=${w.branchA.id}&stationId=${stationId}`);
    expect(listed.json().items.map((a: { id: number }) => a.id)).toEqual([created.id]);
  });

  it('refuses a station that does not exist, with a 400 on the field in both languages, and writes nothing', async () => {
    const before = await ctx.db.selectFrom('activities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const en = await call(w.secretaryA, 'POST', '/api/v1/activities', atStation(987_654), { 'accept-language': 'en' });
    expect(en.statusCode).toBe(400);
    expect(en.headers['content-type']).toContain('application/problem+json');
    expect(en.json().errors[0]).toMatchObject({ field: 'stationId', message: 'there is no such station' });
    const zh = await call(w.secretaryA, 'POST', '/api/v1/activities', atStation(987_654));
    expect(zh.json().errors[0]).toMatchObject({ field: 'stationId', message: '没有这个服务站点' });
    const after = await ctx.db.selectFrom('activities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses a closed station, on creation and when an activity moves there', async () => {
    const refused = await call(w.secretaryA, 'POST', '/api/v1/activities', atStation(closedStationId));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'stationId' });
    const created = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.branchA.id));
    const moved = await call(w.secretaryA, 'PATCH', `/api/v1/activities/${created.id}`, { stationId: closedStationId });
    expect(moved.statusCode).toBe(400);
    const missing = await call(w.secretaryA, 'PATCH', `/api/v1/activities/${created.id}`, { stationId: 987_654 });
    expect(missing.statusCode).toBe(400);
    const unchanged = await call(w.secretaryA, 'GET', `/api/v1/activities/${created.id}`);
    expect(unchanged.json()).toMatchObject({ stationId: null, version: created.version });
  });

  it('moves an activity to a station: the station’s place replaces the old one', async () => {
    const created = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.branchA.id, { address: '成都市武侯区某小区活动室', lat: 30.6, lng: 104.0 }));
    const moved = await call(w.secretaryA, 'PATCH', `/api/v1/activities/${created.id}`, { stationId, address: null, lat: null, lng: null });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ stationId, stationName: '天府广场司机之家', address: '成都市青羊区人民南路一段86号', lat: 30.6574, lng: 104.0658, version: created.version + 1 });
  });

  it('gives organizers the link the venue’s QR code opens, and checks a worker in with its token', async () => {
    const created = await createActivityAs(ctx, w.secretaryA, atStation(stationId, {}));
    const link = await call(w.secretaryA, 'GET', `/api/v1/activities/${created.id}/check-in-link`);
    expect(link.statusCode).toBe(200);
    const { path, url, token } = link.json();
    expect(path).toBe(`/me/activities/${created.id}/check-in?token=${token}`);
    expect(url.endsWith(path)).toBe(true);
    expect((await call(w.driver, 'GET', `/api/v1/activities/${created.id}/check-in-link`)).statusCode).toBe(403);
    expect((await call(w.secretaryB, 'GET', `/api/v1/activities/${created.id}/check-in-link`)).statusCode).toBe(404);
    // Check-in opens two hours before the start.
    const before = ctx.clock.now();
    ctx.clock.set(new Date(Date.parse(created.startsAt as string) - 3_600_000));
    try {
      const checkedIn = await call(w.driver, 'POST', `/api/v1/activities/${created.id}/check-in`, { token });
      expect(checkedIn.statusCode, checkedIn.body).toBe(201);
      expect(checkedIn.json()).toMatchObject({ activityId: created.id, method: 'self_scan', walkIn: true, alreadyCheckedIn: false });
    } finally {
      ctx.clock.set(before);
    }
  });

  it('shows the worker their own place in the "near me" list', async () => {
    const created = await createActivityAs(ctx, w.secretaryA, atStation(stationId, { capacity: 1, title: '名额一人的体检' }));
    const mineIn = async (caller: Caller) => {
      const items = (await call(caller, 'GET', `/api/v1/me/activities/available?stationId=${stationId}`)).json().items as { id: number; mySignup: unknown }[];
      return items.find((a) => a.id === created.id)?.mySignup;
    };
    expect(await mineIn(w.driver)).toBeNull();
    expect((await call(w.driver, 'POST', `/api/v1/activities/${created.id}/sign-up`)).statusCode).toBe(201);
    expect((await call(w.driverB, 'POST', `/api/v1/activities/${created.id}/sign-up`)).statusCode).toBe(201);
    expect(await mineIn(w.driver)).toMatchObject({ status: 'confirmed', waitlistPosition: null, outcome: 'expected' });
    expect(await mineIn(w.driverB)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1, outcome: 'waitlisted' });
  });
});
