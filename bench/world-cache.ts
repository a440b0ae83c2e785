// Generated worlds kept between bench runs: the file a world was generated into (SQLite), or the database
// of the bench's kept cluster (PostgreSQL, world-cache-pg.ts), and what the run needs to know about it,
// under bench/.cache/ (git-ignored). A run copies the world and serves the copy, so every server starts
// from the same pristine world and only the first run pays for it.
//
// When an entry is valid: it was made from the same seed, number of workers, "now" (run.ts fixes it; the
// server's clock starts there, so deadlines look the same on any day) and secret (the phones are
// encrypted under keys derived from it), by the same code. "The same code" is a hash of every source file
// the generator imports, followed from bench/world-build.ts through relative imports (the seed generators,
// the rules they share with the server, the migrations and their registry, this bench's world files), plus
// the versions of the packages those files import.
// Any edit there, a new migration included, makes a new key; entries of other keys for the same size
// are deleted when a new one is stored.
import { createHash } from 'node:crypto';
import { constants, copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT, runNodeScript } from './processes.js';
import type { BuildRequest } from './world-build.js';
import { BENCH_SEED, labelOf, type World } from './world.js';
import { WORLD_BUILD_NODE_ARGS } from './world-sizes.js';

// CONVOY_BENCH_CACHE moves it (the tests use a folder of their own).
export const CACHE_DIR = process.env.CONVOY_BENCH_CACHE ?? join(ROOT, 'bench/.cache');
const ENTRY = join(ROOT, 'bench/world-build.ts');

