// Kysely's SQLite driver calls prepare() for every statement it runs: compiling the same SQL text again
// on each request was ~12 % of a filing's CPU under load (issue 6, --cpu-prof of the bench server).
import type SQLite from 'better-sqlite3';

/** The app's statements are a few hundred shapes; multi-row INSERTs of other sizes only churn the tail. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * Makes the connection's prepare() keep the statements it made by SQL text (evicting the oldest when
 * full). Safe on this connection because Kysely runs one statement at a time on it (its SQLite driver
 * holds a mutex), each run()/all() resets the statement, and SQLite re-prepares a statement by itself
 * after a schema change. A statement still iterating (a streamed query) is busy: then a fresh one is
 * prepared for the caller. The method is replaced on the instance, not behind a Proxy: a trap on every
 * property access cost more than the cache saved.
 */
export function withStatementCache(raw: SQLite.Database, size = STATEMENT_CACHE_SIZE): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepareAnew = raw.prepare.bind(raw);
  const prepare = (source: string): SQLite.Statement => {
    const cached = cache.get(source);
    if (cached && !cached.busy) return cached;
    const statement = prepareAnew(source);
    if (cached) return statement;
    if (cache.size >= size) cache.delete(cache.keys().next().value as string);
    cache.set(source, statement);
    return statement;
  };
  raw.prepare = prepare as typeof raw.prepare;
  return raw;
}
