// What each scenario asks the real server, built from the generated world and the bench accounts.
// bench/README.md explains each one; the names here are the rows of the table.
import type { Kysely } from 'kysely';
import type { Database } from '../server/db/tables.js';
import { activityTokens } from '../server/modules/activities/activities.tokens.js';
import { appealCategories } from '../server/modules/appeals/appeals.schema.js';
import type { LoadSpec } from './load.js';
import { type BenchAccounts, BENCH_PASSWORD, type World } from './world.js';

export type ScenarioName =
  | 'login'
  | 'file-appeal'
  | 'inbox'
  | 'search'
  | 'nearest'
  | 'figures-appeals'
  | 'figures-coverage'
  | 'figures-visits'
  | 'geojson'
  | 'ics';

// The reads come before filing: a read measured right after the filing phase met the server still
// delivering that phase's notifications and checkpointing its WAL, while the same read at the smaller worlds
// (where nothing is filed) met an idle one, so its cost growth compared two different conditions. Login
// comes first: the server's start-up work at 1m (its schedulers' first passes, the import thread loading)
// overlaps it rather than the first read (inbox p99 156 ms right after start, 2026-12-06).
export const allScenarios: readonly ScenarioName[] = ['login', 'inbox', 'search', 'nearest', 'figures-appeals', 'figures-coverage', 'figures-visits', 'geojson', 'ics', 'file-appeal'];

/** Measured at every world size as well, for the cost growth (p50 at the largest ÷ p50 at 10k). */
export const growthScenarios: readonly ScenarioName[] = ['inbox', 'search', 'nearest', 'figures-appeals', 'figures-coverage', 'figures-visits'];

export const writeScenarios: readonly ScenarioName[] = ['file-appeal'];

/** What the issue asks of a scenario (SQLite, 50 connections). */
export type Target = { ratioOf?: 'hello' | 'write'; minRatio?: number; maxP99Ms?: number; maxGrowth?: number };

export const targets: Partial<Record<ScenarioName, Target>> = {
  'file-appeal': { ratioOf: 'write', minRatio: 0.5, maxP99Ms: 50 },
  nearest: { ratioOf: 'hello', minRatio: 0.5, maxP99Ms: 100, maxGrowth: 2 },
  inbox: { ratioOf: 'hello', maxP99Ms: 100, maxGrowth: 2 },
  search: { ratioOf: 'hello', maxP99Ms: 100, maxGrowth: 2 },
  'figures-appeals': { ratioOf: 'hello', maxP99Ms: 100, maxGrowth: 2 },
  'figures-coverage': { ratioOf: 'hello', maxP99Ms: 100, maxGrowth: 2 },
  'figures-visits': { ratioOf: 'hello', maxP99Ms: 100, maxGrowth: 2 },
  geojson: { ratioOf: 'hello', maxP99Ms: 100 },
  ics: { ratioOf: 'hello', maxP99Ms: 100 },
  login: { ratioOf: 'hello' },
};

const descriptions = [
  '平台这周又调整了抽成比例，跑一单到手少了两块钱，希望能有个说法。',
  '连续三天派单都绕远路，空驶里程太多，申诉没有回复。',
  '账号被无故封禁两天，客服说是系统判定，申诉材料交了没人看。',
  '夜里在服务站附近没有能热饭的地方，希望增加微波炉。',
  '车队要求自己交保险，合同里没写，想知道该不该交。',
];

export type ScenarioContext = {
  url: string;
  world: World;
  accounts: BenchAccounts;
  /** The unit of `figures-visits` (see prepareVisitsUnit); the handler holds org_admin there too. */
  visitsUnit: { id: number; name: string };
  secret: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
};

/**
 * The unit whose visit figures are measured: the province committee with the most stations beneath it.
 * Stations stand in the demo's eight cities of Sichuan and Guangdong only, so the world's committee (the
 * one with the most units) held none at 10k (Beijing) and 100k (Zhejiang): its figures were an empty
 * answer there, and their cost growth compared an empty answer with a full one. Chosen per run, so the
 * cached worlds stay as they are; the handler is granted org_admin there as well.
 */
