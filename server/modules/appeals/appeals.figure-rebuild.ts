// The appeal figure counts rebuilt in SQL after a bulk load (demo and bench worlds, migrations): what
// contributionOf and the block rules compute per appeal in JavaScript, as set-based statements, so a million
// appeals take seconds of the database instead of minutes of JavaScript. Exact by construction: the same
// integers — the tenths are floor((ms + 180,000) / 360,000), which equals the figures' Math.round(h * 10) at
// every halfway point (appeals.figure-counts.test.ts compares a rebuild with the rows kept on every change, on both engines).
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { engineOf } from '../../db/engine.js';
import type { Database } from '../../db/tables.js';

type Db = Kysely<Database> | Transaction<Database>;

// Integer division rounding down for negative numbers too (both engines truncate towards zero).
const floorDiv = (x: RawBuilder<unknown>, y: number) => sql`((${x}) - (((${x}) % ${sql.lit(y)}) + ${sql.lit(y)}) % ${sql.lit(y)}) / ${sql.lit(y)}`;

/** Per appeal: its China day, hour of filing, the judged and rated values, tenths to acknowledge and answer, top-level units. */
function facts(db: Db): RawBuilder<unknown> {
  const postgres = engineOf(db) === 'postgres';
  const ms = (column: string) =>
    postgres ? sql`(extract(epoch from ${sql.ref(column)}) * 1000)::bigint` : sql`(unixepoch(substr(${sql.ref(column)}, 1, 19)) * 1000 + cast(substr(${sql.ref(column)}, 21, 3) as integer))`;
  const chinaDay = postgres ? sql`to_char((created_at at time zone 'UTC') + interval '8 hours', 'YYYY-MM-DD')` : sql`strftime('%Y-%m-%d', (${ms('created_at')} + 28800000) / 1000, 'unixepoch')`;
  const root = (column: string) => (postgres ? sql`split_part(${sql.ref(column)}, '/', 2)::integer` : sql`cast(substr(${sql.ref(column)}, 2, instr(substr(${sql.ref(column)}, 2), '/') - 1) as integer)`);
  const tenths = (column: string) => floorDiv(sql`${ms(column)} - ${ms('created_at')} + 180000`, 360_000);
  return sql`(select id, category, ${chinaDay} as day, ${floorDiv(sql`${ms('created_at')} + 28800000`, 3_600_000)} as hour,
      acknowledged_on_time as ack_ok, resolved_on_time as res_ok, rating,
      ${tenths('acknowledged_at')} as ack_t, ${tenths('answered_at')} as res_t,
      ${root('unit_path')} as root_a, ${root('origin_unit_path')} as root_b
    from appeals)`;
}

// The hour blocks read the facts nine times (a branch per measure, one per block unit); as a subquery they
// were computed again each time, a scan of every appeal with its date arithmetic. Materialized once, that
// statement took 37 s instead of 47 at 1m appeals. (The day counts read them six times, but there the sort
// of ~24 million unit rows is the cost, and the same change gained nothing.)
const withFacts = (db: Db) => sql`with facts as materialized ${facts(db)}`;
const FACTS = sql`facts`;

/** What each appeal counts, as its measures (the order contributionOf writes them in figures_counted). */
const measureRows = (f: RawBuilder<unknown>) => sql`(
  select id, day, hour, category, 'filed' as measure, 0 as value from ${f} f0
  union all select id, day, hour, '', 'ack_ok', ack_ok from ${f} f1 where ack_ok is not null
  union all select id, day, hour, '', 'res_ok', res_ok from ${f} f2 where res_ok is not null
  union all select id, day, hour, '', 'rating', rating from ${f} f3 where rating is not null
  union all select id, day, hour, '', 'ack_h10', ack_t from ${f} f4 where ack_t is not null
  union all select id, day, hour, '', 'res_h10', res_t from ${f} f5 where res_t is not null)`;

/** Rewrites every appeal's figures_counted and the day counts (appeal_figure_counts) from the appeals and their reach rows. */
export async function rebuildDayCounts(db: Db): Promise<void> {
  await rewriteFiguresCounted(db);
  await rebuildDayCountRows(db);
}

