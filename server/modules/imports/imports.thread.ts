// The import jobs of a server on a SQLite file, on a thread of their own with connections of their own
// (issue 6). better-sqlite3 runs each statement and each COMMIT to its end on the thread that calls it: in
// the server's thread, a 40,000-row batch at a million workers stopped every request for seconds (its
// COMMIT alone up to 9 s; bench/README.md). Here this thread writes and commits. The server's connections
// go on reading what is committed (WAL), and its writers wait for the write lock on a timer
// (db/sqlite-routing.ts), counted in memory both threads share: when one comes, this thread commits
// after the slice under way, lets them through before its next transaction and goes on in small parts
// while they keep coming, as the in-thread runner does (imports.batches.ts).
// Started by imports.thread-runner.ts, which speaks to it by the messages typed there.
import { stat } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { sql } from 'kysely';
import type { Clock } from '../../core/clock.js';
import { createJobRunner } from '../../core/jobs.js';
import { openDatabase } from '../../db/database.js';
import { impatientWriters } from '../../db/sqlite-writer.js';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from '../../db/wal-checkpointer.js';
import type { FromImportThread, ImportThreadData, ToImportThread } from './imports.thread-runner.js';
import { importHandlers } from './imports.workers.js';

/** The longest this thread waits for the server's writers before it writes again (it must not starve). */
const GIVE_WAY_MS = 1000;

const data = workerData as ImportThreadData;
const port = parentPort!;
const tell = (message: FromImportThread) => port.postMessage(message);

const handle = openDatabase(data.config.databaseUrl);
// The server's checkpointer thread copies the WAL back; this connection only falls back on it, as the server's does.
await sql.raw(`pragma wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`).execute(handle.db);
// The server's clock, shifted or not (CONVOY_CLOCK_START), running on from where it was when the thread began.
const clock: Clock = { now: () => new Date(Date.now() + data.clockShiftMs) };
const serverWriters = new Int32Array(data.waitingWriters);
// Every writer waiting in the server is let in before this thread's next transaction (giveWay); only those
// someone waits for make it give way inside one (the schedulers' ticks wait for its COMMIT).
const waitingInServer = () => Atomics.load(serverWriters, 0);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The WAL is copied back by the server's checkpointer thread, but it only starts over from its beginning
 * when a write transaction begins after everything in it was copied; this thread begins its next
 * transaction the moment one commits, before the copy can catch up, so without this the WAL grew by every
 * page the import wrote: 60 GB part-way through a million-row import, until the disk was full. Past
 * walLimitBytes (512 MB), this thread copies what is left (its last transaction; the checkpointer has done
 * the rest meanwhile) and truncates the WAL, holding the write lock while it does; readers go on.
 */
const walLimitBytes = data.walLimitBytes ?? 512 * 1024 * 1024;
const walFile = `${data.config.databaseUrl.slice('sqlite:'.length)}-wal`;
async function keepWalBounded(): Promise<void> {
  const size = await stat(walFile).then(
    (s) => s.size,
    () => 0,
  );
  if (size < walLimitBytes) return;
  // A reader still on an older snapshot makes it answer busy for now; it is gone within milliseconds.
  for (let attempt = 0; attempt < 100; attempt++) {
    const { rows } = await sql.raw<{ busy: number }>('pragma wal_checkpoint(TRUNCATE)').execute(handle.db);
    if (rows[0]?.busy === 0) return;
    await pause(20);
  }
}

const options = {
  writersWaiting: () => impatientWriters(serverWriters) + (handle.writersWaiting?.() ?? 0),
  giveWay: async () => {
    const until = Date.now() + GIVE_WAY_MS;
    while (waitingInServer() > 0 && Date.now() < until) await pause(5);
  },
  afterCommit: keepWalBounded,
};

/** Log records cross to the server's logger; an Error does not survive the copy whole, so it goes as its text. */
const plain = (obj: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(obj).map(([key, value]) => [key, value instanceof Error ? { message: value.message, stack: value.stack } : value]));

const runner = createJobRunner({
  db: handle.db,
  clock,
  staleMs: data.config.importStaleMs,
  handlers: importHandlers({ db: handle.db, clock, config: data.config }, options),
  log: {
    error: (obj, msg) => tell({ log: 'error', obj: plain(obj), msg }),
    info: (obj, msg) => tell({ log: 'info', obj: plain(obj), msg }),
  },
});

port.on('message', (message: ToImportThread) => {
  void (async () => {
    switch (message.op) {
      case 'start':
        // The thread lives while there is work: once the runner finds no job left, the server ends it.
        runner.start();
        await runner.drain();
        return tell({ idle: true });
      case 'wake':
        runner.wake();
        return;
      case 'stop':
        await runner.stop({ requeue: message.requeue });
        return tell({ done: message.id });
      case 'drain':
        await runner.drain();
        return tell({ done: message.id });
      case 'close':
        await runner.stop();
        await handle.destroy();
        tell({ done: message.id });
        port.close();
        return;
    }
  })().catch((error: unknown) => {
    tell({ log: 'error', obj: plain({ err: error instanceof Error ? error : new Error(String(error)) }), msg: 'import thread failed' });
    if ('id' in message) tell({ done: message.id });
  });
});
