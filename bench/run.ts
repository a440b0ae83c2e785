// npm run bench: storage ceiling vs the real import path, in one run on a fresh SQLite database with
// the app's own durability settings (WAL, synchronous=FULL). See bench/README.md for each scenario.
//   (a) raw batched insert of N worker rows (same table, same indexes, FTS tokens, precomputed values)
//   (b) CSV import of N workers through the job runner's workers handler
//   (c) XLSX import of 100k workers through the same handler
//   (d) worker search by a two-character Chinese fragment at N rows through listWorkers, with the plan
// Options: --rows=N (default 1,000,000), --xlsx-rows=N (default 100,000), --queries=N (default 300).
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { CompiledQuery } from 'kysely';
import { systemClock } from '../server/core/clock.js';
import { createJobRunner } from '../server/core/jobs.js';
import { nameSortKey } from '../server/core/name-sort.js';
import { sensitiveCodec } from '../server/core/sensitive.js';
import { personTokens, queryTokens } from '../server/core/text-search.js';
import { matchesTokens } from '../server/db/text-search.js';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { randomPerson } from '../server/db/seed/chinese-names.js';
import { Random } from '../server/db/seed/random.js';
import { seedDemo } from '../server/db/seed/seed-demo.js';
import { createUser } from '../server/modules/auth/auth.queries.js';
import { workersImportHandler } from '../server/modules/imports/imports.workers.js';
import { listWorkers } from '../server/modules/workers/workers.queries.js';
import { loadConfig } from '../server/config.js';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
};
const ROWS = arg('rows', 1_000_000);
const XLSX_ROWS = arg('xlsx-rows', 100_000);
const QUERIES = arg('queries', 300);
const SEED = 20261125;
const now = new Date('2026-11-25T02:00:00.000Z');

const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

type Target = { platformId: number; platformCode: string; cityCode: string; unitId: number; unitPath: string };

/** Worker i, deterministic: a name from the seed's generator, a unique phone, a branch round-robin. */
function workerRow(rng: Random, i: number, targets: readonly Target[], prefix: string) {
  const { name } = randomPerson(rng);
  const target = targets[i % targets.length]!;
  return { name, phone: `1${3 + (i % 7)}${String(i).padStart(9, '0')}`, target, platformWorkerId: `${prefix}${i}` };
}

