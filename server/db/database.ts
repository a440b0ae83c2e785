import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, type LogConfig, type PluginTransformResultArgs, PostgresDialect, type QueryResult, SqliteDialect, type UnknownRow } from 'kysely';
import pg from 'pg';
import { statementName } from './statement-names.js';
import { routingSqliteDialect } from './sqlite-routing.js';
import { noWalSync, syncFileData, walDurability } from './wal-sync.js';
import { withStatementCache } from './statement-cache.js';
import type { Database } from './tables.js';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

export type Engine = 'sqlite' | 'postgres';

export type ConvoyDb = Kysely<Database>;

export type DatabaseHandle = {
  db: ConvoyDb;
  /**
   * The same database for background work, which nobody waits for as it runs (the schedulers, the outbox's
   * delivery). On a SQLite file its writers are patient (sqlite-routing.ts): a long import does not roll back
   * for them. Elsewhere it is `db` itself.
   */
  backgroundDb: ConvoyDb;
  engine: Engine;
  /** Closes every connection; the handle is unusable afterwards. */
  destroy: () => Promise<void>;
  /**
   * SQLite files: from now on WAL checkpoints run on a worker thread instead of inside a request's COMMIT
   * (db/wal-checkpointer.ts); the server calls it once its migrations are done. Null where there is no WAL.
   * Tests pass smaller figures than the server's.
   */
  checkpointInBackground?: (options?: { restartAtFrames?: number; intervalMs?: number }) => WalCheckpointer | null;
  /** SQLite: statements and transactions waiting for the write connection now, but background work's (0 on PostgreSQL). */
  writersWaiting?: () => number;
  /** SQLite files: the counts in shared memory (sqlite-routing.ts, WaitingWriters), which the import thread reads (modules/imports/imports.thread.ts). */
  waitingWriters?: SharedArrayBuffer;
};

export function engineOfUrl(url: string): Engine {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:…")`);
}

// PostgreSQL hands back timestamps as Date objects, dates as local Dates and int8 as strings; SQLite
// stores ISO text and plain numbers. Parsing the PostgreSQL values into the same shapes lets one query
// code serve both engines.
const TIMESTAMPTZ_OID = 1184;
const TIMESTAMP_OID = 1114;
const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

function postgresTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === TIMESTAMPTZ_OID || oid === TIMESTAMP_OID) return (value) => new Date(value).toISOString();
  if (oid === DATE_OID) return (value) => value;
  if (oid === INT8_OID || oid === NUMERIC_OID) return (value) => Number(value);
  return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
}

