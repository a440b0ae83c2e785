import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';
import type { Engine } from './database.js';

// The one place that knows which engine a Kysely instance talks to. Dialect-specific SQL elsewhere
// asks here instead of guessing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: migrations see Kysely<unknown>, queries Kysely<Database>
export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Column types that differ between the engines, named by what they hold. */
export function columnTypes(db: Kysely<unknown>) {
  const postgres = engineOf(db) === 'postgres';
  return {
    id: (postgres ? 'serial' : 'integer') as ColumnDataType,
    bigId: (postgres ? 'bigserial' : 'integer') as ColumnDataType,
    timestamp: (postgres ? 'timestamptz' : 'text') as ColumnDataType,
    date: (postgres ? 'date' : 'text') as ColumnDataType,
    postgres,
  };
}

/**
 * A unique-index or primary-key violation on either engine: the database's answer when two requests
 * race past the same check. PostgreSQL says 23505, better-sqlite3 names the constraint kind.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
