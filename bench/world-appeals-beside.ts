// A SQLite world's appeals told and written beside the main build, in a second process, so that both of the
// machine's cores work: telling a million appeals' stories is JavaScript (~110 s at 1m) and writing them
// another ~100 s, while the main build spends ~150 s writing the people. The second process needs the
// people the stories are about, so it makes them itself — the same seeded steps into a file of its own —
// but keeps only what the appeals step reads: no search grams, no indexes it never reads through, no
// encrypted phones. Then it writes the appeals and their events there, and the main build copies them in
// and derives the reach rows and figures as before. The world is the same as a build in one process
// (world.unit.test.ts compares the two).
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import type { SensitiveCodec } from '../server/core/sensitive.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { writeAppeals } from '../server/db/seed/appeals-world.js';
import { seedPeople } from '../server/db/seed/people-world.js';
import { seedSteps } from '../server/db/seed/seed-demo.js';
import type { Database } from '../server/db/tables.js';
import { dropLiaisonCoverageTriggers } from '../server/modules/liaison/liaison.coverage-triggers.js';
import { ROOT } from './processes.js';
import { openBulkSqlite } from './world-database.js';
import { BENCH_SEED, seedContextOf, type WorldSize } from './world-sizes.js';

export type BesideRequest = { workers: number; now: string; file: string };
export type BesideResult = { appeals: number; appealEvents: number; stepMs: Record<string, number> };

/** Indexes the people and appeals steps read through (the demo branch's workers, a worker's contact log). */
const READ_INDEXES = new Set(['workers_unit', 'liaison_contacts_worker']);
/** Tables whose other indexes go: the main build's copy of the appeals fills its own indexes. */
const WRITTEN_TABLES = ['workers', 'members', 'liaison_assignments', 'liaison_contacts', 'appeals', 'appeal_events', 'notifications'];
/** What the second process writes that the world keeps, in the order the copy takes them. */
export const BESIDE_TABLES = ['sla_policies', 'appeals', 'appeal_events', 'notifications'] as const;

// Encrypted columns only need to be there; the phones' keyed hash stays (it is unique).
const unencrypted = (codec: SensitiveCodec): SensitiveCodec => ({ ...codec, encrypt: () => '' });

async function dropUnreadIndexes(db: Kysely<Database>): Promise<void> {
  const indexes = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and sql is not null
    and tbl_name in (${sql.join(WRITTEN_TABLES)})`.execute(db);
  for (const { name } of indexes.rows) if (!READ_INDEXES.has(name)) await sql`drop index ${sql.id(name)}`.execute(db);
}

/** In the second process: the world's people as the main build makes them, then its appeals, into `file`. */
export async function writeAppealsBeside(request: BesideRequest, size: WorldSize, codec: SensitiveCodec): Promise<BesideResult> {
  const stepMs: Record<string, number> = { 'beside:started': Math.round(performance.now()) };
  const side = openBulkSqlite(request.file);
  try {
    await migrateToLatest(side.db);
    await dropLiaisonCoverageTriggers(side.db);
    await dropUnreadIndexes(side.db);
    stepMs['beside:schema'] = Math.round(performance.now()) - stepMs['beside:started']!;
    const ctx = seedContextOf(side.db, size, { now: new Date(request.now), codec: unencrypted(codec) });
    const timed = async (name: string, run: () => Promise<unknown>) => {
      const started = performance.now();
      await run();
      stepMs[`beside:${name}`] = Math.round(performance.now() - started);
    };
    for (const step of seedSteps) if (step.name === 'platforms' || step.name === 'org-world') await timed(step.name, () => step.run(ctx));
    // As the people step runs it (the bench has no demo logins), but without the search grams.
    const parts: Record<string, number> = {};
    await timed('people', () => seedPeople({ db: side.db, codec: ctx.codec!, seed: BENCH_SEED, now: ctx.now, world: ctx.world!, platformIds: ctx.platformIds!, scale: ctx.people!, searchGrams: false, timings: parts }));
    for (const [part, ms] of Object.entries(parts)) stepMs[`beside:${part}`] = ms;
    const summary = await writeAppeals({ db: side.db, seed: BENCH_SEED, now: ctx.now, world: ctx.world!, count: size.appeals, users: {}, timings: stepMs });
    return { ...summary, stepMs };
  } finally {
    await side.abandon();
  }
}

export type Beside = { result: Promise<BesideResult>; stop: () => void };

/** Starts the second process (world-build.ts with `beside` set) on a file next to the world's. */
export function startAppealsBeside(request: BesideRequest & { secret: string; keyFile: string }): Beside {
  rmSync(request.file, { force: true });
  const argument = JSON.stringify({ workers: request.workers, now: request.now, secret: request.secret, keyFile: request.keyFile, beside: request.file });
  const child: ChildProcess = spawn(process.execPath, ['--max-old-space-size=12288', '--import', 'tsx', 'bench/world-build.ts', argument], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const result = new Promise<BesideResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve(JSON.parse(out) as BesideResult) : reject(new Error(`The appeals beside the world build failed (${signal ?? `exit ${code}`})`))));
  });
  // Awaited only once the main build reaches its appeals; a failure before then is not unhandled.
  result.catch(() => {});
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(request.file, { force: true });
  };
  return { result, stop };
}

/** In the main build: the appeals the second process wrote, copied in (the file is removed afterwards). */
export async function copyAppealsBeside(db: Kysely<Database>, file: string): Promise<void> {
  await sql`attach database ${file} as beside`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      for (const table of BESIDE_TABLES) await sql`insert into ${sql.table(table)} select * from ${sql.table(`beside.${table}`)}`.execute(trx);
    });
  } finally {
    await sql`detach database beside`.execute(db);
    rmSync(file, { force: true });
  }
}
