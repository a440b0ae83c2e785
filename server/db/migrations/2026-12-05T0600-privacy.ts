import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';

// PIPL deletion requests (a person asks; staff over their serving unit carry it out or refuse with a
// reason) and the mark on a worker record whose personal details were removed at the person's request.
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const idColumn = (c: ColumnDefinitionBuilder) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement());
  await db.schema
    .createTable('deletion_requests')
    .addColumn('id', t.id, idColumn)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('worker_id', 'integer', (c) => c.references('workers.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    // SHA-256 of the receipt code handed to the person: it still shows the outcome once the account is gone.
    .addColumn('receipt_hash', 'text', (c) => c.notNull().unique())
    .addColumn('requested_at', t.timestamp, (c) => c.notNull())
    .addColumn('due_at', t.timestamp, (c) => c.notNull())
    .addColumn('decided_at', t.timestamp)
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decision_note', 'text')
    .addColumn('outcome', 'text')
    .execute();
  await db.schema.createIndex('deletion_requests_status').on('deletion_requests').columns(['status', 'requested_at', 'id']).execute();
  await db.schema.createIndex('deletion_requests_user').on('deletion_requests').columns(['user_id', 'id']).execute();
  // One open request per person, also when two arrive at once.
  await db.schema.createIndex('deletion_requests_one_open').unique().on('deletion_requests').column('user_id').where(sql<boolean>`status = 'requested'`).execute();
  await db.schema.alterTable('workers').addColumn('anonymized_at', t.timestamp).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workers').dropColumn('anonymized_at').execute();
  await db.schema.dropTable('deletion_requests').execute();
}
