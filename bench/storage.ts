// The storage side: the raw batched insert (the storage ceiling) and the imports of workers over HTTP
// through the real server (CSV and XLSX), whose rate is compared with that ceiling.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import SQLite from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { CompiledQuery, type Kysely } from 'kysely';
import { nameSortKey } from '../server/core/name-sort.js';
import type { SensitiveCodec } from '../server/core/sensitive.js';
import { personTokens } from '../server/core/text-search.js';
import { byGramKey, gramRootOf } from '../server/db/text-search.js';
import { applyWriterPragmas } from '../server/db/database.js';
import { randomPerson } from '../server/db/seed/chinese-names.js';
import { Random } from '../server/db/seed/random.js';
import type { Database } from '../server/db/tables.js';
import { byUnitThenName } from '../server/modules/imports/imports.workers.write.js';

export type ServingBranch = { platformId: number; platformCode: string; cityCode: string; unitId: number; unitPath: string };

/** One open mobile branch per (platform, city): where the import's default routing puts a worker. */
export async function servingBranches(db: Kysely<Database>): Promise<ServingBranch[]> {
  const rows = await db
    .selectFrom('orgUnits')
    .innerJoin('platforms', 'platforms.id', 'orgUnits.platformId')
    .select(['orgUnits.id', 'orgUnits.path', 'orgUnits.platformId', 'orgUnits.cityCode', 'platforms.code'])
    .where('orgUnits.kind', '=', 'mobile_branch')
    .where('orgUnits.closedOn', 'is', null)
    .orderBy('orgUnits.id')
    .execute();
  const seen = new Set<string>();
  const out: ServingBranch[] = [];
  for (const r of rows) {
    const key = `${r.platformId}:${r.cityCode}`;
    if (seen.has(key) || !r.cityCode || !r.platformId) continue;
    seen.add(key);
    out.push({ platformId: r.platformId, platformCode: r.code, cityCode: r.cityCode, unitId: r.id, unitPath: r.path });
  }
  return out;
}

const workerColumns = ['name', 'name_sort', 'phone_enc', 'phone_hash', 'phone_tail', 'platform_id', 'platform_worker_id', 'work_type', 'vehicle', 'city_code', 'unit_id', 'unit_path', 'status', 'consent_channel', 'created_at', 'updated_at'];
// A search gram row as the import writes it (db/text-search.ts writeNewPeopleGrams): the key (gram, root, sort key, person) and the scope's copy of the path.
const gramColumns = ['gram', 'root', 'sort_key', 'person_id', 'unit_path'];
const PER_STATEMENT = 100;
const GRAMS_PER_STATEMENT = 1_000;
const PER_TRANSACTION = 50_000;

export type RateFigure = { rows: number; seconds: number; rowsPerSecond: number; cpuSeconds?: number };

/** The raw insert: its rate, the time budget it stopped at (if it did), and each transaction's rate (does it fall as the table grows?). */
export type RawInsertFigure = RateFigure & { budgetSeconds?: number; stoppedByBudget?: boolean; transactions: { rows: number; seconds: number }[] };

/** CPU seconds (user + system) this process spent since `since`: on a machine others load, a steadier figure than wall time. */
export const cpuSecondsSince = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

/**
 * The storage ceiling: `rows` precomputed workers (encrypted phone, keyed hash, sort key and search
 * grams made before the clock starts) into the real workers table with all its indexes, and their gram
 * rows into `workers_grams` (the same rows the import writes for a new worker: its tokens beside its sort
 * key and unit path), 100-row INSERTs of workers and then 1,000-row INSERTs of their grams in key order,
 * 50,000 workers a transaction. SQLite goes through prepared better-sqlite3 statements on its own
 * connection with the app's pragmas; PostgreSQL through the pool, $n parameters.
 * It is a rate: with `budgetSeconds` it stops after the first transaction that ends past that much
 * insert time, two transactions at least (at most `rows`), instead of spending minutes on a million rows
 * to measure it.
 */
