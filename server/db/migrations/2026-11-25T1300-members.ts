import { type Kysely, sql } from 'kysely';

// Two member rules the database enforces as well, so two people acting at the same instant cannot both
// pass the check in code: a member has at most one transfer under way, and a branch at most one
// secretary in office. Partial unique indexes read the same on SQLite and PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('member_transfers_one_open')
    .unique()
    .on('member_transfers')
    .column('member_id')
    .where(sql<boolean>`status in ('requested', 'approved')`)
    .execute();
  await db.schema
    .createIndex('member_roles_one_secretary')
    .unique()
    .on('member_roles')
    .column('unit_id')
    .where(sql<boolean>`role = 'secretary' and to_date is null`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('member_roles_one_secretary').execute();
  await db.schema.dropIndex('member_transfers_one_open').execute();
}
