// Visit figures from pre-aggregated rows, so a summary reads months × stations rows of one scope however
// many visits lie beneath it. A visit counts for every ancestor-or-self of the unit that ran the station
// and for EVERYTHING (migration 2026-12-05T1230-station-visit-rollup describes the tables). The rows are
// derived: added to in the check-in's transaction, rebuilt for the old and new ancestors after an org
// move, rebuilt whole after a bulk load that wrote visits directly (the demo and bench worlds).
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/tables.js';
import { idsOnPath, unitIdOf } from '../org/org.rules.js';
import { workersPerMonth } from './stations.queries.js';
import { countVisitInRanks, rebuildVisitRanks } from './stations.visit-ranks.js';

/** The tables are typed here, beside the only code that reads and writes them. */
type VisitRollupTables = {
  stationVisitCells: { scopeUnitId: number; month: string; stationId: number; unitId: number; visits: number };
  stationVisitMonths: { scopeUnitId: number; month: string; visits: number; workers: number };
};

// A Transaction is a Kysely too, and its withTables() stays on the transaction's connection.
type Db = Kysely<Database>;
const rollup = (db: Db) => db.withTables<VisitRollupTables>();

/** The scope of everything: system administrators' figures, including stations kept without a unit. */
export const EVERYTHING = 0;
/** unit_id of a visit to a station without a unit (a primary key column cannot hold null). */
export const NO_UNIT = 0;

export type NewVisit = { stationId: number; workerId: number; userId: number | null; unitId: number | null; visitedOn: string; month: string; visitedAt: string };

/** Records a check-in and counts it in the figures of every unit above the station's, in one transaction. */
export async function insertVisit(trx: Db, visit: NewVisit) {
  const row = await trx.insertInto('stationVisits').values(visit).returning(['id', 'visitedOn', 'visitedAt']).executeTakeFirstOrThrow();
  await countVisit(trx, { ...visit, id: row.id });
  return row;
}

async function countVisit(trx: Db, visit: NewVisit & { id: number }): Promise<void> {
  const db = rollup(trx);
  const unit = visit.unitId === null ? undefined : await trx.selectFrom('orgUnits').select('path').where('id', '=', visit.unitId).executeTakeFirst();
  const scopes = [EVERYTHING, ...(unit ? idsOnPath(unit.path) : [])].sort((a, b) => a - b);
  // The month rows first, always in id order (scope 0 first): on PostgreSQL their row locks queue
  // concurrent check-ins, so the read of the worker's other visits below sees every one committed before.
  await db
    .insertInto('stationVisitMonths')
    .values(scopes.map((scopeUnitId) => ({ scopeUnitId, month: visit.month, visits: 1, workers: 0 })))
    .onConflict((oc) => oc.columns(['scopeUnitId', 'month']).doUpdateSet((eb) => ({ visits: eb(eb.ref('stationVisitMonths.visits'), '+', 1) })))
    .execute();
  // Distinct workers: this worker counts only for the scopes none of their other visits this month reached.
  const others = await trx
    .selectFrom('stationVisits as v')
    .leftJoin('orgUnits as u', 'u.id', 'v.unitId')
    .select('u.path')
    .where('v.workerId', '=', visit.workerId)
    .where('v.month', '=', visit.month)
    .where('v.id', '<>', visit.id)
    .execute();
  const seen = new Set<number>(others.length > 0 ? [EVERYTHING] : []);
  for (const other of others) for (const id of other.path ? idsOnPath(other.path) : []) seen.add(id);
  const firstThisMonth = scopes.filter((scope) => !seen.has(scope));
  if (firstThisMonth.length > 0) {
    await db.updateTable('stationVisitMonths').set((eb) => ({ workers: eb('workers', '+', 1) })).where('scopeUnitId', 'in', firstThisMonth).where('month', '=', visit.month).execute();
  }
  await db
    .insertInto('stationVisitCells')
    .values(scopes.map((scopeUnitId) => ({ scopeUnitId, month: visit.month, stationId: visit.stationId, unitId: visit.unitId ?? NO_UNIT, visits: 1 })))
    .onConflict((oc) => oc.columns(['scopeUnitId', 'month', 'stationId', 'unitId']).doUpdateSet((eb) => ({ visits: eb(eb.ref('stationVisitCells.visits'), '+', 1) })))
    .execute();
  await countVisitInRanks(trx, scopes, visit.stationId, visit.month);
}

/** The visits beneath each unit `s` (a path range of units, then their visits by unit). */
const beneath = (scopeIds: readonly number[] | 'all') =>
  sql`from org_units s join org_units u on u.path >= s.path and u.path < s.path || '~' join station_visits v on v.unit_id = u.id
    ${scopeIds === 'all' ? sql`` : sql`where s.id in (${sql.join(scopeIds)})`}`;

async function insertScopesFromVisits(db: Db, scopeIds: readonly number[] | 'all'): Promise<void> {
  await sql`insert into station_visit_cells (scope_unit_id, month, station_id, unit_id, visits)
    select s.id, v.month, v.station_id, v.unit_id, count(*) ${beneath(scopeIds)} group by s.id, v.month, v.station_id, v.unit_id`.execute(db);
  await sql`insert into station_visit_months (scope_unit_id, month, visits, workers)
    select s.id, v.month, count(*), count(distinct v.worker_id) ${beneath(scopeIds)} group by s.id, v.month`.execute(db);
}

