import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { engineOf } from './engine.js';
import * as foundation from './migrations/2026-11-25T1000-foundation.js';
import * as people from './migrations/2026-11-25T1200-people.js';
import * as members from './migrations/2026-11-25T1300-members.js';
import * as appeals from './migrations/2026-11-25T1400-appeals.js';
import * as stations from './migrations/2026-11-25T1500-stations.js';
import * as activities from './migrations/2026-11-25T1600-activities.js';
import * as volunteers from './migrations/2026-11-25T1700-volunteers.js';
import * as security from './migrations/2026-11-25T1800-security.js';
import * as retention from './migrations/2026-11-25T1900-retention.js';
import * as privacy from './migrations/2026-12-05T0600-privacy.js';
import * as memberSort from './migrations/2026-12-05T0610-member-sort.js';
import * as appealReach from './migrations/2026-12-05T0920-appeal-reach.js';
import * as changeStamps from './migrations/2026-12-05T1200-change-stamps.js';
import * as searchGrams from './migrations/2026-12-05T1210-search-grams.js';
import * as stationVisitRollup from './migrations/2026-12-05T1230-station-visit-rollup.js';
import * as appealFigureCounts from './migrations/2026-12-05T1310-appeal-figure-counts.js';
import * as appealFigureBlocks from './migrations/2026-12-05T1550-appeal-figure-blocks.js';
import * as stationVisitRanks from './migrations/2026-12-05T1540-station-visit-ranks.js';
import * as dropSearchTokens from './migrations/2026-12-05T1530-drop-search-tokens.js';
import * as liaisonCoverageCounts from './migrations/2026-12-05T1520-liaison-coverage-counts.js';
import * as searchGramScope from './migrations/2026-12-05T1525-search-gram-scope.js';
import * as searchGramRootWalk from './migrations/2026-12-05T1910-search-gram-root-walk.js';
import * as appealReachCreated from './migrations/2026-12-05T1930-appeal-reach-created.js';
import * as usersWorker from './migrations/2026-12-05T1950-users-worker.js';
import * as searchGramRootKey from './migrations/2026-12-06T0900-search-gram-root-key.js';
import { type FieldCipher, MEMBERSHIP_ENCRYPTION, membershipEncryption, removePlaintextRemnants } from './migrations/2026-12-05T0930-membership-encryption.js';
import * as deletionEscalation from './migrations/2026-12-05T0900-deletion-escalation.js';

// Listed here, not discovered from the folder, so the set is the same under tsx, a bundle or tests.
const migrations: Record<string, Migration> = {
  '2026-11-25T1000-foundation': foundation,
  '2026-11-25T1200-people': people,
  '2026-11-25T1300-members': members,
  '2026-11-25T1400-appeals': appeals,
  '2026-11-25T1500-stations': stations,
  '2026-11-25T1600-activities': activities,
  '2026-11-25T1700-volunteers': volunteers,
  '2026-11-25T1800-security': security,
  '2026-11-25T1900-retention': retention,
  '2026-12-05T0600-privacy': privacy,
  '2026-12-05T0610-member-sort': memberSort,
  '2026-12-05T0900-deletion-escalation': deletionEscalation,
  '2026-12-05T0920-appeal-reach': appealReach,
  '2026-12-05T1200-change-stamps': changeStamps,
  '2026-12-05T1210-search-grams': searchGrams,
  '2026-12-05T1230-station-visit-rollup': stationVisitRollup,
  '2026-12-05T1310-appeal-figure-counts': appealFigureCounts,
  '2026-12-05T1550-appeal-figure-blocks': appealFigureBlocks,
  '2026-12-05T1540-station-visit-ranks': stationVisitRanks,
  '2026-12-05T1530-drop-search-tokens': dropSearchTokens,
  '2026-12-05T1520-liaison-coverage-counts': liaisonCoverageCounts,
  '2026-12-05T1525-search-gram-scope': searchGramScope,
  '2026-12-05T1910-search-gram-root-walk': searchGramRootWalk,
  '2026-12-05T1930-appeal-reach-created': appealReachCreated,
  '2026-12-05T1950-users-worker': usersWorker,
  '2026-12-06T0900-search-gram-root-key': searchGramRootKey,
};

/** What some migrations need beyond the database: the field codec, to encrypt values already stored. */
export type MigrationOptions = { codec?: FieldCipher };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the schema they create exists
type AnySchemaDb = Kysely<any>;

// The membership encryption is bound to the codec it is given, so it joins the list here.
function migratorFor(db: AnySchemaDb, options: MigrationOptions) {
  const encryption = membershipEncryption(options.codec);
  const provider: MigrationProvider = { getMigrations: async () => ({ ...migrations, [MEMBERSHIP_ENCRYPTION]: encryption }) };
  return { migrator: new Migrator({ db, provider }), encryption };
}

/**
 * Runs `work` with SQLite's temporary storage on disk, then puts the connection's setting back. The writer
 * keeps its journals in memory (`temp_store=MEMORY`, db/database.ts), and with that SQLite holds every sort
 * in memory whole; a migration's index builds and backfills sort millions of rows (the appeal figures'
 * rebuild at 100k workers: peak RSS 170 MB with temporary files, 345 MB without).
 */
export async function withSortsOnDisk<T>(db: AnySchemaDb, work: () => Promise<T>): Promise<T> {
  if (engineOf(db) !== 'sqlite') return work();
  const { rows } = await sql<{ setting: number }>`select temp_store as setting from pragma_temp_store()`.execute(db);
  const setting = rows[0]?.setting;
  if (setting === undefined) throw new Error('SQLite did not report its temp_store setting');
  await sql`pragma temp_store = FILE`.execute(db);
  try {
    return await work();
  } finally {
    await sql.raw(`pragma temp_store = ${setting}`).execute(db);
  }
}

export async function migrateToLatest(db: AnySchemaDb, options: MigrationOptions = {}): Promise<string[]> {
  const { migrator, encryption } = migratorFor(db, options);
  const { error, results } = await withSortsOnDisk(db, () => migrator.migrateToLatest());
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  if (encryption.encryptedRows() > 0) await removePlaintextRemnants(db);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Every migration's name, in the order they run. */
export function migrationNames(): string[] {
  return [...Object.keys(migrations), MEMBERSHIP_ENCRYPTION].sort();
}

/** Up (or down) to a named migration: for tests that build a database as an older release left it. */
export async function migrateTo(db: AnySchemaDb, name: string, options: MigrationOptions = {}): Promise<void> {
  const { migrator } = migratorFor(db, options);
  const { error } = await withSortsOnDisk(db, () => migrator.migrateTo(name));
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
}
