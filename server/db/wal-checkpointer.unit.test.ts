// The server's WAL checkpoints run on a worker thread (issue 6): committed writes are copied into the database
// file without any COMMIT of the main connection doing it, the WAL is reused from its start instead of
// growing, and closing leaves every committed row in the file and no WAL behind.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from './wal-checkpointer.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function scratchFile(): string {
  const folder = mkdtempSync(join(tmpdir(), 'convoy-wal-'));
  folders.push(folder);
  return join(folder, 'convoy.db');
}

const until = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not reached within 20 s');
};

it('copies committed pages into the database file from its own thread; the WAL is reused, and closing keeps every row', async () => {
  const file = scratchFile();
  const handle = openDatabase(`sqlite:${file}`);
  await sql`create table notes (id integer primary key, body text not null)`.execute(handle.db);
  const checkpointer = handle.checkpointInBackground?.();
  expect(checkpointer).toBeTruthy();
  // The main connection checkpoints by itself only far later, as a fallback.
  const [setting] = (await sql<{ walAutocheckpoint: number }>`pragma wal_autocheckpoint`.execute(handle.db)).rows;
  expect(setting?.walAutocheckpoint).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);

  const body = 'x'.repeat(3000);
  const writeBatch = async (from: number) => {
    // One commit a row, as requests commit: each appends its own WAL frames.
    for (let i = from; i < from + 200; i++) await handle.db.transaction().execute((trx) => sql`insert into notes (id, body) values (${i}, ${body})`.execute(trx));
  };
  // Copied by a checkpoint that began after the last commit (an earlier one may have run between two commits).
  const allCopied = async () => {
    const runsAfterWrites = (await checkpointer!.stats()).runs + 1;
    await until(async () => {
      const { runs, walFrames, framesCopied } = await checkpointer!.stats();
      return runs > runsAfterWrites && walFrames > 0 && framesCopied === walFrames;
    });
  };
  await writeBatch(0);
  await allCopied();
  const walAfterFirst = statSync(`${file}-wal`).size;
  // Everything was copied, so the next writes start the WAL over instead of appending to it.
  await writeBatch(200);
  await allCopied();
  const stats = await checkpointer!.stats();
  expect(stats.lastError).toBeNull();
  expect(stats.runs).toBeGreaterThan(1);
  expect(statSync(`${file}-wal`).size).toBeLessThanOrEqual(walAfterFirst * 1.1);

  // A connection of another process sees every committed row.
  const reader = new SQLite(file, { readonly: true });
  expect(reader.prepare('select count(*) as n from notes').get()).toEqual({ n: 400 });
  reader.close();

  await handle.destroy();
  expect(existsSync(`${file}-wal`)).toBe(false);
  const after = new SQLite(file, { readonly: true });
  expect(after.prepare('select count(*) as n, min(id) as first, max(id) as last from notes').get()).toEqual({ n: 400, first: 0, last: 399 });
  after.close();
});

it('starts the WAL over under writes that never stop, pausing the writers for it, and loses nothing', async () => {
  const file = scratchFile();
  const handle = openDatabase(`sqlite:${file}`);
  await sql`create table notes (id integer primary key, body text not null)`.execute(handle.db);
  // Small figures, so that a few MB of writes need several pauses.
  const checkpointer = handle.checkpointInBackground?.({ restartAtFrames: 100, intervalMs: 20 });
  if (!checkpointer) throw new Error('a file has a WAL');
  const body = 'x'.repeat(3000);
  // Eight writers, each committing a row after the other: a transaction always begins right after a
  // COMMIT, so without a pause the thread's copy never catches up with the WAL's end.
  const rows = 4000;
  let next = 0;
  const writers = Array.from({ length: 8 }, async () => {
    while (next < rows) {
      const id = next++;
      await handle.db.transaction().execute((trx) => sql`insert into notes (id, body) values (${id}, ${body})`.execute(trx));
    }
  });
  await Promise.all(writers);
  const stats = await checkpointer.stats();
  expect(stats.lastError).toBeNull();
  expect(stats.pauses).toBeGreaterThan(0);
  // ~12 MB written (a page a row at least); the WAL was started over rather than grown to hold it all.
  const written = rows * 4096;
  expect(statSync(`${file}-wal`).size).toBeLessThan(written / 2);

  await handle.destroy();
  const after = new SQLite(file, { readonly: true });
  expect(after.prepare('select count(*) as n, min(id) as first, max(id) as last from notes').get()).toEqual({ n: rows, first: 0, last: rows - 1 });
  after.close();
});

it('is not started for an in-memory database, and a handle without it closes as before', async () => {
  const memory = openDatabase('sqlite::memory:');
  expect(memory.checkpointInBackground?.()).toBeNull();
  await memory.destroy();

  const file = scratchFile();
  const plain = openDatabase(`sqlite:${file}`);
  await sql`create table t (id integer primary key)`.execute(plain.db);
  await sql`insert into t (id) values (1)`.execute(plain.db);
  await plain.destroy();
  expect(existsSync(`${file}-wal`)).toBe(false);
});
