import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';

// Since the search grams (2026-12-05T1210-search-grams) no query reads the first search index: SQLite's
// FTS5 tables and PostgreSQL's token arrays under their GIN indexes. Every person write still paid for
// them (a million-row import wrote each name three ways), so they go (issue 6). The grams hold the same
// tokens, so nothing a search finds changes.
const searchable = ['workers', 'members'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  for (const table of searchable) {
    if (t.postgres) {
      await sql`drop index if exists ${sql.id(`${table}_search`)}`.execute(db);
      await sql`alter table ${sql.table(table)} drop column if exists search_tokens`.execute(db);
    } else {
      await sql`drop table if exists ${sql.table(`${table}_fts`)}`.execute(db);
    }
  }
}

/** Back to the release before: the old index again, filled from the grams (which hold the same tokens). */
export async function down(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  for (const table of searchable) {
    const grams = sql.table(`${table}_grams`);
    if (t.postgres) {
      await sql`alter table ${sql.table(table)} add column search_tokens text[] not null default '{}'`.execute(db);
      await sql`create index ${sql.id(`${table}_search`)} on ${sql.table(table)} using gin (search_tokens)`.execute(db);
      await sql`update ${sql.table(table)} p set search_tokens = g.tokens
        from (select person_id, array_agg(gram order by gram) as tokens from ${grams} group by person_id) g where g.person_id = p.id`.execute(db);
    } else {
      const fts = sql.table(`${table}_fts`);
      await sql`create virtual table ${fts} using fts5(tokens, tokenize = 'unicode61 remove_diacritics 0')`.execute(db);
      await sql`insert into ${fts} (rowid, tokens) select person_id, group_concat(gram, ' ') from ${grams} group by person_id`.execute(db);
    }
  }
}
