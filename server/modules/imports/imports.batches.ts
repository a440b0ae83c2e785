// What every import kind shares: rows are read in order and decided a batch at a time; each batch's
// writes, its rejections and the job's progress commit in one transaction, so a crash loses at most the
// batch in flight and the resumed job skips exactly the rows already committed.
import type { Kysely, KyselyPlugin, Transaction } from 'kysely';
import { recordAudit } from '../../core/audit.js';
import type { AppDeps } from '../../core/deps.js';
import { LostClaimError, type Job, type JobControl, type JobHandler } from '../../core/jobs.js';
import type { Actor } from '../../core/scope.js';
import type { Database } from '../../db/tables.js';
import { readRows, removeUpload, type SourceRow } from './imports.files.js';
import { actorOfUser } from './imports.queries.js';

type Db = Kysely<Database>;
export type Trx = Transaction<Database>;

/**
 * Rows per batch when a test does not fix it: 20,000 to begin with, then half the rows the job has already
 * committed (in whole thousands), up to 80,000. Every commit costs an fsync and writes each index page the
 * batch touched, however few of its rows landed there, so large files want large batches: at a million
 * workers the gram key has ~117,000 leaf pages and a new worker's ~6 grams land all over it, so 40,000 rows
 * already touch ~100,000 of them and twice the rows write barely more pages. Measured in-process on the
 * cached 1m world (`bench/import-direct.ts --world=<1m>`): 80,000-row batches imported 3,039–3,132 rows/s
 * where 40,000 did 2,454–2,804 (160,000 rows); and the first 240,000 rows took 112 s when batches began at
 * 1,000 and grew by a quarter of the rows committed (as until issue 6's fifteenth session), 75 s at 80,000
 * throughout. A crash still loses one batch at most: the first 20,000 rows (seconds of work), later never
 * more than a third of the work already done. Writers that come meanwhile do not wait for a whole batch:
 * the transaction gives way after the statement under way (the workers import rolls it back, a kind that
 * writes as it goes commits what is done) and the rows go on in parts (CONTENDED_ROWS); every commit,
 * whole batch or not, is a resume point. Readers do not wait at all, and
 * on a SQLite file the whole import runs on its own thread (imports.thread.ts).
 */
export function defaultBatchSize(rowsCommitted: number): number {
  return Math.min(MAX_BATCH_SIZE, Math.max(FIRST_BATCH_SIZE, Math.floor(rowsCommitted / 2 / BATCH_UNIT) * BATCH_UNIT));
}
/** Every default batch is a whole number of these rows (so a crash leaves the rows done at such a boundary). */
export const BATCH_UNIT = 1000;
export const FIRST_BATCH_SIZE = 20_000;
// 160,000 imported a little faster still (2,296 rows/s over HTTP against 2,184) but held the server at
// 507 MB, past issue 6's 500.
export const MAX_BATCH_SIZE = 80_000;

/**
 * Rows per transaction while other writers wait for the connection: at a million workers about half a
 * second with its COMMIT, so a driver's filing waits that long for an import, not a whole batch.
 */
export const CONTENDED_ROWS = 500;

/**
 * After a writer was seen, transactions hold CONTENDED_ROWS until none has come for this long: a driver's
 * filings come one after another, and a whole batch begun between two of them would only be taken back.
 */
export const QUIET_MS = 2000;

/**
 * Inside a batch's transaction, rows are decided and written this many at a time; between two slices a
 * writer that waits ends the transaction of a kind that cannot take it back (what is done commits).
 */
export const CHECK_EVERY_ROWS = 2000;

export type ImportOptions = {
  /** A fixed number of rows per batch (tests set it to crash at an exact row); by default defaultBatchSize. */
  batchSize?: number;
  /** Called after each committed transaction (tests use it to stop a runner part-way). */
  afterBatch?: (job: Job, batches: number) => void;
  /**
   * How many statements someone waits for wait to write now (AppDeps.writersWaiting: background work's are
   * not counted); the import gives way to them, and goes on in parts of CONTENDED_ROWS while they come.
   */
  writersWaiting?: () => number;
  /**
   * Before each transaction: lets every writer that waits, background work's too, write first. In the
   * server's thread its turns do that already; the import thread waits here until the server's writers are
   * through (imports.thread.ts).
   */
  giveWay?: () => Promise<void>;
  /** Rows decided and written between two looks for waiting writers inside a transaction (CHECK_EVERY_ROWS). */
  checkEveryRows?: number;
  /** How long no writer must have come before a transaction holds more than CONTENDED_ROWS again (QUIET_MS). */
  quietMs?: number;
  /** After each committed transaction, before the next begins (the import thread bounds the WAL there). */
  afterCommit?: () => Promise<void>;
};

