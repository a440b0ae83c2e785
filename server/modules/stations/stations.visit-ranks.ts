// The stations of a scope in the order the visit figures list them — most person-times first, then the
// older station (lower id) — for a window of one month or the last twelve, kept as rows in that order
// (migration 2026-12-05T1540-station-visit-ranks), so a page reads `limit` rows whatever the subtree's size.
// A visit in month m counts in (1, m) and in (12, m … m+11): the twelve-month windows still to come are
// counted ahead, so the window ending this month is complete however the clock has moved since.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/tables.js';

type VisitRankTables = {
  stationVisitRanks: { scopeUnitId: number; months: number; lastMonth: string; stationId: number; visits: number };
  stationVisitWindows: { scopeUnitId: number; months: number; lastMonth: string; stations: number };
};

type Db = Kysely<Database>;
const ranks = (db: Db) => db.withTables<VisitRankTables>();

/** The default window of the figures: the last twelve months. */
export const YEAR = 12;

/** `months` months ending with `lastMonth` ('YYYY-MM'). */
export type VisitWindow = { months: 1 | typeof YEAR; lastMonth: string };

/** 'YYYY-MM' plus n months. */
export function monthPlus(month: string, n: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m - 1 + n, 1)).toISOString().slice(0, 7);
}

/** Every window a visit in `month` counts in. */
function windowsOf(month: string): VisitWindow[] {
  return [{ months: 1, lastMonth: month }, ...Array.from({ length: YEAR }, (_, i): VisitWindow => ({ months: YEAR, lastMonth: monthPlus(month, i) }))];
}

/**
 * Counts one visit to `stationId` in `month` for the given scopes, in the check-in's transaction (after the
 * month rows, whose locks already queue concurrent check-ins on PostgreSQL). A rank row the upsert creates
 * holds 1: that station is new to the window, and the window's station count grows by one.
 */
export async function countVisitInRanks(trx: Db, scopes: readonly number[], stationId: number, month: string): Promise<void> {
  const windows = windowsOf(month);
  const counted = await ranks(trx)
    .insertInto('stationVisitRanks')
    .values(scopes.flatMap((scopeUnitId) => windows.map((w) => ({ scopeUnitId, ...w, stationId, visits: 1 }))))
    .onConflict((oc) => oc.columns(['scopeUnitId', 'months', 'lastMonth', 'stationId']).doUpdateSet((eb) => ({ visits: eb(eb.ref('stationVisitRanks.visits'), '+', 1) })))
    .returning(['scopeUnitId', 'months', 'lastMonth', 'visits'])
    .execute();
  const newStations = counted.filter((row) => Number(row.visits) === 1).map(({ scopeUnitId, months, lastMonth }) => ({ scopeUnitId, months, lastMonth, stations: 1 }));
  if (newStations.length === 0) return;
  await ranks(trx)
    .insertInto('stationVisitWindows')
    .values(newStations)
    .onConflict((oc) => oc.columns(['scopeUnitId', 'months', 'lastMonth']).doUpdateSet((eb) => ({ stations: eb(eb.ref('stationVisitWindows.stations'), '+', 1) })))
    .execute();
}

