import type { Kysely } from 'kysely';
import { columnTypes } from '../engine.js';

// When an appeal's personal details were removed under the retention period.
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('appeals').addColumn('anonymized_at', t.timestamp).execute();
  await db.schema.createIndex('appeals_closed_retention').on('appeals').columns(['anonymized_at', 'closed_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('appeals_closed_retention').execute();
  await db.schema.alterTable('appeals').dropColumn('anonymized_at').execute();
}
