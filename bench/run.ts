// npm run bench [-- --scale=1m --duration=10 --warmup=3 --connections=50 --pg --only=nearest,search --fresh-world|--reuse-world]
// One run: the ceilings (hello-world, validated insert over HTTP, raw batched insert), then for each
// world size (10k, 100k, … up to --scale) a fresh database with the generated world, the real server
// as its own process, and each scenario driven over loopback by a load process. See bench/README.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { fieldCodec } from '../server/core/sensitive.js';
import { loadConfig } from '../server/config.js';
import { type DatabaseHandle, openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { planFromShape } from '../server/db/seed/org-plan.js';
import { Random } from '../server/db/seed/random.js';
import { type SeedContext, seedSteps } from '../server/db/seed/seed-demo.js';
import { startPgCluster } from '../scripts/pg-cluster.js';
import type { LoadResult, LoadSpec } from './load.js';
import { freePort, quietProcess, ROOT, runNodeScript, serverNodeFlags, startNodeProcess } from './processes.js';
import { growthOf, type RunResults, type ScenarioFigure, writeResults } from './report.js';
import { allScenarios, growthScenarios, prepareVisitsUnit, specOf } from './scenarios.js';
import { importOverHttp, rawBatchedInsert, servingBranches, writeWorkersCsv, writeWorkersXlsx } from './storage.js';
import { BENCH_SEED, createBenchAccounts, labelOf, parseScale, worldSizeOf } from './world.js';
import { CACHE_DIR, generateMissingWorlds, prepareWorld } from './world-cache.js';
import { dropLeftoverDatabases, type KeptCluster, preparePgWorld } from './world-cache-pg.js';

const flag = (name: string) => process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))?.split('=')[1];
const scale = parseScale(flag('scale') ?? '1m');
const durationSeconds = Number(flag('duration') ?? 10);
const warmupSeconds = Number(flag('warmup') ?? 3);
const connections = Number(flag('connections') ?? 50);
const usePg = process.argv.includes('--pg');
const only = flag('only')?.split(',').filter(Boolean) ?? null;
// Generate the worlds again even when bench/.cache holds them (see bench/world-cache.ts).
const freshWorld = process.argv.includes('--fresh-world');
// Where no cached world has this code's key, reuse the newest of its size instead of generating one (a 1m world
// takes ~27 min): for a change that moved the key without changing what a world holds (bench/world-cache.ts).
const reuseWorlds = process.argv.includes('--reuse-world');
// The raw insert is a rate: this many seconds of inserting measure it (0: insert as many rows as the world has workers).
const rawSeconds = Number(flag('raw-seconds') ?? 20);
// SQLite: also the write ceiling and the filing with synchronous=NORMAL (the app ships FULL; every other
// figure, the imports among them, is measured as shipped).
const alsoNormal = process.argv.includes('--normal') && !usePg;
// Node flags added to the server's own, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it under load.
const extraServerNodeArgs = (process.env.CONVOY_BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const wanted = (name: string) => only === null || only.includes(name);
const SECRET = 'convoy-bench-secret-'.padEnd(48, 'x');

const startedAt = performance.now();
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const folder = mkdtempSync(join(tmpdir(), 'convoy-bench-'));
const env = { CONVOY_SECRET: SECRET, LOG_LEVEL: 'warn', CONVOY_KEY_FILE: join(folder, 'field-keys.json') };
const config = loadConfig({ ...env, DATABASE_URL: `sqlite:${join(folder, 'x.db')}` });
const codec = fieldCodec(config);
// The world's "now" is one fixed moment (10:00 China time on the day these worlds were first cached), so
// the rows are the same on any day and a cached world serves every run of the same code, not just that
// day's. The server's clock starts at that instant (CONVOY_CLOCK_START): at any hour or day of the run it
// sees the deadlines as they were made, instead of escalating hours of missed ones while it is measured.
const now = new Date('2026-12-07T02:00:00.000Z');

const sizes = [10_000, 100_000, 1_000_000].filter((n) => n < scale);
sizes.push(scale);

// `database`: its name in the kept PostgreSQL cluster; `sqliteFile`: the SQLite file.
type BenchDb = { url: string; sqliteFile?: string; database?: string; drop: () => Promise<void> };
let makeDatabase: (name: string) => Promise<BenchDb>;
let keptCluster: KeptCluster | undefined;
let stopCluster = async () => {};

/** The world of this many workers in the database given: from the cache of its engine, or generated into it. */
function prepareWorldIn(db: BenchDb, workers: number, cache: { fresh: boolean; reuse?: boolean }) {
  const options = { workers, now, secret: SECRET, keyFile: env.CONVOY_KEY_FILE, ...cache, log };
  if (db.sqliteFile !== undefined) return prepareWorld({ ...options, target: { sqliteFile: db.sqliteFile } });
  if (db.database === undefined || keptCluster === undefined) throw new Error(`No SQLite file and no kept PostgreSQL cluster for ${db.url}`);
  return preparePgWorld({ ...options, target: { database: db.database }, cluster: keptCluster });
}

const results: RunResults = {
  engine: usePg ? 'postgres' : 'sqlite',
  startedAt: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  loadAverageAtStart: Math.round(loadavg()[0]! * 100) / 100,
  options: { scale: labelOf(scale), durationSeconds, warmupSeconds, connections, only, rawSeconds },
  worlds: [],
  ceilings: { write: {} },
  scenarios: [],
  imports: {},
  serverPeakRssMb: {},
  growth: {},
  phases: [],
  totalSeconds: 0,
};

/** Runs one part of the run and files its wall time under `name`, so the time budget shows where it went. */
async function phase<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    results.phases.push({ name, seconds: Math.round((performance.now() - started) / 100) / 10 });
  }
}