async function main() {
  const folder = mkdtempSync(join(tmpdir(), 'convoy-bench-'));
  const file = join(folder, 'convoy.db');
  const url = `sqlite:${file}`;
  const config = loadConfig({ CONVOY_SECRET: 'bench-secret-'.padEnd(48, 'x'), DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const codec = sensitiveCodec(config.secret);
  const handle = openDatabase(url);
  const db = handle.db;
  const results: Record<string, unknown> = { rows: ROWS, xlsxRows: XLSX_ROWS, node: process.version, startedAt: new Date().toISOString(), durability: 'journal_mode=WAL, synchronous=FULL' };
  const benchStarted = performance.now();
  try {
    log(`fresh SQLite database at ${file}`);
    await migrateToLatest(db);
    const seed = await seedDemo(db, { now, seed: SEED, size: 'demo', skip: ['demo-accounts', 'people'], codec });
    log(`org world: ${seed.units} units, ${seed.platforms} platforms`);
    const userId = await createUser(db, { username: 'bench', password: 'bench-password-1', displayName: 'Bench', grants: [{ role: 'system_admin', unitId: null }] }, now);
    const branches = await db
      .selectFrom('orgUnits')
      .innerJoin('platforms', 'platforms.id', 'orgUnits.platformId')
      .select(['orgUnits.id', 'orgUnits.path', 'orgUnits.platformId', 'orgUnits.cityCode', 'platforms.code'])
      .where('orgUnits.kind', '=', 'mobile_branch')
      .where('orgUnits.closedOn', 'is', null)
      .orderBy('orgUnits.id')
      .execute();
    // One target per (platform, city): the branch the import's default serving unit would pick.
    const seen = new Set<string>();
    const targets: Target[] = [];
    for (const b of branches) {
      const key = `${b.platformId}:${b.cityCode}`;
      if (seen.has(key) || !b.cityCode || !b.platformId) continue;
      seen.add(key);
      const unit = await db.selectFrom('orgUnits').select(['id', 'path']).where('kind', '=', 'mobile_branch').where('platformId', '=', b.platformId).where('cityCode', '=', b.cityCode).where('closedOn', 'is', null).orderBy('id').executeTakeFirstOrThrow();
      targets.push({ platformId: b.platformId, platformCode: b.code, cityCode: b.cityCode, unitId: unit.id, unitPath: unit.path });
    }
    log(`${targets.length} (platform, city) branches to serve workers`);

    // (a) Storage ceiling: multi-row INSERTs of precomputed rows into workers and workers_fts, 50,000
    // rows per transaction, on a second connection with the same pragmas. Only the inserts are timed.
    {
      const raw = new SQLite(file);
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = FULL');
      raw.pragma('foreign_keys = ON');
      raw.pragma('busy_timeout = 5000');
      const columns = ['id', 'name', 'name_sort', 'phone_enc', 'phone_hash', 'phone_tail', 'platform_id', 'platform_worker_id', 'work_type', 'vehicle', 'city_code', 'unit_id', 'unit_path', 'status', 'consent_channel', 'created_at', 'updated_at'];
      const PER_STATEMENT = 100;
      const tuple = `(${columns.map(() => '?').join(',')})`;
      const insertWorkers = raw.prepare(`insert into workers (${columns.join(',')}) values ${Array(PER_STATEMENT).fill(tuple).join(',')}`);
      const insertTokens = raw.prepare(`insert into workers_fts (rowid, tokens) values ${Array(PER_STATEMENT).fill('(?,?)').join(',')}`);
      const CHUNK = 50_000;
      const rng = new Random(SEED, 'bench-raw');
      const at = now.toISOString();
      let insertMs = 0;
      for (let start = 0; start < ROWS; start += CHUNK) {
        const n = Math.min(CHUNK, ROWS - start);
        const values: (string | number)[] = [];
        const tokens: (string | number)[] = [];
        for (let i = start; i < start + n; i++) {
          const w = workerRow(rng, i, targets, 'R');
          const tail = w.phone.slice(-4);
          values.push(i + 1, w.name, nameSortKey(w.name), codec.encrypt(w.phone), codec.hash(w.phone), tail, w.target.platformId, w.platformWorkerId, 'ride_hailing', 'car', w.target.cityCode, w.target.unitId, w.target.unitPath, 'active', 'import', at, at);
          tokens.push(i + 1, personTokens(w.name, tail).join(' '));
        }
        const started = performance.now();
        raw.transaction(() => {
          for (let r = 0; r + PER_STATEMENT <= n; r += PER_STATEMENT) {
            insertWorkers.run(values.slice(r * columns.length, (r + PER_STATEMENT) * columns.length));
            insertTokens.run(tokens.slice(r * 2, (r + PER_STATEMENT) * 2));
          }
        })();
        insertMs += performance.now() - started;
      }
      const rate = Math.round(ROWS / (insertMs / 1000));
      results.rawInsert = { rows: ROWS, seconds: seconds(insertMs), rowsPerSecond: rate };
      log(`(a) raw batched insert: ${ROWS} rows in ${seconds(insertMs)} s = ${rate} rows/s`);
      const cleared = performance.now();
      raw.exec('delete from workers_fts; delete from workers;');
      raw.pragma('wal_checkpoint(TRUNCATE)');
      raw.close();
      log(`    (cleared for the import in ${seconds(performance.now() - cleared)} s, not timed)`);
    }

    const runImport = async (path: string, format: 'csv' | 'xlsx', fileName: string) => {
      const job = await db
        .insertInto('importJobs')
        .values({ kind: 'workers', status: 'queued', fileName, filePath: path, format, mapping: '{}', dryRun: 0, rowsDone: 0, createdCount: 0, updatedCount: 0, unchangedCount: 0, rejectedCount: 0, createdBy: userId, createdAt: new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      const runner = createJobRunner({ db, clock: systemClock, handlers: { workers: workersImportHandler({ db, clock: systemClock, config }) } });
      const started = performance.now();
      runner.start();
      await runner.drain();
      await runner.stop();
      const ms = performance.now() - started;
      const done = await db.selectFrom('importJobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
      if (done.status !== 'done') throw new Error(`import ${fileName} ended ${done.status}: ${done.error}`);
      return { ms, job: done };
    };

    // (b) CSV import of ROWS workers through the real handler: parse, validate, look up, upsert, index.
    {
      const path = join(folder, 'workers.csv');
      const out = createWriteStream(path);
      out.write('姓名,手机号,平台,平台工号,工作类型,车辆,城市,状态\n');
      const rng = new Random(SEED, 'bench-csv');
      for (let i = 0; i < ROWS; i++) {
        const w = workerRow(rng, i, targets, 'C');
        if (!out.write(`${w.name},${w.phone},${w.target.platformCode},${w.platformWorkerId},网约车,汽车,${w.target.cityCode},在职\n`)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      log(`(b) CSV of ${ROWS} rows written; importing…`);
      const { ms, job } = await runImport(path, 'csv', 'workers.csv');
      const rate = Math.round(ROWS / (ms / 1000));
      const raw = results.rawInsert as { rowsPerSecond: number };
      results.csvImport = { rows: ROWS, seconds: seconds(ms), rowsPerSecond: rate, ratioToRawInsert: Math.round((rate / raw.rowsPerSecond) * 1000) / 1000, created: job.createdCount, rejected: job.rejectedCount };
      log(`(b) CSV import: ${ROWS} rows in ${seconds(ms)} s = ${rate} rows/s (${(rate / raw.rowsPerSecond).toFixed(3)} × raw); created ${job.createdCount}, rejected ${job.rejectedCount}`);
    }

    // (c) XLSX import of XLSX_ROWS more workers (written with exceljs's streaming writer).
    {
      const path = join(folder, 'workers.xlsx');
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
      const sheet = workbook.addWorksheet('劳动者');
      sheet.addRow(['姓名', '手机号', '平台', '平台工号', '工作类型', '车辆', '城市', '状态']).commit();
      const rng = new Random(SEED, 'bench-xlsx');
      for (let i = 0; i < XLSX_ROWS; i++) {
        const w = workerRow(rng, ROWS + i, targets, 'X');
        sheet.addRow([w.name, w.phone, w.target.platformCode, w.platformWorkerId, '网约车', '汽车', w.target.cityCode, '在职']).commit();
      }
      sheet.commit();
      await workbook.commit();
      const { ms, job } = await runImport(path, 'xlsx', 'workers.xlsx');
      const rate = Math.round(XLSX_ROWS / (ms / 1000));
      results.xlsxImport = { rows: XLSX_ROWS, seconds: seconds(ms), rowsPerSecond: rate, created: job.createdCount, rejected: job.rejectedCount };
      log(`(c) XLSX import: ${XLSX_ROWS} rows in ${seconds(ms)} s = ${rate} rows/s; created ${job.createdCount}, rejected ${job.rejectedCount}`);
    }

    // (d) Search by two-character fragments of real names, through the list query the API runs.
    {
      const total = Number((await db.selectFrom('workers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const rng = new Random(SEED, 'bench-search');
      const fragments: string[] = [];
      while (fragments.length < QUERIES) {
        const { name } = randomPerson(rng);
        const start = name.length > 2 ? rng.int(0, name.length - 2) : 0;
        fragments.push(name.slice(start, start + 2));
      }
      const filter = (q: string) => ({ scope: 'all' as const, q, after: null, limit: 50 });
      for (const q of fragments.slice(0, 20)) await listWorkers(db, filter(q)); // warm-up
      const times: number[] = [];
      let hits = 0;
      for (const q of fragments) {
        const started = performance.now();
        const rows = await listWorkers(db, filter(q));
        times.push(performance.now() - started);
        hits += rows.length;
      }
      times.sort((x, y) => x - y);
      const pct = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]! * 100) / 100;
      // The plan of the same query listWorkers runs, compiled with the same search condition.
      const sample = fragments[0]!;
      const compiled = db
        .selectFrom('workers')
        .select(['id', 'name', 'nameSort', 'phoneEnc', 'platformId', 'platformWorkerId', 'workType', 'vehicle', 'cityCode', 'unitId', 'status'])
        .where('consentWithdrawnAt', 'is', null)
        .where(matchesTokens(db, 'workers', 'workers', queryTokens(sample)))
        .orderBy('nameSort')
        .orderBy('id')
        .limit(51)
        .compile();
      const planRows = (await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]))).rows;
      const plan = planRows.map((r) => r.detail);
      const fullScan = plan.some((d) => /^SCAN workers\b(?! VIRTUAL)/.test(d) && !/USING/.test(d));
      const usesFts = plan.some((d) => /workers_fts VIRTUAL TABLE INDEX/.test(d));
      results.search = { workers: total, queries: QUERIES, p50Ms: pct(50), p99Ms: pct(99), meanRows: Math.round(hits / QUERIES), plan, usesFtsIndex: usesFts, fullScanOfWorkers: fullScan };
      log(`(d) search at ${total} workers: p50 ${pct(50)} ms, p99 ${pct(99)} ms over ${QUERIES} two-character queries; FTS index used: ${usesFts}, full scan: ${fullScan}`);
      for (const d of plan) log(`    plan: ${d}`);
    }
  } finally {
    await handle.destroy();
    rmSync(folder, { recursive: true, force: true });
  }
  results.totalSeconds = seconds(performance.now() - benchStarted);

  const a = results.rawInsert as { rowsPerSecond: number; seconds: number };
  const b = results.csvImport as { rowsPerSecond: number; seconds: number; ratioToRawInsert: number };
  const c = results.xlsxImport as { rowsPerSecond: number; seconds: number; rows: number };
  const d = results.search as { p50Ms: number; p99Ms: number; workers: number; usesFtsIndex: boolean; fullScanOfWorkers: boolean };
  const table = [
    '| Scenario | Rows | Time | Rate | Ratio / note |',
    '|---|---:|---:|---:|---|',
    `| (a) raw batched insert (ceiling) | ${ROWS.toLocaleString('en')} | ${a.seconds} s | ${a.rowsPerSecond.toLocaleString('en')} rows/s | 1.000 |`,
    `| (b) CSV import, real handler | ${ROWS.toLocaleString('en')} | ${b.seconds} s | ${b.rowsPerSecond.toLocaleString('en')} rows/s | ${b.ratioToRawInsert.toFixed(3)} × (a) (target ≥ 0.5) |`,
    `| (c) XLSX import, real handler | ${c.rows.toLocaleString('en')} | ${c.seconds} s | ${c.rowsPerSecond.toLocaleString('en')} rows/s | ${(c.rowsPerSecond / a.rowsPerSecond).toFixed(3)} × (a) |`,
    `| (d) search, 2-char fragment | ${d.workers.toLocaleString('en')} | p50 ${d.p50Ms} ms | p99 ${d.p99Ms} ms | FTS index: ${d.usesFtsIndex ? 'yes' : 'NO'}, full scan: ${d.fullScanOfWorkers ? 'YES' : 'no'} |`,
  ].join('\n');
  console.log(`\n${table}\n\ntotal ${String(results.totalSeconds)} s`);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/latest.json', import.meta.url), JSON.stringify({ ...results, table }, null, 2) + '\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
