// SQLite WAL checkpoints on a worker thread with a connection of its own, off the event loop (issue 6).
// better-sqlite3 is synchronous, and SQLite runs an automatic checkpoint inside the COMMIT that takes the WAL
// past 1,000 pages: that request copied ~400 scattered pages into a multi-GB file and fsynced it while every
// other request waited, once every ~20 filings at the bench's 1m world (the filing p99). Here a PASSIVE
// checkpoint (it never waits for, nor blocks, the writer) copies what is committed every interval, and the
// next write transaction restarts the WAL from its beginning once all of it is copied. Durability is
// unchanged: a commit is durable when its WAL frames are synced (synchronous=FULL, or the sync after it that
// db/wal-sync.ts waits for), before any checkpoint;
// the checkpoint syncs the WAL before copying and the database file after, as the automatic one does.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The main connection still checkpoints by itself past this many WAL pages (~40 MB), should the thread fall behind or stop. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

export type WalCheckpointer = {
  /** Checkpoints run so far; the WAL's frames and how many of them were in the file after the last one (for tests). */
  stats: () => Promise<{ runs: number; walFrames: number; framesCopied: number; lastError: string | null }>;
  /** Stops the thread after the checkpoint under way, closing its connection. */
  stop: () => Promise<void>;
};

// Plain CommonJS evaluated in the worker, so it needs no TypeScript loader (server, tests and CLI alike).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = ' + workerData.synchronous);
let runs = 0, walFrames = 0, framesCopied = 0, lastError = null;
const checkpoint = () => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    runs += 1;
    walFrames = row.log;
    framesCopied = row.checkpointed;
    lastError = null;
  } catch (error) {
    lastError = String(error && error.message ? error.message : error);
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'stats') parentPort.postMessage({ runs, walFrames, framesCopied, lastError });
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

export function startWalCheckpointer(file: string, options: { synchronous: 'FULL' | 'NORMAL'; intervalMs?: number }): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, synchronous: options.synchronous, intervalMs: options.intervalMs ?? 250 } });
  // The thread must never take the process down: a failure shows in stats() and the main connection's fallback checkpoints go on.
  let failure: string | null = null;
  worker.on('error', (error) => {
    failure = error.message;
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // It should not keep a process alive that has nothing else to do (a CLI command that forgot to close).
  worker.unref();
  return {
    stats: () =>
      new Promise((resolve) => {
        if (failure !== null) return resolve({ runs: 0, walFrames: 0, framesCopied: 0, lastError: failure });
        worker.once('message', resolve);
        worker.postMessage('stats');
      }),
    stop: async () => {
      // Awaited, its end must keep the process alive: unreferenced, a process with nothing else to do
      // exited right here, its top-level await unsettled (exit code 13).
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
