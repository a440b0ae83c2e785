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
//
// Another connection to the file may hold SQLite's write lock meanwhile: the import thread
// (modules/imports/imports.thread.ts) or another process. The writer does not sleep in SQLite's busy
// handler for it, which would stop the event loop: its busy timeout is zero, and a statement that finds
// the lock taken is tried again after a timer, so the server goes on answering while it waits. A Kysely
// transaction begins IMMEDIATE, taking the lock at BEGIN: a deferred one that had read and then found the
// lock taken could never write (its snapshot is stale once the other commits), whereas BEGIN is simply
// tried again. Who waits is counted in shared memory, so the import thread sees it and gives way.
//
// Where the server syncs the WAL itself (db/wal-sync.ts), a statement outside a transaction is answered
// only once what the writer committed before it ran is synced: its own write, or what a read may have seen.
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
import { CommitGroup, type Membership } from './sqlite-commit-group.js';
import { type ColumnKey, type SqliteRows, sqliteRows } from './sqlite-rows.js';
import { noWalSync, type WalDurability } from './wal-sync.js';
import { lockTaken, runStatement, runWriting, Turns, type WaitingWriters } from './sqlite-writer.js';

/** What every connection to one file shares, whether its writes are waited for or patient. */
type Shared = {
  writer: SQLite.Database;
  reader: SQLite.Database;
  turns: Turns;
  waiting: WaitingWriters;
  group: CommitGroup;
  rows: SqliteRows;
  durability: WalDurability;
};

/**
 * Takes the writer's turn (ahead of those waiting, if `first`), commits the open group, runs `work` while
 * nobody writes, and hands the turn on. A COMMIT that fails answers the group's members with its error;
 * what follows goes on all the same.
 */
async function withWritesStopped(shared: Shared, options: { patient: boolean; first?: boolean }, work: () => Promise<void> = async () => {}): Promise<void> {
  const release = await shared.turns.take(options.patient, { first: options.first });
  try {
    await shared.group.commit().catch(() => undefined);
    await work();
  } finally {
    release();
  }
}

class RoutedConnection implements DatabaseConnection {
  readonly #writer: SQLite.Database;
  readonly #reader: SQLite.Database;
  readonly #turns: Turns;
  readonly #waiting: WaitingWriters;
  /** Set while this connection holds the writer across statements: a Kysely transaction, or a raw BEGIN. */
  #release: (() => void) | null = null;
  readonly #group: CommitGroup;
  /** Kysely's transaction (begun and ended through the driver), as opposed to a raw BEGIN. */
  inKyselyTransaction = false;
  /** How this connection's Kysely transaction is part of the commit group, while it runs. */
  membership: Membership | null = null;
  readonly #durability: WalDurability;
  /** How its statements run on the writer: their result rows, and whether nobody waits for them. */
  readonly #writing: { rows: SqliteRows; patient: boolean };

  constructor(shared: Shared, patient: boolean) {
    this.#writer = shared.writer;
    this.#reader = shared.reader;
    this.#turns = shared.turns;
    this.#waiting = shared.waiting;
    this.#group = shared.group;
    this.#durability = shared.durability;
    this.#writing = { rows: shared.rows, patient };
  }

  get holdsWriter(): boolean {
    return this.#release !== null;
  }

