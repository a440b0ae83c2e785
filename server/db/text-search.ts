import { CompiledQuery, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { engineOf } from './engine.js';
import { unitRootOfPath } from './migrations/2026-12-05T1910-search-gram-root-walk.js';
import type { Database } from './tables.js';

// Where the n-gram tokens of core/text-search.ts live: `<table>_grams`, each beside the person's sort key and
// top-level unit, with a copy of their unit path, walked in list order (see searchWalks). The same statements
// on both engines, but for a search over several top-level committees (merged walks on SQLite only).

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
 * T1525-search-gram-scope, T0900-search-gram-root-key): a person's grams replaced, each beside the sort key,
 * top-level unit and unit path read from the person's row, so it must run after the row's name is written,
 * in the same transaction (a later change of the path alone is followed by a trigger). `fresh` rows were
 * just inserted and have none to delete.
 */
export async function writeSearchGrams(db: AnyDb, table: SearchableTable, rows: readonly { id: number; tokens: readonly string[] }[], fresh = false): Promise<void> {
  if (rows.length === 0) return;
  const grams = sql.table(`${table}_grams`);
  if (!fresh) await sql`delete from ${grams} where person_id in (${sql.join(rows.map((r) => r.id))})`.execute(db);
  const pairs = rows.flatMap((r) => r.tokens.map((gram) => sql`(cast(${r.id} as integer), ${gram})`));
  const root = sql`coalesce(${unitRootOfPath(engineOf(db), 'p.unit_path')}, '')`;
  for (let start = 0; start < pairs.length; start += GRAMS_PER_INSERT) {
    // The cast types the VALUES column on PostgreSQL, which would otherwise take an untyped parameter as text.
    await sql`with v(person_id, gram) as (values ${sql.join(pairs.slice(start, start + GRAMS_PER_INSERT))})
      insert into ${grams} (gram, root, sort_key, person_id, unit_path) select v.gram, ${root}, p.name_sort, p.id, p.unit_path from v join ${sql.table(table)} p on p.id = v.person_id`.execute(db);
  }
}

/** A person just inserted, with what their gram rows copy from the row the caller wrote. */
export type NewPerson = { id: number; nameSort: string; unitPath: string | null; tokens: readonly string[] };
type GramRow = { gram: string; root: string; sortKey: string; personId: number; unitPath: string | null };

/** The key's order (gram, root, sort key, person), as both engines compare the "C"/binary text. */
export function byGramKey(a: GramRow, b: GramRow): number {
  return compareGramKeys(a.gram, a.root, a.sortKey, a.personId, b.gram, b.root, b.sortKey, b.personId);
}

function compareGramKeys(gramA: string, rootA: string, sortKeyA: string, personA: number, gramB: string, rootB: string, sortKeyB: string, personB: number): number {
  if (gramA !== gramB) return gramA < gramB ? -1 : 1;
  if (rootA !== rootB) return rootA < rootB ? -1 : 1;
  if (sortKeyA !== sortKeyB) return sortKeyA < sortKeyB ? -1 : 1;
  return personA - personB;
}