export async function prepareVisitsUnit(db: Kysely<Database>, world: World, now: Date): Promise<{ id: number; name: string }> {
  const held = await db.selectFrom('stations').innerJoin('orgUnits', 'orgUnits.id', 'stations.unitId').select('orgUnits.path').execute();
  const stationsUnder = new Map<number, number>();
  for (const { path } of held) {
    const top = Number(path.split('/')[1]);
    stationsUnder.set(top, (stationsUnder.get(top) ?? 0) + 1);
  }
  const [topId] = [...stationsUnder].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [world.committee.id];
  const unit = await db.selectFrom('orgUnits').select(['id', 'name']).where('id', '=', topId).executeTakeFirstOrThrow();
  if (unit.id !== world.committee.id) {
    const handler = await db.selectFrom('users').select('id').where('username', '=', 'bench-handler').executeTakeFirstOrThrow();
    await db.insertInto('roleGrants').values({ userId: handler.id, role: 'org_admin', unitId: unit.id, createdAt: now.toISOString() }).execute();
  }
  return unit;
}

export function specOf(name: ScenarioName, ctx: ScenarioContext, addressBlock: number): LoadSpec {
  const { world, accounts } = ctx;
  const base = { name, url: ctx.url, connections: ctx.connections, warmupSeconds: ctx.warmupSeconds, durationSeconds: ctx.durationSeconds, addressBlock };
  const handler = [accounts.handlerToken];
  const unit = world.committee.id;
  switch (name) {
    case 'login':
      // scrypt by design; 20 logins a minute per address, so a new address every 15.
      return { ...base, method: 'POST', paths: ['/api/v1/auth/login'], bodies: accounts.loginUsernames.map((username) => JSON.stringify({ username, password: BENCH_PASSWORD })), newAddressEvery: 15 };
    case 'file-appeal':
      return {
        ...base,
        method: 'POST',
        paths: ['/api/v1/appeals'],
        bearerTokens: accounts.filerTokens,
        idempotencyKey: true,
        bodies: appealCategories.flatMap((category, i) => descriptions.map((description, j) => JSON.stringify({ category, description, contactPreference: (i + j) % 2 ? 'in_app' : 'phone' }))),
      };
    case 'inbox':
      // Soonest deadline first, so the overdue ones lead; the committee's whole subtree.
      return { ...base, method: 'GET', paths: [`/api/v1/appeals?unitId=${unit}&limit=50`], bearerTokens: handler };
    case 'search':
      return { ...base, method: 'GET', paths: world.fragments.map((q) => `/api/v1/workers?q=${encodeURIComponent(q)}&limit=50`), bearerTokens: handler };
    case 'nearest':
      return {
        ...base,
        method: 'GET',
        paths: world.stationPoints.map((p, i) => `/api/v1/stations/nearby?lat=${p.lat}&lng=${p.lng}&limit=5&openNow=true&service=${i % 2 ? 'hot_water' : 'phone_charging'}`),
        newAddressEvery: 100,
      };
    case 'figures-appeals':
      return { ...base, method: 'GET', paths: [`/api/v1/appeal-figures?unitId=${unit}`], bearerTokens: handler };
    case 'figures-coverage':
      return { ...base, method: 'GET', paths: [`/api/v1/liaison/coverage?unitId=${unit}`], bearerTokens: handler };
    case 'figures-visits':
      return { ...base, method: 'GET', paths: [`/api/v1/stations/visits/summary?unitId=${ctx.visitsUnit.id}`], bearerTokens: handler };
    case 'geojson':
      // As a browser's map asks for it: compressed (the whole layer, no If-None-Match; a revalidation is a 304).
      return { ...base, method: 'GET', paths: ['/api/v1/stations.geojson'], headers: { 'accept-encoding': 'gzip' }, newAddressEvery: 100 };
    case 'ics':
      // As calendar apps poll a subscription: they accept gzip (no If-None-Match here, so the whole feed each time).
      return { ...base, method: 'GET', paths: [`/api/v1/units/${unit}/activities.ics?token=${activityTokens(ctx.secret).unitFeed(unit)}`], headers: { 'accept-encoding': 'gzip' }, newAddressEvery: 50 };
  }
}
