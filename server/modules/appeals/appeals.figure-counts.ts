// Appeal figures kept as counts (appeal_figure_counts): per unit that sees an appeal — the same units as its
// reach rows, plus unit 0 for the whole country — per China-time day of filing and category. Each change
// writes the difference between what the appeal counted (appeals.figures_counted) and what it counts now, in
// the change's own transaction, as one multi-row upsert; a unit's figures then read ~12 weeks × a few rows
// per day instead of every appeal of its subtree.
import { type Kysely, sql, type Transaction } from 'kysely';
import { preparedRowsStatement, preparedStatement } from '../../db/prepared.js';
import type { Database } from '../../db/tables.js';
import { addToFigureBlocks, blockFigures, blockRowsOfChanges, blockSums } from './appeals.figure-blocks.js';
import { cachedBlockFigures } from './appeals.figure-cache.js';
import { rebuildBlocks, rebuildDayCounts } from './appeals.figure-rebuild.js';
import { blockUnitsOf, wholeHoursOf, windowBlocks } from './appeals.figure-blocks.rules.js';
import { type Contribution, type CountRow, contributionOf, countChanges, decodeContribution, encodeContribution, type FigureInputs, figuresFromSums, type MeasureSum, splitWindow, sumsOfRows } from './appeals.figure-counts.rules.js';
import { closedStatuses } from './appeals.rules.js';
import { depthOf } from '../org/org.rules.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The count rows of the whole country (a system administrator's figures): no unit has id 0. */
export const ALL_UNITS = 0;

const countingUnits = (reach: readonly number[]) => [ALL_UNITS, ...reach];

/** What the appeal counts now, as stored on its row. */
export const figuresCountedOf = (appeal: FigureInputs) => encodeContribution(contributionOf(appeal));

const decoded = (counted: string | null): Contribution | null => (counted === null ? null : decodeContribution(counted));

// Six columns a row: 1,000 rows stay well under SQLite's bound-parameter limit.
const CHUNK = 1_000;

const upsertCounts = preparedRowsStatement(['unitId', 'day', 'category', 'measure', 'value', 'n'], (db: Kysely<Database>, rows: readonly CountRow[]) =>
  db
    .insertInto('appealFigureCounts')
    .values(rows)
    .onConflict((oc) => oc.columns(['unitId', 'day', 'category', 'measure', 'value']).doUpdateSet((eb) => ({ n: eb('appealFigureCounts.n', '+', eb.ref('excluded.n')) }))),
);

/** Adds the rows' n to the counts: one INSERT … ON CONFLICT DO UPDATE per thousand rows, the same on both engines. */
export async function addToFigureCounts(db: Db, rows: readonly CountRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await upsertCounts(db, rows.slice(i, i + CHUNK));
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
export function partRowsQuery(db: Db, unitId: number, part: { from: string; to: string; toInclusive: boolean; inOrder?: boolean }) {
  let query = db
    .selectFrom('appeals as a')
    .select(['a.category', 'a.createdAt', 'a.acknowledgedAt', 'a.answeredAt', 'a.acknowledgedOnTime', 'a.resolvedOnTime', 'a.rating'])
    .where('a.createdAt', '>=', part.from)
    .where('a.createdAt', part.toInclusive ? '<=' : '<', part.to);
  if (unitId !== ALL_UNITS) query = query.where((eb) => eb.exists(eb.selectFrom('appealReach as r').select('r.appealId').whereRef('r.appealId', '=', 'a.id').where('r.unitId', '=', unitId)));
  return part.inOrder ? query.orderBy('a.createdAt') : query;
}

type Window = { from: string; to: string; now: string };

/**
 * Open appeals past their deadline, filed in the window, held or started beneath the unit: a walk of the reach
 * index (unit, due_at, appeal, created_at) up to now that reads no appeal. An answered or closed appeal has no
 * running clock, so no due_at (slaClock), and a reach row with a past due_at is an open appeal's.
 */
const unitOverdueQuery = (db: Db, unitId: number, window: Window) =>
  db
    .selectFrom('appealReach as r')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('r.unitId', '=', unitId)
    .where('r.dueAt', '<', window.now)
    .where('r.createdAt', '>=', window.from)
    .where('r.createdAt', '<=', window.to);

const unitOverdue = preparedStatement(['unitId', 'from', 'to', 'now'], (db: Kysely<Database>, p: Window & { unitId: number }) => unitOverdueQuery(db, p.unitId, p));

export function openOverdueQuery(db: Db, unitId: number, window: Window) {
  if (unitId !== ALL_UNITS) return unitOverdueQuery(db, unitId, window);
  const closed = [...closedStatuses];
  return db.selectFrom('appeals as a').select((eb) => eb.fn.countAll<number | string>().as('n')).where('a.dueAt', '<', window.now).where('a.status', 'not in', closed).where('a.createdAt', '>=', window.from).where('a.createdAt', '<=', window.to);
}

async function openOverdueOf(db: Db, unitId: number, window: Window): Promise<number> {
  if (unitId === ALL_UNITS) return Number((await openOverdueQuery(db, unitId, window).executeTakeFirstOrThrow()).n);
  const { rows } = await unitOverdue(db, { unitId, ...window });
  return Number(rows[0]!.n);
}

/**
 * A unit's appeal figures (ALL_UNITS: the whole country) over [from, to]: the country and top-level committees
 * from their time blocks, every other unit from its day counts and the part-days. A unit is top-level when its
 * path holds its id alone, the rule by which filings write blocks (blockUnitsOf), so no statement asks.
 */
export async function unitAppealFigures<C extends string>(db: Db, unit: typeof ALL_UNITS | { id: number; path: string }, window: { from: string; to: string; now: string }) {
  const unitId = unit === ALL_UNITS ? ALL_UNITS : unit.id;
  const topLevel = unit === ALL_UNITS || depthOf(unit.path) === 0;
  const openOverdue = () => openOverdueOf(db, unitId, window);
  if (topLevel) {
    const plan = windowBlocks(window.from, window.to);
    const hours = wholeHoursOf(window.from, window.to);
    // Inside a transaction the counters may hold its own writes, which a rollback would take back: no cache there.
    // The country has no counters (every writer would queue on them); a window within an hour has no blocks.
    if (unitId !== ALL_UNITS && !db.isTransaction && hours.first < hours.end) {
      const figures = await cachedBlockFigures(db, unitId, window, (part) => partRowsQuery(db, unitId, part).execute(), openOverdue);
      return figures as Awaited<ReturnType<typeof blockFigures<C>>>;
    }
    const parts = await Promise.all(plan.parts.map((part) => partRowsQuery(db, unitId, part).execute()));
    return blockFigures<C>(window, plan, (spans, reads) => blockSums(db, unitId, spans, reads), parts.flat(), await openOverdue());
  }
  const { days, parts } = splitWindow(window.from, window.to);
  const sums: MeasureSum[] = [];
  if (days) for (const s of await daySums(db, unitId, days).execute()) sums.push({ ...s, n: Number(s.n) });
  for (const part of parts) sums.push(...sumsOfRows(await partRowsQuery(db, unitId, part).execute()));
  return figuresFromSums<C>(sums, { from: window.from, to: window.to, openOverdue: await openOverdue() });
}
