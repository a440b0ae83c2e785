// Seeds the deterministic demo world: the same seed, size and "now" give the same rows on every run
// and machine (password hashes aside: they are salted at random by design). The world is made of
// steps run in order; each step draws from its own random stream, so adding a step, or more draws
// to one, leaves what the other steps generate unchanged.
import type { Kysely } from 'kysely';
import type { SensitiveCodec } from '../../core/sensitive.js';
import type { Database, OrgUnitKind } from '../tables.js';
import { seedActivities } from './activities-world.js';
import { type AppealsSummary, appealCountOf, seedAppeals } from './appeals-world.js';
import { type DemoAccount, createDemoAccounts } from './demo-accounts.js';
import { type WorldPlan, type WorldShape, benchShape, demoPlan, planFromShape } from './org-plan.js';
import { type OrgWorld, buildOrgWorld, insertOrgWorld, nextOrgUnitId } from './org-world.js';
import { type PeopleScale, type PeopleSummary, benchPeople, demoPeople, seedPeople } from './people-world.js';
import { insertPlatforms, seedPlatforms } from './platforms.js';
import { Random } from './random.js';
import { seedStations } from './stations-world.js';
import { seedVolunteers } from './volunteers-world.js';

export const DEFAULT_SEED = 20261125;

/** 'demo' (~300 units), 'bench' (~110,000 units), a shape to scale from, or a whole plan. */
export type SeedSize = 'demo' | 'bench' | WorldShape | WorldPlan;

export type SeedOptions = {
  now: Date;
  seed?: number;
  size?: SeedSize;
  /** Steps to leave out, e.g. ['demo-accounts'] for a benchmark that creates its own users. */
  skip?: readonly string[];
  /** Encrypts phones and ID numbers; required when the people step runs. */
  codec?: SensitiveCodec;
  /**
   * How many workers and members the people step generates. Defaults: 4,000 and 400 at the demo
   * size, 1,000,000 and 100,000 at the bench size, 60 and 6 per open mobile branch otherwise.
   */
  people?: PeopleScale;
};

/** What a seed wrote: the counts of the people and appeals steps beside those below. */
export type SeedSummary = PeopleSummary & AppealsSummary & {
  seed: number;
  size: 'demo' | 'bench' | 'custom';
  platforms: number;
  units: number;
  unitsByKind: Record<OrgUnitKind, number>;
  closedUnits: number;
  unitEvents: number;
  users: number;
  accounts: Pick<DemoAccount, 'username' | 'role' | 'userId' | 'unitId'>[];
  /** Wall time of each step, for the benchmark notes; the only part that differs between runs. */
  stepMs: Record<string, number>;
};

/** What the steps share: inputs, what earlier steps produced, and the summary they fill in. */
export type SeedContext = {
  db: Kysely<Database>;
  now: Date;
  seed: number;
  plan: WorldPlan;
  /** An independent random stream per step name. */
  random: (step: string) => Random;
  platformIds?: Map<string, number>;
  world?: OrgWorld;
  codec?: SensitiveCodec;
  people?: PeopleScale;
  summary: SeedSummary;
};

export type SeedStep = { name: string; run: (ctx: SeedContext) => Promise<void> };

function produced<T>(value: T | undefined, step: string): T {
  if (value === undefined) throw new Error(`Seeding step "${step}" must run first`);
  return value;
}

