// The SQLite writer's turns and its waits for the file's write lock (issue 6): one holder at a time on the
// server's writer, and a statement that finds the lock held by another connection (the import thread,
// another process) tried again after a timer instead of in SQLite's busy handler, which would stop the
// event loop. Who waits is counted in shared memory, so the import thread sees it and gives way.
import type SQLite from 'better-sqlite3';
import type { CompiledQuery, QueryResult } from 'kysely';
import { type SqliteRows, sqliteRows } from './sqlite-rows.js';

/**
 * Writers waiting, in shared memory: slot 0 counts those waiting for their turn on this writer and those
 * waiting for another connection to let go of the file's write lock; slot 1, the patient ones among them
 * (background work, which writes through the patient Kysely instance: SqliteRouting.patientDialect).
 */
export type WaitingWriters = Int32Array;

/** Counts a writer as waiting until the returned function is called. */
function startWaiting(waiting: WaitingWriters, patient: boolean): () => void {
  Atomics.add(waiting, 0, 1);
  if (patient) Atomics.add(waiting, 1, 1);
  return () => {
    Atomics.sub(waiting, 0, 1);
    if (patient) Atomics.sub(waiting, 1, 1);
  };
}

/** Writers waiting that someone waits for: all of them but the patient ones. */
export const impatientWriters = (waiting: WaitingWriters): number => Atomics.load(waiting, 0) - Atomics.load(waiting, 1);

/** One holder at a time, in the order they asked (but for one who asks to go first: the WAL checkpointer's pause). */
export class Turns {
  /** Who waits, in the order they will have the turn. */
  readonly #queue: (() => void)[] = [];
  readonly #waiting: WaitingWriters;
  #held = false;

  constructor(waiting: WaitingWriters) {
    this.#waiting = waiting;
  }

  /** How many someone waits for are waiting for their turn, or for the file's write lock (not counting the holder). */
  get waiting(): number {
    return impatientWriters(this.#waiting);
  }

  /** True while someone has the turn (between statements of a transaction, say). */
  get held(): boolean {
    return this.#held;
  }

  async take(patient: boolean, options: { first?: boolean } = {}): Promise<() => void> {
    if (this.#held) {
      const stopWaiting = startWaiting(this.#waiting, patient);
      await new Promise<void>((resolve) => (options.first ? this.#queue.unshift(resolve) : this.#queue.push(resolve)));
      stopWaiting();
    }
    this.#held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Handed straight on, so nobody who asked later can come between.
      const next = this.#queue.shift();
      if (next) next();
      else this.#held = false;
    };
  }
}

/** Rows as better-sqlite3 names them (runWriting's default: its own statements return none). */
const asNamed = sqliteRows((column) => column);

export function runStatement(db: SQLite.Database, query: CompiledQuery, rows: SqliteRows): QueryResult<unknown> {
  const statement = db.prepare(query.sql);
  const parameters = query.parameters as unknown[];
  if (statement.reader) return { rows: rows.all(statement, parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  rows.ran(query.sql);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/** How long a writer waits for another connection's write lock before it gives up (SQLITE_BUSY). */
export const LOCK_WAIT_MS = 30_000;
/**
 * How long background work's writer waits: an import gives way to it only between its transactions, and
 * one of 80,000 rows at a million workers takes ~30 s on a 2-core machine (issue 6, bench/README.md).
 */
export const PATIENT_LOCK_WAIT_MS = 180_000;
export const lockTaken = (error: unknown) => (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a statement on the writer; while another connection holds the file's write lock, tries again
 * every few milliseconds (doubling up to 50) for up to LOCK_WAIT_MS (PATIENT_LOCK_WAIT_MS for a patient
 * writer: background work), counted among the waiting writers.
 * A statement refused with SQLITE_BUSY did nothing, so running it again is safe.
 */
export async function runWriting(writer: SQLite.Database, query: CompiledQuery, waiting: WaitingWriters, options: { rows?: SqliteRows; patient?: boolean } = {}): Promise<QueryResult<unknown>> {
  const rows = options.rows ?? asNamed;
  const inTransaction = writer.inTransaction;
  // Tried again only if the refusal changed nothing: SQLite may roll a whole transaction back on
  // SQLITE_BUSY, and the statement run again would then commit on its own, outside the transaction.
  const worthRetrying = (error: unknown) => lockTaken(error) && writer.inTransaction === inTransaction;
  try {
    return runStatement(writer, query, rows);
  } catch (error) {
    if (!worthRetrying(error)) throw error;
  }
  const patient = options.patient ?? false;
  const giveUpAt = Date.now() + (patient ? PATIENT_LOCK_WAIT_MS : LOCK_WAIT_MS);
  const stopWaiting = startWaiting(waiting, patient);
  try {
    for (let wait = 2; ; wait = Math.min(50, wait * 2)) {
      await pause(wait);
      try {
        return runStatement(writer, query, rows);
      } catch (error) {
        if (!worthRetrying(error) || Date.now() >= giveUpAt) throw error;
      }
    }
  } finally {
    stopWaiting();
  }
}
