// A SQLite file opened with synchronous=FULL commits as NORMAL and syncs the WAL itself, off the event loop
// (db/wal-sync.ts). Nobody is answered before the sync that follows what they wrote or read: checked with a
// sync the test holds, and from a connection of its own (what is committed, before the sync).
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { type Generated, type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { type DatabaseHandle, openDatabase } from './database.js';

type Notes = { notes: { id: Generated<number>; body: string } };

let dir: string;
let file: string;
let outside: SQLite.Database;
const handles: DatabaseHandle[] = [];

/** Each sync waits until the test lets it finish; `seen` is what another connection found committed as it began. */
function heldSyncs() {
  const syncs: { finish: () => void; seen: string[] }[] = [];
  const syncWal = (walFile: string) => {
    expect(walFile).toBe(`${file}-wal`);
    return new Promise<void>((finish) => {
      syncs.push({ finish, seen: committed() });
    });
  };
  return { syncWal, syncs };
}

const committed = () => (outside.prepare('select body from notes order by id').all() as { body: string }[]).map((r) => r.body);

function opened(options: Parameters<typeof openDatabase>[1] = {}) {
  const handle = openDatabase(`sqlite:${file}`, options);
  handles.push(handle);
  return { handle, db: handle.db as unknown as Kysely<Notes> };
}

/** Whether the promise has settled, looked at after the event loop has turned. */
function watch<T>(promise: Promise<T>) {
  const state = { done: false };
  void promise.then(() => {
    state.done = true;
  });
  return state;
}
const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'convoy-durable-'));
  file = join(dir, 'durable.db');
  const setup = new SQLite(file);
  setup.pragma('journal_mode = WAL');
  setup.exec('create table notes (id integer primary key, body text not null)');
  setup.close();
  outside = new SQLite(file, { readonly: true });
});

afterEach(async () => {
  outside.close();
  for (const handle of handles.splice(0)) await handle.destroy();
  rmSync(dir, { recursive: true, force: true });
});

it('commits as NORMAL and answers a group of transactions only after one sync that began after their COMMIT', async () => {
  const { syncWal, syncs } = heldSyncs();
  const { db } = opened({ syncWal });
  expect(((await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows[0])?.synchronous).toBe(1);
  const write = (body: string) => db.transaction().execute((trx) => trx.insertInto('notes').values({ body }).execute());
  const answers = ['first', 'second', 'third'].map((body) => watch(write(body)));
  await expect.poll(() => syncs.length).toBe(1);
  await turns();
  // The COMMIT is made (another connection finds every row), and still nobody is answered.
  expect(syncs[0]!.seen).toEqual(['first', 'second', 'third']);
  expect(answers.map((a) => a.done)).toEqual([false, false, false]);
  syncs[0]!.finish();
  await expect.poll(() => answers.every((a) => a.done)).toBe(true);
  expect(syncs).toHaveLength(1);
});

it('answers a write outside a transaction after its sync, and a read that finds an unsynced commit after that sync too', async () => {
  const { syncWal, syncs } = heldSyncs();
  const { db } = opened({ syncWal });
  const write = watch(db.insertInto('notes').values({ body: 'single' }).execute());
  await expect.poll(() => syncs.length).toBe(1);
  expect(syncs[0]!.seen).toEqual(['single']);
  // This read finds the row, which a power loss could still take back: its answer waits as well.
  const read = db.selectFrom('notes').select('body').execute();
  const readState = watch(read);
  await turns();
  expect([write.done, readState.done]).toEqual([false, false]);
  syncs[0]!.finish();
  expect((await read).map((r) => r.body)).toEqual(['single']);
  await expect.poll(() => write.done).toBe(true);
  // Once synced, a read waits for nothing.
  await expect(db.selectFrom('notes').select('body').execute()).resolves.toHaveLength(1);
  expect(syncs).toHaveLength(1);
});

it('syncs the WAL file with fdatasync by default, and not at all where the server is told not to (NORMAL)', async () => {
  const probe = await open(file, 'r');
  const fileHandle = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
  await probe.close();
  const datasync = vi.spyOn(fileHandle, 'datasync');
  try {
    const { db } = opened();
    await db.insertInto('notes').values({ body: 'synced' }).execute();
    expect(datasync).toHaveBeenCalledTimes(1);
    datasync.mockClear();
    vi.stubEnv('CONVOY_SQLITE_SYNCHRONOUS', 'NORMAL');
    const { syncWal, syncs } = heldSyncs();
    const normal = opened({ syncWal }).db;
    await normal.insertInto('notes').values({ body: 'not synced' }).execute();
    expect(syncs).toHaveLength(0);
    expect(datasync).not.toHaveBeenCalled();
    expect(committed()).toEqual(['synced', 'not synced']);
  } finally {
    vi.unstubAllEnvs();
    datasync.mockRestore();
  }
});