/** Every appeal's figures_counted, from the appeal alone (a bulk load can run it before the reach rows exist). */
export async function rewriteFiguresCounted(db: Db): Promise<void> {
  const f = facts(db);
  const text = sql`f.day || '|' || f.category || '|filed:0' || coalesce(',ack_ok:' || f.ack_ok, '') || coalesce(',res_ok:' || f.res_ok, '')
    || coalesce(',rating:' || f.rating, '') || coalesce(',ack_h10:' || f.ack_t, '') || coalesce(',res_h10:' || f.res_t, '')
    || '|' || f.hour || '|0,' || f.root_a || case when f.root_b <> f.root_a then ',' || f.root_b else '' end`;
  await sql`update appeals set figures_counted = ${text} from ${f} f where f.id = appeals.id`.execute(db);
}

/** The day counts (appeal_figure_counts), from the appeals and their reach rows. */
export async function rebuildDayCountRows(db: Db): Promise<void> {
  const f = facts(db);
  await db.deleteFrom('appealFigureCounts').execute();
  const day = engineOf(db) === 'postgres' ? sql`cast(m.day as date)` : sql`m.day`;
  await sql`insert into appeal_figure_counts (unit_id, day, category, measure, value, n)
    select u.unit_id, ${day}, m.category, m.measure, m.value, count(*)
    from ${measureRows(f)} m
    join (select appeal_id, unit_id from appeal_reach union all select id, 0 from appeals) u on u.appeal_id = m.id
    group by u.unit_id, m.day, m.category, m.measure, m.value`.execute(db);
}

/**
 * Rewrites the block rows (appeal_figure_blocks) of the country and the top-level committees: the hour blocks
 * from the appeals, the day and week blocks from the hour blocks, and the hours and tens of hours from the tenths.
 */
export async function rebuildBlocks(db: Db): Promise<void> {
  const f = FACTS;
  // The change counters stay (a server may have figures filed under them) and count the rebuild as a change.
  await db.deleteFrom('appealFigureBlocks').where('span', '<>', 0).execute();
  const base = sql`(
    select id, hour, category, measure, value from ${measureRows(f)} m0)`;
  const renamed = sql`case b.measure when 'ack_h10' then 'ack_t' when 'res_h10' then 'res_t' else b.measure end`;
  await sql`${withFacts(db)} insert into appeal_figure_blocks (unit_id, measure, span, block, category, value, n)
    select u.unit_id, ${renamed}, 1, b.hour, b.category, b.value, count(*)
    from ${base} b
    join (select id, 0 as unit_id from ${f} g0 union all select id, root_a from ${f} g1 union all select id, root_b from ${f} g2 where root_b <> root_a) u on u.id = b.id
    group by u.unit_id, ${renamed}, b.hour, b.category, b.value`.execute(db);
  const day = floorDiv(sql`block`, 24);
  await sql`insert into appeal_figure_blocks (unit_id, measure, span, block, category, value, n)
    select unit_id, measure, 2, ${day}, category, value, sum(n) from appeal_figure_blocks where span = 1
    group by unit_id, measure, ${day}, category, value`.execute(db);
  const week = floorDiv(sql`block + 3`, 7);
  await sql`insert into appeal_figure_blocks (unit_id, measure, span, block, category, value, n)
    select unit_id, measure, 3, ${week}, category, value, sum(n) from appeal_figure_blocks where span = 2
    group by unit_id, measure, ${week}, category, value`.execute(db);
  for (const [suffix, scale] of [['h', 10], ['c', 100]] as const) {
    const value = floorDiv(sql`value`, scale);
    const measure = sql`case measure when 'ack_t' then ${sql.lit(`ack_${suffix}`)} else ${sql.lit(`res_${suffix}`)} end`;
    await sql`insert into appeal_figure_blocks (unit_id, measure, span, block, category, value, n)
      select unit_id, ${measure}, span, block, category, ${value}, sum(n) from appeal_figure_blocks
      where span in (2, 3) and measure in ('ack_t', 'res_t')
      group by unit_id, ${measure}, span, block, category, ${value}`.execute(db);
  }
  // One more on every counter there was and on each top-level committee's (unit, category) with appeals now.
  await sql`insert into appeal_figure_blocks (unit_id, measure, span, block, category, value, n)
    select distinct unit_id, 'changes', 0, 0, category, 0, 1 from appeal_figure_blocks
    where (span = 0 and measure = 'changes') or (span = 3 and measure = 'filed' and unit_id <> 0)
    on conflict (unit_id, measure, span, block, category, value) do update set n = appeal_figure_blocks.n + 1`.execute(db);
}
