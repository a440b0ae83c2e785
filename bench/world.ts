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
import { benchShape, planFromShape, type WorldShape } from '../server/db/seed/org-plan.js';
import { Random } from '../server/db/seed/random.js';
import { seedStations } from '../server/db/seed/stations-world.js';
import { emptySeedSummary, type SeedContext, type SeedSummary, seedSteps } from '../server/db/seed/seed-demo.js';
import type { Database } from '../server/db/tables.js';
import { createLiaisonCoverageTriggers, dropLiaisonCoverageTriggers } from '../server/modules/liaison/liaison.coverage-triggers.js';
import { rebuildLiaisonCoverage } from '../server/modules/liaison/liaison.coverage.js';

export const BENCH_SEED = 20261125;
export const BENCH_PASSWORD = 'bench-password-2026';

/** How big a world is, derived from its number of workers (the ratios at 1,000,000). */
export type WorldSize = {
  label: string;
  workers: number;
  members: number;
  appeals: number;
  shape: WorldShape;
  /** The stations generator's size (it decides how many days of visits: two weeks at 'bench'). */
  stations: 'demo' | 'bench' | 'custom';
  stationCount: number;
  /** Branches that organize activities (with the committees above them): about 9.5 activities each. */
  activityBranches: number;
};

/** "10k", "100k", "1m", or a plain number of workers. */
export function parseScale(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`--scale must look like 10k, 100k or 1m (got "${text}")`);
  const factor = { '': 1, k: 1_000, m: 1_000_000 }[m[2]!.toLowerCase() as '' | 'k' | 'm'];
  return Math.round(Number(m[1]) * factor);
}

export const labelOf = (workers: number) => (workers >= 1_000_000 && workers % 1_000_000 === 0 ? `${workers / 1_000_000}m` : workers % 1_000 === 0 ? `${workers / 1_000}k` : String(workers));

// About 40 workers per mobile branch at every size, as in the bench preset (24,000 branches for a
// million workers): the tree grows in breadth (more cities), so a branch looks the same at any size and
// the units grow with the workers (~110,000 at 1m). Per million workers, as the issue sizes its world:
// 20,000 stations and 50,000 activities.
export function worldSizeOf(workers: number): WorldSize {
  const cities = Math.max(2, Math.round(workers / 2_900));
  const perProvince = Math.max(1, Math.ceil(cities / 31));
  const shape: WorldShape = cities >= 300 ? benchShape : { ...benchShape, provinces: Math.min(31, Math.ceil(cities / perProvince)), citiesPerProvince: perProvince };
  return {
    label: labelOf(workers),
    workers,
    members: Math.round(workers / 10),
    appeals: workers,
    shape,
    stations: workers >= 1_000_000 ? 'bench' : workers >= 100_000 ? 'demo' : 'custom',
    stationCount: Math.max(8, Math.round(workers / 50)),
    activityBranches: Math.max(1, Math.round(workers / 20 / 9.5)),
  };
}

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

/** Seeds an empty, migrated database with the world of the given size. */
export async function generateWorld(db: Kysely<Database>, size: WorldSize, options: { now: Date; codec: SensitiveCodec; log: (line: string) => void }): Promise<World> {
  const summary = emptySeedSummary(BENCH_SEED, size.stations);
  const ctx: SeedContext = {
    db,
    now: options.now,
    seed: BENCH_SEED,
    plan: planFromShape(size.shape, BENCH_SEED),
    random: (step) => Random.stream(BENCH_SEED, step),
    codec: options.codec,
    people: { workers: size.workers, members: size.members },
    summary,
  };
  // The demo's steps in order, but the appeals, activities and stations steps take the bench's counts
  // (one appeal per worker) and the demo logins and volunteer teams are left out: no scenario reads them.
  for (const step of seedSteps) {
    if (step.name === 'demo-accounts' || step.name === 'volunteers') continue;
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