  async holdWriter(): Promise<void> {
    if (!this.#release) this.#release = await this.#turns.take(this.#writing.patient);
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
    const result = await this.#execute<R>(query);
    // Inside a Kysely transaction the answer waits for the group's COMMIT and the sync after it.
    if (!this.inKyselyTransaction && this.#durability.behind) await this.#durability.synced();
    return result;
  }

  /** A statement that ends outside a transaction on the writer and is not a query may have committed. */
  #noteCommit(result: QueryResult<unknown>): void {
    if (result.numAffectedRows !== undefined && !this.#writer.inTransaction) this.#durability.committed();
  }

  async #execute<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#plainRead(query)) {
      const on = this.#writerIsFree() ? this.#writer : this.#reader;
      try {
        return runStatement(on, query, this.#writing.rows) as QueryResult<R>;
      } catch (error) {
        // A read seldom finds the file busy (a WAL being reset, say); the writer has no busy timeout to wait it out.
        if (on !== this.#writer || !lockTaken(error)) throw error;
        return (await runWriting(on, query, this.#waiting, this.#writing)) as QueryResult<R>;
      }
    }
    if (this.#release) {
      try {
        const result = await runWriting(this.#writer, query, this.#waiting, this.#writing);
        if (!this.inKyselyTransaction) this.#noteCommit(result);
        return result as QueryResult<R>;
      } finally {
        if (!this.inKyselyTransaction) this.settle();
      }
    }
    const release = await this.#turns.take(this.#writing.patient);
    try {
      // A statement outside the group would run inside its transaction and be answered before its COMMIT.
      if (this.#group.open) await this.#group.commit();
      const result = await runWriting(this.#writer, query, this.#waiting, this.#writing);
      this.#noteCommit(result);
      return result as QueryResult<R>;
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
    for (const row of this.#writing.rows.iterate(statement, query.parameters as unknown[])) {
      if (!this.inKyselyTransaction && this.#durability.behind) await this.#durability.synced();
      yield { rows: [row as R] };
    }
  }

  /** After a statement that ended a raw transaction: the writer is free again. */
  settle(): void {
    if (this.#release && !this.#writer.inTransaction) this.letGoOfWriter();
  }
}

/** A transaction's own BEGIN, SAVEPOINT, COMMIT… run through its connection, so that Kysely's log shows them. */
const statementsOf = (routed: RoutedConnection) => async (text: string) => void (await routed.executeQuery(CompiledQuery.raw(text)));

class RoutingDriver implements Driver {
  readonly #shared: Shared;
  readonly #writer: SQLite.Database;
  readonly #group: CommitGroup;
  readonly #durability: WalDurability;
  readonly #patient: boolean;

  /** The patient driver (background work) shares the connections; the other one owns them and closes them. */
  constructor(shared: Shared, patient: boolean) {
    this.#shared = shared;
    this.#writer = shared.writer;
    this.#group = shared.group;
    this.#durability = shared.durability;
    this.#patient = patient;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this.#shared, this.#patient);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const routed = connection as RoutedConnection;
    await routed.holdWriter();
    routed.inKyselyTransaction = true;
    try {
      routed.membership = await this.#group.join(statementsOf(routed));
    } catch (error) {
      routed.inKyselyTransaction = false;
      routed.letGoOfWriter();
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#leave(connection as RoutedConnection, 'commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // The transaction failed with its own error, which Kysely throws; the group's COMMIT only orders it.
    await this.#leave(connection as RoutedConnection, 'rollback').catch(() => undefined);
  }

  /**
   * Ends a Kysely transaction's part in the group and hands the writer on; resolves once the group's
   * COMMIT stored it. The COMMIT comes on the next turn of the event loop, once the requests that were
   * ready meanwhile have joined; the member that is still the last then commits, through its own
   * connection (so Kysely's log shows it where it would be without groups).
   */
  async #leave(routed: RoutedConnection, how: 'commit' | 'rollback'): Promise<void> {
    const membership = routed.membership;
    routed.membership = null;
    let wait: Awaited<ReturnType<CommitGroup['leave']>> = null;
    try {
      // After a COMMIT that failed, Kysely rolls back: the group has dealt with it already.
      if (!membership) return;
      wait = await this.#group.leave(membership, how, statementsOf(routed));
    } finally {
      routed.inKyselyTransaction = false;
      routed.letGoOfWriter();
    }
    if (!wait) return;
    // A member whose group a later one committed (the group was full) goes on at once: waiting for the
    // turn of the event loop as well put its answer behind the whole next group's statements and COMMIT.
    const settled = wait.until.then(
      () => true,
      () => true,
    );
    const nextTurn = new Promise<false>((resolve) => setImmediate(() => resolve(false)));
    if (!(await Promise.race([settled, nextTurn])) && this.#group.isLast(wait.ticket)) {
      await routed.holdWriter();
      routed.inKyselyTransaction = true;
      try {
        if (this.#group.isLast(wait.ticket)) await this.#group.commit(statementsOf(routed));
      } catch {
        // Every member, this one too, is answered with the error through `until`.
      } finally {
        routed.inKyselyTransaction = false;
        routed.letGoOfWriter();
      }
    }
    await wait.until;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const routed = connection as RoutedConnection;
    // A transaction begun by hand and never ended is rolled back rather than left holding the writer.
    if (routed.holdsWriter && this.#writer.inTransaction) this.#writer.exec('rollback');
    routed.inKyselyTransaction = false;
    routed.letGoOfWriter();
  }

  async destroy(): Promise<void> {
    if (this.#patient) return;
    await withWritesStopped(this.#shared, { patient: false });
    await this.#durability.synced().catch(() => undefined);
    this.#shared.reader.close();
    this.#writer.close();
  }
}

export type SqliteRouting = {
  dialect: Dialect;
  /**
   * The same connections for work nobody waits for as it runs (the schedulers, the outbox's delivery): its
   * writers are patient. A long import does not roll its transaction back for them, as it does for a
   * request's writer (modules/imports/imports.batches.ts), and lets them in at its next commit instead.
   */
  patientDialect: Dialect;
  /** Statements and transactions someone waits for, waiting for the writer right now (an import gives way to them). */
  writersWaiting: () => number;
  /** The counts in shared memory (WaitingWriters), for a thread with a connection of its own to read (the import thread). */
  waitingWriters: SharedArrayBuffer;
  /**
   * Runs `work` while nobody writes on the writer: it takes the writer's turn ahead of those waiting for
   * it, commits the group, and hands the turn on when `work` ends (the WAL checkpointer's pause,
   * db/wal-checkpointer.ts).
   */
  pauseWriters: (work: () => Promise<void>) => Promise<void>;
};

/**
 * A Kysely dialect over a writer and a reader connection of the same WAL file. The writer's busy timeout
 * must be zero: a statement that finds the write lock taken is tried again after a timer (runWriting).
 * Its rows' keys are the result columns renamed by `columnKey` (the CamelCasePlugin's renaming, whose own
 * result pass is then left out: db/sqlite-rows.ts).
 */
export function routingSqliteDialect(writer: SQLite.Database, reader: SQLite.Database, columnKey: ColumnKey = (column) => column, durability: WalDurability = noWalSync): SqliteRouting {
  const rows = sqliteRows(columnKey);
  const shared = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const waiting: WaitingWriters = new Int32Array(shared);
  const turns = new Turns(waiting);
  const group = new CommitGroup(
    async (text) => void (await runWriting(writer, CompiledQuery.raw(text), waiting)),
    () => writer.inTransaction,
    durability,
  );
  const connections: Shared = { writer, reader, turns, waiting, group, rows, durability };
  const dialectOf = (patient: boolean): Dialect => ({
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new RoutingDriver(connections, patient),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
  });
  // First in the queue: the WAL takes in the writes of everyone waiting until the pause is granted.
  const pauseWriters = (work: () => Promise<void>) => withWritesStopped(connections, { patient: false, first: true }, work);
  return { dialect: dialectOf(false), patientDialect: dialectOf(true), writersWaiting: () => turns.waiting, waitingWriters: shared, pauseWriters };
}
