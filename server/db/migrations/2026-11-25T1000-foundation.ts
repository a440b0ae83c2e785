import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';

// The foundation: platforms, the organization tree with its history, users with role grants,
// server-side sessions and the append-only audit log.
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  // PostgreSQL's serial types number rows themselves; SQLite needs AUTOINCREMENT so ids are never reused.
  const idColumn = (c: ColumnDefinitionBuilder) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema
    .createTable('platforms')
    .addColumn('id', t.id, idColumn)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('work_type', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('org_units')
    .addColumn('id', t.id, idColumn)
    .addColumn('parent_id', 'integer', (c) => c.references('org_units.id'))
    // Binary collation on PostgreSQL so that the path range scan orders '/' and digits by byte, as
    // SQLite does; a linguistic collation would ignore the slashes.
    .addColumn('path', 'text', (c) => (t.postgres ? c.notNull().modifyFront(sql`collate "C"`) : c.notNull()))
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('platform_id', 'integer', (c) => c.references('platforms.id'))
    .addColumn('city_code', 'text')
    .addColumn('established_on', t.date)
    .addColumn('closed_on', t.date)
    .addColumn('close_reason', 'text')
    .addColumn('merged_into_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('org_units_path').unique().on('org_units').column('path').execute();
  await db.schema.createIndex('org_units_parent').on('org_units').columns(['parent_id', 'name']).execute();
  await db.schema.createIndex('org_units_name').on('org_units').columns(['name', 'id']).execute();
  // List filters use only indexed columns.
  await db.schema.createIndex('org_units_kind').on('org_units').columns(['kind', 'name', 'id']).execute();
  await db.schema.createIndex('org_units_platform').on('org_units').columns(['platform_id', 'name', 'id']).execute();
  await db.schema.createIndex('org_units_city').on('org_units').columns(['city_code', 'name', 'id']).execute();

  await db.schema
    .createTable('org_unit_events')
    .addColumn('id', t.bigId, idColumn)
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('actor_user_id', 'integer')
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('org_unit_events_unit').on('org_unit_events').columns(['unit_id', 'id']).execute();

  await db.schema
    .createTable('users')
    .addColumn('id', t.id, idColumn)
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('disabled_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('role_grants')
    .addColumn('id', t.id, idColumn)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('role_grants_user').on('role_grants').columns(['user_id', 'role', 'unit_id']).unique().execute();
  await db.schema.createIndex('role_grants_unit').on('role_grants').column('unit_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expiry').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', t.bigId, idColumn)
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('username', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity_type', 'entity_id', 'id']).execute();
  await db.schema.createIndex('audit_log_user').on('audit_log').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'id']).execute();

  // The audit log is append-only at the database level too, so no code path can rewrite history.
  if (t.postgres) {
    await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only'; end $$`.execute(db);
    await sql`create trigger audit_log_no_update before update or delete on audit_log
      for each statement execute function audit_log_append_only()`.execute(db);
  } else {
    await sql`create trigger audit_log_no_update before update on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The foundation migration cannot be undone: restore a backup instead.');
}
