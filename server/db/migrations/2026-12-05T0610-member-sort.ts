import type { Kysely } from 'kysely';

// A list over every member (a system administrator, an export) pages in pinyin order: without this index
// each page sorted the whole table; workers have had the same index (workers_sort) from the start.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('members_sort').on('members').columns(['name_sort', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('members_sort').execute();
}
