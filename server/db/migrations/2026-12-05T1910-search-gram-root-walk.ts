import { type Kysely, type RawBuilder, sql } from 'kysely';
import { columnTypes } from '../engine.js';

// A scoped search walked one gram's rows country-wide in list order and passed over other subtrees' rows
// inside the key: a province's page read ~(country rows ÷ province rows) × the page, so at a million workers
// in 31 provinces the bench's Sichuan page read ~16 pages of index rows where the 10k world (3 provinces)
// read ~3, and a branch searching one common character read the whole character (issue 6). This index
// walks one gram's rows of one top-level unit (the first id of the unit path) in list order, so a scope
// inside one top-level committee (nearly every grant) reads only that committee's rows.
//
// An expression over the gram row's copy of the unit path, not a new column: every writer of gram rows
// (the person writes, the import's writeNewPeopleGrams, the path-following triggers, the bench's raw
// ceiling) stays as it is, and a move that changes the path changes the index entry with it. The old key
// (gram, sort_key, person_id) stays for searches over everything or over grants in several top-level units.
// unit_path rides along (SQLite: a trailing column; PostgreSQL: INCLUDE) so a deeper scope is tested on
// the index entry before the person is looked up, as on the old key.
const searchable = ['workers', 'members'] as const;

/**
 * The top-level unit's id (as text) of a unit path '/1/7/42/' → '1'; null for no path. A query reaches the
 * index only by naming this very expression (db/text-search.ts imports it from here). Literal arguments, no
 * parameters: an expression index matches literal text only.
 */
export function unitRootOfPath(engine: 'sqlite' | 'postgres', column: string): RawBuilder<string | null> {
  const path = sql.ref(column);
  return engine === 'postgres' ? sql`split_part(${path}, '/', 2)` : sql`substr(${path}, 2, instr(substr(${path}, 2), '/') - 1)`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  for (const table of searchable) {
    const root = unitRootOfPath(t.postgres ? 'postgres' : 'sqlite', 'unit_path');
    const index = sql.id(`${table}_grams_root_walk`);
    const grams = sql.table(`${table}_grams`);
    if (t.postgres) await sql`create index ${index} on ${grams} (gram, (${root}), sort_key, person_id) include (unit_path)`.execute(db);
    else await sql`create index ${index} on ${grams} (gram, ${root}, sort_key, person_id, unit_path)`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of searchable) await sql`drop index if exists ${sql.id(`${table}_grams_root_walk`)}`.execute(db);
}
