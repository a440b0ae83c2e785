// The visit figures' answer: the totals of a scope's window and one page of its stations, most
// person-times first. One subtree (a unit, everything, or a single grant) reads a bounded number of
// pre-aggregated rows: the window's months, its station count and `limit` rank rows, then the cells of
// those stations. Several disjoint grants cannot share rank rows (a station handed from one to another
// counts in both), so their stations are summed and sorted from the cells, as before the ranks.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.js';
import { unitIdOf } from '../org/org.rules.js';
import { cellRowsQuery, EVERYTHING, monthRowsQuery, outermost, visitSummaryRows } from './stations.visit-rollup.js';
import { type RankCursor, type RankedStation, rankedStations, type VisitWindow, windowStationsQuery } from './stations.visit-ranks.js';

type Db = Kysely<Database>;

export type VisitSummaryRequest = { roots: readonly string[] | 'all'; months: readonly string[]; window: VisitWindow; after: RankCursor | null; limit: number };

export type VisitSummaryFigures = {
  total: number;
  stationsVisited: number;
  byMonth: { month: string; visits: number; workers: number }[];
  /** One more than the page when another page follows. */
  stations: RankedStation[];
  cells: { stationId: number; month: string; visits: number }[];
};

/** The figures' order: most person-times first, then the lower station id. */
const inOrder = (a: RankCursor, b: RankCursor) => b.visits - a.visits || a.stationId - b.stationId;

/** Person-times per station and month of the page's stations (a station handed over has a cell per unit). */
function cellsOf(rows: readonly { stationId: number; month: string; visits: number | string }[], stationIds: ReadonlySet<number>) {
  const byKey = new Map<string, { stationId: number; month: string; visits: number }>();
  for (const row of rows) {
    if (!stationIds.has(row.stationId)) continue;
    const key = `${row.stationId}|${row.month}`;
    const cell = byKey.get(key) ?? { stationId: row.stationId, month: row.month, visits: 0 };
    cell.visits += Number(row.visits);
    byKey.set(key, cell);
  }
  return [...byKey.values()].sort((a, b) => a.stationId - b.stationId || a.month.localeCompare(b.month));
}

async function oneScope(db: Db, scopeId: number, request: VisitSummaryRequest): Promise<VisitSummaryFigures> {
  const { months, window, after, limit } = request;
  const monthRows = await monthRowsQuery(db, scopeId, months).execute();
  const byMonth = new Map(monthRows.map((m) => [m.month, { visits: Number(m.visits), workers: Number(m.workers) }]));
  const counted = await windowStationsQuery(db, scopeId, window).executeTakeFirst();
  const stations = await rankedStations(db, scopeId, window, after, limit + 1);
  const pageIds = new Set(stations.slice(0, limit).map((s) => s.stationId));
  const cellRows = pageIds.size > 0 ? await cellRowsQuery(db, [scopeId], months, [...pageIds]).execute() : [];
  return {
    total: months.reduce((sum, month) => sum + (byMonth.get(month)?.visits ?? 0), 0),
    stationsVisited: Number(counted?.stations ?? 0),
    byMonth: months.map((month) => ({ month, visits: byMonth.get(month)?.visits ?? 0, workers: byMonth.get(month)?.workers ?? 0 })),
    stations,
    cells: cellsOf(cellRows, pageIds),
  };
}

async function severalScopes(db: Db, roots: readonly string[], request: VisitSummaryRequest): Promise<VisitSummaryFigures> {
  const { months, after, limit } = request;
  const { cells, workers } = await visitSummaryRows(db, roots, months);
  const byStation = new Map<number, RankedStation>();
  const visitsByMonth = new Map<string, number>();
  for (const cell of cells) {
    const station = byStation.get(cell.stationId) ?? { stationId: cell.stationId, name: cell.name, unitId: null, visits: 0 };
    station.visits += cell.visits;
    byStation.set(cell.stationId, station);
    visitsByMonth.set(cell.month, (visitsByMonth.get(cell.month) ?? 0) + cell.visits);
  }
  const ordered = [...byStation.values()].sort(inOrder);
  const from = after ? ordered.findIndex((s) => inOrder(s, after) > 0) : 0;
  const stations = from < 0 ? [] : ordered.slice(from, from + limit + 1);
  // The unit shown is the station's own today, as on the one-scope path.
  const units = stations.length > 0 ? await db.selectFrom('stations').select(['id', 'unitId']).where('id', 'in', stations.map((s) => s.stationId)).execute() : [];
  const unitOf = new Map(units.map((u) => [u.id, u.unitId]));
  return {
    total: cells.reduce((sum, c) => sum + c.visits, 0),
    stationsVisited: byStation.size,
    byMonth: months.map((month) => ({ month, visits: visitsByMonth.get(month) ?? 0, workers: workers.get(month) ?? 0 })),
    stations: stations.map((s) => ({ ...s, unitId: unitOf.get(s.stationId) ?? null })),
    cells: cellsOf(cells, new Set(stations.slice(0, limit).map((s) => s.stationId))),
  };
}

/** The figures of the subtrees under `roots` ('all': everything) for the request's window and page. */
export async function visitSummary(db: Db, request: VisitSummaryRequest): Promise<VisitSummaryFigures> {
  const outer = request.roots === 'all' ? 'all' : outermost(request.roots);
  if (outer === 'all') return oneScope(db, EVERYTHING, request);
  if (outer.length === 1) return oneScope(db, unitIdOf(outer[0]!), request);
  return severalScopes(db, outer, request);
}