export async function rawBatchedInsert(
  target: { db: Kysely<Database>; engine: 'sqlite' | 'postgres'; sqliteFile?: string },
  rows: number,
  codec: SensitiveCodec,
  branches: ServingBranch[],
  budgetSeconds?: number,
): Promise<RawInsertFigure> {
  const rng = new Random(20261125, 'bench-raw');
  const at = new Date().toISOString();
  const firstId = Number((await target.db.selectFrom('workers').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0) + 1;
  const postgres = target.engine === 'postgres';
  const columns = ['id', ...workerColumns];
  const raw = postgres ? null : new SQLite(target.sqliteFile);
  if (raw) {
    applyWriterPragmas(raw);
    for (const p of (process.env.BENCH_EXTRA_PRAGMAS ?? '').split(',').filter(Boolean)) raw.pragma(p);
  }
  const insertText = (table: string, names: string[], n: number) =>
    `insert into ${table} (${names.join(',')}) values ${Array.from({ length: n }, (_, r) => `(${names.map((_, c) => (postgres ? `$${r * names.length + c + 1}` : '?')).join(',')})`).join(',')}`;
  const statementText = insertText('workers', columns, PER_STATEMENT);
  const gramsText = insertText('workers_grams', gramColumns, GRAMS_PER_STATEMENT);
  const insertWorkers = raw?.prepare(statementText);
  const insertGrams = raw?.prepare(gramsText);
  let ms = 0;
  let cpu = 0;
  let inserted = 0;
  const transactions: RawInsertFigure['transactions'] = [];
  let stoppedByBudget = false;
  for (let start = 0; start < rows; start += PER_TRANSACTION) {
    // Never before the second: the first meets a cold page cache (a 1m run of session 15 stopped after one
    // transaction of 22.7 s, and its rate was that cold one's alone).
    if (budgetSeconds !== undefined && ms >= budgetSeconds * 1000 && transactions.length >= 2) {
      stoppedByBudget = true;
      break;
    }
    const n = Math.min(PER_TRANSACTION, rows - start);
    // A short tail is not worth a second statement: only whole statements of workers go in (and are counted).
    const whole = n - (n % PER_STATEMENT);
    const statements: unknown[][] = [];
    const grams: { gram: string; root: string; sortKey: string; personId: number; unitPath: string }[] = [];
    // The workers in the order the import inserts a transaction's new workers (by unit, then name).
    const people = Array.from({ length: whole }, (_, k) => {
      const i = start + k;
      const { name } = randomPerson(rng);
      const b = branches[i % branches.length]!;
      return { i, name, nameSort: nameSortKey(name), unitPath: b.unitPath, b };
    }).sort(byUnitThenName);
    for (let s = 0; s < whole; s += PER_STATEMENT) {
      const values: unknown[] = [];
      for (let k = s; k < s + PER_STATEMENT; k++) {
        const { i, name, nameSort: sortKey, b } = people[k]!;
        const phone = `16${String(i).padStart(9, '0')}`;
        const id = firstId + start + k;
        values.push(id, name, sortKey, codec.encrypt(phone), codec.hash(phone), phone.slice(-4), b.platformId, `RAW${i}`, 'ride_hailing', 'car', b.cityCode, b.unitId, b.unitPath, 'active', 'import', at, at);
        const root = gramRootOf(b.unitPath);
        for (const gram of personTokens(name, phone.slice(-4))) grams.push({ gram, root, sortKey, personId: id, unitPath: b.unitPath });
      }
      statements.push(values);
    }
    // The grams in the key's order (gram, root, sort key, person), as the import writes them.
    grams.sort(byGramKey);
    const gramStatements: unknown[][] = [];
    for (let g = 0; g < grams.length; g += GRAMS_PER_STATEMENT) gramStatements.push(grams.slice(g, g + GRAMS_PER_STATEMENT).flatMap((r) => [r.gram, r.root, r.sortKey, r.personId, r.unitPath]));
    const tail = gramStatements.at(-1)?.length !== GRAMS_PER_STATEMENT * gramColumns.length ? gramStatements.pop() : undefined;
    const tailText = tail ? insertText('workers_grams', gramColumns, tail.length / gramColumns.length) : undefined;
    const started = performance.now();
    const startedCpu = process.cpuUsage();
    if (raw) {
      raw.transaction(() => {
        for (const values of statements) insertWorkers!.run(values);
        for (const values of gramStatements) insertGrams!.run(values);
        if (tail) raw.prepare(tailText!).run(tail);
      })();
    } else {
      await target.db.transaction().execute(async (trx) => {
        for (const values of statements) await trx.executeQuery(CompiledQuery.raw(statementText, values));
        for (const values of gramStatements) await trx.executeQuery(CompiledQuery.raw(gramsText, values));
        if (tail) await trx.executeQuery(CompiledQuery.raw(tailText!, tail));
      });
    }
    const took = performance.now() - started;
    ms += took;
    cpu += cpuSecondsSince(startedCpu);
    inserted += whole;
    transactions.push({ rows: whole, seconds: Math.round(took / 100) / 10 });
  }
  raw?.close();
  return {
    rows: inserted,
    seconds: Math.round(ms / 100) / 10,
    rowsPerSecond: Math.round(inserted / (ms / 1000)),
    cpuSeconds: Math.round(cpu * 10) / 10,
    ...(budgetSeconds !== undefined ? { budgetSeconds, stoppedByBudget } : {}),
    transactions,
  };
}

const header = ['姓名', '手机号', '平台', '平台工号', '工作类型', '车辆', '城市', '状态'];

function csvRow(rng: Random, i: number, branches: ServingBranch[], prefix: string): string[] {
  const b = branches[i % branches.length]!;
  return [randomPerson(rng).name, `14${String(i).padStart(9, '0')}`, b.platformCode, `${prefix}${i}`, '网约车', '汽车', b.cityCode, '在职'];
}

export async function writeWorkersCsv(path: string, rows: number, branches: ServingBranch[]): Promise<void> {
  const out = createWriteStream(path);
  out.write(header.join(',') + '\n');
  const rng = new Random(20261125, 'bench-csv');
  for (let i = 0; i < rows; i++) {
    if (!out.write(csvRow(rng, i, branches, 'C').join(',') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function writeWorkersXlsx(path: string, rows: number, branches: ServingBranch[], offset: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('劳动者');
  sheet.addRow(header).commit();
  const rng = new Random(20261125, 'bench-xlsx');
  for (let i = 0; i < rows; i++) sheet.addRow(csvRow(rng, offset + i, branches, 'X')).commit();
  sheet.commit();
  await workbook.commit();
}

/** How long the job's status took to answer while the import ran (polled every 250 ms): does an import hold the server up? */
export type PollFigure = { polls: number; p50Ms: number; p99Ms: number; maxMs: number };
/** Appeals filed one a second while the import ran (as drivers do meanwhile): how long each waited, and how many failed. */
export type FilingProbeFigure = PollFigure & { failed: number };
export type ImportFigure = RateFigure & { created: number; updated: number; rejected: number; status: string; statusPoll?: PollFigure; filingProbe?: FilingProbeFigure };

export function pollFigure(latencies: readonly number[]): PollFigure {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { polls: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: Math.round(sorted.at(-1) ?? 0) };
}

/**
 * Files an appeal every second (a worker's bearer token each time, in turn) until stopped: the writes a
 * server meets while an import runs, which wait for the import's write lock.
 */
function fileAppealsMeanwhile(url: string, tokens: readonly string[]): { stop: () => Promise<FilingProbeFigure> } {
  const latencies: number[] = [];
  let failed = 0;
  let running = true;
  const loop = (async () => {
    for (let i = 0; running && tokens.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const asked = performance.now();
      const answer = await fetch(`${url}/api/v1/appeals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[i % tokens.length]}`, 'content-type': 'application/json', 'idempotency-key': `import-probe-${Date.now()}-${i}` },
        body: JSON.stringify({ category: 'income_fees', description: '导入期间提交的诉求：平台调整了抽成比例。', contactPreference: 'in_app' }),
      }).catch(() => null);
      latencies.push(performance.now() - asked);
      if (answer?.status !== 201) failed += 1;
      await answer?.arrayBuffer();
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { ...pollFigure(latencies), failed };
    },
  };
}

/** Uploads the file to POST /api/v1/imports/workers and polls the job until it is done (filing appeals meanwhile with `filerTokens`). */
export async function importOverHttp(url: string, token: string, path: string, fileName: string, rows: number, filerTokens: readonly string[] = []): Promise<ImportFigure> {
  const started = performance.now();
  const response = await fetch(`${url}/api/v1/imports/workers?fileName=${encodeURIComponent(fileName)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': fileName.endsWith('.csv') ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    body: Readable.toWeb(createReadStream(path)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (response.status !== 202) throw new Error(`import upload answered ${response.status}: ${await response.text()}`);
  const { id } = (await response.json()) as { id: number };
  const probe = filerTokens.length > 0 ? fileAppealsMeanwhile(url, filerTokens) : null;
  const latencies: number[] = [];
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const asked = performance.now();
    const job = (await (await fetch(`${url}/api/v1/imports/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { status: string; created: number; updated: number; rejected: number; error: string | null };
    latencies.push(performance.now() - asked);
    if (job.status === 'done' || job.status === 'failed') {
      const ms = performance.now() - started;
      const filingProbe = await probe?.stop();
      if (job.status === 'failed') throw new Error(`import ${fileName} failed: ${job.error}`);
      return {
        rows,
        seconds: Math.round(ms / 100) / 10,
        rowsPerSecond: Math.round(rows / (ms / 1000)),
        created: job.created,
        updated: job.updated,
        rejected: job.rejected,
        status: job.status,
        statusPoll: pollFigure(latencies),
        ...(filingProbe ? { filingProbe } : {}),
      };
    }
  }
}
