// Builds the organization tree in memory from a plan, then bulk-inserts it. Ids are allocated in
// code (depth-first, so a parent always has a smaller id than its children and a subtree is a
// contiguous id range) which lets every materialized path be computed before the first insert:
// 100,000 units become a few hundred multi-row inserts instead of 100,000 round trips.
import { type Kysely, sql } from 'kysely';
import { chinaDate } from '../../core/clock.js';
import { allowedChildKinds } from '../../modules/org/org.rules.js';
import { engineOf } from '../engine.js';
import type { Database, OrgUnitEventKind, OrgUnitKind } from '../tables.js';
import { insertRows } from './bulk-insert.js';
import { applyDemoHistory } from './org-history.js';
import { type PlatformPlan, type WorldPlan, chineseNumeral } from './org-plan.js';
import { seedPlatformByCode } from './platforms.js';
import { Random, addDays } from './random.js';
import { type SeedCity, type SeedProvince, seedCity, seedProvince } from './regions.js';

/** One org_units row, complete: the object is inserted as it is. */
export type SeedUnit = {
  id: number;
  parentId: number | null;
  path: string;
  depth: number;
  name: string;
  kind: OrgUnitKind;
  platformId: number | null;
  cityCode: string | null;
  establishedOn: string;
  closedOn: string | null;
  closeReason: string | null;
  mergedIntoId: number | null;
  createdAt: string;
  updatedAt: string;
};

export type SeedEvent = { unitId: number; kind: OrgUnitEventKind; at: string; detail: Record<string, unknown> };

/** The world while it is being built; history episodes edit it before events are finalized. */
export type WorldDraft = {
  units: SeedUnit[];
  events: SeedEvent[];
  /** Name and parent a unit was created with, when history changed them since. */
  origins: Map<number, { name?: string; parentId?: number | null }>;
  rng: Random;
  /** The seed's "today" in China, and the last day a unit may have been founded (a year before). */
  today: string;
  lastFoundingDay: string;
};

export type OrgWorld = {
  /** In id order: parents before children, as the foreign keys need. */
  units: SeedUnit[];
  /** In time order, so event ids grow with time. */
  events: SeedEvent[];
  /** Units other seeding steps hang things on; null when the world shape does not hold them. */
  anchors: { sichuanCommittee: number | null; guangdongCommittee: number | null; firstChengduBranch: number | null };
};

/** A time during office hours in China (09:00–16:59, i.e. 01:00–08:59 UTC) on a given day. */
export function timeOn(date: string, rng: Random): string {
  const h = rng.int(1, 8);
  const m = rng.int(0, 59);
  const s = rng.int(0, 59);
  return `${date}T0${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}.000Z`;
}

