import type { Kysely } from 'kysely';
import { columnTypes } from '../engine.js';

// A deletion request left unanswered past its due date is escalated once, by the scheduler, to the unit
// above the person's serving unit (or to the system administrators): when, and to which unit (null: the
// system administrators). The index serves the staff list (by due date) and the scheduler's scan.
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('deletion_requests').addColumn('escalated_at', t.timestamp).execute();
  await db.schema.alterTable('deletion_requests').addColumn('escalated_to_unit_id', 'integer', (c) => c.references('org_units.id')).execute();
  await db.schema.createIndex('deletion_requests_due').on('deletion_requests').columns(['status', 'due_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('deletion_requests_due').execute();
  await db.schema.alterTable('deletion_requests').dropColumn('escalated_to_unit_id').execute();
  await db.schema.alterTable('deletion_requests').dropColumn('escalated_at').execute();
}
