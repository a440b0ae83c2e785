import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sensitiveCodec } from '../../core/sensitive.js';
import { StationIndex } from '../../modules/stations/stations.index.js';
import { loadIndexedStations } from '../../modules/stations/stations.queries.js';
import { distanceKm, isOpenAt, openState } from '../../modules/stations/stations.rules.js';
import { openingHoursSchema, stationServiceSchema } from '../../modules/stations/stations.schema.js';
import { type ConvoyDb, type DatabaseHandle, openDatabase } from '../database.js';
import { migrateToLatest } from '../migrate.js';
import { type SeedSummary, seedDemo } from './seed-demo.js';
import { stationCities } from './stations-places.js';

// The demo world's stations on SQLite files, as `npm start` has them. Appeals and activities are left
// out: they do not change what the stations step writes, and take much of a demo seed's time.
const now = new Date('2026-11-25T02:00:00.000Z');
const codec = sensitiveCodec('stations-world test secret, 32+ characters');
const SLOW = 120_000;

const folder = mkdtempSync(join(tmpdir(), 'convoy-stations-'));
const handles: DatabaseHandle[] = [];
async function seeded(name: string, skip: string[]): Promise<{ db: ConvoyDb; summary: SeedSummary & { stations?: number; stationVisits?: number; stationRatings?: number } }> {
  const handle = openDatabase(`sqlite:${join(folder, name)}`);
  handles.push(handle);
  await migrateToLatest(handle.db);
  return { db: handle.db, summary: await seedDemo(handle.db, { now, codec, skip }) };
}
afterAll(async () => {
  for (const handle of handles) await handle.destroy();
  rmSync(folder, { recursive: true, force: true });
});

