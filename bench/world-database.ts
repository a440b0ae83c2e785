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
 * A multi-row INSERT that could fail part-way (a unique key, a NOT NULL) keeps a statement journal: a
 * copy of every page it touches, malloc'd and freed statement by statement, to undo its own rows. On a
 * million workers that copying was a fifth of the load (perf: memjrnlWrite, unlink_chunk). OR ROLLBACK
 * makes a failure end the whole transaction instead, which needs no such copy — and a failed row fails
 * the load either way (the file is thrown away). Statements with their own ON CONFLICT are left alone.
 */
const withoutStatementJournal = (source: string) => (/^insert into /i.test(source) && !/\bon conflict\b/i.test(source) ? `insert or rollback into ${source.slice('insert into '.length)}` : source);

/**
 * Kysely's SQLite driver prepares every statement it runs. This hands it a connection whose
 * prepare() remembers the last few hundred statement texts, so the same generators, unchanged,
 * run each multi-row INSERT as a prepared statement (and without a statement journal). After an
 * INSERT OR ROLLBACK has failed there is no transaction left to roll back: Kysely's ROLLBACK is then
 * skipped, so the error that ended it is the one that reaches the generator's caller.
 */
function withStatementCache(raw: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const rollback = raw.prepare('rollback');
  const noTransaction = { run: () => ({ changes: 0, lastInsertRowid: 0 }), reader: false } as unknown as SQLite.Statement;
  const prepare = (source: string) => {
    if (source === 'rollback') return raw.inTransaction ? rollback : noTransaction;
    let statement = cache.get(source);
    if (statement) return statement;
    statement = raw.prepare(withoutStatementJournal(source));
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
 * so the indexes of a million rows stay in memory, temporary sorts in memory. Foreign keys are checked
 * once, over the whole file, when the load finishes: checked row by row, each INSERT could fail
 * part-way and so kept a statement journal again (and the look-ups cost a fifth of a row's insert).
 */
export function openBulkSqlite(file: string): BulkSqlite {
  const raw = new SQLite(file);
  raw.pragma('journal_mode = OFF');
  raw.pragma('synchronous = OFF');
  raw.pragma('locking_mode = EXCLUSIVE');
  raw.pragma('cache_size = -1048576');
  raw.pragma('temp_store = MEMORY');
  raw.pragma('foreign_keys = OFF');
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
      const broken = raw.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
      if (broken.length > 0) {
        const first = broken[0]!;
        throw new Error(`The world breaks ${broken.length} foreign key(s), the first a row of ${first.table} (rowid ${first.rowid}) with no ${first.parent}`);
      }
      // The file is left as the app leaves its own: in WAL mode (a property of the file) with nothing
      // pending. synchronous and the lock mode are per connection and end with this one.
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