/** Recounts the given units' rows from the visits (after an org move changed what lies beneath them). */
export async function rebuildVisitRollup(db: Db, scopeIds: readonly number[]): Promise<void> {
  const ids = scopeIds.filter((id) => id !== EVERYTHING);
  if (ids.length === 0) return;
  await rollup(db).deleteFrom('stationVisitCells').where('scopeUnitId', 'in', ids).execute();
  await rollup(db).deleteFrom('stationVisitMonths').where('scopeUnitId', 'in', ids).execute();
  await insertScopesFromVisits(db, ids);
  await rebuildVisitRanks(db, ids);
}

/**
 * After an org move rewrote the paths under `newPath` (was `oldPath`): the units above the old place lose
 * the moved subtree's visits and those above the new place gain them. Units inside the subtree see the
 * same visits as before, and EVERYTHING is unchanged. Each is recounted from its visits.
 */
export async function rebuildVisitRollupAfterMove(db: Db, oldPath: string, newPath: string): Promise<void> {
  const moved = idsOnPath(newPath).at(-1);
  await rebuildVisitRollup(db, [...new Set([...idsOnPath(oldPath), ...idsOnPath(newPath)])].filter((id) => id !== moved));
}

/** Rewrites every row from the visits: after a bulk load (the demo and bench worlds), as the migration did. */
export async function rebuildAllVisitRollup(db: Db): Promise<void> {
  await rollup(db).deleteFrom('stationVisitCells').execute();
  await rollup(db).deleteFrom('stationVisitMonths').execute();
  await insertScopesFromVisits(db, 'all');
  await sql`insert into station_visit_cells (scope_unit_id, month, station_id, unit_id, visits)
    select ${sql.lit(EVERYTHING)}, month, station_id, coalesce(unit_id, ${sql.lit(NO_UNIT)}), count(*) from station_visits group by month, station_id, unit_id`.execute(db);
  await sql`insert into station_visit_months (scope_unit_id, month, visits, workers)
    select ${sql.lit(EVERYTHING)}, month, count(*), count(distinct worker_id) from station_visits group by month`.execute(db);
  await rebuildVisitRanks(db, 'all');
}

/** The outermost of the given subtrees: a grant inside another grant adds nothing to the scope. */
export function outermost(paths: readonly string[]): string[] {
  const kept: string[] = [];
  for (const path of [...paths].sort((a, b) => a.length - b.length)) if (!kept.some((outer) => path.startsWith(outer))) kept.push(path);
  return kept;
}

/** A scope's person-times per station and month (of the given stations only): its own rows, in the order the old GROUP BY gave them. */
export function cellRowsQuery(db: Db, scopeIds: readonly number[], months: readonly string[], stationIds?: readonly number[]) {
  return rollup(db)
    .selectFrom('stationVisitCells as c')
    .innerJoin('stations as s', 's.id', 'c.stationId')
    .select(['c.stationId', 's.name', 'c.unitId', 'c.month', 'c.visits'])
    .where('c.scopeUnitId', 'in', [...scopeIds])
    .where('c.month', 'in', [...months])
    .where('c.visits', '>', 0)
    .$if(stationIds !== undefined, (q) => q.where('c.stationId', 'in', [...(stationIds ?? [])]))
    .orderBy('c.stationId')
    .orderBy('c.unitId')
    .orderBy('c.month');
}

/** A scope's person-times and distinct workers per month. */
export function monthRowsQuery(db: Db, scopeId: number, months: readonly string[]) {
  return rollup(db).selectFrom('stationVisitMonths').select(['month', 'visits', 'workers']).where('scopeUnitId', '=', scopeId).where('month', 'in', [...months]);
}

export type VisitCell = { stationId: number; name: string; unitId: number | null; month: string; visits: number };

/**
 * Person-times per station and month, and distinct workers per month, beneath the given subtrees ('all':
 * everything). One subtree (a unit's figures, or one grant) reads its own rows only. Several disjoint
 * subtrees add up their cells, but a worker may have visited in two of them: the distinct workers are then
 * counted from the visits themselves (the one case whose cost still grows with the visits).
 */
export async function visitSummaryRows(db: Db, roots: readonly string[] | 'all', months: readonly string[]): Promise<{ cells: VisitCell[]; workers: Map<string, number> }> {
  const outer = roots === 'all' ? 'all' : outermost(roots);
  const scopeIds = outer === 'all' ? [EVERYTHING] : outer.map(unitIdOf);
  if (scopeIds.length === 0 || months.length === 0) return { cells: [], workers: new Map() };
  const cellRows = await cellRowsQuery(db, scopeIds, months).execute();
  const cells = cellRows.map((c) => ({ stationId: c.stationId, name: c.name, unitId: c.unitId === NO_UNIT ? null : c.unitId, month: c.month, visits: Number(c.visits) }));
  if (outer !== 'all' && outer.length > 1) return { cells, workers: await workersPerMonth(db, { paths: outer, months }) };
  const monthRows = await monthRowsQuery(db, scopeIds[0]!, months).execute();
  return { cells, workers: new Map(monthRows.filter((m) => Number(m.workers) > 0).map((m) => [m.month, Number(m.workers)])) };
}
