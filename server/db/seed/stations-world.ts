// The demo's service stations: about 600 across the eight demo cities, placed around real districts,
// named as such places are named in China, with services and hours that fit their kind (most driver
// homes open round the clock, outdoor-worker stations 08:00–20:00, some through the night), national
// holidays, a few temporary closures, and who runs each: the city committee, a platform committee or
// branch, or a partner. Visits and ratings follow in stations-visits.ts. Own random streams throughout.
import { type Kysely, sql } from 'kysely';
import { chinaDate } from '../../core/clock.js';
import type { HoursException, OpeningHours, StationKindCode, StationService, TimeRange, WeeklyHours } from '../../modules/stations/stations.schema.js';
import { engineOf } from '../engine.js';
import type { StationStatus } from '../tables-stations.js';
import type { Database } from '../tables.js';
import { insertRows } from './bulk-insert.js';
import { type OrgWorld, type SeedUnit, timeOn } from './org-world.js';
import { seedPlatforms } from './platforms.js';
import { Random, addDays } from './random.js';
import { type SeedCityPlaces, closureNotes, partnerShops, stationCities } from './stations-places.js';
import { seedStationVisits } from './stations-visits.js';

type Db = Kysely<Database>;

export type StationsSummary = { stations: number; stationVisits: number; stationRatings: number };

export type StationsInput = {
  db: Db;
  seed: number;
  now: Date;
  world: OrgWorld;
  platformIds: ReadonlyMap<string, number>;
  size: 'demo' | 'bench' | 'custom';
  /** The demo driver's account: a few visits and a rating of his own, to show on his phone page. */
  users?: { driver?: number };
  /** How many stations in all, shared among the cities in proportion to their markets; by size otherwise. */
  count?: number;
};

/** A stations row as inserted, plus what the visits step needs in memory. */
export type SeedStation = {
  row: Record<(typeof stationColumns)[number], string | number | null>;
  id: number;
  kind: StationKindCode;
  cityCode: string;
  unitId: number | null;
  status: StationStatus;
  hours: OpeningHours;
  createdDay: string;
};

export const stationColumns = [
  'id', 'name', 'kind', 'unitId', 'operatorName', 'platformId', 'cityCode', 'address', 'lat', 'lng', 'services', 'hours',
  'capacity', 'contactPhone', 'description', 'status', 'statusNote', 'closedAt', 'createdBy', 'createdAt', 'updatedAt',
] as const;

const scaleOf = (size: StationsInput['size']) => (size === 'demo' ? 1 : size === 'bench' ? 20 : 0.25);
const kindWeights: [StationKindCode, number][] = [['outdoor_worker_station', 40], ['union_station', 20], ['driver_home', 15], ['partner_shop', 15], ['community_centre', 10]];

const range = (opens: string, closes: string): TimeRange => ({ opens, closes });
const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const daily = (...ranges: TimeRange[]): WeeklyHours => Object.fromEntries(days.map((d) => [d, ranges])) as WeeklyHours;
const workdays = (weekday: TimeRange[], sat: TimeRange[], sun: TimeRange[]): WeeklyHours => ({ mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat, sun });

function weeklyFor(kind: StationKindCode, rng: Random): WeeklyHours {
  const r = rng.next();
  switch (kind) {
    case 'driver_home':
      return r < 0.6 ? daily(range('00:00', '24:00')) : r < 0.85 ? daily(range('07:00', '23:00')) : daily(range('18:00', '08:00'));
    case 'outdoor_worker_station':
      // The split days follow delivery riders' meal peaks and carry the evening shift past midnight.
      return r < 0.5 ? daily(range('08:00', '20:00')) : r < 0.7 ? daily(range('07:00', '21:00')) : r < 0.85 ? daily(range('00:00', '24:00')) : daily(range('10:00', '14:00'), range('17:00', '02:00'));
    case 'union_station':
      return r < 0.6 ? daily(range('09:00', '21:00')) : workdays([range('08:30', '18:00')], [range('09:00', '17:00')], [range('09:00', '17:00')]);
    case 'partner_shop':
      return r < 0.6 ? daily(range('07:00', '22:00')) : r < 0.8 ? daily(range('00:00', '24:00')) : daily(range('06:30', '23:30'));
    case 'community_centre':
      return workdays([range('09:00', '18:00')], [range('09:00', '12:00')], []);
  }
}

