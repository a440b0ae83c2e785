// Appeal figures kept as counts (appeal_figure_counts): per unit that sees an appeal — the same units as its
// reach rows, plus unit 0 for the whole country — per China-time day of filing and category. Each change
// writes the difference between what the appeal counted (appeals.figures_counted) and what it counts now, in
// the change's own transaction, as one multi-row upsert; a unit's figures then read ~12 weeks × a few rows
// per day instead of every appeal of its subtree.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/tables.js';
import { addToFigureBlocks, blockFigures, blockRowsOfChanges } from './appeals.figure-blocks.js';
import { rebuildBlocks, rebuildDayCounts } from './appeals.figure-rebuild.js';
import { blockUnitsOf } from './appeals.figure-blocks.rules.js';
import { type Contribution, type CountRow, contributionOf, countChanges, decodeContribution, encodeContribution, type FigureInputs, figuresFromSums, type MeasureSum, splitWindow, sumsOfRows } from './appeals.figure-counts.rules.js';
import { closedStatuses } from './appeals.rules.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The count rows of the whole country (a system administrator's figures): no unit has id 0. */
export const ALL_UNITS = 0;

const countingUnits = (reach: readonly number[]) => [ALL_UNITS, ...reach];

/** What the appeal counts now, as stored on its row. */
export const figuresCountedOf = (appeal: FigureInputs) => encodeContribution(contributionOf(appeal));

const decoded = (counted: string | null): Contribution | null => (counted === null ? null : decodeContribution(counted));

// Six columns a row: 1,000 rows stay well under SQLite's bound-parameter limit.
const CHUNK = 1_000;

/** Adds the rows' n to the counts: one INSERT … ON CONFLICT DO UPDATE per thousand rows, the same on both engines. */
export async function addToFigureCounts(db: Db, rows: readonly CountRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('appealFigureCounts')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['unitId', 'day', 'category', 'measure', 'value']).doUpdateSet((eb) => ({ n: eb('appealFigureCounts.n', '+', eb.ref('excluded.n')) })))
      .execute();
  }
}

/**
 * After a change: the appeal counted `counted.before` (null: nowhere) at the units `reach.before` and counts
 * `counted.after` at `reach.after`. Writes nothing when nothing the figures read has changed.
 */
export async function syncAppealFigures(trx: Db, counted: { before: string | null; after: string }, reach: { before: readonly number[]; after: readonly number[] }): Promise<void> {
  if (counted.before === counted.after && sameUnits(reach.before, reach.after)) return;
  const rows = countChanges([
    { contribution: decoded(counted.before), units: countingUnits(reach.before), sign: -1 },
    { contribution: decoded(counted.after), units: countingUnits(reach.after), sign: 1 },
  ]);
  await addToFigureCounts(trx, rows);
  await addToFigureBlocks(trx, blockRowsOfChanges([counted]));
}

const sameUnits = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((id) => b.includes(id));

type MovedAppeal = { id: number; unitPath: string; originUnitPath: string; figuresCounted: string | null; before: readonly number[]; after: readonly number[] };

/**
 * After an org move rewrote reach rows and paths: each appeal's count moves from the units that saw it to those
 * that see it now, and its block rows to its new top-level committee (figures_counted names it).
 */
export async function moveAppealFigures(db: Db, appeals: readonly MovedAppeal[]): Promise<void> {
  const rows = countChanges(appeals.flatMap((a) => [
    { contribution: decoded(a.figuresCounted), units: countingUnits(a.before), sign: -1 as const },
    { contribution: decoded(a.figuresCounted), units: countingUnits(a.after), sign: 1 as const },
  ]));
  await addToFigureCounts(db, rows);
  const moved = appeals.flatMap((a) => {
    const before = decoded(a.figuresCounted);
    if (before === null) return [];
    const text = encodeContribution({ ...before, blockUnits: blockUnitsOf(a.unitPath, a.originUnitPath) });
    return text === a.figuresCounted ? [] : [{ id: a.id, before: a.figuresCounted!, text }];
  });
  await addToFigureBlocks(db, blockRowsOfChanges(moved.map((m) => ({ before: m.before, after: m.text }))));
  await writeFiguresCounted(db, moved);
}

async function writeFiguresCounted(db: Db, counted: readonly { id: number; text: string }[]): Promise<void> {
  for (let i = 0; i < counted.length; i += 500) {
    const chunk = counted.slice(i, i + 500);
    const cases = sql.join(chunk.map((c) => sql`when ${c.id} then ${c.text}`), sql` `);
    await db
      .updateTable('appeals')
      .set({ figuresCounted: sql<string>`case id ${cases} end` })
      .where('id', 'in', chunk.map((c) => c.id))
      .execute();
  }
}

