// A SQLite world's appeals told and written beside the main build, in a second process, so that both of the
// machine's cores work: telling a million appeals' stories is JavaScript (~50–75 s at 1m) and writing them
// another ~70 s, while the main build spends ~145 s writing the people. The second process needs the
// people the stories are about, so it makes them itself — the same seeded steps into a file of its own —
// but without what the appeals step never reads: search grams, indexes, encrypted phones. It writes the
// appeals and their events there, then derives from them, each into a file of its own, the reach rows and
// the figures' hour blocks (which read nothing else), announcing each part on stdout as it is ready. The
// main build copies each part in as it needs it, writes each appeal's figures_counted while the reach rows
// are made, and counts the days itself (they need the reach rows) while the blocks are made. The world is the same as a build in one process (world.unit.test.ts compares the two).
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import type { SensitiveCodec } from '../server/core/sensitive.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { withIndexesMadeAfter } from '../server/db/seed/bulk-insert.js';
import { writeAppeals } from '../server/db/seed/appeals-world.js';
import { rebuildBlocks } from '../server/modules/appeals/appeals.figure-rebuild.js';
import { rebuildAllAppealReach } from '../server/modules/appeals/appeals.reach.js';
import { seedPeople } from '../server/db/seed/people-world.js';
import { seedSteps } from '../server/db/seed/seed-demo.js';
import type { Database } from '../server/db/tables.js';
import { dropLiaisonCoverageTriggers } from '../server/modules/liaison/liaison.coverage-triggers.js';
import { ROOT } from './processes.js';
import { openBulkSqlite } from './world-database.js';
import { BENCH_SEED, seedContextOf, WORLD_BUILD_NODE_ARGS, type WorldSize } from './world-sizes.js';

export type BesideRequest = { workers: number; now: string; file: string };
/** What the second process has ready, in this order; each but the appeals' is derived from the appeals' file. */
export type BesidePart = 'appeals' | 'reach' | 'blocks';
/** A part ready: how long it took (the appeals: since the process started), and with the appeals what was written. */
export type Announcement = { part: BesidePart; ms: number } & Partial<{ appeals: number; appealEvents: number; stepMs: Record<string, number> }>;

/** Each part's file, and the tables of the world it holds, in the order the copy takes them. */
export const besideParts: Record<BesidePart, { file: (appealsFile: string) => string; tables: readonly string[] }> = {
  appeals: { file: (f) => f, tables: ['sla_policies', 'appeals', 'appeal_events', 'notifications'] },
  reach: { file: (f) => `${f}.reach`, tables: ['appeal_reach'] },
  blocks: { file: (f) => `${f}.blocks`, tables: ['appeal_figure_blocks'] },
};
const derivations: [BesidePart, (db: Kysely<Database>) => Promise<void>][] = [
  ['reach', rebuildAllAppealReach],
  ['blocks', rebuildBlocks],
];

/** Indexes the people and appeals steps read through (the demo branch's workers, a worker's contact log). */
const READ_INDEXES = new Set(['workers_unit', 'liaison_contacts_worker']);
/** Tables whose other indexes go: the main build's copy of the appeals fills its own indexes. */
const WRITTEN_TABLES = ['workers', 'members', 'liaison_assignments', 'liaison_contacts', 'appeals', 'appeal_events', 'notifications'];

// Encrypted columns only need to be there; the phones' keyed hash stays (it is unique).
const unencrypted = (codec: SensitiveCodec): SensitiveCodec => ({ ...codec, encrypt: () => '' });

/** The appeals' indexes the reach rebuild walks (each unit's subtree of held and started appeals): made once the appeals are written. */
const REACH_INDEXES = new Set(['appeals_scope_due', 'appeals_origin']);