/** New Year, Labour Day and National Day of this year and next, closed (offices and union stations). */
function holidays(year: number): HoursException[] {
  return [year, year + 1].flatMap((y) => [
    { from: `${y}-01-01`, to: `${y}-01-01`, ranges: [], note: '元旦' },
    { from: `${y}-05-01`, to: `${y}-05-05`, ranges: [], note: '劳动节' },
    { from: `${y}-10-01`, to: `${y}-10-07`, ranges: [], note: '国庆节' },
  ]);
}

function exceptionsFor(kind: StationKindCode, today: string, rng: Random): HoursException[] {
  const list = kind === 'community_centre' || (kind === 'union_station' && rng.chance(0.5)) ? holidays(Number(today.slice(0, 4))) : [];
  if (rng.chance(0.04)) list.push({ from: addDays(today, -rng.int(0, 5)), to: addDays(today, rng.int(3, 20)), ranges: [], note: rng.pick(closureNotes) });
  if (rng.chance(0.05)) {
    const day = addDays(today, rng.int(1, 14));
    list.push({ from: day, to: day, ranges: [range('10:00', '16:00')], note: '举办活动，缩短开放时间' });
  }
  return list;
}

const baseServices: Record<StationKindCode, StationService[]> = {
  driver_home: ['rest_seats', 'hot_water', 'microwave', 'phone_charging', 'toilet', 'wifi', 'first_aid_kit'],
  outdoor_worker_station: ['rest_seats', 'hot_water', 'microwave', 'phone_charging', 'toilet', 'first_aid_kit'],
  union_station: ['rest_seats', 'hot_water', 'microwave', 'phone_charging', 'toilet', 'first_aid_kit', 'wifi'],
  partner_shop: ['rest_seats', 'hot_water', 'phone_charging'],
  community_centre: ['rest_seats', 'hot_water', 'toilet', 'wifi', 'first_aid_kit'],
};
const extraServices: Record<StationKindCode, [StationService, number][]> = {
  driver_home: [['ev_charging', 0.6], ['shower', 0.35], ['aed', 0.3], ['truck_parking', 0.2]],
  outdoor_worker_station: [['ebike_battery', 0.45], ['wifi', 0.5], ['aed', 0.1]],
  union_station: [['ebike_battery', 0.5], ['aed', 0.2], ['shower', 0.1]],
  partner_shop: [['toilet', 0.5], ['microwave', 0.4], ['ebike_battery', 0.2], ['first_aid_kit', 0.3]],
  community_centre: [['aed', 0.5], ['shower', 0.2], ['microwave', 0.5], ['phone_charging', 0.8]],
};
const capacityOf: Record<StationKindCode, [number, number]> = { driver_home: [20, 80], outdoor_worker_station: [6, 20], union_station: [8, 30], partner_shop: [4, 10], community_centre: [20, 60] };

function servicesFor(kind: StationKindCode, freight: boolean, rng: Random): StationService[] {
  const chosen = new Set(baseServices[kind].filter(() => rng.chance(0.92)));
  for (const [service, p] of extraServices[kind]) if (rng.chance(service === 'truck_parking' && freight ? 0.9 : p)) chosen.add(service);
  return [...chosen];
}

/** A normally distributed offset (Box–Muller), cut at 2.5 km so no station drifts out of its district. */
function offsetKm(rng: Random, sigma: number): [number, number] {
  const radius = Math.min(sigma * Math.sqrt(-2 * Math.log(1 - rng.next())), 2.5);
  const angle = 2 * Math.PI * rng.next();
  return [radius * Math.cos(angle), radius * Math.sin(angle)];
}

