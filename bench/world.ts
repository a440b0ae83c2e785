// The data set a bench run serves: the deterministic demo world (server/db/seed/**) generated at a
// chosen number of workers, plus the accounts the load driver uses (created here, directly, so the
// bench needs no demo mode). Everything but password hashes and tokens repeats from run to run.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sessionIdOf } from '../server/core/actor.js';
import { hashPassword } from '../server/core/passwords.js';
import type { SensitiveCodec } from '../server/core/sensitive.js';
import { insertRows } from '../server/db/seed/bulk-insert.js';
import { seedActivities } from '../server/db/seed/activities-world.js';
import { seedAppeals } from '../server/db/seed/appeals-world.js';
import { Random } from '../server/db/seed/random.js';
import { seedStations } from '../server/db/seed/stations-world.js';
import { type SeedSummary, seedSteps } from '../server/db/seed/seed-demo.js';
import type { Database } from '../server/db/tables.js';
import { rebuildDayCountRows, rewriteFiguresCounted } from '../server/modules/appeals/appeals.figure-rebuild.js';
import { createLiaisonCoverageTriggers, dropLiaisonCoverageTriggers } from '../server/modules/liaison/liaison.coverage-triggers.js';
import { rebuildLiaisonCoverage } from '../server/modules/liaison/liaison.coverage.js';
import { type Beside, copyBesidePart } from './world-appeals-beside.js';
import { BENCH_PASSWORD, BENCH_SEED, seedContextOf, type WorldSize } from './world-sizes.js';

export { BENCH_PASSWORD, BENCH_SEED, labelOf, parseScale, type WorldSize, worldSizeOf } from './world-sizes.js';

export type World = {
  size: WorldSize;
  summary: SeedSummary;
  stepMs: Record<string, number>;
  /** The province committee with the most units: the handler's and the analyst's unit. */
  committee: { id: number; path: string; name: string };
  /** A mobile branch inside it (the busiest by appeals). */
  branch: { id: number; path: string };
  /** Cities (GB/T 2260) that have stations, with a point near each. */
  stationPoints: { lat: number; lng: number }[];
  /** Two-character fragments of real worker names, for search. */
  fragments: string[];
  /** Wall time of the generation, kept with a cached world. */
  seedSeconds?: number;
};

/**
 * Seeds an empty, migrated database with the world of the given size. With `beside` (SQLite), the appeals come
 * from a second process already started on the same world (world-appeals-beside.ts) and are copied in last.
 */