describe('the stations step at the demo size', () => {
  let db: ConvoyDb;
  let summary: Awaited<ReturnType<typeof seeded>>['summary'];
  beforeAll(async () => {
    ({ db, summary } = await seeded('first.db', ['appeals', 'activities']));
  }, SLOW);

  it('places hundreds of stations in every demo city, each within a few km of one of its districts', async () => {
    const stations = await db.selectFrom('stations').selectAll().orderBy('id').execute();
    expect(summary.stations).toBe(stations.length);
    expect(stations.length).toBeGreaterThanOrEqual(550);
    expect(stations.length).toBeLessThanOrEqual(650);
    for (const city of stationCities) {
      const mine = stations.filter((s) => s.cityCode === city.city);
      expect(mine.length, city.city).toBeGreaterThanOrEqual(city.stations * 0.9);
      for (const s of mine) {
        const nearest = Math.min(...city.districts.map((d) => distanceKm(d.lat, d.lng, s.lat, s.lng)));
        expect(nearest, `${s.name} ${s.lat},${s.lng}`).toBeLessThan(2.6);
      }
    }
    expect(new Set(stations.map((s) => s.name)).size).toBe(stations.length);
    expect(stations.filter((s) => s.unitId === null).every((s) => s.operatorName !== null)).toBe(true);
    expect(stations.every((s) => /^0\d{2,3}-[68]\d{6,7}$/.test(s.contactPhone ?? ''))).toBe(true);
  });

  it('gives every station valid services and hours that fit its kind, with holidays, closures and night hours among them', async () => {
    const stations = await db.selectFrom('stations').selectAll().execute();
    const hours = stations.map((s) => openingHoursSchema.parse(JSON.parse(s.hours)));
    for (const s of stations) for (const service of JSON.parse(s.services) as string[]) stationServiceSchema.parse(service);
    const homes = stations.filter((s) => s.kind === 'driver_home');
    expect(homes.length).toBeGreaterThan(50);
    expect(homes.every((s) => s.platformId !== null)).toBe(true);
    const roundTheClock = homes.filter((s) => openState(JSON.parse(s.hours), 'active', now).openNow && openState(JSON.parse(s.hours), 'active', now).nextChange === null);
    expect(roundTheClock.length / homes.length).toBeGreaterThan(0.4);
    expect(hours.some((h) => h.weekly.mon.some((r) => r.closes <= r.opens))).toBe(true);
    expect(hours.some((h) => h.exceptions.some((e) => e.note === '国庆节'))).toBe(true);
    expect(hours.some((h) => h.exceptions.some((e) => e.ranges.length === 0 && e.from <= '2026-11-25' && e.to >= '2026-11-25'))).toBe(true);
    expect(new Set(stations.map((s) => s.status))).toEqual(new Set(['active', 'suspended', 'closed']));
    expect(new Set(stations.map((s) => s.kind)).size).toBe(5);
  });

  it('records visits at open hours, once per worker, station and day, over the last three months, and ratings from visitors', async () => {
    expect(summary.stationVisits).toBeGreaterThan(5_000);
    const visits = await db.selectFrom('stationVisits as v').innerJoin('stations as s', 's.id', 'v.stationId').select(['v.stationId', 'v.workerId', 'v.visitedOn', 'v.visitedAt', 'v.month', 'v.unitId', 's.unitId as stationUnitId', 's.hours', 's.status']).execute();
    expect(visits).toHaveLength(summary.stationVisits ?? 0);
    expect(new Set(visits.map((v) => `${v.stationId}|${v.workerId}|${v.visitedOn}`)).size).toBe(visits.length);
    const wrong = visits.filter((v) => !isOpenAt(JSON.parse(v.hours), new Date(v.visitedAt)) || v.month !== v.visitedOn.slice(0, 7) || v.unitId !== v.stationUnitId || v.status === 'closed');
    expect(wrong).toEqual([]);
    const months = [...new Set(visits.map((v) => v.month))].sort();
    expect(months).toEqual(['2026-08', '2026-09', '2026-10', '2026-11']);
    const driver = await db.selectFrom('users').select('workerId').where('username', '=', 'driver').executeTakeFirstOrThrow();
    expect(visits.filter((v) => v.workerId === driver.workerId).length).toBeGreaterThanOrEqual(3);
    const ratings = await db.selectFrom('stationRatings').selectAll().execute();
    expect(ratings.length).toBe(summary.stationRatings);
    expect(ratings.length).toBeGreaterThan(100);
    expect(ratings.every((r) => r.stars >= 1 && r.stars <= 5)).toBe(true);
    expect(ratings.some((r) => r.workerId === driver.workerId)).toBe(true);
  });

  it('answers a nearby search in Chengdu with Chengdu stations', async () => {
    const index = new StationIndex(await loadIndexedStations(db));
    const hits = index.nearest({ lat: 30.657, lng: 104.066, limit: 10, services: ['hot_water'] });
    expect(hits).toHaveLength(10);
    const cities = await db.selectFrom('stations').select('cityCode').where('id', 'in', hits.map((h) => h.id)).execute();
    expect(cities.every((c) => c.cityCode === '510100')).toBe(true);
    expect(hits[9]!.distanceKm).toBeLessThan(5);
  });

  it('is fast, and generates the same stations, visits and ratings from the same seed', async () => {
    expect(summary.stepMs.stations).toBeLessThan(10_000);
    // The second world has no demo accounts, so the demo driver's own visits (and nothing else) are missing.
    const { db: again } = await seeded('second.db', ['appeals', 'activities', 'demo-accounts']);
    const content = async (d: ConvoyDb) => ({
      stations: await d.selectFrom('stations').selectAll().orderBy('id').execute(),
      visits: (await d.selectFrom('stationVisits').select(['stationId', 'workerId', 'visitedAt']).orderBy('id').execute()).map((v) => `${v.stationId}|${v.workerId}|${v.visitedAt}`),
    });
    const [a, b] = [await content(db), await content(again)];
    expect(b.stations).toEqual(a.stations);
    expect(a.visits.slice(0, b.visits.length)).toEqual(b.visits);
    expect(a.visits.length - b.visits.length).toBe(3);
  }, SLOW);
});