let addressBlock = 0;
async function drive(spec: Omit<LoadSpec, 'addressBlock'>): Promise<LoadResult> {
  const result = JSON.parse(await runNodeScript(join(ROOT, 'bench/load.ts'), JSON.stringify({ ...spec, addressBlock: addressBlock++ }))) as LoadResult;
  const bad = Object.entries(result.non2xx).map(([s, c]) => `${c}×${s}`).join(', ');
  log(`  ${spec.name}: ${result.requestsPerSecond} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms${bad ? `, non-2xx ${bad}` : ''}${result.errors ? `, ${result.errors} errors` : ''}`);
  return result;
}

const load = (name: string, url: string, rest: Pick<LoadSpec, 'method' | 'paths' | 'bodies'>): Omit<LoadSpec, 'addressBlock'> => ({ name, url, connections, warmupSeconds, durationSeconds, ...rest });

async function ceilings(): Promise<void> {
  if (wanted('ceilings') || wanted('hello')) {
    const server = await startNodeProcess(join(ROOT, 'bench/ceiling-server.ts'), { args: ['hello'], env: {}, port: await freePort(), readyPath: '/' });
    log('ceiling: Fastify hello-world');
    results.ceilings.hello = await phase('ceiling: hello-world', () => drive(load('hello', server.url, { method: 'GET', paths: ['/'] })));
    await server.stop();
  }
  if (wanted('ceilings') || wanted('write')) {
    for (const synchronous of alsoNormal ? (['FULL', 'NORMAL'] as const) : (['FULL'] as const)) {
      const db = await makeDatabase(`ceiling_write_${synchronous.toLowerCase()}`);
      const server = await startNodeProcess(join(ROOT, 'bench/ceiling-server.ts'), { args: ['write'], env: { DATABASE_URL: db.url, CONVOY_SQLITE_SYNCHRONOUS: synchronous }, port: await freePort(), readyPath: '/' });
      log(`ceiling: validated insert over HTTP${usePg ? '' : ` (synchronous=${synchronous})`}`);
      const bodies = ['income_fees', 'dispatch_algorithm', 'road_safety'].map((category, i) => JSON.stringify({ category, description: `平台调整了抽成比例，第${i + 1}次反映` }));
      results.ceilings.write[synchronous] = await phase(`ceiling: validated insert${usePg ? '' : ` (${synchronous})`}`, () => drive(load('write', server.url, { method: 'POST', paths: ['/rows'], bodies })));
      await server.stop();
      await db.drop();
    }
  }
}