export async function generateWorld(
  db: Kysely<Database>,
  size: WorldSize,
  options: { now: Date; codec: SensitiveCodec; log: (line: string) => void; beside?: Beside },
): Promise<World> {
  const ctx = seedContextOf(db, size, options);
  const { summary } = ctx;
  const { beside } = options;
  // The demo's steps in order, but the appeals, activities and stations steps take the bench's counts
  // (one appeal per worker) and the demo logins and volunteer teams are left out: no scenario reads them.
  for (const step of seedSteps) {
    if (step.name === 'demo-accounts' || step.name === 'volunteers' || (step.name === 'appeals' && beside)) continue;
    const started = performance.now();
    if (step.name === 'appeals') {
      Object.assign(summary, await seedAppeals({ db, seed: BENCH_SEED, now: options.now, world: ctx.world!, count: size.appeals, users: {}, timings: summary.stepMs }));
    } else if (step.name === 'activities') {
      Object.assign(summary, await seedActivities({ db, seed: BENCH_SEED, now: options.now, world: ctx.world!, users: {}, maxBranches: size.activityBranches }));
    } else if (step.name === 'stations') {
      Object.assign(summary, await seedStations({ db, seed: BENCH_SEED, now: options.now, world: ctx.world!, platformIds: ctx.platformIds!, size: size.stations, count: size.stationCount }));
    } else if (step.name === 'people') {
      // The liaison counts' row triggers add each new person's difference at every level of the tree, one
      // person at a time; for a load of a million they are off, and the counts are then built in one pass
      // by the same rebuild the migration backfills with (the triggers keep them from then on).
      await dropLiaisonCoverageTriggers(db);
      await step.run(ctx);
      const counting = performance.now();
      await createLiaisonCoverageTriggers(db);
      await rebuildLiaisonCoverage(db);
      summary.stepMs['people:coverage'] = Math.round(performance.now() - counting);
    } else {
      await step.run(ctx);
    }
    summary.stepMs[step.name] = Math.round(performance.now() - started);
    options.log(`  seed ${step.name}: ${(summary.stepMs[step.name]! / 1000).toFixed(1)} s`);
  }
  if (beside) {
    // Last, so the main build's own steps (stations too: none reads the appeals) run while the stories are told;
    // the day counts need the reach rows and are counted here while the second process makes the hour blocks.
    const started = performance.now();
    let at = started;
    const lap = (name: string) => {
      summary.stepMs[`appeals:${name}`] = Math.round(performance.now() - at);
      at = performance.now();
    };
    const told = await beside.ready('appeals');
    lap('wait');
    Object.assign(summary.stepMs, told.stepMs);
    await copyBesidePart(db, beside, 'appeals');
    lap('copy');
    // The part of the figures that reads the appeals alone, while the second process derives the reach rows.
    await rewriteFiguresCounted(db);
    lap('figures-counted');
    summary.stepMs['beside:reach'] = (await beside.ready('reach')).ms;
    await copyBesidePart(db, beside, 'reach');
    lap('reach');
    await rebuildDayCountRows(db);
    lap('figures');
    summary.stepMs['beside:blocks'] = (await beside.ready('blocks')).ms;
    await copyBesidePart(db, beside, 'blocks');
    lap('blocks');
    beside.stop();
    summary.appeals = told.appeals!;
    summary.appealEvents = told.appealEvents!;
    summary.stepMs.appeals = Math.round(performance.now() - started);
    options.log(`  seed appeals (told beside, waited ${(summary.stepMs['appeals:wait']! / 1000).toFixed(1)} s): ${(summary.stepMs.appeals / 1000).toFixed(1)} s`);
  }
  const committees = await db.selectFrom('orgUnits').select(['id', 'path', 'name']).where('kind', '=', 'industry_committee').where('parentId', 'is', null).orderBy('id').execute();
  let best = committees[0]!;
  let bestCount = -1;
  for (const c of committees) {
    const n = Number((await db.selectFrom('orgUnits').select((eb) => eb.fn.countAll().as('n')).where('path', '>=', c.path).where('path', '<', `${c.path}~`).executeTakeFirstOrThrow()).n);
    if (n > bestCount) [best, bestCount] = [c, n];
  }
  const branch = await db
    .selectFrom('appeals')
    .innerJoin('orgUnits', 'orgUnits.id', 'appeals.originUnitId')
    .select(['orgUnits.id', 'orgUnits.path', (eb) => eb.fn.countAll().as('n')])
    .where('orgUnits.kind', '=', 'mobile_branch')
    .where('orgUnits.path', '>=', best.path)
    .where('orgUnits.path', '<', `${best.path}~`)
    .groupBy(['orgUnits.id', 'orgUnits.path'])
    .orderBy('n', 'desc')
    .orderBy('orgUnits.id')
    .limit(1)
    .executeTakeFirst();
  const fallbackBranch = await db.selectFrom('orgUnits').select(['id', 'path']).where('kind', '=', 'mobile_branch').orderBy('id').limit(1).executeTakeFirstOrThrow();
  const stations = await db.selectFrom('stations').select(['lat', 'lng']).where('status', '!=', 'closed').orderBy('id').execute();
  const pointRng = new Random(BENCH_SEED, 'bench-points');
  const stationPoints = Array.from({ length: Math.min(200, stations.length) }, () => {
    const s = stations[pointRng.int(0, stations.length - 1)]!;
    // A driver somewhere within a few kilometres of a station, not standing on it.
    return { lat: Math.round((s.lat + (pointRng.next() - 0.5) * 0.06) * 1e5) / 1e5, lng: Math.round((s.lng + (pointRng.next() - 0.5) * 0.06) * 1e5) / 1e5 };
  });
  const names = await db.selectFrom('workers').select('name').orderBy('id').limit(2_000).execute();
  const fragRng = new Random(BENCH_SEED, 'bench-fragments');
  const fragments = Array.from({ length: 200 }, () => {
    const name = names[fragRng.int(0, names.length - 1)]!.name;
    const start = name.length > 2 ? fragRng.int(0, name.length - 2) : 0;
    return name.slice(start, start + 2);
  });
  return { size, summary, stepMs: summary.stepMs, committee: best, branch: branch ?? fallbackBranch, stationPoints, fragments };
}