export type Counts = { created: number; updated: number; unchanged: number; rejected: number };
export type Rejected = { rowNumber: number; rejections: readonly { field: string | null; message: { zh: string; en: string } }[] };

export const rejection = <F extends string>(zh: string, en: string, field: F | null = null): { field: F | null; message: { zh: string; en: string } }[] => [{ field, message: { zh, en } }];

/** What a kind contributes: given the header, a function that decides and writes one batch. */
export type BatchCommitter = ((trx: Trx, batch: readonly SourceRow[], counts: Counts) => Promise<Rejected[]>) & {
  /** Writes what the slices of this transaction left to its end (new workers and their grams, in order). */
  finish?: (trx: Trx) => Promise<void>;
  /**
   * A kind that leaves much to finish gives way to a writer by taking its transaction back whole: this
   * forgets what the transaction decided (its writes were rolled back), and its rows are decided again.
   */
  forget?: () => void;
};
export type ImportSetup = (input: { job: Job; header: string[]; actor: Actor; dryRun: boolean; at: string }) => Promise<BatchCommitter>;

/** Writes a batch's rejections, a few hundred rows per statement. */
export async function writeRejections(trx: Trx, jobId: number, rejected: readonly Rejected[]): Promise<void> {
  const errors = rejected.flatMap((r) => r.rejections.map((x) => ({ jobId, rowNumber: r.rowNumber, field: x.field, message: JSON.stringify(x.message) })));
  for (let i = 0; i < errors.length; i += 500) await trx.insertInto('importJobErrors').values(errors.slice(i, i + 500)).execute();
}

/**
 * A batch's transaction lasts seconds at a million workers. better-sqlite3 runs each statement to its end
 * synchronously and Kysely only awaits resolved promises between them, so nothing else ran until COMMIT.
 * A turn of the event loop after each statement lets other requests in: on SQLite their reads go to the
 * read connection and answer at once (db/sqlite-routing.ts). A writer waits for the write lock; when the
 * transaction can be taken back, it is, after the statement under way.
 */
function turnAfterEachStatement(takeBackNow: () => boolean): KyselyPlugin {
  return {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (takeBackNow()) throw new TakenBack();
      return args.result;
    },
  };
}

/** Thrown between two statements of a transaction that gives way whole to a writer; it is rolled back. */
class TakenBack extends Error {}

