import type { Kysely } from 'kysely';

// volunteers: filled in by the volunteers module's work (see server/modules/volunteers).
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
