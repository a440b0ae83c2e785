import type { Kysely } from 'kysely';

// activities: filled in by the activities module's work (see server/modules/activities).
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