export function batchedImportHandler(deps: Pick<AppDeps, 'db' | 'clock'>, options: ImportOptions, setup: ImportSetup): JobHandler {
  const db: Db = deps.db;
  const { clock } = deps;
  const batchSizeAfter = (rowsCommitted: number) => options.batchSize ?? defaultBatchSize(rowsCommitted);
  const checkEveryRows = options.checkEveryRows ?? CHECK_EVERY_ROWS;
  const quietMs = options.quietMs ?? QUIET_MS;

  return async (job: Job, control: JobControl) => {
    const rows = readRows(job.filePath, job.format);
    const actor = await actorOfUser(db, job.createdBy);
    const dryRun = job.dryRun === 1;
    const counts: Counts = { created: job.createdCount, updated: job.updatedCount, unchanged: job.unchangedCount, rejected: job.rejectedCount };
    let read = 0;
    let rowsDone = job.rowsDone;
    let batches = 0;
    let batch: SourceRow[] = [];
    let writerSeenAt = -Infinity;
    const contended = () => {
      const waiting = (options.writersWaiting?.() ?? 0) > 0;
      if (waiting) writerSeenAt = performance.now();
      return waiting;
    };
    // After a transaction was taken back, the next whole one holds at most half its rows, and each one
    // committed whole doubles that again: writers that keep coming every few seconds make the import go on
    // in transactions they seldom meet, instead of losing one large transaction after another.
    let wholeRowsAtMost = Infinity;

    try {
      const header = await rows.next();
      const commit = await setup({ job, header: header.done ? [] : header.value.cells, actor, dryRun, at: clock.now().toISOString() });
      // The batch holds rows rowsDone + 1 … read, in order, so a part's end is a resume point too.
      const flush = async () => {
        while (batch.length > 0) {
          await options.giveWay?.();
          const quiet = !contended() && performance.now() - writerSeenAt >= quietMs;
          const planned = quiet ? Math.min(batch.length, wholeRowsAtMost) : Math.min(CONTENDED_ROWS, batch.length);
          // A kind that writes most of a transaction at its end (finish) gives way to a writer by rolling the
          // whole transaction back, between any two of its statements, and doing its rows again in parts of
          // CONTENDED_ROWS: committing what is done would make the writer wait for the rest of finish (~18 s
          // for an 80,000-row batch at a million workers). The rows are held meanwhile as UTF-8 JSON, a
          // buffer a slice; a transaction of CONTENDED_ROWS or fewer is never taken back, so the import
          // goes on however often writers come.
          const takesBack = commit.forget !== undefined && planned > CONTENDED_ROWS;
          const held: Buffer[] = [];
          let finished = false;
          const next = { ...counts };
          let size = 0;
          try {
            await db.transaction().execute(async (transaction) => {
              const trx = transaction.withPlugin(turnAfterEachStatement(() => takesBack && !finished && contended()));
              const rejected: Rejected[] = [];
              // A part is decided and written a slice at a time. A kind that cannot take back commits what is
              // done when a writer comes, and the rest follows. Each slice leaves the batch as it is taken,
              // so a large batch is not all held as rows until its COMMIT (a failed transaction fails the
              // job, and a resumed one reads the file again from rowsDone).
              while (size < planned) {
                const slice = batch.splice(0, Math.min(planned - size, checkEveryRows));
                if (takesBack) held.push(Buffer.from(JSON.stringify(slice)));
                rejected.push(...(await commit(trx, slice, next)));
                size += slice.length;
                if (contended()) {
                  if (takesBack) throw new TakenBack();
                  break;
                }
              }
              await commit.finish?.(trx);
              finished = true;
              next.rejected += rejected.length;
              await writeRejections(trx, job.id, rejected);
              await control.advance(trx, { rowsDone: rowsDone + size, createdCount: next.created, updatedCount: next.updated, unchangedCount: next.unchanged, rejectedCount: next.rejected });
            });
          } catch (error) {
            if (!(error instanceof TakenBack)) throw error;
            commit.forget!();
            batch = held.flatMap((slice) => JSON.parse(slice.toString('utf8')) as SourceRow[]).concat(batch);
            wholeRowsAtMost = Math.max(CONTENDED_ROWS, Math.floor(planned / 2));
            continue;
          }
          if (planned > CONTENDED_ROWS) wholeRowsAtMost *= 2;
          // Only a committed part moves the counters the next one starts from.
          Object.assign(counts, next);
          rowsDone += size;
          batches += 1;
          options.afterBatch?.(job, batches);
          await options.afterCommit?.();
        }
      };
      for await (const source of rows) {
        read += 1;
        // Rows committed before a crash or stop are skipped, so nothing is counted twice.
        if (read <= job.rowsDone) continue;
        batch.push(source);
        if (batch.length >= batchSizeAfter(rowsDone)) {
          await flush();
          if (control.stopping()) return 'interrupted';
        }
      }
      if (batch.length > 0) await flush();
    } catch (error) {
      // A failed job is not retried, so its file (personal data) goes; a lost claim leaves it to the new owner.
      if (!(error instanceof LostClaimError)) await removeUpload(job.filePath);
      throw error;
    } finally {
      await rows.return(undefined);
    }
    await db.transaction().execute(async (trx) => {
      const at = clock.now();
      await control.advance(trx, { status: 'done', rowsTotal: rowsDone, finishedAt: at.toISOString() });
      await recordAudit(trx, { actor, action: 'import.finish', entityType: 'import_job', entityId: job.id, at, detail: { kind: job.kind, dryRun, rows: rowsDone, ...counts } });
    });
    await removeUpload(job.filePath);
    return 'finished';
  };
}
