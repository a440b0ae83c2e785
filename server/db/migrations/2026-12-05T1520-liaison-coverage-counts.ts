import { type Kysely, sql } from 'kysely';
import { createLiaisonCoverageTriggers, dropLiaisonCoverageTriggers } from '../../modules/liaison/liaison.coverage-triggers.js';
import { rebuildLiaisonCoverage } from '../../modules/liaison/liaison.coverage.js';
import { columnTypes } from '../engine.js';
import type { Database } from '../tables.js';

// Liaison coverage read every worker and member of a subtree: a second of CPU for a province at a million
// workers (issue 6). Counts per unit for its whole subtree, per unit and China day the workers last contacted
// that day, and what each person counts (so a change adds only its difference), kept by triggers and
// backfilled here. SQLite keeps the per-unit tables WITHOUT ROWID: each read is a range of the primary key.
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const withoutRowid = <T extends { modifyEnd: (s: ReturnType<typeof sql>) => T }>(table: T) => (t.postgres ? table : table.modifyEnd(sql`without rowid`));
  await withoutRowid(
    db.schema
      .createTable('liaison_unit_counts')
      .addColumn('unit_id', 'integer', (c) => c.primaryKey())
      .addColumn('workers', 'integer', (c) => c.notNull())
      .addColumn('with_liaison', 'integer', (c) => c.notNull())
      .addColumn('members', 'integer', (c) => c.notNull())
      .addColumn('over_target', 'integer', (c) => c.notNull())
      .addColumn('under_target', 'integer', (c) => c.notNull()),
  ).execute();
  await withoutRowid(
    db.schema
      .createTable('liaison_contact_days')
      .addColumn('unit_id', 'integer', (c) => c.notNull())
      .addColumn('day', t.date, (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('liaison_contact_days_pk', ['unit_id', 'day']),
  ).execute();
  await db.schema
    .createTable('liaison_worker_counted')
    .addColumn('worker_id', 'integer', (c) => c.primaryKey())
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('with_liaison', 'integer', (c) => c.notNull())
    .addColumn('last_contact_on', t.date)
    .execute();
  await db.schema
    .createTable('liaison_member_counted')
    .addColumn('member_id', 'integer', (c) => c.primaryKey())
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('over_target', 'integer', (c) => c.notNull())
    .addColumn('under_target', 'integer', (c) => c.notNull())
    .execute();
  await createLiaisonCoverageTriggers(db);
  await rebuildLiaisonCoverage(db as unknown as Kysely<Database>);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropLiaisonCoverageTriggers(db);
  for (const table of ['liaison_member_counted', 'liaison_worker_counted', 'liaison_contact_days', 'liaison_unit_counts']) await db.schema.dropTable(table).execute();
}
