import type { Kysely } from 'kysely';

// stations: filled in by the stations module's work (see server/modules/stations).
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
