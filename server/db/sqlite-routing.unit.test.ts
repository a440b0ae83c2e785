// Reads beside a long transaction on SQLite: a plain SELECT answers while another transaction holds the
// writer (from the last commit), writers wait their turn, and what must see uncommitted changes does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DatabaseHandle, openDatabase } from './database.js';
import { routingSqliteDialect } from './sqlite-routing.js';
import { LOCK_WAIT_MS, PATIENT_LOCK_WAIT_MS, runWriting } from './sqlite-writer.js';

let dir: string;
let file: string;
let handle: DatabaseHandle;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'convoy-routing-'));
  file = join(dir, 'routing.db');
  handle = openDatabase(`sqlite:${file}`);
  await sql`create table notes (id integer primary key, body text not null)`.execute(handle.db);
  await sql`insert into notes (body) values ('first')`.execute(handle.db);
});

afterEach(async () => {
  await handle.destroy();
  rmSync(dir, { recursive: true, force: true });
});

type Notes = { notes: { id: number; body: string } };
const bodies = async (db: DatabaseHandle['db']) => (await (db as unknown as Kysely<Notes>).selectFrom('notes').select('body').orderBy('id').execute()).map((r) => r.body);

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

it('answers a SELECT while another transaction holds the writer, with what was committed', async () => {
  const inside = gate();
  const finish = gate();
  const transaction = handle.db.transaction().execute(async (trx) => {
    await sql`insert into notes (body) values ('second')`.execute(trx);
    // Inside, the transaction sees its own row.
    expect(await bodies(trx)).toEqual(['first', 'second']);
    inside.open();
    await finish.opened;
  });
  await inside.opened;
  // Outside, while it is open: no wait, and only the committed row.
  expect(await bodies(handle.db)).toEqual(['first']);
  expect(handle.writersWaiting!()).toBe(0);
  finish.open();
  await transaction;
  expect(await bodies(handle.db)).toEqual(['first', 'second']);
});

it('makes a writer wait for the open transaction, and counts it as waiting', async () => {
  const inside = gate();
  const finish = gate();
  const order: string[] = [];
  const transaction = handle.db.transaction().execute(async (trx) => {
    await sql`insert into notes (body) values ('in the transaction')`.execute(trx);
    inside.open();
    await finish.opened;
    order.push('commit');
  });
  await inside.opened;
  const write = sql`insert into notes (body) values ('after it')`.execute(handle.db).then(() => order.push('write'));
  await expect.poll(() => handle.writersWaiting!()).toBe(1);
  expect(order).toEqual([]);
  finish.open();
  await Promise.all([transaction, write]);
  expect(order).toEqual(['commit', 'write']);
  expect(handle.writersWaiting!()).toBe(0);
  expect(await bodies(handle.db)).toEqual(['first', 'in the transaction', 'after it']);
});

it('keeps a transaction begun by hand on the writer until it ends, and frees the writer after a rollback', async () => {
  await handle.db.connection().execute(async (conn) => {
    await sql`begin`.execute(conn);
    await sql`insert into notes (body) values ('by hand')`.execute(conn);
    // The builder's SELECT on this connection sees the uncommitted row: it stays on the writer.
    expect(await bodies(conn)).toEqual(['first', 'by hand']);
    // Another connection's read does not.
    expect(await bodies(handle.db)).toEqual(['first']);
    await sql`commit`.execute(conn);
  });
  expect(await bodies(handle.db)).toEqual(['first', 'by hand']);

  await expect(
    handle.db.transaction().execute(async (trx) => {
      await sql`insert into notes (body) values ('rolled back')`.execute(trx);
      throw new Error('changed my mind');
    }),
  ).rejects.toThrow('changed my mind');
  // The writer is free again: a write goes through at once, and the rolled-back row is gone.
  await sql`insert into notes (body) values ('last')`.execute(handle.db);
  expect(await bodies(handle.db)).toEqual(['first', 'by hand', 'last']);
});