/** Rewrites the given scopes' rank rows ('all': every row) from their cells, which must be current. */
export async function rebuildVisitRanks(db: Db, scopeIds: readonly number[] | 'all'): Promise<void> {
  if (scopeIds !== 'all' && scopeIds.length === 0) return;
  const only = (column: string) => (scopeIds === 'all' ? sql`` : sql`where ${sql.ref(column)} in (${sql.join(scopeIds)})`);
  let deleteRanks = ranks(db).deleteFrom('stationVisitRanks');
  let deleteWindows = ranks(db).deleteFrom('stationVisitWindows');
  if (scopeIds !== 'all') {
    deleteRanks = deleteRanks.where('scopeUnitId', 'in', [...scopeIds]);
    deleteWindows = deleteWindows.where('scopeUnitId', 'in', [...scopeIds]);
  }
  await deleteRanks.execute();
  await deleteWindows.execute();
  const { rows } = await sql<{ month: string }>`select distinct month from station_visit_cells ${only('scope_unit_id')}`.execute(db);
  if (rows.length === 0) return;
  // Each month with the twelve windows it counts in, as a derived table both engines read alike.
  const spans = rows.flatMap(({ month }) => Array.from({ length: YEAR }, (_, i) => sql`select cast(${month} as text) as month, cast(${monthPlus(month, i)} as text) as last_month`));
  await sql`insert into station_visit_ranks (scope_unit_id, months, last_month, station_id, visits)
    select scope_unit_id, 1, month, station_id, sum(visits) from station_visit_cells ${only('scope_unit_id')} group by scope_unit_id, month, station_id`.execute(db);
  await sql`insert into station_visit_ranks (scope_unit_id, months, last_month, station_id, visits)
    select c.scope_unit_id, ${sql.lit(YEAR)}, w.last_month, c.station_id, sum(c.visits) from station_visit_cells c join (${sql.join(spans, sql` union all `)}) w on w.month = c.month
    ${only('c.scope_unit_id')} group by c.scope_unit_id, w.last_month, c.station_id`.execute(db);
  await sql`insert into station_visit_windows (scope_unit_id, months, last_month, stations)
    select scope_unit_id, months, last_month, count(*) from station_visit_ranks ${only('scope_unit_id')} group by scope_unit_id, months, last_month`.execute(db);
}

/** Where a page starts: after this station of the order (the last one of the page before). */
export type RankCursor = { visits: number; stationId: number };

const pageColumns = ['r.stationId', 's.name', 's.unitId', 'r.visits'] as const;
const ofWindow = (db: Db, scopeId: number, window: VisitWindow) =>
  ranks(db)
    .selectFrom('stationVisitRanks as r')
    .innerJoin('stations as s', 's.id', 'r.stationId')
    .select(pageColumns)
    .where('r.scopeUnitId', '=', scopeId)
    .where('r.months', '=', window.months)
    .where('r.lastMonth', '=', window.lastMonth);

/** The stations tied with the cursor's and after it: the rest of its tie, in station order. */
export function tiedStationsQuery(db: Db, scopeId: number, window: VisitWindow, after: RankCursor, limit: number) {
  return ofWindow(db, scopeId, window).where('r.visits', '=', after.visits).where('r.stationId', '>', after.stationId).orderBy('r.stationId').limit(limit);
}

/** The stations with fewer person-times than the cursor's (all of them without one), in the figures' order. */
export function rankedStationsQuery(db: Db, scopeId: number, window: VisitWindow, below: number | null, limit: number) {
  const query = ofWindow(db, scopeId, window);
  return (below === null ? query : query.where('r.visits', '<', below)).orderBy('r.visits', 'desc').orderBy('r.stationId').limit(limit);
}

export type RankedStation = { stationId: number; name: string; unitId: number | null; visits: number };

/**
 * Up to `limit` stations of the scope's window from the cursor on. The order is read from the index in two
 * walks — the rest of the cursor's tie, then the lower counts — each stopping after the page, since one
 * walk over "fewer, or as many and a higher id" would read the whole tie first (thousands of stations
 * share one or two person-times in a large subtree).
 */
export async function rankedStations(db: Db, scopeId: number, window: VisitWindow, after: RankCursor | null, limit: number): Promise<RankedStation[]> {
  const tied = after ? await tiedStationsQuery(db, scopeId, window, after, limit).execute() : [];
  const rest = tied.length < limit ? await rankedStationsQuery(db, scopeId, window, after?.visits ?? null, limit - tied.length).execute() : [];
  return [...tied, ...rest].map((r) => ({ stationId: r.stationId, name: r.name, unitId: r.unitId, visits: Number(r.visits) }));
}

/** How many stations had a visit in the scope's window. */
export function windowStationsQuery(db: Db, scopeId: number, window: VisitWindow) {
  return ranks(db).selectFrom('stationVisitWindows').select('stations').where('scopeUnitId', '=', scopeId).where('months', '=', window.months).where('lastMonth', '=', window.lastMonth);
}
