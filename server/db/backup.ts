// Backup and restore of the whole database while the server keeps serving. SQLite uses its online
// backup API (a consistent snapshot page by page, writers continue); PostgreSQL uses pg_dump's custom
// format (one consistent transaction snapshot) and pg_restore. Restoring refuses a database that
// already holds tables unless forced, so a slip of the target URL cannot overwrite live data.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { engineOfUrl } from './database.js';

const run = promisify(execFile);

const sqlitePathOf = (url: string) => resolve(url.slice('sqlite:'.length));

export async function backupDatabase(url: string, file: string): Promise<{ engine: string; bytes: number }> {
  const target = resolve(file);
  if (existsSync(target)) throw new Error(`${target} exists already; choose a new file name.`);
  if (engineOfUrl(url) === 'sqlite') {
    const source = new SQLite(sqlitePathOf(url), { readonly: true, fileMustExist: true });
    try {
      await source.backup(target);
    } finally {
      source.close();
    }
  } else {
    await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${target}`, `--dbname=${url}`]);
  }
  return { engine: engineOfUrl(url), bytes: statSync(target).size };
}

async function sqliteHasTables(path: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  const db = new SQLite(path, { readonly: true });
  try {
    return (db.prepare(`select count(*) as n from sqlite_master where type = 'table'`).get() as { n: number }).n > 0;
  } finally {
    db.close();
  }
}

async function postgresHasTables(url: string): Promise<boolean> {
  const { stdout } = await run('psql', ['--no-psqlrc', '--tuples-only', '--no-align', `--dbname=${url}`, '--command', `select count(*) from pg_tables where schemaname = 'public'`]);
  return Number(stdout.trim()) > 0;
}

export async function restoreDatabase(url: string, file: string, options: { force?: boolean } = {}): Promise<void> {
  const source = resolve(file);
  if (!existsSync(source)) throw new Error(`${source} does not exist.`);
  if (engineOfUrl(url) === 'sqlite') {
    const path = sqlitePathOf(url);
    if (!options.force && (await sqliteHasTables(path))) throw new Error(`${path} already holds data; stop the server and pass --force to replace it.`);
    // The old write-ahead log belongs to the old database; left beside the restored file it would be replayed into it.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    const backup = new SQLite(source, { readonly: true, fileMustExist: true });
    try {
      await backup.backup(path);
    } finally {
      backup.close();
    }
    return;
  }
  if (!options.force && (await postgresHasTables(url))) throw new Error('The target database already holds tables; pass --force to replace them.');
  await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', ...(options.force ? ['--clean', '--if-exists'] : []), `--dbname=${url}`, source]);
}

/**
 * Rows and a content checksum per table, independent of row order: what a restore must reproduce.
 * For tests and for `convoy verify-backup`; it reads every row, so it is not for a hot path.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: it lists whatever tables exist
export async function tableChecksums(db: Kysely<any>): Promise<Record<string, { rows: number; sha256: string }>> {
  const tables = (await db.introspection.getTables({ withInternalKyselyTables: true })).map((t) => t.name).sort();
  const result: Record<string, { rows: number; sha256: string }> = {};
  for (const table of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
    const lines = rows.map((row) => JSON.stringify(row)).sort();
    const hash = createHash('sha256');
    for (const line of lines) hash.update(line).update('\n');
    result[table] = { rows: rows.length, sha256: hash.digest('hex') };
  }
  return result;
}
