// Who files the demo appeals and where they go: a sample of the seeded workers with their liaison and
// the demands in their contact log, and routing and escalation over the seeded tree, as
// appeals.queries.ts does them over org_units (routeAppeal, escalationTarget).
import type { Kysely } from 'kysely';
import type { Database, OrgUnitKind, WorkType } from '../tables.js';
import type { StoryUnit } from './appeals-story.js';
import type { OrgWorld, SeedUnit } from './org-world.js';
import type { Random } from './random.js';

type Db = Kysely<Database>;

export type Worker = {
  id: number;
  platformId: number;
  cityCode: string;
  workType: WorkType;
  unitId: number | null;
  userId: number | null;
  createdAt: number;
  liaison: { unitId: number; userId: number | null } | null;
  demands: { id: number; at: number; text: string }[];
};

export async function loadWorkers(db: Db, rng: Random, count: number, anchorId: number | null): Promise<Worker[]> {
  const range = await db.selectFrom('workers').select((eb) => [eb.fn.min<number>('id').as('lo'), eb.fn.max<number>('id').as('hi')]).executeTakeFirst();
  if (!range || range.lo === null) return [];
  const [lo, hi] = [Number(range.lo), Number(range.hi)];
  // A sample twice the appeals' number (everyone, at the demo size), and everyone the demo branch serves.
  const ids = new Set<number>();
  const want = Math.min(hi - lo + 1, count * 2);
  for (let tries = 0; ids.size < want && tries < want * 4; tries++) ids.add(rng.int(lo, hi));
  if (anchorId !== null) for (const r of await db.selectFrom('workers').select('id').where('unitId', '=', anchorId).execute()) ids.add(r.id);
  const sorted = [...ids].sort((a, b) => a - b);
  const memberUsers = new Map((await db.selectFrom('users').select(['id', 'memberId']).where('memberId', 'is not', null).execute()).map((u) => [u.memberId, u.id]));
  const workers: Worker[] = [];
  for (let start = 0; start < sorted.length; start += 500) {
    const chunk = sorted.slice(start, start + 500);
    const rows = await db.selectFrom('workers').select(['id', 'platformId', 'cityCode', 'workType', 'unitId', 'userId', 'createdAt']).where('id', 'in', chunk).orderBy('id').execute();
    const liaison = await db
      .selectFrom('liaisonAssignments as a')
      .innerJoin('members as m', 'm.id', 'a.memberId')
      .select(['a.workerId', 'm.id as memberId', 'm.unitId'])
      .where('a.workerId', 'in', chunk)
      .execute();
    const contacts = await db
      .selectFrom('liaisonContacts')
      .select(['id', 'workerId', 'createdAt', 'demandsRaised'])
      .where('workerId', 'in', chunk)
      .where('demandsRaised', 'is not', null)
      .orderBy('id')
      .execute();
    const liaisonOf = new Map(liaison.map((l) => [l.workerId, { unitId: l.unitId, userId: memberUsers.get(l.memberId) ?? null }]));
    for (const r of rows) {
      const demands = contacts.filter((c) => c.workerId === r.id).map((c) => ({ id: c.id, at: Date.parse(c.createdAt), text: c.demandsRaised as string }));
      workers.push({ ...r, createdAt: Date.parse(r.createdAt), liaison: liaisonOf.get(r.id) ?? null, demands });
    }
  }
  return workers;
}

const levelOfKind = (kind: OrgUnitKind) => (kind === 'industry_committee' || kind === 'platform_committee' ? kind : 'branch');

/** Routing and escalation over the seeded tree, as appeals.queries.ts does it over org_units. */
export function treeOf(world: OrgWorld) {
  const byId = new Map(world.units.map((u) => [u.id, u]));
  const storyUnit = (u: SeedUnit): StoryUnit => ({ id: u.id, path: u.path, name: u.name, level: levelOfKind(u.kind) });
  const open = (id: number | null | undefined) => {
    const unit = id === null || id === undefined ? undefined : byId.get(id);
    return unit && unit.closedOn === null ? storyUnit(unit) : undefined;
  };
  const candidates = world.units.filter((u) => u.closedOn === null && (u.kind === 'mobile_branch' || u.kind === 'platform_committee'));
  const byPlatformCity = (platformId: number, cityCode: string): StoryUnit => {
    const mine = candidates.filter((u) => u.platformId === platformId);
    const unit =
      mine.find((u) => u.kind === 'mobile_branch' && u.cityCode === cityCode) ??
      mine.find((u) => u.kind === 'platform_committee' && u.cityCode === cityCode) ??
      mine.find((u) => u.kind === 'platform_committee');
    if (!unit) throw new Error(`No unit serves platform ${platformId} in ${cityCode}`);
    return storyUnit(unit);
  };
  const aboveCache = new Map<number, StoryUnit | null>();
  const above = (unit: StoryUnit): StoryUnit | null => {
    const cached = aboveCache.get(unit.id);
    if (cached !== undefined) return cached;
    const wanted: OrgUnitKind | null = unit.level === 'branch' ? 'platform_committee' : unit.level === 'platform_committee' ? 'industry_committee' : null;
    let parent = byId.get(byId.get(unit.id)?.parentId ?? -1);
    while (wanted && parent && (parent.kind !== wanted || parent.closedOn !== null)) parent = byId.get(parent.parentId ?? -1);
    const found = wanted && parent ? storyUnit(parent) : null;
    aboveCache.set(unit.id, found);
    return found;
  };
  const routeCache = new Map<string, StoryUnit>();
  const anonymousRoute = (w: Worker) => {
    const key = `${w.platformId}|${w.cityCode}`;
    const unit = routeCache.get(key) ?? byPlatformCity(w.platformId, w.cityCode);
    routeCache.set(key, unit);
    return unit;
  };
  return { open, above, anonymousRoute, route: (w: Worker) => open(w.liaison?.unitId) ?? open(w.unitId) ?? anonymousRoute(w) };
}
