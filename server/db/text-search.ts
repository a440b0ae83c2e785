import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { engineOf } from './engine.js';

// Where the n-gram tokens of core/text-search.ts live differs by engine: SQLite keeps them in an FTS5
// table whose rowid is the person's id; PostgreSQL in a text[] column under a GIN index. This is the
// one adapter that knows; queries ask it for a condition and never see the difference.

export type SearchableTable = 'workers' | 'members';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema holding these tables
type AnyDb = Kysely<any>;

export async function writeSearchTokens(db: AnyDb, table: SearchableTable, id: number, tokens: readonly string[]): Promise<void> {
  await writeSearchGrams(db, table, [{ id, tokens }]);
  if (engineOf(db) === 'postgres') {
    await sql`update ${sql.table(table)} set search_tokens = ${[...tokens]}::text[] where id = ${id}`.execute(db);
    return;
  }
  const fts = sql.table(`${table}_fts`);
  await sql`delete from ${fts} where rowid = ${id}`.execute(db);
  await sql`insert into ${fts} (rowid, tokens) values (${id}, ${tokens.join(' ')})`.execute(db);
}

/** Many rows at once, for imports and seeding: one statement per batch. */
export async function writeSearchTokensBatch(db: AnyDb, table: SearchableTable, rows: readonly { id: number; tokens: readonly string[] }[]): Promise<void> {
  if (rows.length === 0) return;
  await writeSearchGrams(db, table, rows);
  if (engineOf(db) === 'postgres') {
    const ids = rows.map((r) => r.id);
    const texts = rows.map((r) => r.tokens.join(' '));
    await sql`update ${sql.table(table)} as t set search_tokens = string_to_array(v.tokens, ' ')
      from unnest(${ids}::int[], ${texts}::text[]) as v(id, tokens) where t.id = v.id`.execute(db);
    return;
  }
  const fts = sql.table(`${table}_fts`);
  const ids = rows.map((r) => r.id);
  await sql`delete from ${fts} where rowid in (${sql.join(ids)})`.execute(db);
  await sql`insert into ${fts} (rowid, tokens) values ${sql.join(rows.map((r) => sql`(${r.id}, ${r.tokens.join(' ')})`))}`.execute(db);
}

// Grams per INSERT: two parameters each, far below SQLite's 32,766 and PostgreSQL's 65,535.
const GRAMS_PER_INSERT = 5_000;

/**
 * The ordered-walk copy of the tokens (`<table>_grams`, see migration 2026-12-05T1210-search-grams): a
 * person's grams replaced, each beside the sort key read from the person's row, so it must run after the
 * row's name is written, in the same transaction. `fresh` rows were just inserted and have none to delete.
 */
export async function writeSearchGrams(db: AnyDb, table: SearchableTable, rows: readonly { id: number; tokens: readonly string[] }[], fresh = false): Promise<void> {
  if (rows.length === 0) return;
  const grams = sql.table(`${table}_grams`);
  if (!fresh) await sql`delete from ${grams} where person_id in (${sql.join(rows.map((r) => r.id))})`.execute(db);
  const pairs = rows.flatMap((r) => r.tokens.map((gram) => sql`(cast(${r.id} as integer), ${gram})`));
  for (let start = 0; start < pairs.length; start += GRAMS_PER_INSERT) {
    // The cast types the VALUES column on PostgreSQL, which would otherwise take an untyped parameter as text.
    await sql`with v(person_id, gram) as (values ${sql.join(pairs.slice(start, start + GRAMS_PER_INSERT))})
      insert into ${grams} (gram, sort_key, person_id) select v.gram, p.name_sort, p.id from v join ${sql.table(table)} p on p.id = v.person_id`.execute(db);
  }
}

function ftsPhrase(token: string): string {
  return `"${token.replace(/"/g, '""')}"`;
}

/**
 * A condition on `<alias>.id` that keeps the rows whose tokens include every query token.
 * `alias` is the table's name or alias in the surrounding query.
 */
export function matchesTokens(db: AnyDb, table: SearchableTable, alias: string, tokens: readonly string[]): Expression<SqlBool> {
  if (tokens.length === 0) return sql<SqlBool>`1 = 1`;
  if (engineOf(db) === 'postgres') {
    return sql<SqlBool>`${sql.ref(`${alias}.search_tokens`)} @> ${[...tokens]}::text[]`;
  }
  const fts = sql.table(`${table}_fts`);
  return sql<SqlBool>`${sql.ref(`${alias}.id`)} in (select rowid from ${fts} where ${fts} match ${tokens.map(ftsPhrase).join(' AND ')})`;
}

/**
 * Below this many people a subtree is searched from its own rows: each is one key look-up in the grams,
 * and sorting a few thousand matches is cheaper than walking a common gram (thousands of rows at a
 * million people) to find the few that are inside the subtree. Above it, the gram walk reaches a page
 * after about limit × (everyone / subtree) rows.
 */
export const SMALL_SCOPE = 5_000;

/** Whether fewer than SMALL_SCOPE people of `table` meet `inScope`: reads at most that many index entries. */
export async function isSmallScope(db: AnyDb, table: SearchableTable, inScope: Expression<SqlBool>): Promise<boolean> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from (select 1 from ${sql.table(table)} where ${inScope} limit ${SMALL_SCOPE}) as s`.execute(db);
  return Number(rows[0]!.n) < SMALL_SCOPE;
}

/**
 * The people whose grams include every token, walked in list order (sort key, id) through
 * `<table>_grams` aliased `g` and cross-joined with the person's table: the first token's rows are read
 * in that order and each other token is one key look-up, so a page stops after its rows, however many
 * people the fragment matches. `cross join` keeps the walk as SQLite's outer loop (PostgreSQL plans by
 * cost). The conditions join the person's row by id and sort key; `after` is the list's cursor. With
 * `from: 'people'` the person's table leads instead (a small subtree: see SMALL_SCOPE) and each gram is
 * a look-up of its whole key; the same rows, sorted.
 */
export function gramWalk(table: SearchableTable, tokens: readonly [string, ...string[]], after: { nameSort: string; id: number } | null) {
  const [walked, ...checked] = tokens;
  const gram = (alias: string, column: 'gram' | 'sortKey' | 'personId') => sql.ref(`${alias}.${column}`);
  const conditions = [
    sql`${gram('g', 'gram')} = ${walked}`,
    sql`${sql.ref(`${table}.id`)} = ${gram('g', 'personId')}`,
    sql`${sql.ref(`${table}.nameSort`)} = ${gram('g', 'sortKey')}`,
    ...checked.map(
      (token) => sql`exists (select 1 from ${sql.table(`${table}Grams`)} as o where ${gram('o', 'gram')} = ${token} and ${gram('o', 'sortKey')} = ${gram('g', 'sortKey')} and ${gram('o', 'personId')} = ${gram('g', 'personId')})`,
    ),
  ];
  // A row-value bound seeks into the key instead of filtering from the gram's first row.
  if (after) conditions.push(sql`(${gram('g', 'sortKey')}, ${gram('g', 'personId')}) > (${after.nameSort}, ${after.id})`);
  return { where: sql<SqlBool>`${sql.join(conditions, sql` and `)}`, order: [gram('g', 'sortKey'), gram('g', 'personId')] as const };
}
