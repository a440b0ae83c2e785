import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';

// People: workers, members (with roles, transfers and self-declarations), liaison between them,
// import jobs, and the character n-gram search index over names and phone tails.
// Sensitive values (phones, ID numbers) are stored only encrypted (`*_enc`), with a keyed hash
// (`*_hash`) for uniqueness and exact look-up, and the last four digits of a phone for search.
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const idColumn = (c: ColumnDefinitionBuilder) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement());
  const binaryText = (c: ColumnDefinitionBuilder) => (t.postgres ? c.notNull().modifyFront(sql`collate "C"`) : c.notNull());

  await db.schema
    .createTable('workers')
    .addColumn('id', t.id, idColumn)
    .addColumn('name', 'text', (c) => c.notNull())
    // Pinyin sort key, compared byte by byte ("C" collation on PostgreSQL, as SQLite does), so names
    // sort the same way on both engines.
    .addColumn('name_sort', 'text', binaryText)
    .addColumn('phone_enc', 'text', (c) => c.notNull())
    .addColumn('phone_hash', 'text', (c) => c.notNull().unique())
    .addColumn('phone_tail', 'text', (c) => c.notNull())
    .addColumn('platform_id', 'integer', (c) => c.notNull().references('platforms.id'))
    .addColumn('platform_worker_id', 'text', (c) => c.notNull())
    .addColumn('work_type', 'text', (c) => c.notNull())
    .addColumn('vehicle', 'text', (c) => c.notNull())
    .addColumn('city_code', 'text', (c) => c.notNull())
    // The unit that serves this worker (a mobile branch of the platform in the city): the scope key.
    .addColumn('unit_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('unit_path', 'text', (c) => (t.postgres ? c.modifyFront(sql`collate "C"`) : c))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('consent_version', 'text')
    .addColumn('consent_purpose', 'text')
    .addColumn('consent_at', t.timestamp)
    .addColumn('consent_channel', 'text')
    .addColumn('consent_withdrawn_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('workers_platform_worker').unique().on('workers').columns(['platform_id', 'platform_worker_id']).execute();
  await db.schema.createIndex('workers_scope_sort').on('workers').columns(['unit_path', 'name_sort', 'id']).execute();
  await db.schema.createIndex('workers_sort').on('workers').columns(['name_sort', 'id']).execute();
  await db.schema.createIndex('workers_unit').on('workers').columns(['unit_id', 'name_sort', 'id']).execute();
  await db.schema.createIndex('workers_platform_city').on('workers').columns(['platform_id', 'city_code', 'name_sort', 'id']).execute();
  await db.schema.createIndex('workers_city').on('workers').columns(['city_code', 'name_sort', 'id']).execute();
  await db.schema.createIndex('workers_user').on('workers').column('user_id').execute();

  await db.schema
    .createTable('members')
    .addColumn('id', t.id, idColumn)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_sort', 'text', binaryText)
    .addColumn('gender', 'text', (c) => c.notNull())
    .addColumn('birth_year', 'integer', (c) => c.notNull())
    .addColumn('phone_enc', 'text', (c) => c.notNull())
    .addColumn('phone_hash', 'text', (c) => c.notNull().unique())
    .addColumn('phone_tail', 'text', (c) => c.notNull())
    .addColumn('id_card_enc', 'text', (c) => c.notNull())
    .addColumn('id_card_hash', 'text', (c) => c.notNull().unique())
    .addColumn('join_date', t.date, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('unit_path', 'text', (c) => (t.postgres ? c.notNull().modifyFront(sql`collate "C"`) : c.notNull()))
    .addColumn('is_mobile', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('home_org_text', 'text')
    .addColumn('home_unit_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('mobility_type', 'text')
    .addColumn('mobility_reason', 'text')
    .addColumn('worker_id', 'integer', (c) => c.references('workers.id'))
    .addColumn('liaison_target', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('members_scope_sort').on('members').columns(['unit_path', 'name_sort', 'id']).execute();
  await db.schema.createIndex('members_unit').on('members').columns(['unit_id', 'name_sort', 'id']).execute();
  await db.schema.createIndex('members_worker').on('members').column('worker_id').execute();

  await db.schema
    .createTable('member_roles')
    .addColumn('id', t.id, idColumn)
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('from_date', t.date, (c) => c.notNull())
    .addColumn('to_date', t.date)
    .execute();
  await db.schema.createIndex('member_roles_member').on('member_roles').columns(['member_id', 'from_date']).execute();
  await db.schema.createIndex('member_roles_unit').on('member_roles').columns(['unit_id', 'to_date']).execute();

  await db.schema
    .createTable('member_transfers')
    .addColumn('id', t.id, idColumn)
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id'))
    .addColumn('from_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('to_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('reject_reason', 'text')
    .addColumn('requested_at', t.timestamp, (c) => c.notNull())
    .addColumn('requested_by', 'integer')
    .addColumn('approved_at', t.timestamp)
    .addColumn('approved_by', 'integer')
    .addColumn('accepted_at', t.timestamp)
    .addColumn('accepted_by', 'integer')
    .addColumn('done_at', t.timestamp)
    .addColumn('rejected_at', t.timestamp)
    .addColumn('rejected_by', 'integer')
    .execute();
  await db.schema.createIndex('member_transfers_member').on('member_transfers').columns(['member_id', 'status']).execute();
  await db.schema.createIndex('member_transfers_from').on('member_transfers').columns(['from_unit_id', 'status']).execute();
  await db.schema.createIndex('member_transfers_to').on('member_transfers').columns(['to_unit_id', 'status']).execute();

  await db.schema
    .createTable('member_declarations')
    .addColumn('id', t.id, idColumn)
    .addColumn('worker_id', 'integer', (c) => c.notNull().references('workers.id'))
    .addColumn('unit_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('unit_path', 'text', (c) => (t.postgres ? c.modifyFront(sql`collate "C"`) : c))
    .addColumn('home_org_text', 'text', (c) => c.notNull())
    .addColumn('join_date', t.date, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decision_reason', 'text')
    .addColumn('decided_at', t.timestamp)
    .addColumn('decided_by', 'integer')
    .addColumn('member_id', 'integer', (c) => c.references('members.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('member_declarations_scope').on('member_declarations').columns(['status', 'unit_path', 'id']).execute();
  await db.schema.createIndex('member_declarations_worker').on('member_declarations').column('worker_id').execute();

  await db.schema
    .createTable('liaison_assignments')
    // One row per worker: a worker has at most one liaison.
    .addColumn('worker_id', 'integer', (c) => c.primaryKey().references('workers.id'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id'))
    .addColumn('assigned_at', t.timestamp, (c) => c.notNull())
    .addColumn('assigned_by', 'integer')
    .execute();
  await db.schema.createIndex('liaison_assignments_member').on('liaison_assignments').column('member_id').execute();

  await db.schema
    .createTable('liaison_contacts')
    .addColumn('id', t.bigId, idColumn)
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id'))
    .addColumn('worker_id', 'integer', (c) => c.notNull().references('workers.id'))
    .addColumn('contacted_on', t.date, (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('demands_raised', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .execute();
  await db.schema.createIndex('liaison_contacts_worker').on('liaison_contacts').columns(['worker_id', 'contacted_on']).execute();
  await db.schema.createIndex('liaison_contacts_member').on('liaison_contacts').columns(['member_id', 'contacted_on']).execute();

  await db.schema
    .createTable('import_jobs')
    .addColumn('id', t.id, idColumn)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_path', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unit_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('rows_total', 'integer')
    .addColumn('rows_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_report_path', 'text')
    .addColumn('error', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('started_at', t.timestamp)
    .addColumn('heartbeat_at', t.timestamp)
    .addColumn('finished_at', t.timestamp)
    .execute();
  await db.schema.createIndex('import_jobs_status').on('import_jobs').columns(['status', 'id']).execute();

  await db.schema
    .createTable('import_job_errors')
    .addColumn('id', t.bigId, idColumn)
    .addColumn('job_id', 'integer', (c) => c.notNull().references('import_jobs.id'))
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('field', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('import_job_errors_job').on('import_job_errors').columns(['job_id', 'row_number']).execute();

  // Users that are themselves a worker or a member see their own record on the phone pages.
  await db.schema.alterTable('users').addColumn('worker_id', 'integer').execute();
  await db.schema.alterTable('users').addColumn('member_id', 'integer').execute();

  // The n-gram search index: character bigrams and unigrams of names, and 't' + the phone's last four
  // digits, so two-character Chinese fragments are found through an index (trigram indexes find
  // nothing under three characters). SQLite keeps the tokens in FTS5 tables; PostgreSQL in a text[]
  // column under a GIN index.
  if (t.postgres) {
    await sql`alter table workers add column search_tokens text[] not null default '{}'`.execute(db);
    await sql`create index workers_search on workers using gin (search_tokens)`.execute(db);
    await sql`alter table members add column search_tokens text[] not null default '{}'`.execute(db);
    await sql`create index members_search on members using gin (search_tokens)`.execute(db);
  } else {
    await sql`create virtual table workers_fts using fts5(tokens, tokenize = 'unicode61 remove_diacritics 0')`.execute(db);
    await sql`create virtual table members_fts using fts5(tokens, tokenize = 'unicode61 remove_diacritics 0')`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The people migration cannot be undone: restore a backup instead.');
}