/** Rewrites the day counts, every figures_counted and the block rows, after a bulk load that wrote appeals directly. */
export async function rebuildAppealFigures(db: Db): Promise<void> {
  await rebuildAllAppealFigures(db);
  await rebuildBlocks(db);
}

/**
 * Rewrites every day count and every appeal's figures_counted from the appeals (in SQL). The migration that
 * created the day counts calls it on its own schema, before the block table exists: it touches nothing else.
 */
export async function rebuildAllAppealFigures(db: Db): Promise<void> {
  await rebuildDayCounts(db);
}

/** The sums of whole days [first, last] at a unit; the day and category only where volume needs them. */
function daySums(db: Db, unitId: number, days: { first: string; last: string }) {
  const day = sql<string | null>`case when measure = 'filed' then day end`;
  const category = sql<string | null>`case when measure = 'filed' then category end`;
  return db
    .selectFrom('appealFigureCounts')
    .select((eb) => ['measure', 'value', day.as('day'), category.as('category'), eb.fn.sum<number | string>('n').as('n')])
    .where('unitId', '=', unitId)
    .where('day', '>=', days.first)
    .where('day', '<=', days.last)
    .groupBy(['measure', 'value', day, category]);
}

/** Appeals of one part of the window, held or started beneath the unit: at most a day's worth of filings. */
export function partRowsQuery(db: Db, unitId: number, part: { from: string; to: string; toInclusive: boolean }) {
  let query = db
    .selectFrom('appeals as a')
    .select(['a.category', 'a.createdAt', 'a.acknowledgedAt', 'a.answeredAt', 'a.acknowledgedOnTime', 'a.resolvedOnTime', 'a.rating'])
    .where('a.createdAt', '>=', part.from)
    .where('a.createdAt', part.toInclusive ? '<=' : '<', part.to);
  if (unitId !== ALL_UNITS) query = query.where((eb) => eb.exists(eb.selectFrom('appealReach as r').select('r.appealId').whereRef('r.appealId', '=', 'a.id').where('r.unitId', '=', unitId)));
  return query;
}

/** Open appeals past their deadline, filed in the window, held or started beneath the unit: a walk of the reach index up to now. */
export function openOverdueQuery(db: Db, unitId: number, window: { from: string; to: string; now: string }) {
  const closed = [...closedStatuses];
  if (unitId === ALL_UNITS) {
    return db.selectFrom('appeals as a').select((eb) => eb.fn.countAll<number | string>().as('n')).where('a.dueAt', '<', window.now).where('a.status', 'not in', closed).where('a.createdAt', '>=', window.from).where('a.createdAt', '<=', window.to);
  }
  return db
    .selectFrom('appealReach as r')
    .innerJoin('appeals as a', 'a.id', 'r.appealId')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('r.unitId', '=', unitId)
    .where('r.dueAt', '<', window.now)
    .where('a.status', 'not in', closed)
    .where('a.createdAt', '>=', window.from)
    .where('a.createdAt', '<=', window.to);
}

/**
 * A unit's appeal figures (ALL_UNITS: the whole country) over [from, to]: the country and top-level committees
 * from their time blocks, every other unit from its day counts and the part-days.
 */
export async function unitAppealFigures<C extends string>(db: Db, unitId: number, window: { from: string; to: string; now: string }) {
  const topLevel = unitId === ALL_UNITS || (await db.selectFrom('orgUnits').select('parentId').where('id', '=', unitId).executeTakeFirst())?.parentId === null;
  if (topLevel) {
    const overdue = await openOverdueQuery(db, unitId, window).executeTakeFirstOrThrow();
    return blockFigures<C>(db, unitId, window, (part) => partRowsQuery(db, unitId, part).execute(), Number(overdue.n));
  }
  const { days, parts } = splitWindow(window.from, window.to);
  const sums: MeasureSum[] = [];
  if (days) for (const s of await daySums(db, unitId, days).execute()) sums.push({ ...s, n: Number(s.n) });
  for (const part of parts) sums.push(...sumsOfRows(await partRowsQuery(db, unitId, part).execute()));
  const overdue = await openOverdueQuery(db, unitId, window).executeTakeFirstOrThrow();
  return figuresFromSums<C>(sums, { from: window.from, to: window.to, openOverdue: Number(overdue.n) });
}
