// SQLite WAL checkpoints on a worker thread with a connection of its own, off the event loop (issue 6).
// better-sqlite3 is synchronous, and SQLite runs an automatic checkpoint inside the COMMIT that takes the WAL
// past 1,000 pages: that request copied ~400 scattered pages into a multi-GB file and fsynced it while every
// other request waited, once every ~20 filings at the bench's 1m world (the filing p99). Here a PASSIVE
// checkpoint (it never waits for, nor blocks, the writer) copies what is committed every interval. Durability
// is unchanged: a commit is durable when its WAL frames are synced (synchronous=FULL, or the sync after it
// that db/wal-sync.ts waits for), before any checkpoint; the checkpoint syncs the WAL before copying and the
// database file after, as the automatic one does.
//
// Copying is not enough to keep the WAL short. SQLite starts the WAL over only when a write transaction
// begins while every frame in it is copied, and under steady writes the next transaction always begins
// before the thread's copy has caught up with the last COMMIT: the WAL grew to the fallback's (then 10,000
// pages) and the main connection's own checkpoint stopped the event loop for 55–110 ms about twice a second
// (filing at 1m, 2026-12-07). So once the WAL passes `restartAtFrames`, the thread copies until a run has
// little new to copy and asks for a pause: the server's writers wait (pauseWriters: first in their queue,
// it commits the group and nobody writes), the thread copies that little and syncs it, and the next write
// transaction starts the WAL over. The event loop runs on; only writes wait, mostly 10–30 ms at 1m and at
// most PAUSE_LIMIT_MS (the sync of the pages copied in the pause is most of it).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The main connection still checkpoints by itself past this many WAL pages (~120 MB), should the thread fall
 * behind or stop. Far above RESTART_AT_FRAMES: a thread slowed by the disk must not be overtaken by it.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 30_000;

/** Past this many WAL pages (~16 MB) the thread asks for a pause in writing, so that the WAL starts over. */
export const RESTART_AT_FRAMES = 4_000;

/** The thread asks for the pause once a checkpoint run has to copy no more than this many new frames. */
export const DRAIN_FRAMES = 256;

/** The longest writers wait for one pause: a thread that does not answer by then is not waited for. */
export const PAUSE_LIMIT_MS = 250;

/** Runs `work` while nobody writes through the server's writer (it waits for its turn, and commits a group first). */
export type PauseWriters = (work: () => Promise<void>) => Promise<void>;

export type CheckpointerStats = {
  runs: number;
  /** The WAL's frames and how many of them were in the file after the last checkpoint. */
  walFrames: number;
  framesCopied: number;
  lastError: string | null;
  /** Pauses in writing granted to let the WAL start over, and how long writers waited in all and at most. */
  pauses: number;
  pausedMs: number;
  longestPauseMs: number;
};

export type WalCheckpointer = {
  stats: () => Promise<CheckpointerStats>;
  /** Stops the thread after the checkpoint under way, closing its connection. */
  stop: () => Promise<void>;
};

type ThreadStats = Pick<CheckpointerStats, 'runs' | 'walFrames' | 'framesCopied' | 'lastError'>;
type FromThread = { kind: 'stats'; stats: ThreadStats } | { kind: 'pause' } | { kind: 'copied' };

