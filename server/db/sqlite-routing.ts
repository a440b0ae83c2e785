// SQLite with two connections to one file: the writer, which Kysely's own driver would use for everything,
// and a reader for plain SELECTs outside a transaction (issue 6). Kysely's SQLite driver holds its one
// connection for a whole transaction, awaits included, so a long transaction (an import's batch of
// thousands of rows) made every other request wait, reads too: at a million workers a page waited up to
// 14 s. Under WAL a reader never waits for the writer and sees what is committed, so reads now go on
// while a transaction is open; writers still take turns on the writer, one statement or one transaction
// at a time, as before. While nobody holds the writer, plain reads run on it too (its cache is warm).
//
// What stays on the writer: every statement inside a transaction (it must see its own changes), every
// statement that is not a query-builder SELECT (raw SQL, pragmas, writes), and everything on a connection
// that began a transaction by hand (raw BEGIN) until that transaction ends.
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  type Dialect,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Kysely,
} from 'kysely';

/** One holder at a time, in the order they asked. */
class Turns {
  #tail: Promise<void> = Promise.resolve();
  #waiting = 0;
  #held = false;

  /** How many are waiting for their turn (not counting the holder). */
  get waiting(): number {
    return this.#waiting;
  }

  /** True while someone has the turn (between statements of a transaction, say). */
  get held(): boolean {
    return this.#held;
  }

  async take(): Promise<() => void> {
    let done!: () => void;
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    const before = this.#tail;
    this.#tail = before.then(() => mine);
    this.#waiting += 1;
    await before;
    this.#waiting -= 1;
    this.#held = true;
    return () => {
      this.#held = false;
      done();
    };
  }
}

function run(db: SQLite.Database, query: CompiledQuery): QueryResult<unknown> {
  const statement = db.prepare(query.sql);
  const parameters = query.parameters as unknown[];
  if (statement.reader) return { rows: statement.all(parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

class RoutedConnection implements DatabaseConnection {
  readonly #writer: SQLite.Database;
  readonly #reader: SQLite.Database;
  readonly #turns: Turns;
  /** Set while this connection holds the writer across statements: a Kysely transaction, or a raw BEGIN. */
  #release: (() => void) | null = null;
  /** Kysely's transaction (begun and ended through the driver), as opposed to a raw BEGIN. */
  inKyselyTransaction = false;

  constructor(writer: SQLite.Database, reader: SQLite.Database, turns: Turns) {
    this.#writer = writer;
    this.#reader = reader;
    this.#turns = turns;
  }

  get holdsWriter(): boolean {
    return this.#release !== null;
  }

  async holdWriter(): Promise<void> {
    if (!this.#release) this.#release = await this.#turns.take();
  }

  letGoOfWriter(): void {
    const release = this.#release;
    this.#release = null;
    release?.();
  }

  #plainRead(query: CompiledQuery): boolean {
    return !this.#release && SelectQueryNode.is(query.query);
  }

  /**
   * A plain read runs on the writer when nobody holds it (it runs to its end at once, so it cannot come
   * between another's statements): the writer's page cache stays warm. SQLite empties a connection's
   * page cache whenever another connection has committed, so the reader starts cold after every write.
   */
  #writerIsFree(): boolean {
    return !this.#turns.held && !this.#writer.inTransaction;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#plainRead(query)) return run(this.#writerIsFree() ? this.#writer : this.#reader, query) as QueryResult<R>;
    if (this.#release) {
      try {
        return run(this.#writer, query) as QueryResult<R>;
      } finally {
        if (!this.inKyselyTransaction) this.settle();
      }
    }
    const release = await this.#turns.take();
    try {
      return run(this.#writer, query) as QueryResult<R>;
    } finally {
      // A raw BEGIN leaves the writer in a transaction: this connection keeps it until that one ends.
      if (this.#writer.inTransaction) this.#release = release;
      else release();
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('Sqlite driver only supports streaming of select queries');
    // Outside a transaction a stream reads aside: iterating on the writer would hold it across awaits.
    const statement = (this.#release ? this.#writer : this.#reader).prepare(query.sql);
    for (const row of statement.iterate(query.parameters)) yield { rows: [row as R] };
  }

  /** After a statement that ended a raw transaction: the writer is free again. */
  settle(): void {
    if (this.#release && !this.#writer.inTransaction) this.letGoOfWriter();
  }
}

class RoutingDriver implements Driver {
  readonly #writer: SQLite.Database;
  readonly #reader: SQLite.Database;
  readonly #turns: Turns;

  constructor(writer: SQLite.Database, reader: SQLite.Database, turns: Turns) {
    this.#writer = writer;
    this.#reader = reader;
    this.#turns = turns;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this.#writer, this.#reader, this.#turns);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const routed = connection as RoutedConnection;
    await routed.holdWriter();
    routed.inKyselyTransaction = true;
    try {
      await routed.executeQuery(CompiledQuery.raw('begin'));
    } catch (error) {
      routed.inKyselyTransaction = false;
      routed.letGoOfWriter();
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#end(connection as RoutedConnection, 'commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#end(connection as RoutedConnection, 'rollback');
  }

  async #end(routed: RoutedConnection, how: 'commit' | 'rollback'): Promise<void> {
    try {
      await routed.executeQuery(CompiledQuery.raw(how));
    } finally {
      // A COMMIT that failed (SQLITE_BUSY) leaves the transaction open for Kysely's rollback, which follows.
      if (!this.#writer.inTransaction) routed.inKyselyTransaction = false;
      routed.settle();
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const routed = connection as RoutedConnection;
    // A transaction begun by hand and never ended is rolled back rather than left holding the writer.
    if (routed.holdsWriter && this.#writer.inTransaction) this.#writer.exec('rollback');
    routed.inKyselyTransaction = false;
    routed.letGoOfWriter();
  }

  async destroy(): Promise<void> {
    this.#reader.close();
    this.#writer.close();
  }
}

export type SqliteRouting = {
  dialect: Dialect;
  /** Statements and transactions waiting for the writer right now (an import may end its batch early for them). */
  writersWaiting: () => number;
};

/** A Kysely dialect over a writer and a reader connection of the same WAL file. */
export function routingSqliteDialect(writer: SQLite.Database, reader: SQLite.Database): SqliteRouting {
  const turns = new Turns();
  const dialect: Dialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new RoutingDriver(writer, reader, turns),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
  };
  return { dialect, writersWaiting: () => turns.waiting };
}