// Ready gram rows per INSERT: five parameters each, far below SQLite's 32,766 and PostgreSQL's 65,535.
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
  const roots = people.map((p) => gramRootOf(p.unitPath));
  let width = 1;
  for (const p of people) width = Math.max(width, p.tokens.length);
  // A gram row is one number until it is written (its person's place × width + its token's), and the numbers
  // are what is sorted: an object a row, made for a whole transaction, was the largest thing the import
  // thread held (~480,000 rows at 80,000 new workers; issue 6, the server's memory).
  const refs: number[] = [];
  for (let at = 0; at < people.length; at++) for (let t = 0; t < people[at]!.tokens.length; t++) refs.push(at * width + t);
  const personAt = (ref: number) => people[Math.floor(ref / width)]!;
  const gramAt = (ref: number) => personAt(ref).tokens[ref % width]!;
  const rootAt = (ref: number) => roots[Math.floor(ref / width)]!;
  refs.sort((a, b) => {
    const [pa, pb] = [personAt(a), personAt(b)];
    return compareGramKeys(gramAt(a), rootAt(a), pa.nameSort, pa.id, gramAt(b), rootAt(b), pb.nameSort, pb.id);
  });
  const postgres = engineOf(db) === 'postgres';
  for (let start = 0; start < refs.length; start += NEW_GRAMS_PER_INSERT) {
    const count = Math.min(NEW_GRAMS_PER_INSERT, refs.length - start);
    const id = `${table}:${count}:${postgres}`;
    let text = newGramsTexts.get(id);
    if (text === undefined) {
      const tuples = Array.from({ length: count }, (_, r) => (postgres ? `(${[1, 2, 3, 4, 5].map((c) => `$${r * 5 + c}`).join(',')})` : '(?,?,?,?,?)'));
      newGramsTexts.set(id, (text = `insert into ${table}_grams (gram, root, sort_key, person_id, unit_path) values ${tuples.join(',')}`));
    }
    const values: (string | number | null)[] = [];
    for (let i = start; i < start + count; i++) {
      const ref = refs[i]!;
      const p = personAt(ref);
      values.push(gramAt(ref), rootAt(ref), p.nameSort, p.id, p.unitPath);
    }
    await db.executeQuery(CompiledQuery.raw(text, values));
  }
}

type Cursor = { nameSort: string; id: number };

// SQLite caps a compound SELECT at 500 terms; past this many top-level units one walk of the gram is sorted instead.
const MERGED_ROOTS_AT_MOST = 400;

/**
 * The people of `table` whose grams include every token, in list order (sort key, id) after the cursor:
 * `<table>_grams` aliased `g`, walked along one gram's key and cross-joined with the person's row by id and
 * sort key (`cross join` keeps the walk as SQLite's outer loop; PostgreSQL plans by cost). Each other token
 * is one key look-up. `within(column)` gives the scope's conditions on a unit-path column: they are tested
 * on the gram row's copy of the path, so people of other subtrees are passed over inside the key, never
 * looked up, and the walk stops once the page is full. The caller filters the person's own columns (the
 * scope again on the person's path, which is the truth; status, consent) and picks them on each walk, then
 * runs them as one page (listPage); no gram column enters the builder's type.
 *
 * `scopeRoots` (see searchRoots) are the top-level units whose rows the scope may hold (migration
 * 2026-12-06T0900-search-gram-root-key). Under one root the walk goes along (gram, root, sort key, person),
 * reading that committee's rows only, whatever the number of other provinces. Under several, on SQLite there
 * is one such walk per root, and listPage merges them in list order (the key has no other order); on
 * PostgreSQL, which cannot merge them, one walk goes along its (gram, sort key, person) key. Either way a
 * page stops at its limit without a sort.
 */
export async function searchWalks<T extends SearchableTable>(
  db: Kysely<Database>,
  table: T,
  tokens: readonly [string, ...string[]],
  after: Cursor | null,
  within: (unitPathColumn: string) => readonly Expression<SqlBool>[],
  scopeRoots: readonly string[] | 'all',
): Promise<SelectQueryBuilder<Database, T, object>[]> {
  const walk = (root: string | null) => searchWalk(db, table, tokens, after, within, root);
  // No root: no grant, nothing to find.
  if (scopeRoots !== 'all' && scopeRoots.length === 0) return [walk(null).where(sql<SqlBool>`1 = 0`)];
  if (scopeRoots !== 'all' && scopeRoots.length === 1) return [walk(scopeRoots[0]!)];
  // Several roots: PostgreSQL walks its key over everything; SQLite one walk per root, to merge.
  if (engineOf(db) === 'postgres') return [walk(null)];
  const roots = scopeRoots === 'all' ? await everyRoot(db) : scopeRoots;
  return roots.length <= MERGED_ROOTS_AT_MOST ? roots.map(walk) : [walk(null)];
}

