import { type Kysely, sql } from 'kysely';

// Visit figures read pre-aggregated rows instead of the subtree's visits. A visit counts for every
// ancestor-or-self of the unit that ran the station (the "scope"), and for scope 0, everything (the
// system administrators' view, which also holds the visits of stations without a unit, unit_id 0 here):
// - station_visit_cells: person-times per (scope, month, station, visit unit); summable;
// - station_visit_months: person-times and distinct workers per (scope, month). Distinct workers are not
//   summable, so each visit checks the worker's other visits of that month (index below) and counts them
//   only for the scopes that had not seen the worker yet.
// Derived data without foreign keys, kept in the check-in's transaction (stations.visit-rollup.ts) and
// rebuilt for the old and new ancestors after an org move.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('station_visit_cells')
    .addColumn('scope_unit_id', 'integer', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('station_id', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('visits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('station_visit_cells_pk', ['scope_unit_id', 'month', 'station_id', 'unit_id'])
    .execute();
  await db.schema
    .createTable('station_visit_months')
    .addColumn('scope_unit_id', 'integer', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('visits', 'integer', (c) => c.notNull())
    .addColumn('workers', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('station_visit_months_pk', ['scope_unit_id', 'month'])
    .execute();
  await db.schema.createIndex('station_visits_worker_month').on('station_visits').columns(['worker_id', 'month']).execute();

  // Backfill: each unit with the visits beneath it (one path range per unit), then everything as scope 0.
  const beneath = sql`from org_units s join org_units u on u.path >= s.path and u.path < s.path || '~' join station_visits v on v.unit_id = u.id`;
  await sql`insert into station_visit_cells (scope_unit_id, month, station_id, unit_id, visits)
    select s.id, v.month, v.station_id, v.unit_id, count(*) ${beneath} group by s.id, v.month, v.station_id, v.unit_id`.execute(db);
  await sql`insert into station_visit_months (scope_unit_id, month, visits, workers)
    select s.id, v.month, count(*), count(distinct v.worker_id) ${beneath} group by s.id, v.month`.execute(db);
  await sql`insert into station_visit_cells (scope_unit_id, month, station_id, unit_id, visits)
    select 0, month, station_id, coalesce(unit_id, 0), count(*) from station_visits group by month, station_id, unit_id`.execute(db);
  await sql`insert into station_visit_months (scope_unit_id, month, visits, workers)
    select 0, month, count(*), count(distinct worker_id) from station_visits group by month`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('station_visits_worker_month').execute();
  await db.schema.dropTable('station_visit_months').execute();
  await db.schema.dropTable('station_visit_cells').execute();
}
