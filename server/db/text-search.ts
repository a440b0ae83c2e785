import { CompiledQuery, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { engineOf } from './engine.js';
import { unitRootOfPath } from './migrations/2026-12-05T1910-search-gram-root-walk.js';
import type { Database } from './tables.js';

// Where the n-gram tokens of core/text-search.ts live: `<table>_grams`, each beside the person's sort key,
// with a copy of their unit path, walked in list order (see searchWalk). The same statements on both engines.

export type SearchableTable = 'workers' | 'members';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema holding these tables
type AnyDb = Kysely<any>;

/** A person's search tokens replaced (none: an erased person is found by nothing). */
export async function writeSearchTokens(db: AnyDb, table: SearchableTable, id: number, tokens: readonly string[]): Promise<void> {
  await writeSearchGrams(db, table, [{ id, tokens }]);
}

/** Many people's tokens replaced at once, for imports and seeding. */
export async function writeSearchTokensBatch(db: AnyDb, table: SearchableTable, rows: readonly { id: number; tokens: readonly string[] }[]): Promise<void> {
  await writeSearchGrams(db, table, rows);
}

// Grams per INSERT: two parameters each, far below SQLite's 32,766 and PostgreSQL's 65,535.
const GRAMS_PER_INSERT = 5_000;

/**
 * The ordered-walk copy of the tokens (`<table>_grams`, see migrations 2026-12-05T1210-search-grams and
 * T1525-search-gram-scope): a person's grams replaced, each beside the sort key and unit path read from the
 * person's row, so it must run after the row's name is written, in the same transaction (a later change of
 * the path alone is followed by a trigger). `fresh` rows were just inserted and have none to delete.
 */
export async function writeSearchGrams(db: AnyDb, table: SearchableTable, rows: readonly { id: number; tokens: readonly string[] }[], fresh = false): Promise<void> {
  if (rows.length === 0) return;
  const grams = sql.table(`${table}_grams`);
  if (!fresh) await sql`delete from ${grams} where person_id in (${sql.join(rows.map((r) => r.id))})`.execute(db);
  const pairs = rows.flatMap((r) => r.tokens.map((gram) => sql`(cast(${r.id} as integer), ${gram})`));
  for (let start = 0; start < pairs.length; start += GRAMS_PER_INSERT) {
    // The cast types the VALUES column on PostgreSQL, which would otherwise take an untyped parameter as text.
    await sql`with v(person_id, gram) as (values ${sql.join(pairs.slice(start, start + GRAMS_PER_INSERT))})
      insert into ${grams} (gram, sort_key, person_id, unit_path) select v.gram, p.name_sort, p.id, p.unit_path from v join ${sql.table(table)} p on p.id = v.person_id`.execute(db);
  }
}

/** A person just inserted, with what their gram rows copy from the row the caller wrote. */
export type NewPerson = { id: number; nameSort: string; unitPath: string | null; tokens: readonly string[] };
type GramRow = { gram: string; sortKey: string; personId: number; unitPath: string | null };

/** The walk key's order (gram, sort key, person), as both engines compare the "C"/binary text. */
export function byGramKey(a: GramRow, b: GramRow): number {
  if (a.gram !== b.gram) return a.gram < b.gram ? -1 : 1;
  if (a.sortKey !== b.sortKey) return a.sortKey < b.sortKey ? -1 : 1;
  return a.personId - b.personId;
}

// Ready gram rows per INSERT: four parameters each, far below SQLite's 32,766 and PostgreSQL's 65,535.
const NEW_GRAMS_PER_INSERT = 1_000;
const newGramsTexts = new Map<string, string>();

/**
 * The grams of people the caller has just inserted in this transaction (an import's new workers): the same
 * rows writeSearchGrams would write, from the sort key and unit path the caller holds instead of a join
 * back to each person, written in the key's order (each statement then fills a few runs of the key's
 * b-tree instead of touching a page per row: at a million workers ~6 rows a person land all over it), and
 * with the statement text made once per size (no builder tree per value).
 */
export async function writeNewPeopleGrams(db: AnyDb, table: SearchableTable, people: readonly NewPerson[]): Promise<void> {
  const rows: GramRow[] = [];
  for (const p of people) for (const gram of p.tokens) rows.push({ gram, sortKey: p.nameSort, personId: p.id, unitPath: p.unitPath });
  rows.sort(byGramKey);
  const postgres = engineOf(db) === 'postgres';
  for (let start = 0; start < rows.length; start += NEW_GRAMS_PER_INSERT) {
    const some = rows.slice(start, start + NEW_GRAMS_PER_INSERT);
    const id = `${table}:${some.length}:${postgres}`;
    let text = newGramsTexts.get(id);
    if (text === undefined) {
      const tuples = some.map((_, r) => (postgres ? `($${r * 4 + 1},$${r * 4 + 2},$${r * 4 + 3},$${r * 4 + 4})` : '(?,?,?,?)'));
      newGramsTexts.set(id, (text = `insert into ${table}_grams (gram, sort_key, person_id, unit_path) values ${tuples.join(',')}`));
    }
    const values: (string | number | null)[] = [];
    for (const r of some) values.push(r.gram, r.sortKey, r.personId, r.unitPath);
    await db.executeQuery(CompiledQuery.raw(text, values));
  }
}

type Cursor = { nameSort: string; id: number };

/**
 * The people of `table` whose grams include every token, in list order (sort key, id) after the cursor:
 * `<table>_grams` aliased `g`, walked along one gram's key and cross-joined with the person's row by id and
 * sort key (`cross join` keeps the walk as SQLite's outer loop; PostgreSQL plans by cost). Each other token
 * is one key look-up. `within(column)` gives the scope's conditions on a unit-path column: they are tested
 * on the gram row's copy of the path, so people of other subtrees are passed over inside the index, never
 * looked up, and the walk stops once the page is full. The caller filters the person's own columns (the
 * scope again on the person's path, which is the truth; status, consent) and picks them; no gram column
 * enters the builder's type.
 *
 * `root` (see rootOfScope) is the top-level unit every row in scope lies under: the walk then goes along
 * `<table>_grams_root_walk`, (gram, top-level unit, sort key, person), reading that committee's rows only,
 * whatever the number of other provinces (migration 2026-12-05T1910-search-gram-root-walk).
 */
export function searchWalk<T extends SearchableTable>(
  db: Kysely<Database>,
  table: T,
  tokens: readonly [string, ...string[]],
  after: Cursor | null,
  within: (unitPathColumn: string) => readonly Expression<SqlBool>[],
  root: string | null = null,
): SelectQueryBuilder<Database, T, object> {
  const [walked, ...checked] = tokens;
  const gram = (alias: string, column: 'gram' | 'sortKey' | 'personId') => sql.ref(`${alias}.${column}`);
  const conditions = [
    sql<SqlBool>`${gram('g', 'gram')} = ${walked}`,
    // The index's own expression, equal to the root: the walk's second key column.
    ...(root === null ? [] : [sql<SqlBool>`${unitRootOfPath(engineOf(db), 'g.unitPath')} = ${root}`]),
    ...within('g.unitPath'),
    sql<SqlBool>`${sql.ref(`${table}.id`)} = ${gram('g', 'personId')}`,
    sql<SqlBool>`${sql.ref(`${table}.nameSort`)} = ${gram('g', 'sortKey')}`,
    ...checked.map(
      (token) =>
        sql<SqlBool>`exists (select 1 from ${sql.table(`${table}Grams`)} as o where ${gram('o', 'gram')} = ${token} and ${gram('o', 'sortKey')} = ${gram('g', 'sortKey')} and ${gram('o', 'personId')} = ${gram('g', 'personId')})`,
    ),
  ];
  // A row-value bound seeks into the key instead of filtering from the gram's first row.
  if (after) conditions.push(sql<SqlBool>`(${gram('g', 'sortKey')}, ${gram('g', 'personId')}) > (${after.nameSort}, ${after.id})`);
  // Kysely cannot type a join over a table name chosen at run time; the result is typed as the person's table.
  const grams: string = `${table}Grams as g`;
  const person: string = table;
  const walk = (db as AnyDb)
    .selectFrom(grams)
    .crossJoin(person)
    .where(sql<SqlBool>`${sql.join(conditions, sql` and `)}`)
    .orderBy(gram('g', 'sortKey'))
    .orderBy(gram('g', 'personId'));
  return walk as SelectQueryBuilder<Database, T, object>;
}

/** A unit path's top-level unit id, as the root-walk index keeps it: '/1/7/42/' → '1'; null for anything else. */
export function rootOfPath(path: string): string | null {
  return /^\/(\d+)\//.exec(path)?.[1] ?? null;
}

/**
 * The one top-level unit that holds every row a list may return, or null when there is none (everything,
 * or grants under several top-level units): a subtree filter decides alone (rows outside it are never
 * listed), else grants that all lie under one top-level unit.
 */
export function rootOfScope(scope: readonly string[] | 'all', subtree?: string): string | null {
  if (subtree) return rootOfPath(subtree);
  if (scope === 'all' || scope.length === 0) return null;
  const roots = new Set(scope.map(rootOfPath));
  const [only] = roots;
  return roots.size === 1 && only !== undefined ? only : null;
}
