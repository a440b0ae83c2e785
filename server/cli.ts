import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { systemClock } from './core/clock.js';
import { passwordProblem } from './core/password-policy.js';
import { dataFolderOf, loadConfig } from './config.js';
import { addKey } from './core/field-keys.js';
import { fieldCodec } from './core/sensitive.js';
import { backupDatabase, restoreDatabase } from './db/backup.js';
import { reencryptAll } from './db/rotate-key.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { remindTomorrow } from './modules/activities/activities.scheduler.js';
import { appealPhotoStore } from './modules/appeals/appeals.retention.js';
import { schedulerTick } from './modules/appeals/appeals.scheduler.js';
import { escalateOverdueDeletionRequests } from './modules/privacy/privacy.scheduler.js';
import { createUser, findUserByUsername } from './modules/auth/auth.queries.js';

const usage = `Usage: npm run convoy -- <command> [options]

Commands:
  create-admin --username NAME [--display-name NAME] [--password PW]
      Creates a system administrator. Without --password (or CONVOY_ADMIN_PASSWORD) it asks on the terminal.
  migrate
      Applies pending database migrations.
  backup FILE
      Writes a consistent copy of the database to FILE while the server keeps serving
      (SQLite online backup; pg_dump custom format for PostgreSQL).
  restore FILE [--force]
      Loads a backup into the database of DATABASE_URL. Refuses a database that holds data unless --force
      (stop the server first when replacing a SQLite file).
  rotate-key
      Adds a new field-encryption key (to CONVOY_KEY_FILE, default data/field-keys.json), makes it current
      and re-encrypts every phone, ID number and membership detail under it while the server keeps serving.
  scheduler-tick [--at ISO-8601]
      Runs the schedulers once (appeal escalations, auto-confirmations, retention, activity reminders,
      overdue deletion requests)
      and prints what they did.
      The running server does this every minute; this is for operations and tests.

The database is taken from DATABASE_URL (default sqlite:./data/convoy.db).`;

async function askPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('No terminal to ask for a password: pass --password or set CONVOY_ADMIN_PASSWORD.');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const password = await rl.question('Password for the new administrator: ');
  rl.close();
  return password;
}

async function createAdmin(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { username: { type: 'string' }, 'display-name': { type: 'string' }, password: { type: 'string' } },
  });
  if (!values.username) throw new Error('--username is required');
  const password = values.password ?? process.env.CONVOY_ADMIN_PASSWORD ?? (await askPassword());
  const problem = passwordProblem(password, [values.username, values['display-name'] ?? '']);
  if (problem) throw new Error(`${problem.en}. (${problem.zh})`);
  const handle = openDatabase(process.env.DATABASE_URL ?? 'sqlite:./data/convoy.db');
  try {
    await migrateToLatest(handle.db, { codec: configuredCodec() });
    if (await findUserByUsername(handle.db, values.username)) throw new Error(`A user named "${values.username}" already exists.`);
    const id = await createUser(
      handle.db,
      { username: values.username, password, displayName: values['display-name'] ?? values.username, grants: [{ role: 'system_admin', unitId: null }] },
      systemClock.now(),
    );
    console.log(`Created system administrator "${values.username}" (user ${id}).`);
  } finally {
    await handle.destroy();
  }
}

/**
 * The field codec when a secret is configured, or a demo install keeps one beside its database: upgrading
 * a database that holds members encrypts their membership details. Without one, that migration refuses.
 */
function configuredCodec() {
  const demo = !process.env.CONVOY_SECRET;
  if (demo && !existsSync(resolve(dataFolderOf(databaseUrl()), 'demo-secret'))) return undefined;
  return fieldCodec(loadConfig(process.env, { demo }));
}

async function migrate(): Promise<void> {
  const handle = openDatabase(process.env.DATABASE_URL ?? 'sqlite:./data/convoy.db');
  try {
    const applied = await migrateToLatest(handle.db, { codec: configuredCodec() });
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  } finally {
    await handle.destroy();
  }
}

async function schedulerTickCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { at: { type: 'string' } } });
  const at = values.at ? new Date(values.at) : systemClock.now();
  if (Number.isNaN(at.getTime())) throw new Error('--at must be an ISO-8601 instant, e.g. 2026-11-25T10:00:00Z');
  const config = loadConfig(process.env, { demo: !process.env.CONVOY_SECRET });
  const handle = openDatabase(config.databaseUrl);
  try {
    const appeals = await schedulerTick(handle.db, at, { retentionDays: config.appealRetentionDays, photos: appealPhotoStore(config) });
    console.log(JSON.stringify({ ...appeals, activityReminders: await remindTomorrow(handle.db, at), deletionRequestsEscalated: await escalateOverdueDeletionRequests(handle.db, at) }));
  } finally {
    await handle.destroy();
  }
}

const databaseUrl = () => process.env.DATABASE_URL ?? 'sqlite:./data/convoy.db';

async function backupCommand(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  if (positionals.length !== 1) throw new Error('Usage: backup FILE');
  const { engine, bytes } = await backupDatabase(databaseUrl(), positionals[0]!);
  console.log(`Backed up the ${engine} database to ${positionals[0]} (${bytes} bytes).`);
}

async function restoreCommand(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new Error('Usage: restore FILE [--force]');
  await restoreDatabase(databaseUrl(), positionals[0]!, { force: values.force ?? false });
  console.log(`Restored ${positionals[0]} into ${databaseUrl().startsWith('sqlite:') ? databaseUrl() : 'the PostgreSQL database'}.`);
}

async function rotateKeyCommand(): Promise<void> {
  // Without CONVOY_SECRET this is the demo install, whose secret lives beside its database.
  const config = loadConfig(process.env, { demo: !process.env.CONVOY_SECRET });
  const id = addKey(config.secret, config.keyFile);
  console.log(`New key ${id} is current (${config.keyFile}). Re-encrypting…`);
  const handle = openDatabase(config.databaseUrl);
  try {
    const counts = await reencryptAll(handle.db, fieldCodec(config));
    for (const [column, n] of Object.entries(counts)) console.log(`  ${column}: ${n} re-encrypted`);
  } finally {
    await handle.destroy();
  }
}

const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, (args: string[]) => Promise<void>> = {
  'create-admin': createAdmin,
  migrate,
  backup: backupCommand,
  restore: restoreCommand,
  'rotate-key': rotateKeyCommand,
  'scheduler-tick': schedulerTickCommand,
};
const run = command ? commands[command] : undefined;
if (!run) {
  console.log(usage);
  process.exit(command ? 2 : 0);
}
run(rest).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
