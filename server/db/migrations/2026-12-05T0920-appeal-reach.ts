import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';

// Which units see an appeal: every ancestor-or-self of the unit holding it and of the branch it started
// at, one row each, carrying the appeal's due_at. A unit's inbox is then one walk of
// (unit_id, due_at, appeal_id) in order, LIMIT n + 1, however large its subtree: the path-range filter
// (held OR started there) ordered by deadline read and sorted the whole subtree for every page.
// Derived data, rewritten from the appeal on every change (appeals.reach.ts) and after an org move; no
// foreign keys, so that keeping it costs no lookups on the filing path.
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('appeal_reach')
    .addColumn('appeal_id', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('due_at', t.timestamp)
    .addPrimaryKeyConstraint('appeal_reach_pk', ['appeal_id', 'unit_id'])
    .execute();
  await db.schema.createIndex('appeal_reach_inbox').on('appeal_reach').columns(['unit_id', 'due_at', 'appeal_id']).execute();

  // Backfill: each unit with the appeals held or started in its subtree, one index range per unit.
  for (const column of ['unit_path', 'origin_unit_path']) {
    await sql`insert into appeal_reach (appeal_id, unit_id, due_at)
      select a.id, u.id, a.due_at from org_units u cross join appeals a
      where ${sql.ref(`a.${column}`)} >= u.path and ${sql.ref(`a.${column}`)} < u.path || '~'
      on conflict do nothing`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('appeal_reach').execute();
}
