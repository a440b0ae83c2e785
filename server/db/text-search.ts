import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { engineOf } from './engine.js';

// Where the n-gram tokens of core/text-search.ts live differs by engine: SQLite keeps them in an FTS5
// table whose rowid is the person's id; PostgreSQL in a text[] column under a GIN index. This is the
// one adapter that knows; queries ask it for a condition and never see the difference.

export type SearchableTable = 'workers' | 'members';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema holding these tables
type AnyDb = Kysely<any>;

export async function writeSearchTokens(db: AnyDb, table: SearchableTable, id: number, tokens: readonly string[]): Promise<void> {
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
