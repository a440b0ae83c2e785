// A statement compiled once must behave as the builder did on every call: new values each time, the
// builder's own constants kept, and a value that never became a parameter refused rather than frozen.
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, type Generated, Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { PREPARED_ROWS_AT_MOST, preparedRowsStatement, preparedStatement } from './prepared.js';

type Db = { notes: { id: Generated<number>; ownerId: number; bodyText: string; kind: string } };

let db: Kysely<Db>;
const statements: string[] = [];

beforeAll(async () => {
  db = new Kysely<Db>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }), plugins: [new CamelCasePlugin()], log: (event) => { statements.push(event.query.sql); } });
  await sql`create table notes (id integer primary key, owner_id integer not null, body_text text not null, kind text not null)`.execute(db);
});
afterAll(() => db.destroy());

const insertNote = preparedStatement(['ownerId', 'bodyText'], (k: Kysely<Db>, p: { ownerId: number; bodyText: string }) => k.insertInto('notes').values({ ...p, kind: 'memo' }).returning('id'));
const notesOf = preparedStatement(['ownerId'], (k: Kysely<Db>, p: { ownerId: number }) => k.selectFrom('notes').select(['id', 'bodyText', 'kind']).where('ownerId', '=', p.ownerId).where('kind', 'in', ['memo', 'todo']).orderBy('id'));

/** Counts what the database's query compiler compiles (a builder's .compile() goes through it; transactions share it). */
const countCompiles = () => vi.spyOn(db.getExecutor(), 'compileQuery');

it('runs one compiled text with each call’s values, constants kept, rows camel-cased, inside a transaction too', async () => {
  const compiles = countCompiles();
  const first = await insertNote(db, { ownerId: 1, bodyText: '第一条' });
  await db.transaction().execute((trx) => insertNote(trx, { ownerId: 2, bodyText: 'second' }));
  expect(first.rows).toEqual([{ id: 1 }]);
  expect((await notesOf(db, { ownerId: 2 })).rows).toEqual([{ id: 2, bodyText: 'second', kind: 'memo' }]);
  expect((await notesOf(db, { ownerId: 1 })).rows).toEqual([{ id: 1, bodyText: '第一条', kind: 'memo' }]);
  const inserts = statements.filter((text) => text.startsWith('insert'));
  expect(new Set(inserts).size).toBe(1);
  // Compiled once each, however often run: the insert and the read.
  expect(compiles).toHaveBeenCalledTimes(2);
  compiles.mockRestore();
});

it('refuses a value the builder wrote into the text instead of binding it', async () => {
  const literal = preparedStatement(['kind'], (k: Kysely<Db>, p: { kind: string }) => k.selectFrom('notes').select('id').where('kind', '=', sql.lit(p.kind)));
  await expect(literal(db, { kind: 'memo' })).rejects.toThrow(/kind did not become parameters/);
});

it('refuses a statement whose columns are *, and takes count(*)', async () => {
  const everything = preparedStatement(['ownerId'], (k: Kysely<Db>, p: { ownerId: number }) => k.selectFrom('notes').selectAll().where('ownerId', '=', p.ownerId));
  await expect(everything(db, { ownerId: 1 })).rejects.toThrow(/name its columns instead of \*/);
  const returningAll = preparedStatement(['ownerId', 'bodyText'], (k: Kysely<Db>, p: { ownerId: number; bodyText: string }) => k.insertInto('notes').values({ ...p, kind: 'memo' }).returningAll());
  await expect(returningAll(db, { ownerId: 1, bodyText: 'x' })).rejects.toThrow(/name its columns instead of \*/);
  const counted = preparedStatement(['ownerId'], (k: Kysely<Db>, p: { ownerId: number }) => k.selectFrom('notes').select((eb) => eb.fn.countAll<number>().as('n')).where('ownerId', '=', p.ownerId));
  expect((await counted(db, { ownerId: 424_242 })).rows).toEqual([{ n: 0 }]);
});

type NoteRow = { ownerId: number; bodyText: string };
const insertNotes = preparedRowsStatement(['ownerId', 'bodyText'], (k: Kysely<Db>, rows: readonly NoteRow[]) => k.insertInto('notes').values(rows.map((row) => ({ ...row, kind: 'todo' }))).returning('id'));

it('compiles a multi-row statement once per row count, and builds a batch past the limit as it comes', async () => {
  statements.length = 0;
  const compiles = countCompiles();
  const rowsOf = (owner: number, n: number) => Array.from({ length: n }, (_, i) => ({ ownerId: owner, bodyText: `${owner}-${i}` }));
  await insertNotes(db, rowsOf(10, 2));
  await insertNotes(db, rowsOf(11, 2));
  await insertNotes(db, rowsOf(12, 3));
  const large = PREPARED_ROWS_AT_MOST + 1;
  await insertNotes(db, rowsOf(13, large));
  // Two rows (once for both calls), three rows, and the large batch: compiled as it comes.
  expect(compiles).toHaveBeenCalledTimes(3);
  await insertNotes(db, rowsOf(14, 3));
  await insertNotes(db, rowsOf(15, large));
  expect(compiles).toHaveBeenCalledTimes(4);
  compiles.mockRestore();
  const texts = statements.filter((text) => text.startsWith('insert'));
  expect(texts).toHaveLength(6);
  // Two rows twice: one text; three rows: another; the large batches theirs.
  expect(new Set(texts).size).toBe(3);
  const sizes: Record<number, number> = { 10: 2, 11: 2, 12: 3, 13: large, 14: 3, 15: large };
  for (const owner of [10, 11, 12, 13, 14, 15]) {
    const rows = (await notesOf(db, { ownerId: owner })).rows;
    expect(rows.map((r) => r.bodyText)).toEqual(rowsOf(owner, sizes[owner]!).map((r) => r.bodyText));
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['todo']));
  }
});
