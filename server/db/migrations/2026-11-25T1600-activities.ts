import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';

// Activities (活动) organized by a unit, and the people taking part: sign-ups, the waitlist, walk-ins
// and check-ins live in one row per person and activity, so "once per person" is a unique index.
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const idColumn = (c: ColumnDefinitionBuilder) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema
    .createTable('activities')
    .addColumn('id', t.id, idColumn)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    // A plain integer for now: the stations table lands in a parallel change, and the foreign key to
    // stations.id is added by a later migration once it exists.
    .addColumn('station_id', 'integer')
    .addColumn('address', 'text')
    .addColumn('lat', 'real')
    .addColumn('lng', 'real')
    .addColumn('starts_at', t.timestamp, (c) => c.notNull())
    .addColumn('ends_at', t.timestamp, (c) => c.notNull())
    // Null: no limit on sign-ups.
    .addColumn('capacity', 'integer')
    .addColumn('audience', 'text', (c) => c.notNull())
    // For audience platform_city: null platform or city means any.
    .addColumn('audience_platform_id', 'integer', (c) => c.references('platforms.id'))
    .addColumn('audience_city_code', 'text')
    .addColumn('signup_opens_at', t.timestamp)
    .addColumn('signup_closes_at', t.timestamp)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cancel_reason', 'text')
    .addColumn('cancelled_at', t.timestamp)
    // Bumped by every change of the activity: it is the iCalendar SEQUENCE, and sign-ups lock the row
    // through it (update … set version = version) so two last-seat sign-ups cannot both win.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  // A subtree's activities in a date range: the units come from the org_units path range, then this.
  await db.schema.createIndex('activities_unit_starts').on('activities').columns(['unit_id', 'starts_at', 'id']).execute();
  // Reminders, "near me" and the feeds scan by start time.
  await db.schema.createIndex('activities_starts').on('activities').columns(['starts_at', 'id']).execute();

  await db.schema
    .createTable('activity_participants')
    .addColumn('id', t.bigId, idColumn)
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id'))
    // Exactly one of the two: a worker for open activities, a member for members-only branch meetings.
    .addColumn('worker_id', 'integer', (c) => c.references('workers.id'))
    .addColumn('member_id', 'integer', (c) => c.references('members.id'))
    // The account that signed up, which hears about promotion, changes and reminders; null for walk-ins
    // checked in by an organizer.
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    // confirmed | waitlisted | cancelled | walk_in
    .addColumn('status', 'text', (c) => c.notNull())
    // Place in the line, counted per activity under the activity's lock: the waitlist moves up in this
    // order, and signing up again after cancelling joins at the back.
    .addColumn('queue_number', 'integer', (c) => c.notNull())
    .addColumn('signed_up_at', t.timestamp, (c) => c.notNull())
    .addColumn('cancelled_at', t.timestamp)
    .addColumn('promoted_at', t.timestamp)
    .addColumn('reminded_at', t.timestamp)
    .addColumn('checked_in_at', t.timestamp)
    // self_scan (the worker's phone at the venue) | organizer
    .addColumn('check_in_method', 'text')
    .addColumn('checked_in_by', 'integer', (c) => c.references('users.id'))
    .addCheckConstraint('activity_participants_one_person', sql`(worker_id is null) <> (member_id is null)`)
    .execute();
  // Once per person per activity; NULLs are distinct on both engines, so each index binds one kind of person.
  await db.schema.createIndex('activity_participants_worker').unique().on('activity_participants').columns(['activity_id', 'worker_id']).execute();
  await db.schema.createIndex('activity_participants_member').unique().on('activity_participants').columns(['activity_id', 'member_id']).execute();
  await db.schema.createIndex('activity_participants_status').on('activity_participants').columns(['activity_id', 'status', 'queue_number']).execute();
  await db.schema.createIndex('activity_participants_worker_person').on('activity_participants').columns(['worker_id', 'activity_id']).execute();
  await db.schema.createIndex('activity_participants_member_person').on('activity_participants').columns(['member_id', 'activity_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('activity_participants').execute();
  await db.schema.dropTable('activities').execute();
}
