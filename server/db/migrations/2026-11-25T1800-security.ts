import type { Kysely } from 'kysely';
import { columnTypes } from '../engine.js';

// Account lockout: failed logins in a row, and until when the account refuses passwords.
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('users').addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('locked_until', t.timestamp).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('locked_until').execute();
  await db.schema.alterTable('users').dropColumn('failed_logins').execute();
}
