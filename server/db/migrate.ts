import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
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
  '2026-12-05T0920-appeal-reach': appealReach,
  '2026-12-05T0900-deletion-escalation': deletionEscalation,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the schema they create exists
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
