import { type Kysely, sql } from 'kysely';

// The visit figures list a page of stations, most person-times first, instead of every station of the
// subtree; these rows give that order without summing and sorting the subtree's stations per request.
// A "window" is `months` months ending with `last_month`: 1 (one month asked for) or 12 (the default,
// the last twelve months). A visit in month m counts in the window (1, m) and in the twelve windows
// (12, m … m+11), for every scope its cells count in (station_visit_cells: ancestors-or-self, 0 = all):
// - station_visit_ranks: person-times per (scope, window, station), indexed in the page's order
//   (visits descending, then station id);
// - station_visit_windows: how many stations had a visit in the window (a distinct count, kept exact:
//   a rank row that a visit creates is a station new to that window).
// Derived from station_visit_cells, kept in the check-in's transaction (stations.visit-ranks.ts) and
// rebuilt with the cells after an org move or a bulk load.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('station_visit_ranks')
    .addColumn('scope_unit_id', 'integer', (c) => c.notNull())
    .addColumn('months', 'integer', (c) => c.notNull())
    .addColumn('last_month', 'text', (c) => c.notNull())
    .addColumn('station_id', 'integer', (c) => c.notNull())
    .addColumn('visits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('station_visit_ranks_pk', ['scope_unit_id', 'months', 'last_month', 'station_id'])
    .execute();
  await db.schema.createIndex('station_visit_ranks_order').on('station_visit_ranks').columns(['scope_unit_id', 'months', 'last_month', 'visits desc', 'station_id']).execute();
  await db.schema
    .createTable('station_visit_windows')
    .addColumn('scope_unit_id', 'integer', (c) => c.notNull())
    .addColumn('months', 'integer', (c) => c.notNull())
    .addColumn('last_month', 'text', (c) => c.notNull())
    .addColumn('stations', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('station_visit_windows_pk', ['scope_unit_id', 'months', 'last_month'])
    .execute();

  // Backfill from the cells already counted (the same statements as rebuildVisitRanks, kept here as they
  // were when this migration landed).
  const { rows } = await sql<{ month: string }>`select distinct month from station_visit_cells`.execute(db);
  if (rows.length === 0) return;
  const spans = rows.flatMap(({ month }) => Array.from({ length: 12 }, (_, i) => sql`select cast(${month} as text) as month, cast(${monthPlus(month, i)} as text) as last_month`));
  await sql`insert into station_visit_ranks (scope_unit_id, months, last_month, station_id, visits)
    select scope_unit_id, 1, month, station_id, sum(visits) from station_visit_cells group by scope_unit_id, month, station_id`.execute(db);
  await sql`insert into station_visit_ranks (scope_unit_id, months, last_month, station_id, visits)
    select c.scope_unit_id, 12, w.last_month, c.station_id, sum(c.visits) from station_visit_cells c join (${sql.join(spans, sql` union all `)}) w on w.month = c.month
    group by c.scope_unit_id, w.last_month, c.station_id`.execute(db);
  await sql`insert into station_visit_windows (scope_unit_id, months, last_month, stations)
    select scope_unit_id, months, last_month, count(*) from station_visit_ranks group by scope_unit_id, months, last_month`.execute(db);
}

/** 'YYYY-MM' plus n months. */
function monthPlus(month: string, n: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m - 1 + n, 1)).toISOString().slice(0, 7);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('station_visit_windows').execute();
  await db.schema.dropTable('station_visit_ranks').execute();
}
