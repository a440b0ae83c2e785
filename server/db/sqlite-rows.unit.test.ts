// The routed SQLite connections build rows from better-sqlite3's arrays with camelCased keys (issue 6): the
// rows must be the ones the plain driver and Kysely's CamelCasePlugin gave, whatever the statement.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, sql, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from './database.js';
import { sqliteRows } from './sqlite-rows.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tables of this test only
type AnyDb = Kysely<any>;

let folder: string;
let handle: DatabaseHandle;
let routed: AnyDb;
let plain: AnyDb;
beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'convoy-rows-'));
  const file = join(folder, 'rows.db');
  handle = openDatabase(`sqlite:${file}`);
  routed = handle.db as AnyDb;
  await sql`create table trip_legs (id integer primary key, driver_name text not null, fare_cents integer, photo blob, started_at text)`.execute(routed);
  await routed.insertInto('tripLegs').values([
    { driverName: '张伟', fareCents: 1250, photo: Buffer.from([1, 2, 3]), startedAt: '2026-12-06T02:00:00.000Z' },
    { driverName: '李娜', fareCents: null, photo: null, startedAt: null },
  ]).execute();
  // The reference: one connection, better-sqlite3's own row objects, the plugin renaming them.
  plain = new Kysely({ dialect: new SqliteDialect({ database: new SQLite(file) }), plugins: [new CamelCasePlugin()] });
});
afterEach(async () => {
  await plain.destroy();
  await handle.destroy();
  rmSync(folder, { recursive: true, force: true });
});

const both = async (query: (db: AnyDb) => { execute: () => Promise<unknown> }) => [await query(routed).execute(), await query(plain).execute()];

it('gives the rows the plain driver and the CamelCasePlugin gave: builder, raw SQL, RETURNING, a stream', async () => {
  const [a, b] = await both((db) => db.selectFrom('tripLegs').selectAll().orderBy('id'));
  expect(a).toEqual(b);
  expect(a).toEqual([
    { id: 1, driverName: '张伟', fareCents: 1250, photo: Buffer.from([1, 2, 3]), startedAt: '2026-12-06T02:00:00.000Z' },
    { id: 2, driverName: '李娜', fareCents: null, photo: null, startedAt: null },
  ]);
  const rawQuery = sql`select driver_name, fare_cents * 2 as double_fare, count(*) over () as all_legs from trip_legs order by id`;
  const [rawA, rawB] = await both((db) => ({ execute: () => rawQuery.execute(db) }));
  expect(rawA).toEqual(rawB);
  expect((rawA as { rows: unknown[] }).rows[0]).toEqual({ driverName: '张伟', doubleFare: 2500, allLegs: 2 });
  const inserted = await routed.insertInto('tripLegs').values({ driverName: '王芳', fareCents: 800 }).returning(['id', 'driverName', 'fareCents']).execute();
  expect(inserted).toEqual([{ id: 3, driverName: '王芳', fareCents: 800 }]);
  const streamed = [];
  for await (const row of routed.selectFrom('tripLegs').select(['id', 'driverName']).orderBy('id').stream()) streamed.push(row);
  expect(streamed).toEqual(await plain.selectFrom('tripLegs').select(['id', 'driverName']).orderBy('id').execute());
  // The statement is left in its usual mode for anyone else who prepares the same text on the connection.
  expect(await routed.selectFrom('tripLegs').select(['id', 'driverName']).orderBy('id').execute()).toEqual(streamed);
});

it('names a repeated column by its last value, and keeps a column called __proto__ as a property', async () => {
  const [a, b] = await both((db) => ({ execute: () => sql`select 1 as leg_no, 2 as leg_no`.execute(db) }));
  expect(a).toEqual(b);
  expect((a as { rows: unknown[] }).rows[0]).toMatchObject({ legNo: 2 });
  // A driver that keeps the names must not take "__proto__" for the prototype (better-sqlite3's own
  // objects lose that column; the plugin's renaming would make it "_Proto").
  const connection = new SQLite(':memory:');
  try {
    const [row] = sqliteRows((column) => column).all(connection.prepare(`select 1 as leg_no, 'x' as "__proto__"`), []);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('x');
    expect(row).toMatchObject({ leg_no: 1 });
  } finally {
    connection.close();
  }
});

it('sees new columns after a schema change, made here or by another connection', async () => {
  const everything = () => routed.selectFrom('tripLegs').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  expect(Object.keys(await everything())).toEqual(['id', 'driverName', 'fareCents', 'photo', 'startedAt']);
  await sql`alter table trip_legs add column platform_code text default 'QH'`.execute(routed);
  expect(await everything()).toMatchObject({ driverName: '张伟', platformCode: 'QH' });
  // A rename keeps the row's width: the schema change itself tells.
  await sql`alter table trip_legs rename column fare_cents to fare_fen`.execute(routed);
  expect(Object.keys(await everything())).toEqual(['id', 'driverName', 'fareFen', 'photo', 'startedAt', 'platformCode']);
  // Another connection (another process running a migration, say): the row's width tells.
  await sql`alter table trip_legs add column city_code text default '510100'`.execute(plain);
  expect(await everything()).toMatchObject({ platformCode: 'QH', cityCode: '510100' });
  await sql`alter table trip_legs drop column photo`.execute(plain);
  expect(Object.keys(await everything())).toEqual(['id', 'driverName', 'fareFen', 'startedAt', 'platformCode', 'cityCode']);
});
