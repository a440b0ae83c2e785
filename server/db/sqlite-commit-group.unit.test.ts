// Group commit on SQLite: transactions that wait for the writer share one COMMIT; nobody is answered
// before the COMMIT that stores their work (checked from a connection of its own at each answer); a
// member that fails is undone alone; a statement outside the group commits it first.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { type Generated, type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from './database.js';
import { GROUP_LIMITS } from './sqlite-commit-group.js';

let dir: string;
let file: string;
let handle: DatabaseHandle;
let outside: SQLite.Database;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'convoy-group-'));
  file = join(dir, 'group.db');
  handle = openDatabase(`sqlite:${file}`);
  await sql`create table notes (id integer primary key, body text not null unique)`.execute(handle.db);
  outside = new SQLite(file, { readonly: true });
});

afterEach(async () => {
  outside.close();
  await handle.destroy();
  rmSync(dir, { recursive: true, force: true });
});

type Notes = { notes: { id: Generated<number>; body: string } };
const notes = (db: DatabaseHandle['db']) => db as unknown as Kysely<Notes>;
/** What another connection finds committed. */
const committed = () => (outside.prepare('select body from notes order by id').all() as { body: string }[]).map((r) => r.body);

/** Commit frames in the WAL since it last started over: one per COMMIT. */
function commitsInWal(): number {
  const wal = readFileSync(`${file}-wal`);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salts = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salts[0] || wal.readUInt32BE(at + 12) !== salts[1]) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits += 1;
  }
  return commits;
}

function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** A transaction that writes `body`; when it is answered, another connection must find the row. */
const writeNote = (body: string, hold?: Promise<void>, inside?: () => void) =>
  notes(handle.db)
    .transaction()
    .execute(async (trx) => {
      await trx.insertInto('notes').values({ body }).execute();
      inside?.();
      await hold;
    })
    .then(() => {
      expect(committed(), `${body} was answered before it was committed`).toContain(body);
      return body;
    });

it('lets the transactions that wait for the writer share one COMMIT, answering none of them before it', async () => {
  const before = commitsInWal();
  const hold = gate();
  const first = writeNote('first', hold.opened);
  const rest = ['second', 'third', 'fourth', 'fifth'].map((body) => writeNote(body));
  await expect.poll(() => handle.writersWaiting!()).toBe(4);
  hold.open();
  expect(await Promise.all([first, ...rest])).toEqual(['first', 'second', 'third', 'fourth', 'fifth']);
  expect(commitsInWal() - before).toBe(1);
  // Alone, a transaction has a COMMIT of its own, as it always had (one turn of the event loop later).
  await writeNote('alone');
  expect(commitsInWal() - before).toBe(2);
});

it('never grows a group past its limit', async () => {
  const before = commitsInWal();
  const hold = gate();
  const count = GROUP_LIMITS.members * 2;
  // How many rows another connection finds while each transaction runs: the members of one group run inside
  // one open transaction, so they all find what the groups before theirs committed, and nothing more.
  const seenInside: number[] = [];
  const inside = () => void seenInside.push(committed().length);
  const all = [writeNote('n0', hold.opened, inside), ...Array.from({ length: count - 1 }, (_, i) => writeNote(`n${i + 1}`, undefined, inside))];
  await expect.poll(() => handle.writersWaiting!()).toBe(count - 1);
  hold.open();
  await Promise.all(all);
  // Each group's size (two full groups, unless the first waited past its time limit), and a COMMIT for each.
  const sizes = [...new Set(seenInside)].map((total) => seenInside.filter((seen) => seen === total).length);
  expect(Math.max(...sizes)).toBeLessThanOrEqual(GROUP_LIMITS.members);
  expect(sizes.reduce((a, b) => a + b)).toBe(count);
  expect(committed()).toHaveLength(count);
  expect(commitsInWal() - before).toBe(sizes.length);
});

it('undoes a member that fails alone, and answers it only once what it saw of the others is committed', async () => {
  const hold = gate();
  const first = writeNote('first', hold.opened);
  // Fails on the first one's row, which it can only see inside the group: when its error reaches the
  // caller (who may then read that row elsewhere, as an idempotent retry does), the row is committed.
  const failing = notes(handle.db)
    .transaction()
    .execute(async (trx) => {
      await trx.insertInto('notes').values({ body: 'of the failed one' }).execute();
      await trx.insertInto('notes').values({ body: 'first' }).execute();
    })
    .catch((error: unknown) => {
      expect(committed()).toContain('first');
      throw error;
    });
  const third = writeNote('third');
  await expect.poll(() => handle.writersWaiting!()).toBe(2);
  hold.open();
  await expect(failing).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
  await Promise.all([first, third]);
  expect(committed()).toEqual(['first', 'third']);
});

it('commits the group before a statement outside it, which is answered only once it is stored too', async () => {
  const hold = gate();
  const first = writeNote('first', hold.opened);
  const second = writeNote('second');
  const single = sql`insert into notes (body) values ('single')`.execute(handle.db).then(() => expect(committed()).toContain('single'));
  await expect.poll(() => handle.writersWaiting!()).toBe(2);
  hold.open();
  await Promise.all([first, second, single]);
  expect(committed()).toEqual(['first', 'second', 'single']);
  expect(handle.writersWaiting!()).toBe(0);
});