export type BenchAccounts = {
  handlerToken: string;
  /** A system admin: imports route workers anywhere. */
  adminToken: string;
  loginUsernames: string[];
  /** Bearer tokens of workers' own accounts: filing is rate-limited per account (30 a minute). */
  filerTokens: string[];
};

const token = () => randomBytes(32).toString('base64url');

/**
 * The accounts the scenarios use: an org admin of the committee (inbox, figures, feeds), a few logins
 * with a password, and many workers with bearer sessions for filing. Written straight into the tables,
 * one password hash shared, so that thousands of accounts cost seconds, not minutes of scrypt.
 */
export async function createBenchAccounts(db: Kysely<Database>, world: World, options: { now: Date; filers: number; logins: number }): Promise<BenchAccounts> {
  const at = options.now.toISOString();
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const far = new Date(options.now.getTime() + 30 * 86_400_000).toISOString();
  const workers = await db.selectFrom('workers').select(['id', 'unitId']).where('status', '=', 'active').where('consentWithdrawnAt', 'is', null).orderBy('id').limit(options.filers).execute();
  const loginUsernames = Array.from({ length: options.logins }, (_, i) => `bench-login-${i}`);
  const users = [
    { username: 'bench-handler', workerId: null as number | null },
    { username: 'bench-admin', workerId: null },
    ...loginUsernames.map((username) => ({ username, workerId: null })),
    ...workers.map((w) => ({ username: `bench-worker-${w.id}`, workerId: w.id })),
  ];
  const firstId = Number((await db.selectFrom('users').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0) + 1;
  const rows = users.map((u, i) => ({ id: firstId + i, username: u.username, workerId: u.workerId, passwordHash, displayName: u.username, locale: 'zh-CN', createdAt: at, updatedAt: at }));
  const tokens = rows.map(() => token());
  await db.transaction().execute(async (trx) => {
    await insertRows(trx, 'users', ['id', 'username', 'workerId', 'passwordHash', 'displayName', 'locale', 'createdAt', 'updatedAt'], rows);
    await insertRows(trx, 'roleGrants', ['userId', 'role', 'unitId', 'createdAt'], [
      { userId: firstId, role: 'org_admin', unitId: world.committee.id, createdAt: at },
      { userId: firstId + 1, role: 'system_admin', unitId: null, createdAt: at },
      ...loginUsernames.map((_, i) => ({ userId: firstId + 2 + i, role: 'org_admin', unitId: world.committee.id, createdAt: at })),
      ...workers.map((w, i) => ({ userId: firstId + 2 + loginUsernames.length + i, role: 'worker', unitId: w.unitId, createdAt: at })),
    ]);
    const sessionRows = rows.map((r, i) => ({ id: sessionIdOf(tokens[i]!), userId: r.id, kind: 'bearer', name: 'bench', csrfToken: createHash('sha256').update(tokens[i]!).digest('hex').slice(0, 43), createdAt: at, lastSeenAt: at, expiresAt: far, ip: null, userAgent: null }));
    await insertRows(trx, 'sessions', ['id', 'userId', 'kind', 'name', 'csrfToken', 'createdAt', 'lastSeenAt', 'expiresAt', 'ip', 'userAgent'], sessionRows);
  });
  return { handlerToken: tokens[0]!, adminToken: tokens[1]!, loginUsernames, filerTokens: tokens.slice(2 + loginUsernames.length) };
}
