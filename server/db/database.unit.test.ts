// A SQLite writer keeps its statement and savepoint journals in memory (issue 6): past 64 KB SQLite moved
// them into a temporary file, one write() per page, which was 18 % of a large import's time. Sorts then stay
// in memory too, so migrations, which sort millions of rows, run with temporary files (db/migrate.ts).
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { withSortsOnDisk } from './migrate.js';

// SQLite names its temporary files etilqs_… and unlinks them at once; an open one shows in /proc as deleted.
const openTemporaryFiles = () =>
  readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return /etilqs_/.test(target) ? [target] : [];
    } catch {
      return [];
    }
  });

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'convoy-journal-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

it('journals a large statement inside a transaction in memory, not in a temporary file', async () => {
  const handle = openDatabase(`sqlite:${join(folder, 'journal.db')}`);
  try {
    await sql`create table rows_with_key (id integer primary key, payload text not null unique)`.execute(handle.db);
    const before = openTemporaryFiles();
    let during: string[] = [];
    await handle.db.transaction().execute(async (trx) => {
      // A multi-row insert with a unique key may fail half-way, so SQLite journals every page it changes
      // (here ~1 MB of rows) so that it can undo the statement alone.
      await sql`with recursive n(value) as (select 1 union all select value + 1 from n where value < 8000)
                insert into rows_with_key (payload) select printf('%08d-%s', value, hex(randomblob(60))) from n`.execute(trx);
      await sql`savepoint member`.execute(trx);
      await sql`update rows_with_key set payload = payload || '-x'`.execute(trx);
      during = openTemporaryFiles();
      await sql`release member`.execute(trx);
    });
    expect(during).toEqual(before);
    const { rows } = await sql<{ n: number }>`select count(*) as n from rows_with_key where payload like '%-x'`.execute(handle.db);
    expect(rows[0]?.n).toBe(8000);
  } finally {
    await handle.destroy();
  }
});

it('sorts in memory on the writer, and on disk while a migration runs, then in memory again', async () => {
  const handle = openDatabase(`sqlite:${join(folder, 'sorts.db')}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table of this test only
  const db = handle.db as unknown as Kysely<any>;
  try {
    // A 1 MB page cache, so that sorting ~6 MB of rows spills to a temporary file unless it is kept in memory.
    await sql`pragma cache_size = -1000`.execute(db);
    await sql`create table unsorted (payload text not null)`.execute(db);
    await sql`with recursive n(value) as (select 1 union all select value + 1 from n where value < 50000)
              insert into unsorted (payload) select hex(randomblob(60)) from n`.execute(db);
    const before = openTemporaryFiles();
    // The files open while the first sorted row is read (a stream inside a transaction reads on the writer).
    const filesWhileSorting = () =>
      db.transaction().execute(async (trx) => {
        for await (const row of trx.selectFrom('unsorted').select('payload').orderBy('payload').stream()) {
          expect(row.payload).toMatch(/^[0-9A-F]{120}$/);
          return openTemporaryFiles().filter((file) => !before.includes(file));
        }
        throw new Error('no row came back');
      });
    expect(await filesWhileSorting()).toEqual([]);
    expect((await withSortsOnDisk(db, filesWhileSorting)).length).toBeGreaterThan(0);
    expect(await filesWhileSorting()).toEqual([]);
  } finally {
    await handle.destroy();
  }
});