it('waits for another connection to let go of the write lock without stopping the event loop, counted as waiting', async () => {
  // Another connection to the file (the import thread, another process) holds the write lock.
  const other = new SQLite(file);
  try {
    other.exec("begin immediate; insert into notes (body) values ('other')");
    const order: string[] = [];
    const write = sql`insert into notes (body) values ('autocommit')`.execute(handle.db).then(() => order.push('write'));
    const transaction = handle.db.transaction().execute(async (trx) => {
      await sql`insert into notes (body) values ('transaction')`.execute(trx);
      // Its turn came after the write's (whose answer may still wait for the WAL's sync meanwhile).
      expect(await bodies(trx)).toContain('autocommit');
      order.push('transaction');
    });
    // Timers still fire while they wait: the event loop is free.
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        ticks += 1;
        if (ticks === 5) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    // One waits for the lock, the other for its turn behind it; reads go on meanwhile.
    expect(order).toEqual([]);
    expect(handle.writersWaiting!()).toBe(2);
    expect(new Int32Array(handle.waitingWriters!)[0]).toBe(2);
    expect(await bodies(handle.db)).toEqual(['first']);
    other.exec('commit');
    await Promise.all([write, transaction]);
    expect(order.sort()).toEqual(['transaction', 'write']);
    expect(handle.writersWaiting!()).toBe(0);
    expect(await bodies(handle.db)).toEqual(['first', 'other', 'autocommit', 'transaction']);
  } finally {
    other.close();
  }
});

it('pauses writers for the WAL checkpointer: after the one holding the writer and its COMMIT, before those waiting', async () => {
  const writer = new SQLite(file);
  writer.pragma('busy_timeout = 0');
  const reader = new SQLite(file, { readonly: true });
  const routing = routingSqliteDialect(writer, reader);
  const db = new Kysely<Notes>({ dialect: routing.dialect });
  const elsewhere = new SQLite(file, { readonly: true });
  const committed = () => (elsewhere.prepare('select body from notes order by id').all() as { body: string }[]).map((row) => row.body);
  try {
    const inside = gate();
    const finish = gate();
    const order: string[] = [];
    const transaction = db.transaction().execute(async (trx) => {
      await sql`insert into notes (body) values ('held')`.execute(trx);
      inside.open();
      await finish.opened;
    });
    await inside.opened;
    const waiting = sql`insert into notes (body) values ('waiting')`.execute(db).then(() => order.push('write'));
    await expect.poll(() => routing.writersWaiting()).toBe(1);
    const pause = routing.pauseWriters(async () => {
      // The transaction's group is committed (another connection sees it), and the write asked before the pause waits.
      expect(committed()).toEqual(['first', 'held']);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(committed()).toEqual(['first', 'held']);
      order.push('pause');
    });
    finish.open();
    await Promise.all([transaction, waiting, pause]);
    expect(order).toEqual(['pause', 'write']);
    expect(committed()).toEqual(['first', 'held', 'waiting']);
    expect(routing.writersWaiting()).toBe(0);
  } finally {
    elsewhere.close();
    await db.destroy();
  }
});

it('counts a writer of background work as waiting, but not among those someone waits for', async () => {
  const other = new SQLite(file);
  try {
    other.exec("begin immediate; insert into notes (body) values ('other')");
    const patient = sql`insert into notes (body) values ('scheduler')`.execute(handle.backgroundDb);
    const counts = () => [...new Int32Array(handle.waitingWriters!)];
    // Waiting in both slots: every writer, and the patient ones; none that someone waits for.
    await expect.poll(counts).toEqual([1, 1]);
    expect(handle.writersWaiting!()).toBe(0);
    const impatient = sql`insert into notes (body) values ('request')`.execute(handle.db);
    await expect.poll(counts).toEqual([2, 1]);
    expect(handle.writersWaiting!()).toBe(1);
    other.exec('commit');
    await Promise.all([patient, impatient]);
    expect(counts()).toEqual([0, 0]);
    // Which of the two retries first after the COMMIT is up to their timers.
    expect((await bodies(handle.db)).sort()).toEqual(['first', 'other', 'request', 'scheduler']);
  } finally {
    other.close();
  }
});

it('takes the write lock when a transaction begins, so one that has read can still write after waiting', async () => {
  const inside = gate();
  const goOn = gate();
  const transaction = handle.db.transaction().execute(async (trx) => {
    inside.open();
    await goOn.opened;
    expect(await bodies(trx)).toEqual(['first']);
    await sql`insert into notes (body) values ('mine')`.execute(trx);
  });
  await inside.opened;
  // Right after BEGIN, before it has read or written anything, the transaction holds the lock: another
  // connection's write cannot come between its read and its write (which would leave it unable to write).
  const other = new SQLite(file);
  try {
    other.pragma('busy_timeout = 0');
    expect(() => other.exec("insert into notes (body) values ('other')")).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    goOn.open();
    await transaction;
    other.exec("insert into notes (body) values ('other')");
  } finally {
    other.close();
  }
  expect(await bodies(handle.db)).toEqual(['first', 'mine', 'other']);
});

