import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';

// Change stamps: a counter per table that every change of what a cached answer was made from bumps, kept
// by triggers so no code path (the app, the seed, a future module) can write without bumping it. A
// cache keyed by the stamps it read before reading the rows is invalidated exactly, in every server
// process: first reader of a subtree's iCalendar feed (activities.feed-cache.ts) after a change rebuilds it.
//
// - activities: any insert or delete, and an update that changes a value (sign-ups lock the row with
//   `set version = version`, which must not throw every cached feed away);
// - org_units: a change of path (a move: which activities a subtree holds) or name (printed in the feed).
//   Units are never deleted and a new one has no activities yet.
//
// Activity writes are single rows, so a row lock on the stamp (PostgreSQL) serializes only them.

const activityColumns = [
  'id', 'kind', 'title', 'description', 'unit_id', 'station_id', 'address', 'lat', 'lng', 'starts_at', 'ends_at', 'capacity', 'audience',
  'audience_platform_id', 'audience_city_code', 'signup_opens_at', 'signup_closes_at', 'status', 'cancel_reason', 'cancelled_at', 'version',
  'created_by', 'created_at', 'updated_at',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('change_stamps')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('stamp', t.postgres ? 'bigint' : 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`insert into change_stamps (name, stamp) values ('activities', 0), ('org_units', 0)`.execute(db);

  if (t.postgres) {
    await sql`create function bump_change_stamp() returns trigger language plpgsql as $$
      begin update change_stamps set stamp = stamp + 1 where name = tg_argv[0]; return null; end $$`.execute(db);
    // Statement-level where a statement may touch many rows (a bulk load, a subtree move): one bump each.
    await sql`create trigger activities_stamp_insert_delete after insert or delete on activities
      for each statement execute function bump_change_stamp('activities')`.execute(db);
    await sql`create trigger activities_stamp_update after update on activities
      for each row when (old.* is distinct from new.*) execute function bump_change_stamp('activities')`.execute(db);
    await sql`create trigger org_units_stamp after update of path, name on org_units
      for each statement execute function bump_change_stamp('org_units')`.execute(db);
  } else {
    const bump = (name: string) => sql.raw(`begin update change_stamps set stamp = stamp + 1 where name = '${name}'; end`);
    const changed = sql.raw(activityColumns.map((c) => `old.${c} is not new.${c}`).join(' or '));
    await sql`create trigger activities_stamp_insert after insert on activities ${bump('activities')}`.execute(db);
    await sql`create trigger activities_stamp_delete after delete on activities ${bump('activities')}`.execute(db);
    await sql`create trigger activities_stamp_update after update on activities when ${changed} ${bump('activities')}`.execute(db);
    await sql`create trigger org_units_stamp after update of path, name on org_units ${bump('org_units')}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const triggers = t.postgres
    ? [['activities_stamp_insert_delete', 'activities'], ['activities_stamp_update', 'activities'], ['org_units_stamp', 'org_units']]
    : [['activities_stamp_insert', 'activities'], ['activities_stamp_delete', 'activities'], ['activities_stamp_update', 'activities'], ['org_units_stamp', 'org_units']];
  for (const [name, table] of triggers) await sql`drop trigger if exists ${sql.id(name!)}${t.postgres ? sql` on ${sql.id(table!)}` : sql``}`.execute(db);
  if (t.postgres) await sql`drop function if exists bump_change_stamp()`.execute(db);
  await db.schema.dropTable('change_stamps').execute();
}
