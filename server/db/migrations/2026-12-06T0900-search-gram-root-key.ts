import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';
import { unitRootOfPath } from './2026-12-05T1910-search-gram-root-walk.js';

// SQLite wrote each gram row into three b-trees: the key (gram, sort_key, person_id), the root walk (gram,
// top-level unit, sort key, person, path) and the person index. At a million workers a new worker's ~6
// grams landed at random places of two 6-million-row trees, and the root walk alone took a third of a raw
// insert's time (issue 6: the CSV import of a million workers is most of the bench's run). On SQLite the
// top-level unit is now a column of the key itself, (gram, root, sort_key, person_id), so one tree serves
// both: a scope under one top-level committee walks it in list order as the root walk did, and a search over
// several committees (or everything) merges one ordered walk per committee (db/text-search.ts).
// PostgreSQL 15 cannot merge such walks (it merges only a UNION ALL whose arms have no WHERE), so there the
// key stays (gram, sort_key, person_id) for those searches, and the root walk indexes the new column
// instead of the expression.
// `root` is the first id of the unit path as text ('' for a person not placed in a unit yet), written by
// every writer of gram rows and kept by the path-following triggers with the path.
const searchable = ['workers', 'members'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await inOneTransaction(db, async (trx) => {
    const t = columnTypes(trx);
    await dropPathFollowers(trx, t.postgres);
    for (const table of searchable) {
      const grams = `${table}_grams`;
      const rootOf = (column: string) => sql`coalesce(${unitRootOfPath(t.postgres ? 'postgres' : 'sqlite', column)}, '')`;
      await sql`drop index if exists ${sql.id(`${grams}_root_walk`)}`.execute(trx);
      if (t.postgres) {
        await sql`alter table ${sql.table(grams)} add column root text collate "C" not null default ''`.execute(trx);
        await sql`update ${sql.table(grams)} set root = ${rootOf('unit_path')} where unit_path is not null`.execute(trx);
        await sql`alter table ${sql.table(grams)} alter column root drop default`.execute(trx);
        await sql`create index ${sql.id(`${grams}_root_walk`)} on ${sql.table(grams)} (gram, root, sort_key, person_id) include (unit_path)`.execute(trx);
      } else {
        // SQLite cannot change a WITHOUT ROWID table's key in place: the rows go into a new table in key order.
        const next = `${grams}_next`;
        await sql`create table ${sql.table(next)} (gram text not null, root text not null, sort_key text not null, person_id integer not null, unit_path text,
          primary key (gram, root, sort_key, person_id)) without rowid`.execute(trx);
        await sql`insert into ${sql.table(next)} (gram, root, sort_key, person_id, unit_path)
          select gram, ${rootOf('unit_path')}, sort_key, person_id, unit_path from ${sql.table(grams)} order by 1, 2, 3, 4`.execute(trx);
        await sql`drop table ${sql.table(grams)}`.execute(trx);
        await sql`alter table ${sql.table(next)} rename to ${sql.table(grams)}`.execute(trx);
        await sql`create index ${sql.id(`${grams}_person`)} on ${sql.table(grams)} (person_id)`.execute(trx);
      }
    }
    await createPathFollowers(trx, t.postgres);
  });
}

/** The triggers of migration T1525, writing the root beside the path (`withRoot`) or, going down, the path alone. */
async function createPathFollowers(db: Kysely<unknown>, postgres: boolean, withRoot = true): Promise<void> {
  const rootOfNew = withRoot ? sql`, root = coalesce(${unitRootOfPath(postgres ? 'postgres' : 'sqlite', 'new.unit_path')}, '')` : sql``;
  if (postgres) {
    await sql`create or replace function search_grams_follow_unit_path() returns trigger language plpgsql as $$
      begin
        if tg_table_name = 'workers' then update workers_grams set unit_path = new.unit_path${rootOfNew} where person_id = new.id;
        else update members_grams set unit_path = new.unit_path${rootOfNew} where person_id = new.id;
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
        begin update ${sql.table(`${table}_grams`)} set unit_path = new.unit_path${rootOfNew} where person_id = new.id; end`.execute(db);
    }
  }
}

async function dropPathFollowers(db: Kysely<unknown>, postgres: boolean): Promise<void> {
  for (const table of searchable) await sql`drop trigger if exists ${sql.id(`${table}_grams_unit_path`)}${postgres ? sql` on ${sql.table(table)}` : sql``}`.execute(db);
}

async function inOneTransaction(db: Kysely<unknown>, work: (db: Kysely<unknown>) => Promise<void>): Promise<void> {
  // PostgreSQL runs migrations inside the migrator's transaction; SQLite's migrator runs them without one.
  if (db.isTransaction) await work(db);
  else await db.transaction().execute(work);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await inOneTransaction(db, async (trx) => {
    const t = columnTypes(trx);
    await dropPathFollowers(trx, t.postgres);
    for (const table of searchable) {
      const grams = `${table}_grams`;
      if (t.postgres) {
        await sql`drop index ${sql.id(`${grams}_root_walk`)}`.execute(trx);
        await sql`alter table ${sql.table(grams)} drop column root`.execute(trx);
      } else {
        const next = `${grams}_next`;
        await sql`create table ${sql.table(next)} (gram text not null, sort_key text not null, person_id integer not null, unit_path text,
          primary key (gram, sort_key, person_id)) without rowid`.execute(trx);
        await sql`insert into ${sql.table(next)} (gram, sort_key, person_id, unit_path) select gram, sort_key, person_id, unit_path from ${sql.table(grams)}`.execute(trx);
        await sql`drop table ${sql.table(grams)}`.execute(trx);
        await sql`alter table ${sql.table(next)} rename to ${sql.table(grams)}`.execute(trx);
        await sql`create index ${sql.id(`${grams}_person`)} on ${sql.table(grams)} (person_id)`.execute(trx);
      }
      const root = unitRootOfPath(t.postgres ? 'postgres' : 'sqlite', 'unit_path');
      if (t.postgres) await sql`create index ${sql.id(`${grams}_root_walk`)} on ${sql.table(grams)} (gram, (${root}), sort_key, person_id) include (unit_path)`.execute(trx);
      else await sql`create index ${sql.id(`${grams}_root_walk`)} on ${sql.table(grams)} (gram, ${root}, sort_key, person_id, unit_path)`.execute(trx);
    }
    await createPathFollowers(trx, t.postgres, false);
  });
}