// FULL is the promise in the README; CONVOY_SQLITE_SYNCHRONOUS=NORMAL exists so that `npm run bench` can
// measure what that promise costs (issue 7 asks for the durability choice to rest on a measurement).
function sqliteSynchronous(): 'FULL' | 'NORMAL' {
  const value = (process.env.CONVOY_SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase();
  if (value !== 'FULL' && value !== 'NORMAL') throw new Error(`CONVOY_SQLITE_SYNCHRONOUS must be FULL or NORMAL (got "${value}")`);
  return value;
}

/**
 * The settings of a SQLite connection that writes: the server's, the import thread's, and the bench's raw
 * insert (its storage ceiling must write as the app does).
 */
export function applyWriterPragmas(sqlite: SQLite.Database): void {
  // WAL lets readers work while one writer commits; synchronous=FULL makes every acknowledged commit
  // survive a power loss (NORMAL would only survive a process crash). The server's own writer then commits
  // as NORMAL and syncs the WAL off the event loop before answering (openDatabase, db/wal-sync.ts), which
  // keeps that promise. busy_timeout waits for another process's write instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${sqliteSynchronous()}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Statement and savepoint journals in memory. Inside a transaction every statement that may fail half-way
  // (a multi-row insert with a unique key, a trigger) and every savepoint (group commit's members) copies
  // each page before its first change, so that it can be undone alone; past 64 KB SQLite moved that copy
  // into a temporary file, a write() per page. The import's 40,000-row transactions spent 18 % of their
  // time in those writes (perf at 1m, issue 6). The copies live until the statement or savepoint ends.
  // Temporary tables and sorts stay in memory as well, however large (a 200,000-row sort: +29 MB). Migrations
  // sort whole tables (index builds, backfills), so they run with files (withSortsOnDisk, db/migrate.ts).
  sqlite.pragma('temp_store = MEMORY');
}

export type DatabaseOptions = {
  poolSize?: number;
  /** Kysely's: tests count the statements a request costs through it (appeals.statements.test.ts). */
  log?: LogConfig;
  /** PostgreSQL: told when the server ends an idle connection (by default a line on stderr). */
  onConnectionLost?: (error: Error) => void;
  /** SQLite file: how the WAL is synced after a commit (db/wal-sync.ts); tests hold it to see who waits for it. */
  syncWal?: (walFile: string) => Promise<void>;
};

/**
 * The CamelCasePlugin for the routed SQLite connections: their driver builds each row with camelCased keys
 * already (db/sqlite-rows.ts), with this plugin's own renaming, so its second pass over the rows is left out.
 */
class CamelCaseQueries extends CamelCasePlugin {
  readonly columnKey = (column: string) => this.camelCase(column);
  override transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

export function openDatabase(url: string, options: DatabaseOptions = {}): DatabaseHandle {
  const engine = engineOfUrl(url);
  const plugins = [new CamelCasePlugin()];
  if (engine === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
    const sqlite = new SQLite(file);
    applyWriterPragmas(sqlite);
    // A file gets a second connection for reads, so a long transaction holds up writers only (sqlite-routing.ts).
    // Its writer waits for another connection's write lock on a timer instead of in SQLite's busy handler,
    // which would stop the event loop meanwhile: hence no busy timeout once the pragmas above are set.
    const camelCase = new CamelCaseQueries();
    // FULL's sync of each COMMIT moves off the event loop: the writer commits as NORMAL and the routing syncs
    // the WAL on the thread pool before it answers (db/wal-sync.ts).
    const syncWal = options.syncWal ?? syncFileData;
    const durability = file !== ':memory:' && sqliteSynchronous() === 'FULL' ? walDurability(() => syncWal(`${file}-wal`)) : noWalSync;
    if (durability !== noWalSync) sqlite.pragma('synchronous = NORMAL');
    const routing = file === ':memory:' ? null : routingSqliteDialect(withStatementCache(sqlite), withStatementCache(openReader(file)), camelCase.columnKey, durability);
    if (routing) sqlite.pragma('busy_timeout = 0');
    const dialect = routing?.dialect ?? new SqliteDialect({ database: withStatementCache(sqlite) });
    const db = new Kysely<Database>({ dialect, plugins: routing ? [camelCase] : plugins, log: options.log });
    const backgroundDb = routing ? new Kysely<Database>({ dialect: routing.patientDialect, plugins: [camelCase], log: options.log }) : db;
    let checkpointer: WalCheckpointer | null = null;
    const checkpointInBackground = (tuning: { restartAtFrames?: number; intervalMs?: number } = {}) => {
      if (file === ':memory:') return null;
      if (checkpointer) return checkpointer;
      sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
      checkpointer = startWalCheckpointer(file, { synchronous: sqliteSynchronous(), ...tuning, ...(routing ? { pauseWriters: routing.pauseWriters } : {}) });
      return checkpointer;
    };
    // The thread's connection closes first, so the main one is the last and leaves no WAL behind.
    return {
      db,
      backgroundDb,
      engine,
      destroy: async () => {
        await checkpointer?.stop();
        await db.destroy();
      },
      checkpointInBackground,
      writersWaiting: routing?.writersWaiting ?? (() => 0),
      ...(routing ? { waitingWriters: routing.waitingWriters } : {}),
    };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: { getTypeParser: postgresTypeParser },
  });
  // An idle connection that the server ends (a restart, a terminated backend) is dropped by the pool, which
  // then emits 'error': unheard, that error ended the whole process. The next query opens a new connection.
  pool.on('error', options.onConnectionLost ?? reportLostConnection);
  // pool.end() resolves as soon as it has asked each connection to close, not once they have: a database
  // dropped right after (DROP DATABASE … WITH (FORCE)) terminated connections that were still closing.
  const open = new Set<pg.PoolClient>();
  pool.on('connect', (client) => {
    open.add(client);
    client.once('end', () => open.delete(client));
    runPreparedByName(client);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins, log: options.log });
  const destroy = async () => {
    const closing = [...open].map((client) => new Promise<void>((closed) => client.once('end', () => closed())));
    await db.destroy();
    await Promise.all(closing);
  };
  return { db, backgroundDb: db, engine, destroy };
}

/**
 * Sends the statement texts statement-names.ts names as named prepared statements: Kysely's driver calls
 * query(text, values), which pg sends unnamed, to be parsed and planned again every time. Named, the
 * connection parses each once and PostgreSQL plans it per call only until it settles on a generic plan
 * (plan_cache_mode auto: after five custom plans, if the generic one costs no more).
 */
function runPreparedByName(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (config: unknown, values?: unknown, callback?: unknown) => unknown;
  (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    const name = typeof config === 'string' && Array.isArray(values) ? statementName(config) : undefined;
    return query(name === undefined ? config : { name, text: config }, values, callback);
  };
}

/** The read connection: it never writes (query_only), and waits for a checkpoint's moment like the writer. */
function openReader(file: string): SQLite.Database {
  const reader = new SQLite(file);
  reader.pragma('busy_timeout = 5000');
  reader.pragma('query_only = ON');
  return reader;
}

function reportLostConnection(error: Error): void {
  console.warn(`PostgreSQL ended an idle connection (${error.message}); the next query opens a new one.`);
}
