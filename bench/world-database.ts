// The bench's own SQLite connection for generating a world: the same Kysely query code as the app,
// on a connection tuned for one bulk load and nothing else. Used only while a world is written,
// never by the server under test, which opens the finished file with the app's own settings.
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../server/db/tables.js';

export type BulkSqlite = {
  db: Kysely<Database>;
  /** Puts back what the app expects to find (WAL), writes everything to the main file and closes. */
  finish: () => Promise<void>;
  /** Closes without finishing: the file is to be thrown away. */
  abandon: () => Promise<void>;
};

// Statements kept prepared. The generators write 500-row INSERTs of a few dozen shapes; compiling
// such a statement (10,000 bound parameters) again for every batch cost more than running it.
const STATEMENT_CACHE = 256;

/**
 * Kysely's SQLite driver prepares every statement it runs. This hands it a connection whose
 * prepare() remembers the last few hundred statement texts, so the same generators, unchanged,
 * run each multi-row INSERT as a prepared statement.
 */
function withStatementCache(raw: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (source: string) => {
    let statement = cache.get(source);
    if (statement) return statement;
    statement = raw.prepare(source);
    if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
    cache.set(source, statement);
    return statement;
  };
  return new Proxy(raw, {
    get: (target, key): unknown => {
      if (key === 'prepare') return prepare;
      // Native methods check their receiver: they are called on the connection, not on this proxy.
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Opens a new, empty file for a bulk load. No journal and no fsync (a crash mid-load leaves a file
 * that is thrown away: the world is regenerated, never repaired), an exclusive lock, a 1 GB page cache
 * so the indexes of a million rows stay in memory, temporary sorts in memory. Foreign keys stay on:
 * the generators' rows are checked as the app's would be.
 */
export function openBulkSqlite(file: string): BulkSqlite {
  const raw = new SQLite(file);
  raw.pragma('journal_mode = OFF');
  raw.pragma('synchronous = OFF');
  raw.pragma('locking_mode = EXCLUSIVE');
  raw.pragma('cache_size = -1048576');
  raw.pragma('temp_store = MEMORY');
  raw.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }), plugins: [new CamelCasePlugin()] });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await db.destroy();
  };
  return {
    db,
    finish: async () => {
      // The file is left as the app leaves its own: in WAL mode (a property of the file) with nothing
      // pending. synchronous and the lock mode are per connection and end with this one. (Foreign keys
      // were checked row by row as the rows went in.)
      raw.pragma('locking_mode = NORMAL');
      raw.pragma('synchronous = FULL');
      const mode = raw.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`The world's file would not switch to WAL (${String(mode)})`);
      raw.pragma('wal_checkpoint(TRUNCATE)');
      await close();
    },
    abandon: close,
  };
}