async function rawInsertCeiling(rows: number): Promise<void> {
  const db = await makeDatabase('ceiling_raw');
  let handle: DatabaseHandle | undefined;
  try {
    const started = performance.now();
    if (usePg) {
      // A fresh database with the same org world, so the rows carry the same unit paths and foreign keys
      // (regenerating the whole world a second time on PostgreSQL would cost more than the run).
      handle = openDatabase(db.url);
      await migrateToLatest(handle.db);
      const size = worldSizeOf(rows);
      const ctx = { db: handle.db, now, seed: BENCH_SEED, plan: planFromShape(size.shape, BENCH_SEED), random: (s: string) => Random.stream(BENCH_SEED, s), summary: { unitsByKind: { industry_committee: 0, platform_committee: 0, secondary_committee: 0, mobile_branch: 0, group: 0 } } } as unknown as SeedContext;
      for (const step of seedSteps.filter((s) => s.name === 'platforms' || s.name === 'org-world')) await step.run(ctx);
    } else {
      // The world the import met, copied from the cache: both write into the same tables and indexes at
      // the same size, so the ratio compares the import's work with storage's, not a full table with an empty one.
      await prepareWorldIn(db, rows, { fresh: false });
      handle = openDatabase(db.url);
    }
    results.phases.push({ name: 'ceiling: raw insert: its database', seconds: Math.round((performance.now() - started) / 100) / 10 });
    log(`ceiling: raw batched insert of up to ${rows.toLocaleString('en')} workers${rawSeconds > 0 ? ` for ${rawSeconds} s of inserting` : ''}`);
    const target = { db: handle.db, engine: usePg ? ('postgres' as const) : ('sqlite' as const), sqliteFile: db.sqliteFile };
    const branches = await servingBranches(handle.db);
    results.ceilings.rawInsert = await phase('ceiling: raw batched insert', () => rawBatchedInsert(target, rows, codec, branches, rawSeconds > 0 ? rawSeconds : undefined));
    log(`  ${results.ceilings.rawInsert.rowsPerSecond} rows/s (${results.ceilings.rawInsert.rows.toLocaleString('en')} rows in ${results.ceilings.rawInsert.seconds} s)`);
  } finally {
    await handle?.destroy();
    await db.drop();
  }
}

/** What the run does at a world of this size: its scenarios, and the imports at the largest. */
function workAt(workers: number, largest: boolean) {
  const names = (largest ? allScenarios : growthScenarios).filter((s) => wanted(s) || (only?.includes('figures') && s.startsWith('figures-')));
  const imports = largest && (wanted('import') || wanted('imports'));
  return { names, imports, any: names.length > 0 || imports };
}

/** SQLite worlds generated before the first measurement, all at once (generateMissingWorlds), and the seconds each took. */
let generatedAtStart = new Map<string, number>();

