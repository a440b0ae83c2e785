// The last three months of check-ins at the demo's stations, by workers of the same city, each at a
// time the station was open (by the same rules the server applies), at most one per worker, station and
// day; and ratings from some of those who came. Nothing when the people step did not run.
import type { Kysely } from 'kysely';
import { chinaDate } from '../../core/clock.js';
import { isOpenAt, monthOf } from '../../modules/stations/stations.rules.js';
import { rebuildAllVisitRollup } from '../../modules/stations/stations.visit-rollup.js';
import type { StationKindCode } from '../../modules/stations/stations.schema.js';
import type { Database } from '../tables.js';
import { insertRows } from './bulk-insert.js';
import { Random, addDays, epochDay } from './random.js';
import { ratingComments } from './stations-places.js';
import type { SeedStation, StationsInput } from './stations-world.js';

type Db = Kysely<Database>;
type Worker = { id: number; userId: number | null };
type Visit = { stationId: number; workerId: number; userId: number | null; unitId: number | null; visitedOn: string; month: string; visitedAt: string };

// Visits a day by kind: a driver home is busiest, a partner shop's corner quietest.
const visitsPerDay: Record<StationKindCode, number> = { driver_home: 1.2, outdoor_worker_station: 0.6, union_station: 0.5, partner_shop: 0.2, community_centre: 0.3 };
const WORKERS_PER_CITY = 2_000;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Knuth's method: fine for the small means here. */
function poisson(rng: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k += 1;
    p *= rng.next();
  }
  return k;
}

async function workersByCity(db: Db, cities: readonly string[]): Promise<Map<string, Worker[]>> {
  const pools = new Map<string, Worker[]>();
  for (const city of cities) {
    const rows = await db.selectFrom('workers').select(['id', 'userId']).where('cityCode', '=', city).where('status', '=', 'active').orderBy('id').limit(WORKERS_PER_CITY).execute();
    if (rows.length > 0) pools.set(city, rows);
  }
  return pools;
}

export async function seedStationVisits(input: StationsInput, stations: readonly SeedStation[]): Promise<{ stationVisits: number; stationRatings: number }> {
  const { db } = input;
  const pools = await workersByCity(db, [...new Set(stations.map((s) => s.cityCode))]);
  if (pools.size === 0) return { stationVisits: 0, stationRatings: 0 };
  const rng = Random.stream(input.seed, 'station-visits');
  const today = chinaDate(input.now);
  const windowDays = input.size === 'bench' ? 14 : 90;
  const seen = new Set<string>();
  const visits: Visit[] = [];

  const visit = (station: SeedStation, worker: Worker, day: string, tries = 4): Visit | null => {
    const key = `${station.id}|${worker.id}|${day}`;
    if (seen.has(key)) return null;
    const midnight = epochDay(day) * DAY_MS - CHINA_OFFSET_MS;
    for (let t = 0; t < tries; t++) {
      const at = new Date(midnight + rng.int(0, 24 * 60 - 1) * 60_000 + rng.int(0, 59) * 1000);
      if (!isOpenAt(station.hours, at)) continue;
      seen.add(key);
      return { stationId: station.id, workerId: worker.id, userId: worker.userId, unitId: station.unitId, visitedOn: day, month: monthOf(day), visitedAt: at.toISOString() };
    }
    return null;
  };

  const visitorsOf = new Map<number, Visit[]>();
  for (const station of stations) {
    const pool = pools.get(station.cityCode);
    if (!pool || station.status === 'closed') continue;
    const mine: Visit[] = [];
    const first = station.createdDay > addDays(today, -windowDays) ? station.createdDay : addDays(today, -windowDays);
    for (let day = first; day < today; day = addDays(day, 1)) {
      const n = poisson(rng, visitsPerDay[station.kind]);
      for (let k = 0; k < n; k++) {
        const made = visit(station, rng.pick(pool), day);
        if (made) mine.push(made);
      }
    }
    visits.push(...mine);
    visitorsOf.set(station.id, mine);
  }

  // The demo driver has been to three Chengdu stations lately, so his phone page has a history.
  const driver = input.users?.driver === undefined ? undefined : await db.selectFrom('users').select(['id', 'workerId']).where('id', '=', input.users.driver).executeTakeFirst();
  const ownVisits: Visit[] = [];
  if (driver?.workerId) {
    const near = stations.filter((s) => s.cityCode === '510100' && s.status === 'active' && s.kind !== 'community_centre').slice(0, 3);
    near.forEach((station, i) => {
      const made = visit(station, { id: driver.workerId as number, userId: driver.id }, addDays(today, -(2 + i * 4)), 48);
      if (made) ownVisits.push(made);
    });
    visits.push(...ownVisits);
  }

  const ratings = buildRatings(rng, stations, visitorsOf, driver?.workerId ? { workerId: driver.workerId, visits: ownVisits } : null);
  await db.transaction().execute(async (trx) => {
    await insertRows(trx, 'stationVisits', ['stationId', 'workerId', 'userId', 'unitId', 'visitedOn', 'month', 'visitedAt'], visits);
    await insertRows(trx, 'stationRatings', ['stationId', 'workerId', 'stars', 'comment', 'createdAt', 'updatedAt'], ratings);
    // The visits went in directly: the figures' rollup is counted from them once, as after any bulk load.
    await rebuildAllVisitRollup(trx);
  });
  return { stationVisits: visits.length, stationRatings: ratings.length };
}

type Rating = { stationId: number; workerId: number; stars: number; comment: string | null; createdAt: string; updatedAt: string };

function buildRatings(rng: Random, stations: readonly SeedStation[], visitorsOf: Map<number, Visit[]>, driver: { workerId: number; visits: Visit[] } | null): Rating[] {
  const ratings: Rating[] = [];
  const rate = (visit: Visit, stars: number) => {
    const comment = rng.chance(0.35) ? rng.pick(ratingComments[stars >= 4 ? 'good' : 'bad']) : null;
    // Rated within a few hours of the visit.
    const at = new Date(Date.parse(visit.visitedAt) + rng.int(5, 300) * 60_000).toISOString();
    ratings.push({ stationId: visit.stationId, workerId: visit.workerId, stars, comment, createdAt: at, updatedAt: at });
  };
  for (const station of stations) {
    const visits = visitorsOf.get(station.id) ?? [];
    // Most people never rate; about one visitor in twelve does, once.
    const rated = new Set<number>();
    const wanted = Math.min(poisson(rng, visits.length / 12), 40);
    for (const v of visits) {
      if (rated.size >= wanted) break;
      if (rated.has(v.workerId) || !rng.chance(0.3)) continue;
      rated.add(v.workerId);
      rate(v, rng.weightedPick([1, 2, 3, 4, 5], [3, 5, 15, 37, 40]));
    }
  }
  const first = driver?.visits[0];
  if (driver && first && !ratings.some((r) => r.stationId === first.stationId && r.workerId === driver.workerId)) rate(first, 5);
  return ratings;
}