const importPattern = /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every local source file reachable from `entry` through static or dynamic imports, and the packages they import. */
export function importClosure(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const specifier = match[1] ?? match[2]!;
      if (specifier.startsWith('node:')) continue;
      if (!specifier.startsWith('.')) {
        // 'kysely', '@scope/name/sub' → the package's name
        packages.add(specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
        continue;
      }
      const target = resolve(dirname(file), specifier);
      const candidates = [target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx'), `${target}.ts`, target];
      const found = candidates.find((c) => existsSync(c) && !c.endsWith('/'));
      if (found && /\.(ts|tsx|json)$/.test(found)) pending.push(found);
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'missing';
  }
}

export type WorldKeyInput = { engine: 'sqlite' | 'postgres'; seed: number; workers: number; now: Date; secret: string };

/** The cache key of a world, and what went into it (kept beside the entry, for whoever wonders why it missed). */
export function worldKey(input: WorldKeyInput): { key: string; latestMigration: string; material: string } {
  const { files, packages } = importClosure(ENTRY);
  const migrations = files.filter((f) => f.includes('/server/db/migrations/')).map((f) => f.split('/').pop()!.replace(/\.ts$/, ''));
  const latestMigration = migrations.sort().at(-1) ?? 'none';
  const code = createHash('sha256');
  for (const file of files) code.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  for (const name of packages) code.update(`${name}@${packageVersion(name)}\0`);
  const material = [
    `engine=${input.engine}`,
    `seed=${input.seed}`,
    `workers=${input.workers}`,
    `day=${input.now.toISOString()}`,
    `latestMigration=${latestMigration}`,
    `secret=${createHash('sha256').update(input.secret).digest('hex').slice(0, 16)}`,
    `code=${code.digest('hex')}`,
  ].join('\n');
  return { key: createHash('sha256').update(material).digest('hex').slice(0, 16), latestMigration, material };
}

export type CachedWorld = { file: string; world: World };

const entryName = (label: string, key: string) => `sqlite-${label}-${key}`;

/** The cached world of this label and key, if a complete one is there (its description is written last). */
export function findCachedWorld(label: string, key: string): CachedWorld | null {
  const base = join(CACHE_DIR, entryName(label, key));
  if (!existsSync(`${base}.db`) || !existsSync(`${base}.json`)) return null;
  return { file: `${base}.db`, world: JSON.parse(readFileSync(`${base}.json`, 'utf8')) as World };
}

/** Where to generate a world that will be stored: a private name in the cache folder (same disk, so storing is a rename). */
export function scratchFile(label: string): string {
  mkdirSync(CACHE_DIR, { recursive: true });
  return join(CACHE_DIR, `.generating-${label}-${process.pid}.db`);
}

/** Files the world the scratch file holds under its key and removes the other entries of that size. */
export function storeWorld(label: string, key: string, scratch: string, world: World, material: string): CachedWorld {
  const base = join(CACHE_DIR, entryName(label, key));
  renameSync(scratch, `${base}.db`);
  writeFileSync(`${base}.key.txt`, `${material}\n`);
  writeFileSync(`${base}.json`, JSON.stringify(world));
  for (const name of readdirSync(CACHE_DIR)) {
    if (name.startsWith(`sqlite-${label}-`) && !name.startsWith(entryName(label, key))) rmSync(join(CACHE_DIR, name), { force: true });
  }
  return { file: `${base}.db`, world };
}

/**
 * Keys of the cache's complete entries named `<prefix><key>` (their `.json` description is written last) that
 * `usable` accepts, newest first: by when they were completed.
 */
export function describedEntries(prefix: string, usable: (key: string) => boolean): string[] {
  const names = existsSync(CACHE_DIR) ? readdirSync(CACHE_DIR) : [];
  return names
    .filter((name) => name.startsWith(prefix) && name.endsWith('.json'))
    .map((name) => ({ key: name.slice(prefix.length, -'.json'.length), at: statSync(join(CACHE_DIR, name)).mtimeMs }))
    .filter((entry) => usable(entry.key))
    .sort((a, b) => b.at - a.at)
    .map((entry) => entry.key);
}

/** The key of the newest complete entry of this size under another key than `key`: what reuseWorld would file under it. */
const newestOtherWorld = (label: string, key: string): string | undefined =>
  describedEntries(entryName(label, ''), (other) => other !== key && existsSync(join(CACHE_DIR, `${entryName(label, other)}.db`)))[0];

/**
 * Files the newest cached world of this size under `key` as well (hard links: no copy), for a run that asks to
 * reuse it (`--reuse-world`) after a change that moved the key without changing what the world holds — the
 * database layer, say, which the world build imports. The key file names the entry it came from.
 */
export function reuseWorld(label: string, key: string, material: string): (CachedWorld & { from: string }) | null {
  const newest = newestOtherWorld(label, key);
  if (newest === undefined) return null;
  const from = join(CACHE_DIR, entryName(label, newest));
  const base = join(CACHE_DIR, entryName(label, key));
  linkSync(`${from}.db`, `${base}.db`);
  writeFileSync(`${base}.key.txt`, `${material}\nreusedFrom=${newest}\n`);
  linkSync(`${from}.json`, `${base}.json`);
  return { ...(findCachedWorld(label, key) as CachedWorld), from: newest };
}

/** A private copy of a cached world for one server run (a copy-on-write clone where the file system offers one). */
export function copyWorld(cached: CachedWorld, target: string): void {
  copyFileSync(cached.file, target, constants.COPYFILE_FICLONE);
}

/** `generated`: made by this call (its seedSeconds were spent now), not found in the cache; `reusedFrom`: the key of the entry reused. */
export type PreparedWorld = { world: World; seedSeconds: number; copySeconds?: number; generated: boolean; reusedFrom?: string };

export type PrepareWorldOptions = {
  workers: number;
  now: Date;
  secret: string;
  keyFile: string;
  fresh: boolean;
  /** When no entry has this key, use the newest entry of the size instead of generating one (see reuseWorld). */
  reuse?: boolean;
  log: (line: string) => void;
};

/** Generates a world with world-build.ts in its own process, into the file or database named. `nice`: at the lowest CPU priority. */
export async function buildWorld(options: PrepareWorldOptions, target: BuildRequest['target'], nice = false): Promise<World> {
  const request: BuildRequest = { workers: options.workers, now: options.now.toISOString(), secret: options.secret, keyFile: options.keyFile, target };
  return JSON.parse(await runNodeScript(ENTRY, JSON.stringify(request), WORLD_BUILD_NODE_ARGS, { nice })) as World;
}

/**
 * Generates at once the SQLite worlds a run would not find in the cache (nor reuse, with `reuse`), and stores
 * them there: the largest at normal priority, the others under `nice`, so that they take what its build leaves
 * of the two cores (its main process waits for the appeals told beside it, then works alone) rather than time
 * of their own. Answers the seconds each generated world took, by label; prepareWorld then finds them cached.
 */
export async function generateMissingWorlds(list: readonly PrepareWorldOptions[]): Promise<Map<string, number>> {
  const largest = Math.max(...list.map((o) => o.workers));
  const generated = new Map<string, number>();
  await Promise.all(
    list.map(async (options) => {
      const label = labelOf(options.workers);
      const { key, material } = worldKey({ engine: 'sqlite', seed: BENCH_SEED, workers: options.workers, now: options.now, secret: options.secret });
      const reusable = options.reuse && newestOtherWorld(label, key) !== undefined;
      if (!options.fresh && (findCachedWorld(label, key) !== null || reusable)) return;
      const started = performance.now();
      options.log(`world ${label}: generating (${options.workers.toLocaleString('en')} workers; cache key ${key})${options.workers < largest ? ', at low priority beside the largest' : ''}…`);
      const scratch = scratchFile(label);
      try {
        const world = await buildWorld(options, { sqliteFile: scratch }, options.workers < largest);
        const seedSeconds = secondsSince(started);
        storeWorld(label, key, scratch, { ...world, seedSeconds }, material);
        generated.set(label, seedSeconds);
        options.log(`world ${label}: generated in ${seedSeconds} s`);
      } finally {
        rmSync(scratch, { force: true });
      }
    }),
  );
  return generated;
}

export const secondsSince = (since: number) => Math.round((performance.now() - since) / 100) / 10;

/**
 * The world of this size in the SQLite file given: copied from the cache when a valid entry exists, else
 * generated by world-build.ts in its own process — into the cache first, then copied, so the next run
 * finds it. (PostgreSQL: world-cache-pg.ts.)
 */
export async function prepareWorld(options: PrepareWorldOptions & { target: { sqliteFile: string } }): Promise<PreparedWorld> {
  const label = labelOf(options.workers);
  const started = performance.now();
  const { key, material } = worldKey({ engine: 'sqlite', seed: BENCH_SEED, workers: options.workers, now: options.now, secret: options.secret });
  let cached = options.fresh ? null : findCachedWorld(label, key);
  const reused = cached === null && options.reuse && !options.fresh ? reuseWorld(label, key, material) : null;
  if (reused) {
    cached = reused;
    options.log(`world ${label}: reusing the world of key ${reused.from} under key ${key} (--reuse-world: the code that made it differs)`);
  }
  let seedSeconds: number;
  const generated = cached === null;
  if (cached) {
    seedSeconds = cached.world.seedSeconds ?? 0;
    options.log(`world ${label}: cached (key ${key}, generated in ${seedSeconds} s)`);
  } else {
    options.log(`world ${label}: generating (${options.workers.toLocaleString('en')} workers; cache key ${key})…`);
    const scratch = scratchFile(label);
    try {
      const world = await buildWorld(options, { sqliteFile: scratch });
      seedSeconds = secondsSince(started);
      cached = storeWorld(label, key, scratch, { ...world, seedSeconds }, material);
    } finally {
      rmSync(scratch, { force: true });
    }
  }
  const copyStarted = performance.now();
  copyWorld(cached, options.target.sqliteFile);
  const copySeconds = secondsSince(copyStarted);
  options.log(`world ${label}: copied for this run in ${copySeconds} s`);
  return { world: cached.world, seedSeconds, copySeconds, generated, ...(reused ? { reusedFrom: reused.from } : {}) };
}
