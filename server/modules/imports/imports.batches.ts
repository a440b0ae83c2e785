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
 * Rows per batch when a test does not fix it: 1,000 to begin with, then a quarter of the rows the job
 * has already committed (in whole thousands), up to 40,000. Every commit costs an fsync and rewrites the
 * index pages the batch touched (under synchronous=FULL), so large files want large batches: at 1,000
 * rows, a 100,000-row import paid for 100 commits, now for 22; at a million workers a 40,000-row batch
 * imports 1,420 rows/s where 10,000 did 1,066 (`npm run bench -- --scale=1m --only=import`). Small files
 * keep fine progress, and a crash still loses one batch at most, never more than a fifth of the work
 * already done. Batches end on whole thousands. Writers that come meanwhile do not wait for a whole batch:
 * the transaction ends after the slice under way (CHECK_EVERY_ROWS) and the rest goes in parts
 * (CONTENDED_ROWS); every commit, whole batch or not, is a resume point. Readers do not wait at all, and
 * on a SQLite file the whole import runs on its own thread (imports.thread.ts).
 */
export function defaultBatchSize(rowsCommitted: number): number {
  return Math.min(MAX_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Math.floor(rowsCommitted / 4 / MIN_BATCH_SIZE) * MIN_BATCH_SIZE));
}
export const MIN_BATCH_SIZE = 1000;
export const MAX_BATCH_SIZE = 40_000;

/**
 * Rows per transaction while other writers wait for the connection: at a million workers about half a
 * second with its COMMIT, so a driver's filing waits that long for an import, not a whole batch.
 */
export const CONTENDED_ROWS = 500;

/**
 * Inside a batch's transaction, rows are decided and written this many at a time, and between two slices
 * a writer that waits ends the transaction early (what is done commits; the rest goes on after it).
 */
export const CHECK_EVERY_ROWS = 2000;

export type ImportOptions = {
  /** A fixed number of rows per batch (tests set it to crash at an exact row); by default defaultBatchSize. */
  batchSize?: number;
  /** Called after each committed transaction (tests use it to stop a runner part-way). */
  afterBatch?: (job: Job, batches: number) => void;
  /** How many statements wait to write now (AppDeps.writersWaiting); while any do, a batch commits every CONTENDED_ROWS rows. */
  writersWaiting?: () => number;
  /**
   * Before a transaction while writers wait: lets them write first. In the server's thread its turns do
   * that already; the import thread waits here until the server's writers are through (imports.thread.ts).
   */
  giveWay?: () => Promise<void>;
  /** Rows decided and written between two looks for waiting writers inside a transaction (CHECK_EVERY_ROWS). */
  checkEveryRows?: number;
  /** After each committed transaction, before the next begins (the import thread bounds the WAL there). */
  afterCommit?: () => Promise<void>;
};

export type Counts = { created: number; updated: number; unchanged: number; rejected: number };
export type Rejected = { rowNumber: number; rejections: readonly { field: string | null; message: { zh: string; en: string } }[] };

export const rejection = <F extends string>(zh: string, en: string, field: F | null = null): { field: F | null; message: { zh: string; en: string } }[] => [{ field, message: { zh, en } }];

/** What a kind contributes: given the header, a function that decides and writes one batch. */
export type BatchCommitter = ((trx: Trx, batch: readonly SourceRow[], counts: Counts) => Promise<Rejected[]>) & {
  /** Writes what the slices of this transaction left to its end (new workers' search grams, in key order). */
  finish?: (trx: Trx) => Promise<void>;
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
 * read connection and answer at once (db/sqlite-routing.ts); writers wait for the COMMIT, and while any
 * do, the rest of the batch commits in small parts (CONTENDED_ROWS).
 */
const yieldAfterEachStatement: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async (args) => {
    await new Promise((resolve) => setImmediate(resolve));
    return args.result;
  },
};

export function batchedImportHandler(deps: Pick<AppDeps, 'db' | 'clock'>, options: ImportOptions, setup: ImportSetup): JobHandler {
  const db: Db = deps.db;
  const { clock } = deps;
  const batchSizeAfter = (rowsCommitted: number) => options.batchSize ?? defaultBatchSize(rowsCommitted);
  const contended = () => (options.writersWaiting?.() ?? 0) > 0;
  const checkEveryRows = options.checkEveryRows ?? CHECK_EVERY_ROWS;

  return async (job: Job, control: JobControl) => {
    const rows = readRows(job.filePath, job.format);
    const actor = await actorOfUser(db, job.createdBy);
    const dryRun = job.dryRun === 1;
    const counts: Counts = { created: job.createdCount, updated: job.updatedCount, unchanged: job.unchangedCount, rejected: job.rejectedCount };
    let read = 0;
    let rowsDone = job.rowsDone;
    let batches = 0;
    let batch: SourceRow[] = [];

    try {
      const header = await rows.next();
      const commit = await setup({ job, header: header.done ? [] : header.value.cells, actor, dryRun, at: clock.now().toISOString() });
      // The batch holds rows rowsDone + 1 … read, in order, so a part's end is a resume point too.
      const flush = async () => {
        for (let from = 0; from < batch.length; ) {
          if (contended()) await options.giveWay?.();
          const planned = contended() ? Math.min(CONTENDED_ROWS, batch.length - from) : batch.length - from;
          const next = { ...counts };
          let size = 0;
          await db.transaction().execute(async (transaction) => {
            const trx = transaction.withPlugin(yieldAfterEachStatement);
            const rejected: Rejected[] = [];
            // A part is decided and written a slice at a time; a writer that comes meanwhile waits for the
            // slice under way, not the whole part: what is done then commits, and the rest follows.
            while (size < planned) {
              const slice = batch.slice(from + size, from + Math.min(planned, size + checkEveryRows));
              rejected.push(...(await commit(trx, slice, next)));
              size += slice.length;
              if (contended()) break;
            }
            await commit.finish?.(trx);
            next.rejected += rejected.length;
            await writeRejections(trx, job.id, rejected);
            await control.advance(trx, { rowsDone: rowsDone + size, createdCount: next.created, updatedCount: next.updated, unchangedCount: next.unchanged, rejectedCount: next.rejected });
          });
          const doneAfter = rowsDone + size;
          // Only a committed part moves the counters the next one starts from.
          Object.assign(counts, next);
          rowsDone = doneAfter;
          from += size;
          batches += 1;
          options.afterBatch?.(job, batches);
          await options.afterCommit?.();
        }
        batch = [];
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