async function benchWorld(workers: number, largest: boolean): Promise<void> {
  const size = worldSizeOf(workers);
  const { names, imports, any } = workAt(workers, largest);
  if (!any) return;
  const db = await makeDatabase(`world_${size.label}`);
  const pregenerated = generatedAtStart.get(size.label);
  const prepared = await phase(`world ${size.label}: prepare`, () => prepareWorldIn(db, workers, { fresh: freshWorld && pregenerated === undefined, reuse: reuseWorlds }));
  const { world, copySeconds, reusedFrom } = prepared;
  // A world generated at the start is reported as generated in this run, with the time it took there.
  const generated = prepared.generated || pregenerated !== undefined;
  const seedSeconds = pregenerated ?? prepared.seedSeconds;
  results.phases.at(-1)!.name = `world ${size.label}: ${prepared.generated ? 'generated' : pregenerated !== undefined ? 'copy of the one generated at the start' : 'cached copy'}`;
  const handle: DatabaseHandle = openDatabase(db.url);
  const s = world.summary as typeof world.summary & { stations?: number; activities?: number };
  results.worlds.push({ label: size.label, workers: s.workers, members: s.members, appeals: s.appeals, appealEvents: s.appealEvents, units: s.units, stations: s.stations ?? 0, activities: s.activities ?? 0, seedSeconds: Math.round(seedSeconds), generated, ...(copySeconds !== undefined ? { copySeconds } : {}), ...(reusedFrom ? { reusedFrom } : {}) });
  const accounts = await phase(`world ${size.label}: bench accounts`, () => createBenchAccounts(handle.db, world, { now, filers: Math.min(Math.floor(workers / 2), 20_000), logins: 20 }));
  const visitsUnit = await prepareVisitsUnit(handle.db, world, now);
  Object.assign(results.worlds.at(-1)!, { committee: `${world.committee.name} (${world.committee.id})`, visitsUnit: `${visitsUnit.name} (${visitsUnit.id})` });
  const branches = await servingBranches(handle.db);
  await handle.destroy();

  const startServer = async (synchronous: 'FULL' | 'NORMAL') =>
    startNodeProcess(join(ROOT, 'server/main.ts'), { env: { ...env, DATABASE_URL: db.url, CONVOY_SQLITE_SYNCHRONOUS: synchronous, CONVOY_CLOCK_START: now.toISOString() }, nodeArgs: [...serverNodeFlags(), ...extraServerNodeArgs], port: await freePort(), readyPath: '/readyz' });
  let server = await phase(`world ${size.label}: server start`, () => startServer('FULL'));
  const memoryAfter = (phaseName: string) => {
    const { peakMb, rssMb } = server.phasePeak();
    (results.serverMemory ??= []).push({ world: size.label, phase: phaseName, peakMb, rssAfterMb: rssMb });
  };
  memoryAfter('start-up');
  try {
    log(`world ${size.label}: server pid ${server.pid}, committee ${world.committee.name} (${world.committee.id}), visit figures of ${visitsUnit.name} (${visitsUnit.id})`);
    for (const name of names) {
      const spec = specOf(name, { url: server.url, world, accounts, visitsUnit, secret: SECRET, connections, warmupSeconds, durationSeconds }, 0);
      const serverQuiet = await quietProcess(server.pid);
      if (serverQuiet.waitedSeconds >= 1) log(`  (waited ${serverQuiet.waitedSeconds} s for the server to go quiet${serverQuiet.quiet ? '' : ', and it did not'})`);
      const figure: ScenarioFigure = { ...(await phase(`${name} @${size.label}`, () => drive(spec))), world: size.label, serverQuiet, ...(name === 'file-appeal' && !usePg ? { synchronous: 'FULL' as const } : {}) };
      results.scenarios.push(figure);
      memoryAfter(name);
    }
    results.serverPeakRssMb[size.label] = server.peakRssMb();
    if (imports) {
      const csv = join(folder, 'workers.csv');
      await phase('import: write the CSV', () => writeWorkersCsv(csv, workers, branches));
      log(`import: CSV of ${workers.toLocaleString('en')} workers over HTTP…`);
      results.imports.csv = await phase('import: CSV over HTTP', () => importOverHttp(server.url, accounts.adminToken, csv, 'workers.csv', workers));
      memoryAfter('import CSV');
      log(`  ${results.imports.csv.rowsPerSecond} rows/s (${results.imports.csv.seconds} s), created ${results.imports.csv.created}, rejected ${results.imports.csv.rejected}`);
      rmSync(csv, { force: true });
      // Its rate is reported, not compared: a hundredth of the world (10,000 rows at 1m) measures it in ~10 s
      // (a fortieth until session 15: ~25 s of the run).
      const xlsxRows = Math.max(1_000, Math.round(workers / 100));
      const xlsx = join(folder, 'workers.xlsx');
      await phase('import: write the XLSX', () => writeWorkersXlsx(xlsx, xlsxRows, branches, workers));
      // Appeals are filed during this import only: the CSV's rate is compared with the raw insert, which
      // runs alone, and each write that comes makes the import commit early (bench/README.md).

      log(`import: XLSX of ${xlsxRows.toLocaleString('en')} workers over HTTP…`);
      results.imports.xlsx = await phase('import: XLSX over HTTP', () => importOverHttp(server.url, accounts.adminToken, xlsx, 'workers.xlsx', xlsxRows, accounts.filerTokens));
      memoryAfter('import XLSX');
      log(`  ${results.imports.xlsx.rowsPerSecond} rows/s (${results.imports.xlsx.seconds} s)`);
      results.serverPeakRssMb[`${size.label} + imports`] = server.peakRssMb();
      await rawInsertCeiling(workers);
    }
    // Last, so that everything before it (the imports among them) ran on the server as shipped (FULL): until
    // session 15 the imports came after this restart and were measured with NORMAL against a FULL raw insert.
    if (largest && alsoNormal && names.includes('file-appeal')) {
      await server.stop();
      server = await phase(`world ${size.label}: server restart`, () => startServer('NORMAL'));
      log(`world ${size.label}: server restarted with synchronous=NORMAL`);
      memoryAfter('restart (synchronous=NORMAL)');
      const spec = specOf('file-appeal', { url: server.url, world, accounts, visitsUnit, secret: SECRET, connections, warmupSeconds, durationSeconds }, 0);
      results.scenarios.push({ ...(await phase(`file-appeal (NORMAL) @${size.label}`, () => drive(spec))), world: size.label, synchronous: 'NORMAL' });
      memoryAfter('file-appeal (synchronous=NORMAL)');
    }
  } catch (error) {
    log(`world ${size.label}: the server's last words:\n${server.output()}`);
    throw error;
  } finally {
    results.serverPeakRssMb[size.label] ??= server.peakRssMb();
    await phase(`world ${size.label}: server stop and clean-up`, async () => {
      await server.stop();
      await db.drop();
    });
  }
}

