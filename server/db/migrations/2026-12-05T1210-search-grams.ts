import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';

// A search page must cost the same however many people a fragment matches (issue 6). The FTS5 table and
// the GIN index find the matches but not in name order, so every page read and sorted all of them (a
// two-character fragment matches thousands at a million workers). These tables hold the same n-grams
// with the pinyin sort key beside each: the primary key (gram, sort_key, person_id) walks one gram's
// people in list order and stops after a page. The grams are the ones the FTS table and the token array
// already hold in clear (names are stored in clear too); nothing new is revealed.
const searchable = ['workers', 'members'] as const;
// People read, and gram rows written, per statement on SQLite (three parameters a row: below 32,766).
const BACKFILL_BATCH = 5_000;

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  // Byte order on PostgreSQL ("C"), as name_sort itself and SQLite compare, so the walk gives the list's order.
  const binaryText = (c: ColumnDefinitionBuilder) => (t.postgres ? c.notNull().modifyFront(sql`collate "C"`) : c.notNull());
  for (const table of searchable) {
    const grams = `${table}_grams`;
    // No foreign key: people are anonymized, never deleted, and each write rewrites the person's grams.
    let create = db.schema
      .createTable(grams)
      .addColumn('gram', 'text', binaryText)
      .addColumn('sort_key', 'text', binaryText)
      .addColumn('person_id', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${grams}_walk`, ['gram', 'sort_key', 'person_id']);
    // SQLite: the rows live in the key's b-tree, so the walk reads no second structure.
    if (!t.postgres) create = create.modifyEnd(sql`without rowid`);
    await create.execute();
    // A person's grams are replaced when their name or phone changes.
    await db.schema.createIndex(`${grams}_person`).on(grams).column('person_id').execute();

    // Existing people: exactly the grams their search index holds now (an erased person holds none).
    if (t.postgres) {
      await sql`insert into ${sql.table(grams)} (gram, sort_key, person_id)
        select distinct g.gram, p.name_sort, p.id from ${sql.table(table)} p cross join unnest(p.search_tokens) as g(gram)`.execute(db);
    } else {
      // The FTS5 table keeps the text it was given (the tokens joined by spaces), read here in id order.
      // (Not through an fts5vocab table: its cursor left the bulk-load connection of the bench unable
      // to switch to WAL afterwards.)
      let after = 0;
      for (;;) {
        const { rows } = await sql<{ id: number; tokens: string; sortKey: string }>`select f.rowid as id, f.tokens as tokens, p.name_sort as "sortKey"
          from ${sql.table(`${table}_fts`)} f join ${sql.table(table)} p on p.id = f.rowid where f.rowid > ${after} order by f.rowid limit ${BACKFILL_BATCH}`.execute(db);
        if (rows.length === 0) break;
        const values = rows.flatMap((r) => [...new Set(r.tokens.split(' ').filter(Boolean))].map((gram) => sql`(${gram}, ${r.sortKey}, ${r.id})`));
        for (let start = 0; start < values.length; start += BACKFILL_BATCH) {
          await sql`insert into ${sql.table(grams)} (gram, sort_key, person_id) values ${sql.join(values.slice(start, start + BACKFILL_BATCH))}`.execute(db);
        }
        after = rows[rows.length - 1]!.id;
      }
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of searchable) await db.schema.dropTable(`${table}_grams`).execute();
}
