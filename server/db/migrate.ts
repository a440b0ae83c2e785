import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as foundation from './migrations/2026-11-25T1000-foundation.js';

// Listed here, not discovered from the folder, so the set is the same under tsx, a bundle or tests.
const migrations: Record<string, Migration> = {
  '2026-11-25T1000-foundation': foundation,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const { loadConfig } = await import('../config.js');
  const { openDatabase } = await import('./database.js');
  const config = loadConfig(process.env, { demo: !process.env.CONVOY_SECRET });
  const handle = openDatabase(config.databaseUrl);
  const applied = await migrateToLatest(handle.db);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  await handle.destroy();
}
