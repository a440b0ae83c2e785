// PostgreSQL worlds kept between bench runs, as SQLite's are (world-cache.ts): in the bench's kept cluster
// (bench/.cache/postgres-cluster, see run.ts) each world is a database `cached_<size>_<key>`, and beside the
// SQLite entries `postgres-<size>-<key>.json` describes it (written last: an entry without it is not one)
// and `.key.txt` says what went into its key. A run serves a copy made with CREATE DATABASE … TEMPLATE,
// which copies the files (seconds, where generating a million workers' world takes half an hour).
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildWorld, CACHE_DIR, describedEntries, type PreparedWorld, type PrepareWorldOptions, secondsSince, worldKey } from './world-cache.js';
import { BENCH_SEED, labelOf, type World } from './world.js';

/** The kept cluster, through its maintenance database. */
export type KeptCluster = {
  /** Runs one statement there (CREATE, DROP and ALTER DATABASE; reading pg_database) and returns its rows. */
  admin: (statement: string) => Promise<Record<string, unknown>[]>;
  /** The URL of one of its databases. */
  urlOf: (database: string) => string;
};

const CACHED = 'cached_';
const databaseOf = (label: string, key: string) => `${CACHED}${label}_${key}`;
const entryOf = (label: string, key: string) => join(CACHE_DIR, `postgres-${label}-${key}`);
// Names are made here from a size label and a hex key; quoted all the same.
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function databases(cluster: KeptCluster): Promise<string[]> {
  const rows = await cluster.admin('select datname from pg_database where not datistemplate');
  return rows.map((row) => String(row.datname));
}

/** Drops what a run that ended without cleaning up left in the kept cluster: every database but the worlds. */
export async function dropLeftoverDatabases(cluster: KeptCluster): Promise<string[]> {
  const leftover = (await databases(cluster)).filter((name) => name !== 'postgres' && !name.startsWith(CACHED));
  for (const name of leftover) await cluster.admin(`drop database if exists ${quoted(name)} with (force)`);
  return leftover;
}

function describedWorld(label: string, key: string): World | null {
  const file = `${entryOf(label, key)}.json`;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as World) : null;
}

/** Keys of this size's complete entries whose database is there, newest first. */
const completeEntries = (label: string, present: readonly string[]) => describedEntries(`postgres-${label}-`, (key) => present.includes(databaseOf(label, key)));

async function forget(cluster: KeptCluster, label: string, key: string): Promise<void> {
  await cluster.admin(`drop database if exists ${quoted(databaseOf(label, key))} with (force)`);
  for (const suffix of ['.json', '.key.txt']) rmSync(`${entryOf(label, key)}${suffix}`, { force: true });
}

/**
 * The world of this size in the database `target.database` of the kept cluster (replaced if it exists): a
 * copy of the cached world when an entry has the key — or, with `reuse`, of this size's newest entry, which
 * is then filed under the key — else generated into a new entry first and then copied, so the next run
 * finds it. When a new entry is stored, the other entries of its size are dropped.
 */
export async function preparePgWorld(options: PrepareWorldOptions & { target: { database: string }; cluster: KeptCluster }): Promise<PreparedWorld> {
  const { cluster } = options;
  const label = labelOf(options.workers);
  const { key, material } = worldKey({ engine: 'postgres', seed: BENCH_SEED, workers: options.workers, now: options.now, secret: options.secret });
  const present = await databases(cluster);
  let world = options.fresh || !present.includes(databaseOf(label, key)) ? null : describedWorld(label, key);
  let reusedFrom: string | undefined;
  if (world === null && options.reuse && !options.fresh) {
    const newest = completeEntries(label, present).find((other) => other !== key);
    if (newest !== undefined) {
      await forget(cluster, label, key);
      await cluster.admin(`alter database ${quoted(databaseOf(label, newest))} rename to ${quoted(databaseOf(label, key))}`);
      writeFileSync(`${entryOf(label, key)}.key.txt`, `${material}\nreusedFrom=${newest}\n`);
      renameSync(`${entryOf(label, newest)}.json`, `${entryOf(label, key)}.json`);
      rmSync(`${entryOf(label, newest)}.key.txt`, { force: true });
      world = describedWorld(label, key);
      reusedFrom = newest;
      options.log(`world ${label}: reusing the world of key ${newest} under key ${key} (--reuse-world: the code that made it differs)`);
    }
  }
  const generated = world === null;
  if (world) {
    options.log(`world ${label}: cached (key ${key}, generated in ${world.seedSeconds ?? 0} s)`);
  } else {
    options.log(`world ${label}: generating (${options.workers.toLocaleString('en')} workers; cache key ${key})…`);
    const started = performance.now();
    await forget(cluster, label, key);
    await cluster.admin(`create database ${quoted(databaseOf(label, key))}`);
    try {
      const built = await buildWorld(options, { postgresUrl: cluster.urlOf(databaseOf(label, key)) });
      world = { ...built, seedSeconds: secondsSince(started) };
    } catch (error) {
      await forget(cluster, label, key);
      throw error;
    }
    writeFileSync(`${entryOf(label, key)}.key.txt`, `${material}\n`);
    writeFileSync(`${entryOf(label, key)}.json`, JSON.stringify(world));
    for (const other of completeEntries(label, await databases(cluster))) if (other !== key) await forget(cluster, label, other);
  }
  const copyStarted = performance.now();
  await cluster.admin(`drop database if exists ${quoted(options.target.database)} with (force)`);
  // FILE_COPY copies the template's files after a checkpoint; the default (WAL_LOG) would write every
  // page of a million-worker world through the WAL.
  await cluster.admin(`create database ${quoted(options.target.database)} template ${quoted(databaseOf(label, key))} strategy file_copy`);
  const copySeconds = secondsSince(copyStarted);
  options.log(`world ${label}: copied for this run in ${copySeconds} s`);
  return { world, seedSeconds: world.seedSeconds ?? 0, copySeconds, generated, ...(reusedFrom ? { reusedFrom } : {}) };
}
