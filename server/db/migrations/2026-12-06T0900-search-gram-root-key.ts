import { type Kysely, type RawBuilder, sql } from 'kysely';
import { columnTypes } from '../engine.js';
import { createPathFollowers, dropPathFollowers, inOneTransaction } from './2026-12-05T1525-search-gram-scope.js';
import { up as createRootWalks, unitRootOfPath } from './2026-12-05T1910-search-gram-root-walk.js';

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

/** The key's root of a unit-path column: its top-level unit id as text, '' for no path. */
const rootOf = (postgres: boolean, column: string) => sql`coalesce(${unitRootOfPath(postgres ? 'postgres' : 'sqlite', column)}, '')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await inOneTransaction(db, async (trx) => {
    const t = columnTypes(trx);
    await dropPathFollowers(trx, t.postgres);
    for (const table of searchable) {
      const grams = `${table}_grams`;
      await sql`drop index if exists ${sql.id(`${grams}_root_walk`)}`.execute(trx);
      if (t.postgres) {
        await sql`alter table ${sql.table(grams)} add column root text collate "C" not null default ''`.execute(trx);
        await sql`update ${sql.table(grams)} set root = ${rootOf(t.postgres, 'unit_path')} where unit_path is not null`.execute(trx);
        await sql`alter table ${sql.table(grams)} alter column root drop default`.execute(trx);
        await sql`create index ${sql.id(`${grams}_root_walk`)} on ${sql.table(grams)} (gram, root, sort_key, person_id) include (unit_path)`.execute(trx);
      } else {
        await rebuildKeyedBy(trx, grams, ['gram', 'root', 'sort_key', 'person_id'], { root: rootOf(false, 'unit_path') });
      }
    }
    await createPathFollowers(trx, t.postgres, (path) => rootOf(t.postgres, path));
  });
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
        await rebuildKeyedBy(trx, grams, ['gram', 'sort_key', 'person_id']);
      }
    }
    // The root walk over the path's expression, as migration T1910 made it.
    await createRootWalks(trx);
    await createPathFollowers(trx, t.postgres);
  });
}

/**
 * SQLite cannot change a WITHOUT ROWID table's key in place: the rows go into a new table keyed by `key`
 * (every other column of the gram rows kept; `computed` gives new ones), in that key's order, and the
 * person index is made again.
 */
async function rebuildKeyedBy(db: Kysely<unknown>, grams: string, key: readonly string[], computed: Record<string, RawBuilder<unknown>> = {}): Promise<void> {
  const next = `${grams}_next`;
  const columns = [...key, 'unit_path'];
  const definitions = columns.map((c) => sql.raw(c === 'person_id' ? 'person_id integer not null' : c === 'unit_path' ? 'unit_path text' : `${c} text not null`));
  await sql`create table ${sql.table(next)} (${sql.join(definitions)}, primary key (${sql.join(key.map((c) => sql.id(c)))})) without rowid`.execute(db);
  const values = columns.map((c) => computed[c] ?? sql.id(c));
  await sql`insert into ${sql.table(next)} (${sql.join(columns.map((c) => sql.id(c)))})
    select ${sql.join(values)} from ${sql.table(grams)} order by ${sql.join(key.map((_, i) => sql.raw(String(i + 1))))}`.execute(db);
  await sql`drop table ${sql.table(grams)}`.execute(db);
  await sql`alter table ${sql.table(next)} rename to ${sql.table(grams)}`.execute(db);
  await sql`create index ${sql.id(`${grams}_person`)} on ${sql.table(grams)} (person_id)`.execute(db);
}
