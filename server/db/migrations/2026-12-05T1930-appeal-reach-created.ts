import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';

// A committee's open-overdue count walked its reach rows with a deadline already past and looked up each
// appeal for its status and filing time: at 1m, 1,480 appeal rows a request for Sichuan, the one part of the
// appeal figures that still grew with the data (issue 6). The reach rows now carry the appeal's created_at
// (it never changes), at the end of the inbox's index, so the count is a walk of that index alone; the status
// needs no look-up because an answered or closed appeal has no running clock, so no due_at (slaClock).
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('appeal_reach').addColumn('created_at', t.timestamp).execute();
  await sql`update appeal_reach set created_at = (select a.created_at from appeals a where a.id = appeal_reach.appeal_id)`.execute(db);
  await db.schema.dropIndex('appeal_reach_inbox').execute();
  // Same order as before for the inbox's walk (unit, deadline, appeal); created_at only rides along.
  await db.schema.createIndex('appeal_reach_inbox').on('appeal_reach').columns(['unit_id', 'due_at', 'appeal_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('appeal_reach_inbox').execute();
  await db.schema.createIndex('appeal_reach_inbox').on('appeal_reach').columns(['unit_id', 'due_at', 'appeal_id']).execute();
  await db.schema.alterTable('appeal_reach').dropColumn('created_at').execute();
}
