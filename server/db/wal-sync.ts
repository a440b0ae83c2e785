// Durable commits without stopping the event loop (issue 6). With synchronous=FULL, SQLite syncs the WAL
// inside every COMMIT, and better-sqlite3 runs a COMMIT on the event loop: filing at 10k workers, a
// group's COMMIT took ~4.7 ms, of which ~2.6 ms was the sync, while no other request could run. So the
// server's writer commits with synchronous=NORMAL (SQLite's own crash safety: the WAL is synced before
// every checkpoint and its header when it starts over) and then syncs the WAL file itself on libuv's
// thread pool, answering nobody before that sync is done. What a caller was told is stored is on disk, as
// with FULL; meanwhile the event loop serves other requests and the next group runs its statements.
//
// Readers see a commit as soon as it is made, before its sync; a read that may have seen one waits for
// the sync too (db/sqlite-routing.ts), so no answer ever rests on something a power loss could take back.
import { open } from 'node:fs/promises';

/** Syncs a file's data (fdatasync, as SQLite syncs its WAL). A file that is gone held nothing to keep. */
export async function syncFileData(path: string): Promise<void> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    // SQLite deletes the WAL only after checkpointing all of it into the database file and syncing that.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    await file.datasync();
  } finally {
    await file.close();
  }
}

export type WalDurability = {
  /** A commit was made that no finished sync covers yet. */
  readonly behind: boolean;
  /** Notes that the writer may just have committed. */
  committed(): void;
  /** Resolves once a sync begun after every commit noted so far has finished (at once if none is owed). */
  synced(): Promise<void>;
};

/**
 * One sync at a time. A commit noted while a sync runs may have come after that sync began, so it waits
 * for the next one, which every commit noted meanwhile shares: under load, one sync serves many commits.
 */
export function walDurability(sync: () => Promise<void>): WalDurability {
  let noted = 0;
  let durable = 0;
  let running: { upTo: number; done: Promise<void> } | null = null;
  let next: Promise<void> | null = null;

  const start = (): Promise<void> => {
    const upTo = noted;
    const done = sync().then(() => {
      durable = Math.max(durable, upTo);
    });
    running = { upTo, done };
    const clear = () => {
      if (running?.done === done) running = null;
    };
    done.then(clear, clear);
    return done;
  };

  return {
    get behind() {
      return durable < noted;
    },
    committed() {
      noted += 1;
    },
    synced() {
      if (durable >= noted) return Promise.resolve();
      if (!running) return start();
      if (running.upTo >= noted) return running.done;
      // A failed sync fails those who waited for it; the next one is tried afresh.
      next ??= running.done.catch(() => undefined).then(() => {
        next = null;
        return start();
      });
      return next;
    },
  };
}

/** Nothing to wait for: SQLite syncs by itself (FULL), or the server was told not to sync (NORMAL). */
export const noWalSync: WalDurability = { behind: false, committed: () => {}, synced: () => Promise.resolve() };
