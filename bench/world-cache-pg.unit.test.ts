import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgCluster, startPgCluster } from '../scripts/pg-cluster.js';
import { type DatabaseHandle, openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { rebuildLiaisonCoverage } from '../server/modules/liaison/liaison.coverage.js';
import type { KeptCluster } from './world-cache-pg.js';

// PostgreSQL worlds kept the way `npm run bench -- --pg` keeps them: generated once into a database of a
// cluster whose folder outlives the run, and served as a copy (CREATE DATABASE … TEMPLATE) on the next run,
// after the cluster was stopped and started again.
const cacheDir = mkdtempSync(join(tmpdir(), 'convoy-bench-cache-pg-'));
// As bench/.cache is: PostgreSQL runs as its own OS user when we are root, and must reach the folder it keeps.
chmodSync(cacheDir, 0o755);
process.env.CONVOY_BENCH_CACHE = cacheDir;
const { worldKey } = await import('./world-cache.js');
const { dropLeftoverDatabases, preparePgWorld } = await import('./world-cache-pg.js');

const dataDir = join(cacheDir, 'postgres-cluster');
const secret = 'bench world test secret, 32+ characters long';
const now = new Date('2026-12-05T02:00:00.000Z');
const otherDay = new Date('2026-12-06T02:00:00.000Z');
const SLOW = 300_000;
const keyOf = (day: Date) => worldKey({ engine: 'postgres', seed: 20261125, workers: 2_000, now: day, secret }).key;

let cluster: PgCluster;
let admin: DatabaseHandle;
let kept: KeptCluster;

async function start(): Promise<void> {
  cluster = await startPgCluster({ dataDir });
  admin = openDatabase(cluster.adminUrl, { poolSize: 1 });
  const urlOf = (name: string) => cluster.adminUrl.replace(/\/postgres$/, `/${name}`);
  kept = { admin: async (statement) => (await sql.raw<Record<string, unknown>>(statement).execute(admin.db)).rows, urlOf };
}

async function stop(): Promise<void> {
  await admin?.destroy();
  await cluster?.stop();
}

const request = (database: string, day = now) => ({ workers: 2_000, now: day, secret, keyFile: join(cacheDir, 'keys.json'), fresh: false, log: () => {}, target: { database }, cluster: kept });

async function inDatabase<T>(name: string, read: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = openDatabase(kept.urlOf(name), { poolSize: 1 });
  try {
    return await read(handle);
  } finally {
    await handle.destroy();
  }
}

const sums = (name: string) =>
  inDatabase(name, async ({ db }) => (await sql<{ n: string; ids: string; last: string }>`select count(*) as n, sum(id) as ids, max(updated_at) as last from appeals`.execute(db)).rows[0]);

const databases = async () => (await kept.admin('select datname from pg_database where not datistemplate order by datname')).map((row) => String(row.datname));

beforeAll(start, 60_000);
afterAll(async () => {
  await stop();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('a PostgreSQL bench world of 2,000 workers, kept between runs', () => {
  let first: Awaited<ReturnType<typeof preparePgWorld>>;
  beforeAll(async () => {
    first = await preparePgWorld(request('run_first'));
  }, SLOW);

  it('is generated into an entry of its key and copied into the run database, vacuumed and analyzed', async () => {
    expect(first.generated).toBe(true);
    expect(first.copySeconds).toBeDefined();
    expect(await databases()).toEqual([`cached_2k_${keyOf(now)}`, 'postgres', 'run_first']);
    expect(readFileSync(join(cacheDir, `postgres-2k-${keyOf(now)}.key.txt`), 'utf8')).toContain('engine=postgres');
    expect(Number((await sums('run_first'))?.n)).toBe(first.world.summary.appeals);
    // The copy carries the template's visibility map and statistics (the world build vacuums and analyzes).
    const analyzed = await inDatabase('run_first', async ({ db }) => (await sql<{ visible: number; stats: string }>`select c.relallvisible as visible,
      (select count(*) from pg_statistic s where s.starelid = c.oid) as stats from pg_class c where c.relname = 'appeals'`.execute(db)).rows[0]);
    expect(analyzed?.visible).toBeGreaterThan(0);
    expect(Number(analyzed?.stats)).toBeGreaterThan(0);
  });

  it('has the triggers a migrated database has (the load turned the liaison counts off) and the counts a rebuild makes', async () => {
    const triggersOf = (name: string) =>
      inDatabase(name, async ({ db }) => (await sql<{ def: string }>`select pg_get_triggerdef(oid) as def from pg_trigger where not tgisinternal order by tgname`.execute(db)).rows.map((row) => row.def));
    await kept.admin('create database migrated_check');
    try {
      await inDatabase('migrated_check', ({ db }) => migrateToLatest(db));
      const migrated = await triggersOf('migrated_check');
      expect(migrated.some((def) => def.includes('liaison_counts'))).toBe(true);
      expect(await triggersOf('run_first')).toEqual(migrated);
    } finally {
      await kept.admin('drop database migrated_check');
    }
    const counts = (handle: DatabaseHandle) => sql`select * from liaison_unit_counts order by unit_id`.execute(handle.db).then((r) => r.rows);
    await inDatabase('run_first', async (handle) => {
      const loaded = await counts(handle);
      expect(loaded.length).toBeGreaterThan(0);
      await rebuildLiaisonCoverage(handle.db);
      expect(await counts(handle)).toEqual(loaded);
    });
  }, SLOW);

  it('is copied, not generated, on the next run, after the cluster was stopped and started again', async () => {
    await stop();
    await start();
    const again = await preparePgWorld(request('run_second'));
    expect(again.generated).toBe(false);
    expect(again.world).toEqual(first.world);
    expect(await sums('run_second')).toEqual(await sums('run_first'));
    // What a run left behind goes at the next start; the cached world stays.
    expect((await dropLeftoverDatabases(kept)).sort()).toEqual(['run_first', 'run_second']);
    expect(await databases()).toEqual([`cached_2k_${keyOf(now)}`, 'postgres']);
  }, SLOW);

  it('refuses a second start on the kept folder while a server runs there, and that server goes on answering', async () => {
    await expect(startPgCluster({ dataDir })).rejects.toThrow(/in use by another process/);
    expect(await databases()).toContain('postgres');
  });

  it('reuses the newest world of its size under a key that missed when asked (--reuse-world), moving it there', async () => {
    const lines: string[] = [];
    const reused = await preparePgWorld({ ...request('run_reused', otherDay), reuse: true, log: (line: string) => void lines.push(line) });
    expect(reused).toMatchObject({ generated: false, reusedFrom: keyOf(now) });
    expect(reused.world).toEqual(first.world);
    expect(lines.join('\n')).toContain(`reusing the world of key ${keyOf(now)}`);
    expect(await databases()).toEqual([`cached_2k_${keyOf(otherDay)}`, 'postgres', 'run_reused']);
    expect(readFileSync(join(cacheDir, `postgres-2k-${keyOf(otherDay)}.key.txt`), 'utf8')).toContain(`reusedFrom=${keyOf(now)}`);
    expect(existsSync(join(cacheDir, `postgres-2k-${keyOf(now)}.json`))).toBe(false);
    // Found under its new key from then on, reused or not; the old key now misses.
    expect(await preparePgWorld(request('run_reused', otherDay))).toMatchObject({ generated: false });
    expect(readdirSync(cacheDir).filter((name) => name.endsWith('.json'))).toEqual([`postgres-2k-${keyOf(otherDay)}.json`]);
  }, SLOW);
});