/** Drops the written tables' indexes nothing here reads through; answers the statements that make the reach rebuild's. */
async function dropUnreadIndexes(db: Kysely<Database>): Promise<string[]> {
  const indexes = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'index' and sql is not null
    and tbl_name in (${sql.join(WRITTEN_TABLES)})`.execute(db);
  for (const { name } of indexes.rows) if (!READ_INDEXES.has(name)) await sql`drop index ${sql.id(name)}`.execute(db);
  return indexes.rows.filter((index) => REACH_INDEXES.has(index.name)).map((index) => index.sql);
}

/**
 * A part derived from the appeals' file into a file of its own: its table (as migrated) in a new file, the
 * appeals' file attached for the statements' other tables (no name there shadows them), the rebuild run.
 */
async function derive(appealsFile: string, part: BesidePart, rebuild: (db: Kysely<Database>) => Promise<void>): Promise<void> {
  const file = besideParts[part].file(appealsFile);
  rmSync(file, { force: true });
  const bulk = openBulkSqlite(file);
  try {
    await sql`attach database ${appealsFile} as told`.execute(bulk.db);
    for (const table of besideParts[part].tables) {
      const { rows } = await sql<{ sql: string }>`select sql from told.sqlite_master where type = 'table' and name = ${table}`.execute(bulk.db);
      await sql.raw(rows[0]!.sql).execute(bulk.db);
    }
    await rebuild(bulk.db);
    await sql`detach database told`.execute(bulk.db);
  } finally {
    await bulk.abandon();
  }
}

/** In the second process: the world's people as the main build makes them, then its appeals into `file`, then the derived parts. */
export async function writeAppealsBeside(request: BesideRequest, size: WorldSize, codec: SensitiveCodec, announce: (ready: Announcement) => void): Promise<void> {
  const stepMs: Record<string, number> = { 'beside:started': Math.round(performance.now()) };
  const side = openBulkSqlite(request.file);
  let summary: Awaited<ReturnType<typeof writeAppeals>>;
  try {
    await migrateToLatest(side.db);
    await dropLiaisonCoverageTriggers(side.db);
    const reachIndexes = await dropUnreadIndexes(side.db);
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
    summary = await writeAppeals({ db: side.db, seed: BENCH_SEED, now: ctx.now, world: ctx.world!, count: size.appeals, users: {}, timings: stepMs });
    await timed('indexes', async () => {
      for (const statement of reachIndexes) await sql.raw(statement).execute(side.db);
    });
  } finally {
    // Closed before it is announced: the exclusive lock goes with the connection.
    await side.abandon();
  }
  announce({ part: 'appeals', ms: Math.round(performance.now()), ...summary, stepMs });
  for (const [part, rebuild] of derivations) {
    const started = performance.now();
    await derive(request.file, part, rebuild);
    announce({ part, ms: Math.round(performance.now() - started) });
  }
}

export type Beside = {
  /** Resolves when the part's file is complete (the appeals' with what the second process counted). */
  ready: (part: BesidePart) => Promise<Announcement>;
  /** Ends the second process, if it still runs, and removes its files. */
  stop: () => void;
  file: string;
};

/** Starts the second process (world-build.ts with `beside` set) on a file next to the world's. */
export function startAppealsBeside(request: BesideRequest & { secret: string; keyFile: string }): Beside {
  const files = Object.values(besideParts).map((p) => p.file(request.file));
  const remove = () => files.forEach((f) => rmSync(f, { force: true }));
  remove();
  // An argument, not stdin: this process is busy in synchronous SQLite calls and would not get round to
  // writing a pipe for seconds (the child sat 15 s waiting for its input at 100k).
  const argument = JSON.stringify({ workers: request.workers, now: request.now, secret: request.secret, keyFile: request.keyFile, beside: request.file });
  const child: ChildProcess = spawn(process.execPath, [...WORLD_BUILD_NODE_ARGS, '--import', 'tsx', 'bench/world-build.ts', argument], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const waiting = new Map(
    Object.keys(besideParts).map((part) => {
      let settle!: { resolve: (a: Announcement) => void; reject: (e: Error) => void };
      const promise = new Promise<Announcement>((resolve, reject) => (settle = { resolve, reject }));
      // Awaited only when the main build needs the part; a failure before then is not unhandled.
      promise.catch(() => {});
      return [part as BesidePart, { promise, ...settle }];
    }),
  );
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      const announcement = JSON.parse(pending.slice(0, end)) as Announcement;
      pending = pending.slice(end + 1);
      waiting.get(announcement.part)?.resolve(announcement);
    }
  });
  const fail = (why: string) => {
    for (const { reject } of waiting.values()) reject(new Error(`The appeals beside the world build failed (${why})`));
  };
  child.once('error', (error) => fail(error.message));
  // 'close', not 'exit': the last announcement may still be in the pipe when the exit is reported.
  child.once('close', (code, signal) => fail(signal ?? `exit ${code}`));
  return {
    ready: (part) => waiting.get(part)!.promise,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      remove();
    },
    file: request.file,
  };
}

/**
 * In the main build: a part the second process made, copied into the world, each table with its indexes made
 * after the copy (at 1m the appeals' copy took 21 s instead of 25, the reach rows' 14 instead of 30).
 */
export async function copyBesidePart(db: Kysely<Database>, beside: Beside, part: BesidePart): Promise<void> {
  await sql`attach database ${besideParts[part].file(beside.file)} as beside`.execute(db);
  try {
    for (const table of besideParts[part].tables) {
      await withIndexesMadeAfter(db, table, async (trx) => {
        await sql`insert into main.${sql.table(table)} select * from ${sql.table(`beside.${table}`)}`.execute(trx);
      });
    }
  } finally {
    await sql`detach database beside`.execute(db);
  }
}