/** Every root a gram row may have: each top-level unit, and '' (people placed in no unit yet). */
async function everyRoot(db: Kysely<Database>): Promise<string[]> {
  const tops = await db.selectFrom('orgUnits').select('id').where('parentId', 'is', null).orderBy('id').execute();
  return ['', ...tops.map((u) => String(u.id))];
}

/** One walk: under `root` alone, or (null) along the key over every root. */
function searchWalk<T extends SearchableTable>(
  db: Kysely<Database>,
  table: T,
  tokens: readonly [string, ...string[]],
  after: Cursor | null,
  within: (unitPathColumn: string) => readonly Expression<SqlBool>[],
  root: string | null,
): SelectQueryBuilder<Database, T, object> {
  const [walked, ...checked] = tokens;
  const gram = (alias: string, column: 'gram' | 'root' | 'sortKey' | 'personId') => sql.ref(`${alias}.${column}`);
  const conditions = [
    sql<SqlBool>`${gram('g', 'gram')} = ${walked}`,
    ...(root === null ? [] : [sql<SqlBool>`${gram('g', 'root')} = ${root}`]),
    ...within('g.unitPath'),
    sql<SqlBool>`${sql.ref(`${table}.id`)} = ${gram('g', 'personId')}`,
    sql<SqlBool>`${sql.ref(`${table}.nameSort`)} = ${gram('g', 'sortKey')}`,
    ...checked.map(
      (token) =>
        sql<SqlBool>`exists (select 1 from ${sql.table(`${table}Grams`)} as o where ${gram('o', 'gram')} = ${token} and ${gram('o', 'root')} = ${gram('g', 'root')} and ${gram('o', 'sortKey')} = ${gram('g', 'sortKey')} and ${gram('o', 'personId')} = ${gram('g', 'personId')})`,
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

/**
 * A list's page from its walks, each filtered and picked by the caller: the one walk limited, or (SQLite,
 * several roots) the walks as one compound SELECT ordered by each walk's own key columns, which SQLite
 * answers by merging them (each term already in that order, so no sort, and it stops at the limit).
 */
export function listPage<T extends keyof Database, O>(walks: readonly SelectQueryBuilder<Database, T, O>[], limit: number): SelectQueryBuilder<Database, T, O> {
  const [first, ...rest] = walks;
  if (first === undefined) throw new Error('a list page needs a walk');
  if (rest.length === 0) return first.limit(limit);
  // The walk's key columns by names of their own: SQLite merges only when the compound's ORDER BY names
  // columns each term delivers in its index's order.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the key columns are not in the caller's row type
  const keyed = walks.map((w) => (w as SelectQueryBuilder<any, any, any>).clearOrderBy().select([sql.ref('g.sortKey').as('walkSortKey'), sql.ref('g.personId').as('walkPersonId')]));
  const merged = keyed.slice(1).reduce((all, w) => all.unionAll(w), keyed[0]!);
  return merged.orderBy('walkSortKey').orderBy('walkPersonId').limit(limit) as SelectQueryBuilder<Database, T, O>;
}

/**
 * The top-level units (as the key's `root`) whose rows a list may return: a subtree filter's alone (rows
 * outside it are never listed); else the grants' own; 'all' for a scope over everything (people placed in
 * no unit yet included).
 */
export function searchRoots(scope: readonly string[] | 'all', subtree?: string): readonly string[] | 'all' {
  if (subtree) return rootsOf([subtree]);
  return scope === 'all' ? 'all' : rootsOf(scope);
}

/** The distinct top-level units of some unit paths; a text that is no path holds no row (the scope test finds none). */
function rootsOf(paths: readonly string[]): string[] {
  return [...new Set(paths.map(rootOfPath).filter((r): r is string => r !== null))];
}

/** A unit path's top-level unit id: '/1/7/42/' → '1'; null for anything else. */
export function rootOfPath(path: string): string | null {
  return /^\/(\d+)\//.exec(path)?.[1] ?? null;
}

/** A gram row's `root`, as the writers and the triggers make it from the person's path: '' for none. */
export function gramRootOf(unitPath: string | null): string {
  return (unitPath === null ? null : rootOfPath(unitPath)) ?? '';
}