it('reports the error that rolled a transaction back, not the ROLLBACK that follows it, and frees the writer', async () => {
  // RAISE(ROLLBACK) ends the whole transaction inside SQLite, as SQLITE_FULL or SQLITE_IOERR can: Kysely's
  // ROLLBACK then finds no transaction, and its "no transaction is active" used to replace this message.
  await sql`create trigger notes_refused before insert on notes when new.body = 'refused' begin select raise(rollback, 'refused by the trigger'); end`.execute(handle.db);
  const failed = handle.db.transaction().execute(async (trx) => {
    await sql`insert into notes (body) values ('kept until the end')`.execute(trx);
    await sql`insert into notes (body) values ('refused')`.execute(trx);
  });
  await expect(failed).rejects.toThrow('refused by the trigger');
  // Nothing of it stays, and the next writer (a transaction, then a single statement) gets the writer at once.
  await handle.db.transaction().execute(async (trx) => void (await sql`insert into notes (body) values ('after')`.execute(trx)));
  await sql`insert into notes (body) values ('alone')`.execute(handle.db);
  expect(await bodies(handle.db)).toEqual(['first', 'after', 'alone']);
  expect(handle.writersWaiting!()).toBe(0);
});

describe('a statement refused with SQLITE_BUSY', () => {
  const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  const raise = (error: Error): never => {
    throw error;
  };
  /** A writer whose statement is refused once, then runs; `refusal` may change its transaction as SQLite can. */
  const writerRefusingOnce = (refusal: (writer: { inTransaction: boolean }) => void) => {
    const writer = { inTransaction: true, runs: 0 };
    const statement = {
      reader: false,
      run: () => {
        writer.runs += 1;
        if (writer.runs === 1) {
          refusal(writer);
          throw busy();
        }
        return { changes: 1, lastInsertRowid: 7 };
      },
    };
    return Object.assign(writer, { prepare: () => statement }) as unknown as SQLite.Database & { runs: number };
  };
  const query = { sql: "insert into notes (body) values ('x')", parameters: [], query: { kind: 'RawNode' } } as never;

  it('is run again while its transaction is as it was, counted as waiting meanwhile', async () => {
    const waiting = new Int32Array(new SharedArrayBuffer(8));
    const writer = writerRefusingOnce(() => undefined);
    const result = runWriting(writer, query, waiting);
    expect(Atomics.load(waiting, 0)).toBe(1);
    await expect(result).resolves.toMatchObject({ numAffectedRows: 1n });
    expect(writer.runs).toBe(2);
    expect(Atomics.load(waiting, 0)).toBe(0);
  });

  it('is given up after LOCK_WAIT_MS, or after PATIENT_LOCK_WAIT_MS for a patient writer (background work)', async () => {
    vi.useFakeTimers();
    try {
      // Refused for 40 s: past a request's wait, within background work's.
      const refusedUntil = Date.now() + LOCK_WAIT_MS + 10_000;
      const refusingFor40s = () => {
        const statement = { reader: false, run: () => (Date.now() < refusedUntil ? raise(busy()) : { changes: 1, lastInsertRowid: 1 }) };
        return { inTransaction: false, prepare: () => statement } as unknown as SQLite.Database;
      };
      const waiting = new Int32Array(new SharedArrayBuffer(8));
      const request = runWriting(refusingFor40s(), query, waiting).then(
        () => 'ran',
        (error: { code?: string }) => error.code,
      );
      const scheduler = runWriting(refusingFor40s(), query, waiting, { patient: true });
      expect([...waiting]).toEqual([2, 1]);
      await vi.advanceTimersByTimeAsync(LOCK_WAIT_MS + 20_000);
      expect(await request).toBe('SQLITE_BUSY');
      await expect(scheduler).resolves.toMatchObject({ numAffectedRows: 1n });
      expect(PATIENT_LOCK_WAIT_MS).toBeGreaterThan(LOCK_WAIT_MS + 20_000);
      expect([...waiting]).toEqual([0, 0]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is not run again once SQLite rolled its transaction back: it would commit on its own', async () => {
    const waiting = new Int32Array(new SharedArrayBuffer(8));
    const writer = writerRefusingOnce((w) => {
      w.inTransaction = false;
    });
    await expect(runWriting(writer, query, waiting)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(writer.runs).toBe(1);
    expect(Atomics.load(waiting, 0)).toBe(0);
  });
});
