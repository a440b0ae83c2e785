// Reads and writes of stations and what hangs on them. JSON columns (services, hours) are parsed here,
// once, so everything above sees typed values; they were validated by the schema when written.
import { type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import type { StationsTable } from '../../db/tables-stations.js';
import type { Database } from '../../db/tables.js';
import { escapeLike, inSubtreePaths } from '../org/org.queries.js';
import type { OpeningHours, StationService } from './stations.schema.js';

type Db = Kysely<Database>;

export type Station = Omit<Selectable<StationsTable>, 'services' | 'hours'> & {
  services: StationService[];
  hours: OpeningHours;
  unitName: string | null;
  unitPath: string | null;
};

type Row = Selectable<StationsTable> & { unitName: string | null; unitPath: string | null };

const toStation = (row: Row): Station => ({ ...row, lat: Number(row.lat), lng: Number(row.lng), services: JSON.parse(row.services) as StationService[], hours: JSON.parse(row.hours) as OpeningHours });

function selectStations(db: Db) {
  return db.selectFrom('stations').leftJoin('orgUnits as u', 'u.id', 'stations.unitId').selectAll('stations').select(['u.name as unitName', 'u.path as unitPath']);
}

export async function findStation(db: Db, id: number): Promise<Station | undefined> {
  const row = await selectStations(db).where('stations.id', '=', id).executeTakeFirst();
  return row ? toStation(row) : undefined;
}

/** Stations by id, in the order of the ids given (the nearby order). */
export async function stationsByIds(db: Db, ids: readonly number[]): Promise<Station[]> {
  if (ids.length === 0) return [];
  const rows = await selectStations(db).where('stations.id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, toStation(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export type StationFilter = {
  unitPath?: string;
  kind?: string;
  status?: string;
  cityCode?: string;
  services?: readonly StationService[];
  q?: string;
  /** GeoJSON and maps: everything that is not closed. */
  excludeClosed?: boolean;
  afterId?: number;
  limit?: number;
};

export async function listStations(db: Db, f: StationFilter): Promise<Station[]> {
  let query = selectStations(db);
  if (f.unitPath !== undefined) query = query.where(inSubtreePaths('u.path', [f.unitPath]));
  if (f.kind) query = query.where('stations.kind', '=', f.kind as Station['kind']);
  if (f.status) query = query.where('stations.status', '=', f.status as Station['status']);
  if (f.excludeClosed) query = query.where('stations.status', '!=', 'closed');
  if (f.cityCode) query = query.where('stations.cityCode', '=', f.cityCode);
  // Services are a JSON array of codes; a quoted code cannot match inside another code.
  for (const service of f.services ?? []) query = query.where('stations.services', 'like', `%"${service}"%`);
  if (f.q) {
    const pattern = `%${escapeLike(f.q.toLowerCase())}%`;
    query = query.where(sql<SqlBool>`(lower(${sql.ref('stations.name')}) like ${pattern} escape '\\' or lower(${sql.ref('stations.address')}) like ${pattern} escape '\\')`);
  }
  if (f.afterId !== undefined) query = query.where('stations.id', '>', f.afterId);
  query = query.orderBy('stations.id');
  if (f.limit !== undefined) query = query.limit(f.limit);
  return (await query.execute()).map(toStation);
}

/**
 * Every station that is not closed, whole (with its unit's name): the index keeps them, so the nearby
 * answers and the map layer are made from memory without reading a row per request.
 */
export async function loadIndexedStations(db: Db): Promise<Station[]> {
  return listStations(db, { excludeClosed: true });
}

/**
 * Count and latest update of the table (every station write changes one of them: stations are never
 * deleted), and the org units' change stamp (bumped by a trigger on a unit's rename or move): the
 * answers made from the index print the running unit's name.
 */
export async function stationsStamp(db: Db): Promise<string> {
  const row = await db
    .selectFrom('stations')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.max('updatedAt').as('latest'),
      eb.selectFrom('changeStamps').select('stamp').where('name', '=', 'org_units').as('units'),
    ])
    .executeTakeFirst();
  return `${Number(row?.n ?? 0)}:${String(row?.latest ?? '')}:${String(row?.units ?? '')}`;
}

export type RatingSummary = { average: number | null; count: number };

export async function ratingSummaryOf(db: Db, stationId: number): Promise<RatingSummary> {
  const row = await db
    .selectFrom('stationRatings')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('stars').as('total')])
    .where('stationId', '=', stationId)
    .executeTakeFirst();
  const count = Number(row?.n ?? 0);
  // Averages are computed from the sum in JS: SQLite and PostgreSQL round avg() differently.
  return { count, average: count === 0 ? null : Math.round((Number(row?.total ?? 0) / count) * 10) / 10 };
}

export async function workerIdOfUser(db: Db, userId: number): Promise<number | null> {
  const user = await db.selectFrom('users').select('workerId').where('id', '=', userId).executeTakeFirst();
  return user?.workerId ?? null;
}

export async function photosOf(db: Db, stationId: number) {
  return db.selectFrom('stationPhotos').select(['id', 'contentType', 'sizeBytes', 'createdAt', 'storageKey']).where('stationId', '=', stationId).orderBy('id').execute();
}

export type VisitRow = { id: number; stationId: number; visitedOn: string; visitedAt: string };

export async function findVisit(db: Db, stationId: number, workerId: number, visitedOn: string): Promise<VisitRow | undefined> {
  return db.selectFrom('stationVisits').select(['id', 'stationId', 'visitedOn', 'visitedAt']).where('stationId', '=', stationId).where('workerId', '=', workerId).where('visitedOn', '=', visitedOn).executeTakeFirst();
}

export type VisitScope = { paths: readonly string[] | 'all'; unitPath?: string; months: readonly string[] };

/** Person-times per station and month over the stations whose (visit-time) unit lies in scope. */
export async function visitCells(db: Db, scope: VisitScope) {
  let query = db
    .selectFrom('stationVisits as v')
    .innerJoin('stations as s', 's.id', 'v.stationId')
    .leftJoin('orgUnits as u', 'u.id', 'v.unitId')
    .select((eb) => ['v.stationId', 's.name', 'v.unitId', 'v.month', eb.fn.countAll<number>().as('visits')])
    .where('v.month', 'in', [...scope.months])
    .groupBy(['v.stationId', 's.name', 'v.unitId', 'v.month']);
  if (scope.paths !== 'all') query = query.where(inSubtreePaths('u.path', scope.paths));
  if (scope.unitPath !== undefined) query = query.where(inSubtreePaths('u.path', [scope.unitPath]));
  const rows = await query.execute();
  return rows.map((r) => ({ stationId: r.stationId, name: r.name, unitId: r.unitId, month: r.month, visits: Number(r.visits) }));
}

/** Distinct workers per month in scope (a worker visiting two stations counts once a month). */
export async function workersPerMonth(db: Db, scope: VisitScope): Promise<Map<string, number>> {
  let query = db
    .selectFrom('stationVisits as v')
    .leftJoin('orgUnits as u', 'u.id', 'v.unitId')
    .select((eb) => ['v.month', eb.fn.count<number>('v.workerId').distinct().as('workers')])
    .where('v.month', 'in', [...scope.months])
    .groupBy('v.month');
  if (scope.paths !== 'all') query = query.where(inSubtreePaths('u.path', scope.paths));
  if (scope.unitPath !== undefined) query = query.where(inSubtreePaths('u.path', [scope.unitPath]));
  return new Map((await query.execute()).map((r) => [r.month, Number(r.workers)]));
}
