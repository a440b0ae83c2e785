import { type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { columnTypes } from '../engine.js';

// Service stations (司机之家, 户外劳动者服务站, 工会驿站 …): where they are, what they offer and when,
// who runs them; check-ins by QR code, ratings, photos, and which appeals reported a problem there.
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const idColumn = (c: ColumnDefinitionBuilder) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema
    .createTable('stations')
    .addColumn('id', t.id, idColumn)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('operator_name', 'text')
    .addColumn('platform_id', 'integer', (c) => c.references('platforms.id'))
    .addColumn('city_code', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    // Double precision on both engines (PostgreSQL's real is 4 bytes, about a metre off): the index
    // built from these columns must agree with them to the last digit.
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lng', 'double precision', (c) => c.notNull())
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('hours', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer')
    .addColumn('contact_phone', 'text')
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_note', 'text')
    .addColumn('closed_at', t.timestamp)
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stations_unit').on('stations').columns(['unit_id', 'id']).execute();
  await db.schema.createIndex('stations_city').on('stations').columns(['city_code', 'id']).execute();
  // max(updated_at) is the change stamp every process compares before serving a nearby search.
  await db.schema.createIndex('stations_updated').on('stations').column('updated_at').execute();

  await db.schema
    .createTable('station_visits')
    .addColumn('id', t.bigId, idColumn)
    .addColumn('station_id', 'integer', (c) => c.notNull().references('stations.id'))
    .addColumn('worker_id', 'integer', (c) => c.notNull().references('workers.id'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('unit_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('visited_on', t.date, (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('visited_at', t.timestamp, (c) => c.notNull())
    .execute();
  // A second scan the same day finds the first visit here, however many requests race.
  await db.schema.createIndex('station_visits_once_a_day').unique().on('station_visits').columns(['station_id', 'worker_id', 'visited_on']).execute();
  await db.schema.createIndex('station_visits_unit_month').on('station_visits').columns(['unit_id', 'month']).execute();
  await db.schema.createIndex('station_visits_month').on('station_visits').columns(['month', 'station_id']).execute();

  await db.schema
    .createTable('station_ratings')
    .addColumn('station_id', 'integer', (c) => c.notNull().references('stations.id'))
    .addColumn('worker_id', 'integer', (c) => c.notNull().references('workers.id'))
    .addColumn('stars', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('station_ratings_pk', ['station_id', 'worker_id'])
    .execute();

  await db.schema
    .createTable('station_photos')
    .addColumn('id', t.id, idColumn)
    .addColumn('station_id', 'integer', (c) => c.notNull().references('stations.id'))
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('station_photos_station').on('station_photos').columns(['station_id', 'id']).execute();

  await db.schema
    .createTable('station_problems')
    .addColumn('appeal_id', 'integer', (c) => c.primaryKey().references('appeals.id'))
    .addColumn('station_id', 'integer', (c) => c.notNull().references('stations.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('station_problems_station').on('station_problems').columns(['station_id', 'appeal_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['station_problems', 'station_photos', 'station_ratings', 'station_visits', 'stations']) {
    await db.schema.dropTable(table).execute();
  }
}