// Plain CommonJS evaluated in the worker, so it needs no TypeScript loader (server, tests and CLI alike).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = ' + workerData.synchronous);
let runs = 0, walFrames = 0, framesCopied = 0, lastError = null, asked = false, askedAt = 0, closed = false;
const checkpoint = () => {
  if (closed) return;
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
const tick = () => {
  checkpoint();
  // A request that went unanswered (the server's writer closing, say) is made again.
  if (asked && Date.now() - askedAt < 5000) return;
  asked = false;
  if (workerData.restartAtFrames <= 0 || walFrames < workerData.restartAtFrames) return;
  // Copied again until little came in during a run: the pause then copies about that little (and syncs it).
  for (let i = 0; i < 8; i++) {
    const before = walFrames;
    checkpoint();
    if (walFrames < before || walFrames - before <= workerData.drainFrames) break;
  }
  asked = true;
  askedAt = Date.now();
  parentPort.postMessage({ kind: 'pause' });
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'stats') parentPort.postMessage({ kind: 'stats', stats: { runs, walFrames, framesCopied, lastError } });
  if (message === 'paused') {
    checkpoint();
    asked = false;
    parentPort.postMessage({ kind: 'copied' });
  }
  if (message === 'stop') {
    clearInterval(timer);
    closed = true;
    db.close();
    parentPort.close();
  }
});
`;

export function startWalCheckpointer(file: string, options: { synchronous: 'FULL' | 'NORMAL'; intervalMs?: number; pauseWriters?: PauseWriters; restartAtFrames?: number }): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const restartAtFrames = options.pauseWriters ? (options.restartAtFrames ?? RESTART_AT_FRAMES) : 0;
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, synchronous: options.synchronous, intervalMs: options.intervalMs ?? 100, restartAtFrames, drainFrames: DRAIN_FRAMES } });
  // The thread must never take the process down: a failure shows in stats() and the main connection's fallback checkpoints go on.
  let failure: string | null = null;
  let gone = false;
  let stopping = false;
  const statsWaiting: ((stats: ThreadStats) => void)[] = [];
  const pauses = { pauses: 0, pausedMs: 0, longestPauseMs: 0 };
  /** Ends the pause under way: the thread has copied, or will never answer. */
  let endPause: (() => void) | null = null;
  const settleAll = () => {
    gone = true;
    endPause?.();
    for (const answer of statsWaiting.splice(0)) answer({ runs: 0, walFrames: 0, framesCopied: 0, lastError: failure });
  };
  worker.on('error', (error) => {
    failure = error.message;
    settleAll();
  });
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      settleAll();
      resolve();
    }),
  );

  const pause = async (pauseWriters: PauseWriters) => {
    let began = 0;
    await pauseWriters(
      () =>
        new Promise<void>((resolve) => {
          began = performance.now();
          if (gone) return resolve();
          const limit = setTimeout(() => endPause?.(), PAUSE_LIMIT_MS);
          endPause = () => {
            clearTimeout(limit);
            endPause = null;
            resolve();
          };
          worker.postMessage('paused');
        }),
    );
    const ms = performance.now() - began;
    pauses.pauses += 1;
    pauses.pausedMs += ms;
    pauses.longestPauseMs = Math.max(pauses.longestPauseMs, ms);
  };

  worker.on('message', (message: FromThread) => {
    if (message.kind === 'stats') statsWaiting.shift()?.(message.stats);
    else if (message.kind === 'copied') endPause?.();
    else if (message.kind === 'pause' && options.pauseWriters) {
      // A pause that fails (the writer closing under it) leaves the WAL to the fallback; the thread asks again.
      pause(options.pauseWriters).catch(() => undefined);
    }
  });
  // It should not keep a process alive that has nothing else to do (a CLI command that forgot to close).
  worker.unref();
  const rounded = (ms: number) => Math.round(ms * 10) / 10;
  return {
    stats: async () => {
      const fromThread = gone
        ? { runs: 0, walFrames: 0, framesCopied: 0, lastError: failure }
        : await new Promise<ThreadStats>((resolve) => {
            // Referenced while anyone waits for an answer, as in stop(): a process with nothing else to do exited while it waited.
            worker.ref();
            statsWaiting.push((stats) => {
              if (statsWaiting.length === 0 && !stopping) worker.unref();
              resolve(stats);
            });
            worker.postMessage('stats');
          });
      return { ...fromThread, pauses: pauses.pauses, pausedMs: rounded(pauses.pausedMs), longestPauseMs: rounded(pauses.longestPauseMs) };
    },
    stop: async () => {
      // Awaited, its end must keep the process alive: unreferenced, a process with nothing else to do
      // exited right here, its top-level await unsettled (exit code 13).
      stopping = true;
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
