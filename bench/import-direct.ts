// The workers import measured in-process, beside the raw batched insert on an identical fresh database,
// without the HTTP server or the generated world: quick enough to profile and repeat on a busy machine.
//
//   node --import tsx bench/import-direct.ts --rows=100000 [--batch=5000] [--check-every=2000] [--repeat=3] [--pg] [--no-raw]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/import-direct.ts --rows=100000 --no-raw
//   node --import tsx bench/import-direct.ts --rows=100000 --world=bench/.cache/sqlite-100k-<key>.db [--verbose]
//
// Each repeat builds two fresh databases with the same org world (3 platforms × 20 cities of mobile
// branches): the raw insert fills one, the import job the other, back to back, so both see the same
// moment's load. The ratio import ÷ raw is what issue 6 sets a target on (≥ 0.5). With `--world=` (SQLite)
// both are copies of that file instead (a cached bench world, opened read-only; its copies migrated to
// the latest schema), so they meet tables and indexes of a real size, as the bench's import does.
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../server/config.js';
import { systemClock } from '../server/core/clock.js';
import { createJobRunner } from '../server/core/jobs.js';
import { fieldCodec } from '../server/core/sensitive.js';
import { type DatabaseHandle, openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { searchCities } from '../server/modules/divisions/divisions.rules.js';
import { workersImportHandler } from '../server/modules/imports/imports.workers.js';
import { buildPlatform, buildUnit } from '../server/modules/org/org.factory.js';
import { startPgCluster } from '../scripts/pg-cluster.js';
import { cpuSecondsSince, rawBatchedInsert, servingBranches, writeWorkersCsv } from './storage.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const flag = (name: string) => process.argv.includes(`--${name}`);
const rows = Number(arg('rows') ?? 100_000);
const batch = arg('batch') ? Number(arg('batch')) : undefined;
// Rows between two looks for waiting writers inside a transaction (the handler's CHECK_EVERY_ROWS by default).
const checkEvery = arg('check-every') ? Number(arg('check-every')) : undefined;
const repeat = Number(arg('repeat') ?? 1);
const usePg = flag('pg');
const worldFile = arg('world');
const withRaw = !flag('no-raw');
const verbose = flag('verbose');
const SECRET = 'b'.repeat(40);

async function adminOf(handle: DatabaseHandle): Promise<{ handle: DatabaseHandle; adminId: number }> {
  const at = new Date().toISOString();
  const { id } = await handle.db.insertInto('users').values({ username: 'import-direct-admin', passwordHash: 'x', displayName: 'bench', locale: 'zh-CN', createdAt: at, updatedAt: at }).returning('id').executeTakeFirstOrThrow();
  await handle.db.insertInto('roleGrants').values({ userId: id, role: 'system_admin', unitId: null, createdAt: at }).execute();
  return { handle, adminId: id };
}

async function freshWorld(url: string): Promise<{ handle: DatabaseHandle; adminId: number }> {
  if (worldFile) {
    copyFileSync(worldFile, url.slice('sqlite:'.length));
    const handle = openDatabase(url);
    await migrateToLatest(handle.db);
    return adminOf(handle);
  }
  const handle = openDatabase(url);
  await migrateToLatest(handle.db);
  const db = handle.db;
  const province = await buildUnit(db, { name: '基准省行业党委', cityCode: '510000' });
  const cities = searchCities('', 20);
  for (let p = 0; p < 3; p++) {
    const platform = await buildPlatform(db, { code: `BENCH${p}`, name: `基准平台${p}` });
    for (const city of cities) {
      const committee = await buildUnit(db, { parent: province, kind: 'platform_committee', name: `${platform.name}${city.name}党委`, platformId: platform.id, cityCode: city.code });
      await buildUnit(db, { parent: committee, kind: 'mobile_branch', name: `${platform.name}${city.name}流动党员党支部`, platformId: platform.id, cityCode: city.code });
    }
  }
  return adminOf(handle);
}

async function main() {
  const folder = mkdtempSync(join(tmpdir(), 'convoy-import-direct-'));
  const cluster = usePg ? await startPgCluster() : null;
  let n = 0;
  const urlOf = async () => {
    n += 1;
    if (!cluster) return `sqlite:${join(folder, `db${n}.sqlite`)}`;
    const name = `import_direct_${n}`;
    const admin = openDatabase(cluster.adminUrl, { poolSize: 1 });
    await sql`create database ${sql.id(name)}`.execute(admin.db);
    await admin.destroy();
    return cluster.adminUrl.replace(/\/postgres$/, `/${name}`);
  };
  try {
    const config = loadConfig({ CONVOY_SECRET: SECRET, DATABASE_URL: `sqlite:${join(folder, 'config.sqlite')}`, LOG_LEVEL: 'silent' });
    const codec = fieldCodec(config);
    const csv = join(folder, 'workers.csv');
    const ratios: number[] = [];
    for (let r = 0; r < repeat; r++) {
      let rawRate: number | null = null;
      let rawCpu: number | null = null;
      if (withRaw) {
        const url = await urlOf();
        const { handle } = await freshWorld(url);
        const branches = await servingBranches(handle.db);
        const raw = await rawBatchedInsert({ db: handle.db, engine: handle.engine, sqliteFile: url.startsWith('sqlite:') ? url.slice(7) : undefined }, rows, codec, branches);
        rawRate = raw.rowsPerSecond;
        rawCpu = raw.cpuSeconds ?? null;
        await handle.destroy();
      }
      const url = await urlOf();
      const { handle, adminId } = await freshWorld(url);
      // --checkpointer: WAL checkpoints on their thread, as in the server (otherwise inside the COMMITs).
      if (flag('checkpointer')) handle.checkpointInBackground?.();
      for (const p of (process.env.BENCH_EXTRA_PRAGMAS ?? '').split(',').filter(Boolean)) await sql.raw(`pragma ${p}`).execute(handle.db);
      if (r === 0) await writeWorkersCsv(csv, rows, await servingBranches(handle.db));
      const at = new Date().toISOString();
      // The handler removes the upload when the job ends; work on a copy so repeats can reuse the file.
      const copy = `${csv}.${r}`;
      copyFileSync(csv, copy);
      const { id: jobId } = await handle.db
        .insertInto('importJobs')
        .values({ kind: 'workers', status: 'queued', fileName: 'workers.csv', filePath: copy, format: 'csv', mapping: '{}', dryRun: 0, rowsDone: 0, createdCount: 0, updatedCount: 0, unchangedCount: 0, rejectedCount: 0, createdBy: adminId, createdAt: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      let batchStarted = performance.now();
      // --verbose: each committed transaction's wall time (a batch, or a part of one).
      const tellBatch = (_job: unknown, batches: number) => {
        const at = performance.now();
        console.log(`  transaction ${batches}: ${((at - batchStarted) / 1000).toFixed(1)} s`);
        batchStarted = at;
      };
      const deps = { db: handle.db, clock: systemClock, config: { ...config, databaseUrl: url } };
      const runner = createJobRunner({ db: handle.db, clock: systemClock, handlers: { workers: workersImportHandler(deps, { ...(batch ? { batchSize: batch } : {}), ...(checkEvery ? { checkEveryRows: checkEvery } : {}), ...(verbose ? { afterBatch: tellBatch } : {}) }) }, log: { error: (obj, msg) => console.error(msg, obj) } });
      const started = performance.now();
      const startedCpu = process.cpuUsage();
      runner.start();
      await runner.drain();
      const seconds = (performance.now() - started) / 1000;
      const cpu = cpuSecondsSince(startedCpu);
      await runner.stop();
      const job = await handle.db.selectFrom('importJobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
      await handle.destroy();
      if (job.status !== 'done') throw new Error(`import ended ${job.status}: ${job.error}`);
      const rate = Math.round(rows / seconds);
      const ratio = rawRate ? rate / rawRate : null;
      if (ratio !== null) ratios.push(ratio);
      const size = url.startsWith('sqlite:') ? ` (db ${(statSync(url.slice(7)).size / 1e6).toFixed(0)} MB)` : '';
      console.log(
        `#${r + 1} ${usePg ? 'pg' : 'sqlite'} rows=${rows} batch=${batch ?? 'default'}: import ${rate} rows/s (${seconds.toFixed(1)} s, created ${job.createdCount}, rejected ${job.rejectedCount})${size}` +
          `, ${cpu.toFixed(1)} s CPU` +
          (rawRate ? `; raw ${rawRate} rows/s (${rawCpu} s CPU); ratio ${ratio!.toFixed(3)}, by CPU ${(rawCpu! / cpu).toFixed(3)}` : '') +
          `; load ${loadavg()[0]!.toFixed(1)}`,
      );
    }
    if (ratios.length > 1) console.log(`ratio min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)}`);
  } finally {
    await cluster?.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