function phoneOf(areaCode: string, rng: Random): string {
  // Three-digit area codes (big cities) have eight-digit numbers, four-digit ones seven.
  const length = areaCode.length === 3 ? 8 : 7;
  let digits = String(rng.pick([6, 8]));
  while (digits.length < length) digits += String(rng.int(0, 9));
  return `${areaCode}-${digits}`;
}

type CityUnits = { committee: SeedUnit | null; platformCommittees: SeedUnit[]; branches: SeedUnit[] };

function unitsOf(world: OrgWorld, city: string): CityUnits | null {
  const open = world.units.filter((u) => u.cityCode === city && u.closedOn === null);
  if (open.length === 0) return null;
  return { committee: open.find((u) => u.kind === 'industry_committee') ?? null, platformCommittees: open.filter((u) => u.kind === 'platform_committee'), branches: open.filter((u) => u.kind === 'mobile_branch') };
}

export function buildStations(input: StationsInput, firstId: number): SeedStation[] {
  const rng = Random.stream(input.seed, 'stations');
  const today = chinaDate(input.now);
  const codeOfPlatform = new Map([...input.platformIds].map(([code, id]) => [id, code]));
  const stations: SeedStation[] = [];
  const names = new Set<string>();
  let id = firstId;
  const present = stationCities.flatMap((city) => {
    const units = unitsOf(input.world, city.city);
    return units ? [{ city, units }] : [];
  });
  const counts = stationCounts(present.map((p) => p.city.stations), input.count, scaleOf(input.size));
  present.forEach(({ city, units }, c) => {
    for (let i = 0; i < (counts[c] as number); i++) stations.push(buildStation(input, rng, city, units, codeOfPlatform, names, today, id++));
  });
  return stations;
}

/** Stations per city: the size's share of each market, or exactly `total` split by market (largest remainders). */
function stationCounts(markets: readonly number[], total: number | undefined, scale: number): number[] {
  if (total === undefined) return markets.map((m) => Math.max(1, Math.round(m * scale)));
  const sum = markets.reduce((a, b) => a + b, 0);
  const exact = markets.map((m) => (total * m) / sum);
  const counts = exact.map(Math.floor);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < total - counts.reduce((a, b) => a + b, 0); k++) counts[byRemainder[k % counts.length]![1]]! += 1;
  return counts;
}

