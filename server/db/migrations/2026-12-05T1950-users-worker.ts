import type { Kysely } from 'kysely';

// A worker's accounts are looked up by worker id on every notice to a filer (the scheduler's escalations,
// a reply, a closing) and by the worker pages; without an index each look-up read the whole users table,
// 0.76 s of a 13 s filing run at 100k workers, holding SQLite's one connection (issue 6).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('users_worker').on('users').column('worker_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('users_worker').execute();
}