async function main(): Promise<void> {
  log(`bench: ${usePg ? 'PostgreSQL' : 'SQLite'}, worlds ${sizes.map(labelOf).join(', ')}, ${connections} connections, ${warmupSeconds} s + ${durationSeconds} s per scenario${only ? `, only ${only.join(',')}` : ''}`);
  if (usePg) {
    // Kept between runs for its generated worlds (bench/world-cache-pg.ts); what else a run makes it drops.
    const cluster = await startPgCluster({ dataDir: join(CACHE_DIR, 'postgres-cluster') });
    stopCluster = cluster.stop;
    const admin = openDatabase(cluster.adminUrl, { poolSize: 1 });
    const urlOf = (name: string) => cluster.adminUrl.replace(/\/postgres$/, `/${name}`);
    keptCluster = { admin: async (statement) => (await sql.raw<Record<string, unknown>>(statement).execute(admin.db)).rows, urlOf };
    const leftover = await dropLeftoverDatabases(keptCluster);
    if (leftover.length > 0) log(`PostgreSQL: dropped what an earlier run left in the kept cluster (${leftover.join(', ')})`);
    makeDatabase = async (name) => {
      await sql`create database ${sql.id(name)}`.execute(admin.db);
      // Not WITH (FORCE): terminating a session a pool is just closing makes that pool throw. A database
      // still in use is dropped at the next run's start.
      const drop = async () => void (await sql`drop database if exists ${sql.id(name)}`.execute(admin.db).catch(() => undefined));
      return { url: urlOf(name), database: name, drop };
    };
    const stop = stopCluster;
    stopCluster = async () => {
      await admin.destroy();
      await stop();
    };
  } else {
    makeDatabase = async (name) => {
      const dir = mkdtempSync(join(folder, `${name}-`));
      const file = join(dir, 'convoy.db');
      return { url: `sqlite:${file}`, sqliteFile: file, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    };
  }
  try {
    if (!usePg) {
      const needed = sizes.filter((workers, i) => workAt(workers, i === sizes.length - 1).any);
      const requests = needed.map((workers) => ({ workers, now, secret: SECRET, keyFile: env.CONVOY_KEY_FILE, fresh: freshWorld, reuse: reuseWorlds, log }));
      generatedAtStart = await phase('worlds: generated at once, the smaller ones at low priority', () => generateMissingWorlds(requests));
      if (generatedAtStart.size === 0) results.phases.pop();
    }
    await ceilings();
    for (const [i, workers] of sizes.entries()) await benchWorld(workers, i === sizes.length - 1);
  } finally {
    await stopCluster();
    rmSync(folder, { recursive: true, force: true });
  }
  const labels = results.worlds.map((w) => w.label);
  results.growth = growthOf(results.scenarios, labels[0] ?? '', labels.at(-1) ?? '');
  results.totalSeconds = Math.round((performance.now() - startedAt) / 1000);
  console.log(`\n${writeResults(results)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
