import { type ColumnDefinitionBuilder, type Kysely, type RawBuilder, sql } from 'kysely';
import { columnTypes } from '../engine.js';

// A scoped search walked a gram's rows in list order and looked up each person to learn their unit: a
// committee's page read ~800 country-wide rows (each a person look-up) to find 50 of its own, and a branch's
// page read every row of the gram (issue 6). The gram rows now carry the person's unit path, so the walk
// tests the scope on the index row itself and looks up only the people inside it. The path is a copy of
// `unit_path` on the person, kept by triggers like the other copies' followers: a row trigger on each
// person table rewrites the person's grams when their path changes (a person moved, an import's upsert, an
// org move rewriting the subtree's paths), in the same statement, so no write path can forget it.
//
// The key stays (gram, sort_key, person_id): a page is still one ordered walk that stops at the limit.
// SQLite keeps the path in the WITHOUT ROWID row (the key's b-tree); PostgreSQL in the key's index as an
// INCLUDE column, so the scope test is answered by an index-only scan there too.
const searchable = ['workers', 'members'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await inOneTransaction(db, async (trx) => {
    const t = columnTypes(trx);
    // Byte order on PostgreSQL ("C"), as the persons' own paths: a subtree is the range [path, path~).
    const binaryText = (c: ColumnDefinitionBuilder) => (t.postgres ? c.modifyFront(sql`collate "C"`) : c);
    for (const table of searchable) {
      const grams = `${table}_grams`;
      // Added in place, not by a copy into a new table: a dropped and renamed table left the bench's bulk-load
      // connection unable to checkpoint afterwards ("database table is locked"). Null for a worker not yet
      // placed in a unit: no scope holds them.
      await trx.schema.alterTable(grams).addColumn('unit_path', 'text', binaryText).execute();
      await sql`update ${sql.table(grams)} set unit_path = (select p.unit_path from ${sql.table(table)} p where p.id = ${sql.ref(`${grams}.person_id`)})`.execute(trx);
      if (t.postgres) {
        await sql`alter table ${sql.table(grams)} drop constraint ${sql.id(`${grams}_walk`)}`.execute(trx);
        await sql`alter table ${sql.table(grams)} add constraint ${sql.id(`${grams}_walk`)} primary key (gram, sort_key, person_id) include (unit_path)`.execute(trx);
      }
    }
    await createPathFollowers(trx, t.postgres);
  });
}

/**
 * The path-following triggers. `rootOf` (migration T0900-search-gram-root-key) makes them write the person's
 * top-level unit beside the path too; on PostgreSQL their function is created or replaced.
 */
export async function createPathFollowers(db: Kysely<unknown>, postgres: boolean, rootOf?: (path: string) => RawBuilder<unknown>): Promise<void> {
  const alsoRoot = rootOf ? sql`, root = ${rootOf('new.unit_path')}` : sql``;
  if (postgres) {
    await sql`create or replace function search_grams_follow_unit_path() returns trigger language plpgsql as $$
      begin
        if tg_table_name = 'workers' then update workers_grams set unit_path = new.unit_path${alsoRoot} where person_id = new.id;
        else update members_grams set unit_path = new.unit_path${alsoRoot} where person_id = new.id;
        end if;
        return null;
      end $$`.execute(db);
  }
  for (const table of searchable) {
    const trigger = sql.id(`${table}_grams_unit_path`);
    if (postgres) {
      await sql`create trigger ${trigger} after update of unit_path on ${sql.table(table)}
        for each row when (old.unit_path is distinct from new.unit_path) execute function search_grams_follow_unit_path()`.execute(db);
    } else {
      await sql`create trigger ${trigger} after update of unit_path on ${sql.table(table)} when old.unit_path is not new.unit_path
        begin update ${sql.table(`${table}_grams`)} set unit_path = new.unit_path${alsoRoot} where person_id = new.id; end`.execute(db);
    }
  }
}

/** The triggers alone (PostgreSQL's function stays for the next createPathFollowers or the caller to drop). */
export async function dropPathFollowers(db: Kysely<unknown>, postgres: boolean): Promise<void> {
  for (const table of searchable) await sql`drop trigger if exists ${sql.id(`${table}_grams_unit_path`)}${postgres ? sql` on ${sql.table(table)}` : sql``}`.execute(db);
}

export async function inOneTransaction(db: Kysely<unknown>, work: (db: Kysely<unknown>) => Promise<void>): Promise<void> {
  // PostgreSQL runs migrations inside the migrator's transaction; SQLite's migrator runs them without one.
  if (db.isTransaction) await work(db);
  else await db.transaction().execute(work);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await dropPathFollowers(db, t.postgres);
  if (t.postgres) await sql`drop function if exists search_grams_follow_unit_path()`.execute(db);
  // The path column goes; the key and the rows stay as they were.
  for (const table of searchable) {
    const grams = `${table}_grams`;
    if (t.postgres) {
      await sql`alter table ${sql.table(grams)} drop constraint ${sql.id(`${grams}_walk`)}`.execute(db);
      await sql`alter table ${sql.table(grams)} add constraint ${sql.id(`${grams}_walk`)} primary key (gram, sort_key, person_id)`.execute(db);
    }
    await db.schema.alterTable(grams).dropColumn('unit_path').execute();
  }
}
