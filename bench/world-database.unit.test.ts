import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { insertRows } from '../server/db/seed/bulk-insert.js';
import { openBulkSqlite } from './world-database.js';

// The bulk-load connection runs INSERTs as INSERT OR ROLLBACK with foreign keys checked at the end: a bad
// row must still fail the load, with its own error, and a dangling reference must stop the file from finishing.
const folder = mkdtempSync(join(tmpdir(), 'convoy-bulk-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function opened(name: string) {
  const bulk = openBulkSqlite(join(folder, name));
  await sql`create table parents (id integer primary key)`.execute(bulk.db);
  await sql`create table children (id integer primary key, parent_id integer not null references parents (id), code text not null unique)`.execute(bulk.db);
  await sql`insert into parents (id) values (1), (2)`.execute(bulk.db);
  return bulk;
}

describe('the bulk-load connection', () => {
  it('fails a transaction on a duplicate key with the constraint error, and keeps nothing of it', async () => {
    const bulk = await opened('duplicate.db');
    const rows = [
      { id: 1, parentId: 1, code: 'a' },
      { id: 2, parentId: 2, code: 'a' },
    ];
    await expect(bulk.db.transaction().execute((trx) => insertRows(trx as never, 'children' as never, ['id', 'parentId', 'code'] as never, rows as never))).rejects.toThrow(/UNIQUE constraint failed: children\.code/);
    // The connection is usable after it, and the failed transaction left no row.
    await bulk.db.transaction().execute((trx) => insertRows(trx as never, 'children' as never, ['id', 'parentId', 'code'] as never, [{ id: 3, parentId: 1, code: 'b' }] as never));
    const { rows: left } = await sql<{ id: number }>`select id from children order by id`.execute(bulk.db);
    expect(left.map((r) => r.id)).toEqual([3]);
    await bulk.finish();
  });

  it('leaves an upsert its own conflict clause', async () => {
    const bulk = await opened('upsert.db');
    await sql`insert into children (id, parent_id, code) values (1, 1, 'a')`.execute(bulk.db);
    await sql`insert into children (id, parent_id, code) values (2, 1, 'a') on conflict (code) do nothing`.execute(bulk.db);
    const { rows } = await sql<{ n: number }>`select count(*) as n from children`.execute(bulk.db);
    expect(rows[0]?.n).toBe(1);
    await bulk.finish();
  });

  it('will not finish a file with a row whose parent is missing', async () => {
    const bulk = await opened('dangling.db');
    await sql`insert into children (id, parent_id, code) values (1, 1, 'a'), (2, 9, 'b')`.execute(bulk.db);
    await expect(bulk.finish()).rejects.toThrow(/1 foreign key\(s\), the first a row of children \(rowid 2\) with no parents/);
    await bulk.abandon();
  });

  it('finishes a sound file in WAL mode with foreign keys holding', async () => {
    const bulk = await opened('sound.db');
    await sql`insert into children (id, parent_id, code) values (1, 1, 'a'), (2, 2, 'b')`.execute(bulk.db);
    await bulk.finish();
    const raw = new SQLite(join(folder, 'sound.db'), { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('foreign_key_check')).toEqual([]);
    } finally {
      raw.close();
    }
  });
});