export function buildOrgWorld(
  plan: WorldPlan,
  options: { seed: number; now: Date; platformIds: ReadonlyMap<string, number>; firstId?: number; history?: boolean },
): OrgWorld {
  const rng = Random.stream(options.seed, 'org-world');
  const today = chinaDate(options.now);
  // Units were founded between January seven years ago and a year ago (2019–2025 for a 2026
  // demo); the last year is left for the history episodes.
  const firstFoundingDay = `${Number(today.slice(0, 4)) - 7}-01-01`;
  const lastFoundingDay = addDays(today, -365);
  const draft: WorldDraft = { units: [], events: [], origins: new Map(), rng, today, lastFoundingDay };
  let nextId = options.firstId ?? 1;
  const provinceCommittees = new Map<string, number>();

  const add = (
    parent: SeedUnit | null,
    fields: Pick<SeedUnit, 'name' | 'kind' | 'platformId' | 'cityCode' | 'establishedOn'>,
  ): SeedUnit => {
    if (parent && !allowedChildKinds[parent.kind].includes(fields.kind)) {
      throw new Error(`A ${fields.kind} cannot sit beneath a ${parent.kind}`);
    }
    const id = nextId++;
    const createdAt = timeOn(fields.establishedOn, rng);
    const unit: SeedUnit = {
      id,
      parentId: parent ? parent.id : null,
      path: `${parent ? parent.path : '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
      name: fields.name,
      kind: fields.kind,
      platformId: fields.platformId,
      cityCode: fields.cityCode,
      establishedOn: fields.establishedOn,
      closedOn: null,
      closeReason: null,
      mergedIntoId: null,
      createdAt,
      updatedAt: createdAt,
    };
    draft.units.push(unit);
    return unit;
  };

  // A founding day some days after the parent's, never after the last founding day.
  const after = (date: string, minDays: number, maxDays: number): string => {
    const from = addDays(date, minDays);
    if (from >= lastFoundingDay) return lastFoundingDay;
    const to = addDays(date, maxDays);
    return rng.dateBetween(from, to < lastFoundingDay ? to : lastFoundingDay);
  };
  // Sorted, so that 第一 is the oldest: units are numbered in the order they were founded.
  const foundingDays = (count: number, pickDay: () => string): string[] =>
    Array.from({ length: count }, pickDay).sort();

  const platformIdOf = (code: string): number => {
    const id = options.platformIds.get(code);
    if (id === undefined) throw new Error(`Platform ${code} was not inserted before the org world`);
    return id;
  };

  const [minGroups, maxGroups] = plan.groupsPerBranch;
  const addPlatformCommittee = (city: SeedCity, cityCommittee: SeedUnit, platformPlan: PlatformPlan) => {
    const platform = seedPlatformByCode(platformPlan.platform);
    const prefix = `${platform.shortName}${city.shortName}`;
    const inCity = { platformId: platformIdOf(platformPlan.platform), cityCode: city.code };
    // A platform that only recently came to a city founded its committee shortly before its
    // first branch, not years earlier.
    const lateStart = addDays(lastFoundingDay, -540);
    const onlyLate = (platformPlan.lateBranches ?? 0) >= platformPlan.branches && lateStart > cityCommittee.establishedOn;
    const committee = add(cityCommittee, {
      name: `${prefix}平台企业党委`,
      kind: 'platform_committee',
      ...inCity,
      establishedOn: onlyLate
        ? after(addDays(lateStart, -180) > cityCommittee.establishedOn ? addDays(lateStart, -180) : cityCommittee.establishedOn, 0, 180)
        : after(cityCommittee.establishedOn, 30, 540),
    });
    const secondaries = platformPlan.secondaries ?? [];
    const parents = secondaries.length
      ? foundingDays(secondaries.length, () => after(committee.establishedOn, 30, 365)).map((day, k) =>
          add(committee, { name: `${prefix}${secondaries[k] ?? ''}党委`, kind: 'secondary_committee', ...inCity, establishedOn: day }),
        )
      : [committee];
    // Branches are spread over the parents in contiguous blocks and numbered across the platform
    // committee (第一…第二十七), the way a city's branches of one platform are known. The last
    // `lateBranches` were founded in the last eighteen months: the platform's recent growth.
    const total = platformPlan.branches;
    const firstLate = total - Math.min(platformPlan.lateBranches ?? 0, total) + 1;
    let ordinal = 0;
    parents.forEach((parent, k) => {
      const count = Math.floor(total / parents.length) + (k < total % parents.length ? 1 : 0);
      const firstOrdinal = ordinal + 1;
      ordinal += count;
      const late = Math.max(0, Math.min(count, ordinal - firstLate + 1));
      const days = [
        ...Array.from({ length: count - late }, () => after(parent.establishedOn, 15, 720)),
        ...Array.from({ length: late }, () => rng.dateBetween(lateStart > parent.establishedOn ? lateStart : parent.establishedOn, lastFoundingDay)),
      ].sort();
      days.forEach((day, i) => {
        const branch = add(parent, {
          name: `${prefix}第${chineseNumeral(firstOrdinal + i)}流动党员党支部`,
          kind: 'mobile_branch',
          ...inCity,
          establishedOn: day < parent.establishedOn ? parent.establishedOn : day,
        });
        foundingDays(rng.int(minGroups, maxGroups), () => after(branch.establishedOn, 0, 120)).forEach((groupDay, j) =>
          add(branch, { name: `第${chineseNumeral(j + 1)}党小组`, kind: 'group', ...inCity, establishedOn: groupDay }),
        );
      });
    });
  };

  for (const provincePlan of plan.provinces) {
    const province: SeedProvince = seedProvince(provincePlan.province);
    // The provincial committee has no city code: GB/T 2260 gives provinces a code, but the column
    // names a city, and a province code there would pose as one. Municipalities are their own city.
    const provinceCommittee = add(null, {
      name: `${province.name}新就业群体行业党委`,
      kind: 'industry_committee',
      platformId: null,
      cityCode: province.municipality ? (province.cities[0]?.code ?? null) : null,
      establishedOn: rng.dateBetween(firstFoundingDay, addDays(firstFoundingDay, 180)),
    });
    provinceCommittees.set(province.code, provinceCommittee.id);
    for (const cityPlan of provincePlan.cities) {
      const city = seedCity(cityPlan.city);
      const cityCommittee = province.municipality
        ? provinceCommittee
        : add(provinceCommittee, {
            name: `${city.name}新就业群体行业党委`,
            kind: 'industry_committee',
            platformId: null,
            cityCode: city.code,
            establishedOn: after(provinceCommittee.establishedOn, 30, 365),
          });
      for (const platformPlan of cityPlan.platforms) addPlatformCommittee(city, cityCommittee, platformPlan);
    }
  }

  if (options.history ?? true) applyDemoHistory(draft);
  return finish(draft, provinceCommittees);
}

/** Adds one 'created' event per unit (as it was created), orders the events, finds the anchors. */
function finish(draft: WorldDraft, provinceCommittees: ReadonlyMap<string, number>): OrgWorld {
  for (const unit of draft.units) {
    const origin = draft.origins.get(unit.id);
    draft.events.push({
      unitId: unit.id,
      kind: 'created',
      at: unit.createdAt,
      // The same fields the org module records when a unit is created through the API.
      detail: {
        name: origin?.name ?? unit.name,
        kind: unit.kind,
        parentId: origin?.parentId !== undefined ? origin.parentId : unit.parentId,
        platformId: unit.platformId,
        cityCode: unit.cityCode,
      },
    });
  }
  // Time order; at equal times creation first, then by unit. The sort is stable, so events of one
  // unit at one instant keep the order they were recorded in.
  const rank = (e: SeedEvent) => (e.kind === 'created' ? 0 : 1);
  const events = draft.events.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : rank(x) - rank(y) || x.unitId - y.unitId));

  const root = (code: string) => provinceCommittees.get(code) ?? null;
  const firstChengduBranch = draft.units.find((u) => u.kind === 'mobile_branch' && u.cityCode === '510100' && u.closedOn === null);
  return {
    units: draft.units,
    events,
    anchors: { sichuanCommittee: root('510000'), guangdongCommittee: root('440000'), firstChengduBranch: firstChengduBranch?.id ?? null },
  };
}

/** The id the next seeded unit gets: 1 on an empty database. */
export async function nextOrgUnitId(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('orgUnits').select((eb) => eb.fn.max('id').as('maxId')).executeTakeFirst();
  return Number(row?.maxId ?? 0) + 1;
}

const unitColumns = [
  'id', 'parentId', 'path', 'depth', 'name', 'kind', 'platformId', 'cityCode',
  'establishedOn', 'closedOn', 'closeReason', 'mergedIntoId', 'createdAt', 'updatedAt',
] as const;

/** Inserts units, then events; run it inside a transaction so a failure leaves nothing behind. */
export async function insertOrgWorld(db: Kysely<Database>, world: OrgWorld): Promise<void> {
  await insertRows(db, 'orgUnits', unitColumns, world.units);
  if (engineOf(db) === 'postgres') {
    // Explicit ids do not advance a serial's sequence on PostgreSQL; without this the next unit
    // created through the API would collide with id 1. SQLite's autoincrement follows max(id).
    await sql`select setval(pg_get_serial_sequence('org_units', 'id'), (select max(id) from org_units))`.execute(db);
  }
  const events = world.events.map((e) => ({ unitId: e.unitId, kind: e.kind, at: e.at, actorUserId: null, detail: JSON.stringify(e.detail) }));
  await insertRows(db, 'orgUnitEvents', ['unitId', 'kind', 'at', 'actorUserId', 'detail'], events);
}
