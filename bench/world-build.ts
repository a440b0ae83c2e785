// Generates one bench world in its own process (run.ts starts it with a large heap: a million appeals'
// timelines are held in memory while they are told). The request comes as JSON on stdin, the World as
// JSON on stdout; progress goes to stderr. SQLite worlds are written through the bulk-load connection
// of world-database.ts into a file that is then ready for the app; PostgreSQL through the app's pool.
import { sql } from 'kysely';
import { loadConfig } from '../server/config.js';
import { fieldCodec } from '../server/core/sensitive.js';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { type Announcement, startAppealsBeside, writeAppealsBeside } from './world-appeals-beside.js';
import { generateWorld, worldSizeOf } from './world.js';
import { openBulkSqlite } from './world-database.js';

export type BuildRequest = {
  workers: number;
  now: string;
  secret: string;
  keyFile: string;
  target: { sqliteFile: string } | { postgresUrl: string };
};

/** The second process of a SQLite build: the appeals, into the file named (world-appeals-beside.ts). */
type BesideBuildRequest = { workers: number; now: string; secret: string; keyFile: string; beside: string };

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

async function main(): Promise<void> {
  // The second process takes its request as an argument: the first is busy in synchronous SQLite calls and
  // would not get round to writing a pipe for seconds (its child sat 15 s waiting for stdin at 100k).
  const input = JSON.parse(process.argv[2] ?? (await readStdin())) as BuildRequest | BesideBuildRequest;
  if ('beside' in input) {
    const config = loadConfig({ CONVOY_SECRET: input.secret, CONVOY_KEY_FILE: input.keyFile, DATABASE_URL: `sqlite:${input.beside}`, LOG_LEVEL: 'warn' });
    const announce = (ready: Announcement) => process.stdout.write(`${JSON.stringify(ready)}\n`);
    await writeAppealsBeside({ workers: input.workers, now: input.now, file: input.beside }, worldSizeOf(input.workers), fieldCodec(config), announce);
    return;
  }
  const request = input;
  const url = 'sqliteFile' in request.target ? `sqlite:${request.target.sqliteFile}` : request.target.postgresUrl;
  const config = loadConfig({ CONVOY_SECRET: request.secret, CONVOY_KEY_FILE: request.keyFile, DATABASE_URL: url, LOG_LEVEL: 'warn' });
  const codec = fieldCodec(config);
  const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const size = worldSizeOf(request.workers);
  const target = 'sqliteFile' in request.target ? openBulkSqlite(request.target.sqliteFile) : (() => {
    const handle = openDatabase(url);
    // Left as a database that has run a while would be, and as a cached world is kept: its visibility map
    // set (index-only scans) and its statistics taken, instead of whatever autovacuum had reached by then.
    const finish = async () => {
      await sql`vacuum (analyze)`.execute(handle.db);
      await handle.destroy();
    };
    return { db: handle.db, finish, abandon: handle.destroy };
  })();
  // SQLite: the appeals are told in a second process while this one writes the people (PostgreSQL's load
  // is the server's own work, on other cores, and is left as it was).
  const beside = 'sqliteFile' in request.target ? startAppealsBeside({ workers: request.workers, now: request.now, secret: request.secret, keyFile: request.keyFile, file: `${request.target.sqliteFile}.appeals` }) : undefined;
  try {
    await migrateToLatest(target.db);
    const world = await generateWorld(target.db, size, { now: new Date(request.now), codec, log, beside });
    const started = performance.now();
    await target.finish();
    world.stepMs.finish = Math.round(performance.now() - started);
    process.stdout.write(JSON.stringify(world));
  } catch (error) {
    beside?.stop();
    await target.abandon();
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