// The seeding steps, in order. Later issues append theirs here (workers, members and their
// liaison, stations, activities, appeals, market signals), reading ctx.world.units and
// ctx.platformIds and drawing from ctx.random('<step name>').
export const seedSteps: SeedStep[] = [
  {
    name: 'platforms',
    run: async (ctx) => {
      ctx.platformIds = await insertPlatforms(ctx.db, ctx.now);
      ctx.summary.platforms = seedPlatforms.length;
    },
  },
  {
    name: 'org-world',
    run: async (ctx) => {
      const platformIds = produced(ctx.platformIds, 'platforms');
      // One transaction: a failed seed leaves no half tree, and SQLite syncs to disk once.
      const world = await ctx.db.transaction().execute(async (trx) => {
        const built = buildOrgWorld(ctx.plan, { seed: ctx.seed, now: ctx.now, platformIds, firstId: await nextOrgUnitId(trx) });
        await insertOrgWorld(trx, built);
        return built;
      });
      ctx.world = world;
      ctx.summary.units = world.units.length;
      for (const unit of world.units) ctx.summary.unitsByKind[unit.kind] += 1;
      ctx.summary.closedUnits = world.units.filter((u) => u.closedOn !== null).length;
      ctx.summary.unitEvents = world.events.length;
    },
  },
  {
    name: 'demo-accounts',
    run: async (ctx) => {
      const accounts = await createDemoAccounts(ctx.db, produced(ctx.world, 'org-world').anchors, ctx.now);
      ctx.summary.accounts = accounts.map(({ username, role, userId, unitId }) => ({ username, role, userId, unitId }));
      ctx.summary.users = accounts.length;
    },
  },
  {
    // Workers, members (roles, transfers, declarations) and liaison with its contact log.
    name: 'people',
    run: async (ctx) => {
      if (!ctx.codec) throw new Error('The people step encrypts phones and ID numbers: pass a codec to seedDemo, or skip "people"');
      const world = produced(ctx.world, 'org-world');
      const userOf = (username: string) => ctx.summary.accounts.find((a) => a.username === username)?.userId;
      const counts = await seedPeople({
        db: ctx.db,
        codec: ctx.codec,
        seed: ctx.seed,
        now: ctx.now,
        world,
        platformIds: produced(ctx.platformIds, 'platforms'),
        scale: ctx.people ?? peopleScaleOf(ctx.summary.size, world),
        users: { driver: userOf('driver'), branch: userOf('branch') },
        timings: ctx.summary.stepMs,
      });
      Object.assign(ctx.summary, counts);
    },
  },
  {
    // Activities past and upcoming with sign-ups, waitlists, check-ins and no-shows by the people step's
    // workers and members (none when it was skipped); the demo driver has an upcoming health check.
    name: 'activities',
    run: async (ctx) => {
      const userOf = (username: string) => ctx.summary.accounts.find((a) => a.username === username)?.userId;
      const counts = await seedActivities({ db: ctx.db, seed: ctx.seed, now: ctx.now, world: produced(ctx.world, 'org-world'), users: { driver: userOf('driver'), branch: userOf('branch') } });
      Object.assign(ctx.summary, counts);
    },
  },
  {
    // Appeals with their timelines, filed by the workers of the people step (none when it was skipped).
    name: 'appeals',
    run: async (ctx) => {
      const userOf = (username: string) => ctx.summary.accounts.find((a) => a.username === username)?.userId;
      const counts = await seedAppeals({
        db: ctx.db,
        seed: ctx.seed,
        now: ctx.now,
        world: produced(ctx.world, 'org-world'),
        count: appealCountOf(ctx.summary.size, ctx.summary.workers),
        users: { branch: userOf('branch'), driver: userOf('driver'), sichuan: userOf('sichuan') },
      });
      Object.assign(ctx.summary, counts);
    },
  },
  {
    // Service stations across the demo cities, with check-ins and ratings by the people step's workers.
    name: 'stations',
    run: async (ctx) => {
      const driver = ctx.summary.accounts.find((a) => a.username === 'driver')?.userId;
      const world = produced(ctx.world, 'org-world');
      const counts = await seedStations({ db: ctx.db, seed: ctx.seed, now: ctx.now, world, platformIds: produced(ctx.platformIds, 'platforms'), size: ctx.summary.size, users: { driver } });
      Object.assign(ctx.summary, counts);
    },
  },
  {
    // Volunteer teams led by members with rosters of workers and their hours, vanguard posts, grid roles.
    name: 'volunteers',
    run: async (ctx) => {
      const userOf = (username: string) => ctx.summary.accounts.find((a) => a.username === username)?.userId;
      const counts = await seedVolunteers({ db: ctx.db, seed: ctx.seed, now: ctx.now, world: produced(ctx.world, 'org-world'), platformIds: produced(ctx.platformIds, 'platforms'), users: { driver: userOf('driver'), branch: userOf('branch') } });
      Object.assign(ctx.summary, counts);
    },
  },
];

function peopleScaleOf(size: SeedSummary['size'], world: OrgWorld): PeopleScale {
  if (size === 'demo') return demoPeople;
  if (size === 'bench') return benchPeople;
  const branches = world.units.filter((u) => u.kind === 'mobile_branch' && u.closedOn === null).length;
  return { workers: branches * 60, members: branches * 6 };
}

function planOf(size: SeedSize, seed: number): { plan: WorldPlan; label: SeedSummary['size'] } {
  if (size === 'demo') return { plan: demoPlan, label: 'demo' };
  if (size === 'bench') return { plan: planFromShape(benchShape, seed), label: 'bench' };
  return { plan: Array.isArray(size.provinces) ? (size as WorldPlan) : planFromShape(size as WorldShape, seed), label: 'custom' };
}

/** A summary with nothing counted yet; each step adds what it wrote. */
export function emptySeedSummary(seed: number, size: SeedSummary['size']): SeedSummary {
  return {
    seed,
    size,
    platforms: 0,
    units: 0,
    unitsByKind: { industry_committee: 0, platform_committee: 0, secondary_committee: 0, mobile_branch: 0, group: 0 },
    closedUnits: 0,
    unitEvents: 0,
    users: 0,
    accounts: [],
    workers: 0,
    members: 0,
    memberRoles: 0,
    memberTransfers: 0,
    memberDeclarations: 0,
    liaisonAssignments: 0,
    liaisonContacts: 0,
    appeals: 0,
    appealEvents: 0,
    stepMs: {},
  };
}

/** Seeds an empty, migrated database (check with isEmpty first) and returns what it wrote. */
export async function seedDemo(db: Kysely<Database>, options: SeedOptions): Promise<SeedSummary> {
  const seed = options.seed ?? DEFAULT_SEED;
  const { plan, label } = planOf(options.size ?? 'demo', seed);
  const summary = emptySeedSummary(seed, label);
  const ctx: SeedContext = {
    db,
    now: options.now,
    seed,
    plan,
    random: (step) => Random.stream(seed, step),
    codec: options.codec,
    people: options.people,
    summary,
  };
  for (const step of seedSteps) {
    if (options.skip?.includes(step.name)) continue;
    const started = performance.now();
    await step.run(ctx);
    summary.stepMs[step.name] = Math.round(performance.now() - started);
  }
  return summary;
}

/** True when the database holds no org units and no users: the only state seedDemo expects. */
export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  const unit = await db.selectFrom('orgUnits').select('id').limit(1).executeTakeFirst();
  const user = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return unit === undefined && user === undefined;
}
