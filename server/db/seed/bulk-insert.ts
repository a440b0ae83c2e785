// Multi-row INSERTs for seeding large worlds. Kysely's builder is the right tool for queries, but
// for 100,000 rows compiling the insert trees (and camel-casing every node) took longer than the
// database took to store the rows, so this writes the statement text directly and hands Kysely a
// compiled query. Only the bound-parameter syntax differs between the engines.
import { CompiledQuery, type Kysely, sql, type Transaction } from 'kysely';
import { engineOf } from '../engine.js';
import type { Database } from '../tables.js';

// Rows per INSERT: 500 × 14 columns stays far below SQLite's 32,766 and PostgreSQL's 65,535 bound
// parameters, and larger statements stop paying off.
export const BATCH_SIZE = 500;

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Inserts rows in batches of BATCH_SIZE, each row's values taken from the given (camelCase)
 * columns. Values must already be in their stored form: strings, numbers or null.
 */
export async function insertRows<T extends keyof Database, C extends keyof Database[T] & string>(
  db: Kysely<Database>,
  table: T,
  columns: readonly C[],
  rows: readonly { readonly [K in C]: string | number | null }[],
): Promise<void> {
  const postgres = engineOf(db) === 'postgres';
  const head = `insert into "${snakeCase(table)}" (${columns.map((c) => `"${snakeCase(c)}"`).join(', ')}) values `;
  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    const batch = rows.slice(start, start + BATCH_SIZE);
    const parameters: (string | number | null)[] = [];
    const tuples: string[] = [];
    for (const row of batch) {
      const marks: string[] = [];
      for (const column of columns) {
        parameters.push(row[column]);
        // PostgreSQL numbers its parameters ($1, $2, …); SQLite takes them in order (?).
        marks.push(postgres ? `$${parameters.length}` : '?');
      }
      tuples.push(`(${marks.join(', ')})`);
    }
    await db.executeQuery(CompiledQuery.raw(head + tuples.join(', '), parameters));
  }
}

/**
 * Runs a bulk write into `table` in one transaction with the table's secondary indexes dropped first and
 * made again after (one sort each instead of every row landing all over each index's b-tree). The primary
 * key and the indexes behind constraints stay. On SQLite the main schema's, so a file attached beside it
 * with tables of the same names is left alone.
 */
export async function withIndexesMadeAfter(db: Kysely<Database>, table: string, write: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
  const { rows: indexes } =
    engineOf(db) === 'postgres'
      ? await sql<{ name: string; definition: string }>`select indexname as name, indexdef as definition from pg_indexes
          where tablename = ${table} and schemaname = current_schema() and indexname not in (select conname from pg_constraint)`.execute(db)
      : await sql<{ name: string; definition: string }>`select name, sql as definition from main.sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db);
  await db.transaction().execute(async (trx) => {
    for (const index of indexes) await sql`drop index ${engineOf(db) === 'postgres' ? sql.id(index.name) : sql.id('main', index.name)}`.execute(trx);
    await write(trx);
    for (const index of indexes) await sql.raw(index.definition).execute(trx);
  });
}