function buildStation(input: StationsInput, rng: Random, city: SeedCityPlaces, units: CityUnits, codeOfPlatform: Map<number, string>, names: Set<string>, today: string, id: number): SeedStation {
  const district = rng.pick(city.districts);
  const place = rng.pick(district.places);
  // Driver homes belong to a platform whose drivers need them: ride-hailing, freight, designated drivers.
  const driverPlatforms = units.platformCommittees.filter((u) => ['ride_hailing', 'freight', 'other'].includes(seedPlatforms.find((p) => p.code === codeOfPlatform.get(u.platformId ?? -1))?.workType ?? ''));
  let kind = rng.weightedPick(kindWeights.map(([k]) => k), kindWeights.map(([, w]) => w));
  if (kind === 'driver_home' && driverPlatforms.length === 0) kind = 'outdoor_worker_station';
  let unit: SeedUnit | null = units.committee ?? units.platformCommittees[0] ?? units.branches[0] ?? null;
  let platformId: number | null = null;
  let operatorName: string | null = null;
  let baseName: string;
  let freight = false;
  switch (kind) {
    case 'driver_home': {
      const committee = rng.pick(driverPlatforms);
      const platform = seedPlatforms.find((p) => p.code === codeOfPlatform.get(committee.platformId ?? -1));
      freight = platform?.workType === 'freight';
      platformId = committee.platformId;
      const ownBranches = units.branches.filter((b) => b.path.startsWith(committee.path));
      unit = ownBranches.length > 0 && rng.chance(0.4) ? rng.pick(ownBranches) : committee;
      baseName = `${platform?.name ?? ''}司机之家（${district.name}${place}店）`;
      break;
    }
    case 'outdoor_worker_station':
      operatorName = rng.chance(0.6) ? `${district.name}总工会` : `${place}街道办事处`;
      baseName = `户外劳动者服务站（${place}）`;
      break;
    case 'union_station':
      operatorName = `${district.name}总工会`;
      baseName = `工会驿站（${place}）`;
      break;
    case 'partner_shop': {
      operatorName = `${place}${rng.pick(partnerShops)}`;
      baseName = `爱心驿站·${operatorName}`;
      // Delivery and courier branches recruit the shops on their riders' routes; some are kept centrally.
      if (units.branches.length > 0 && rng.chance(0.5)) unit = rng.pick(units.branches);
      if (rng.chance(0.08)) unit = null;
      break;
    }
    case 'community_centre':
      operatorName = `${place}社区居委会`;
      baseName = `${place}社区党群服务中心（新就业群体服务站）`;
      break;
  }
  let name = baseName;
  for (let n = 2; names.has(name); n++) name = baseName.endsWith('）') ? baseName.replace(/）$/, `${n}号点）`) : `${baseName}（${n}号点）`;
  names.add(name);
  const [eastKm, northKm] = offsetKm(rng, 1.2);
  const lat = Math.round((district.lat + northKm / 111.195) * 1e6) / 1e6;
  const lng = Math.round((district.lng + eastKm / (111.195 * Math.cos((district.lat * Math.PI) / 180))) * 1e6) / 1e6;
  const hours: OpeningHours = { weekly: weeklyFor(kind, rng), exceptions: exceptionsFor(kind, today, rng) };
  const createdDay = rng.dateBetween(addDays(today, -3 * 365), addDays(today, -30));
  const createdAt = timeOn(createdDay, rng);
  const roll = rng.next();
  const status: StationStatus = roll < 0.02 ? 'closed' : roll < 0.04 ? 'suspended' : 'active';
  const closedAt = status === 'closed' ? timeOn(rng.dateBetween(createdDay, addDays(today, -7)), rng) : null;
  const [minCapacity, maxCapacity] = capacityOf[kind];
  const row = {
    id,
    name,
    kind,
    unitId: unit?.id ?? null,
    // A station without a unit is kept centrally; its partner must be named.
    operatorName: unit === null && operatorName === null ? `${district.name}总工会` : operatorName,
    platformId,
    cityCode: city.city,
    address: `${district.name}${place}${rng.int(1, 399)}号`,
    lat,
    lng,
    services: JSON.stringify(servicesFor(kind, freight, rng)),
    hours: JSON.stringify(hours),
    capacity: rng.int(minCapacity, maxCapacity),
    contactPhone: phoneOf(city.areaCode, rng),
    description: null,
    status,
    statusNote: status === 'closed' ? '场地到期，已撤站' : status === 'suspended' ? '装修升级，暂停开放' : null,
    closedAt,
    createdBy: null,
    createdAt,
    updatedAt: closedAt ?? createdAt,
  };
  return { row, id, kind, cityCode: city.city, unitId: row.unitId, status, hours, createdDay };
}

/** Writes the stations, then their visits and ratings; returns the counts. */
export async function seedStations(input: StationsInput): Promise<StationsSummary> {
  const { db } = input;
  const max = await db.selectFrom('stations').select((eb) => eb.fn.max('id').as('maxId')).executeTakeFirst();
  const stations = buildStations(input, Number(max?.maxId ?? 0) + 1);
  if (stations.length === 0) return { stations: 0, stationVisits: 0, stationRatings: 0 };
  await db.transaction().execute(async (trx) => {
    await insertRows(trx, 'stations', stationColumns, stations.map((s) => s.row));
    // Explicit ids do not advance a serial's sequence on PostgreSQL; SQLite's autoincrement follows max(id).
    if (engineOf(trx) === 'postgres') await sql`select setval(pg_get_serial_sequence('stations', 'id'), (select max(id) from stations))`.execute(trx);
  });
  const feedback = await seedStationVisits(input, stations);
  return { stations: stations.length, ...feedback };
}
