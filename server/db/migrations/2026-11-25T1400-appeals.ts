import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';

// Appeals (诉求) and what carries them: the timeline, photos, SLA policies, idempotent filing, and the
// notification outbox. An anonymous appeal stores no link to whoever filed it, only the hash of the
// secret that lets its filer follow it.
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const idColumn = (c: ColumnDefinitionBuilder) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement());
  const pathColumn = (c: ColumnDefinitionBuilder) => (t.postgres ? c.notNull().modifyFront(sql`collate "C"`) : c.notNull());

  // Where email notifications go, when SMTP is configured.
  await db.schema.alterTable('users').addColumn('email', 'text').execute();

  await db.schema
    .createTable('appeals')
    .addColumn('id', t.id, idColumn)
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('platform_id', 'integer', (c) => c.references('platforms.id'))
    .addColumn('city_code', 'text')
    .addColumn('lat', 'real')
    .addColumn('lng', 'real')
    .addColumn('address', 'text')
    .addColumn('contact_preference', 'text', (c) => c.notNull())
    .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
    // Null for anonymous appeals: nothing in Convoy can lead back to the filer.
    .addColumn('worker_id', 'integer', (c) => c.references('workers.id'))
    .addColumn('tracking_code', 'text', (c) => c.unique())
    .addColumn('secret_hash', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    // Who typed it in for the worker (a member from a contact, staff from a call); null when the worker filed.
    .addColumn('recorded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('contact_id', 'integer', (c) => c.references('liaison_contacts.id'))
    // Name and phone given through Open311 or a call, when there is no worker record (phone encrypted).
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone_enc', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    // The unit holding it now (scope), and the branch it was first routed to (which keeps seeing it).
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('unit_path', 'text', pathColumn)
    .addColumn('origin_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('origin_unit_path', 'text', pathColumn)
    .addColumn('assignee_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('received_at', t.timestamp, (c) => c.notNull())
    .addColumn('acknowledged_at', t.timestamp)
    .addColumn('last_public_reply_at', t.timestamp)
    .addColumn('answered_at', t.timestamp)
    .addColumn('closed_at', t.timestamp)
    // Deadlines of the holding level, recomputed after every event; due_at is the earliest one still
    // running (null while paused or answered), so the inbox and the scheduler read one indexed column.
    .addColumn('acknowledge_by', t.timestamp)
    .addColumn('next_update_by', t.timestamp)
    .addColumn('resolve_by', t.timestamp)
    .addColumn('due_at', t.timestamp)
    // Whether the holding level met its deadline, fixed when it acknowledged and when it answered: the
    // deadlines themselves move on, the figures need what was true at the time.
    .addColumn('acknowledged_on_time', 'integer')
    .addColumn('resolved_on_time', 'integer')
    .addColumn('delay_reason', 'text')
    .addColumn('referred_to', 'text')
    .addColumn('reject_reason', 'text')
    .addColumn('merged_into_id', 'integer', (c) => c.references('appeals.id'))
    .addColumn('rating', 'integer')
    .addColumn('feedback', 'text')
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    // Bumped by every change: writers compare-and-set on it, so two handlers (or schedulers) never both win.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('appeals_scope_due').on('appeals').columns(['unit_path', 'due_at', 'id']).execute();
  await db.schema.createIndex('appeals_origin').on('appeals').columns(['origin_unit_path', 'id']).execute();
  await db.schema.createIndex('appeals_due').on('appeals').columns(['due_at', 'id']).execute();
  await db.schema.createIndex('appeals_status_answered').on('appeals').columns(['status', 'answered_at']).execute();
  await db.schema.createIndex('appeals_worker').on('appeals').columns(['worker_id', 'id']).execute();
  await db.schema.createIndex('appeals_created').on('appeals').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('appeals_category_created').on('appeals').columns(['category', 'created_at']).execute();

  await db.schema
    .createTable('appeal_events')
    .addColumn('id', t.bigId, idColumn)
    .addColumn('appeal_id', 'integer', (c) => c.notNull().references('appeals.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    // public: the worker sees it; internal: handlers only.
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('unit_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('level', 'text')
    .addColumn('actor_user_id', 'integer', (c) => c.references('users.id'))
    // One escalation per missed deadline, however many schedulers notice it: "<level>:<clock>:<deadline>".
    .addColumn('breach_key', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('appeal_events_appeal').on('appeal_events').columns(['appeal_id', 'id']).execute();
  await db.schema.createIndex('appeal_events_breach').unique().on('appeal_events').columns(['appeal_id', 'breach_key']).where(sql<boolean>`breach_key is not null`).execute();

  await db.schema
    .createTable('appeal_photos')
    .addColumn('id', t.id, idColumn)
    .addColumn('appeal_id', 'integer', (c) => c.notNull().references('appeals.id'))
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('appeal_photos_appeal').on('appeal_photos').columns(['appeal_id', 'id']).execute();

  await db.schema
    .createTable('sla_policies')
    .addColumn('id', t.id, idColumn)
    // Null unit: the default everywhere; null category: every category of that unit.
    .addColumn('unit_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('category', 'text')
    .addColumn('acknowledge_hours', 'integer', (c) => c.notNull())
    .addColumn('update_hours', 'integer', (c) => c.notNull())
    .addColumn('resolve_hours', 'integer', (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('sla_policies_unit_category')
    .unique()
    .on('sla_policies')
    .expression(sql`coalesce(unit_id, 0), coalesce(category, '')`)
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    // SHA-256 of who asked (or "anonymous") and the client's key, so the table links no one to an appeal.
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', t.bigId, idColumn)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('appeal_id', 'integer', (c) => c.references('appeals.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('read_at', t.timestamp)
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'id']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', t.bigId, idColumn)
    .addColumn('notification_id', 'bigint', (c) => c.notNull().references('notifications.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
    .addColumn('locked_until', t.timestamp)
    .addColumn('last_error', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('delivered_at', t.timestamp)
    .execute();
  await db.schema.createIndex('outbox_pending').on('outbox').columns(['status', 'next_attempt_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['outbox', 'notifications', 'idempotency_keys', 'sla_policies', 'appeal_photos', 'appeal_events', 'appeals']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('users').dropColumn('email').execute();
}
