import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../core/passwords.js';
import { allowedChildKinds, rootKinds } from '../../modules/org/org.rules.js';
import { type ConvoyDb, type DatabaseHandle, openDatabase } from '../database.js';
import { migrateToLatest } from '../migrate.js';
import type { WorldShape } from './org-plan.js';
import { DEMO_PASSWORD } from './demo-accounts.js';
import { isEmpty, seedDemo } from './seed-demo.js';

const now = new Date('2026-11-25T02:00:00.000Z');
// Each demo seed hashes four passwords with scrypt (a few hundred ms each on a busy machine).
const SLOW = 60_000;

const handles: DatabaseHandle[] = [];
async function freshDatabase(): Promise<ConvoyDb> {
  const handle = openDatabase('sqlite::memory:');
  handles.push(handle);
  await migrateToLatest(handle.db);
  return handle.db;
}
afterAll(async () => {
  for (const handle of handles) await handle.destroy();
});

/** Every seeded row, in id order; password hashes are left out because they are salted at random. */
async function contentOf(db: ConvoyDb) {
  return {
    platforms: await db.selectFrom('platforms').selectAll().orderBy('id').execute(),
    orgUnits: await db.selectFrom('orgUnits').selectAll().orderBy('id').execute(),
    orgUnitEvents: await db.selectFrom('orgUnitEvents').selectAll().orderBy('id').execute(),
    users: await db.selectFrom('users').select(['id', 'username', 'displayName', 'locale', 'disabledAt', 'createdAt', 'updatedAt']).orderBy('id').execute(),
    roleGrants: await db.selectFrom('roleGrants').selectAll().orderBy('id').execute(),
  };
}

/** The tree rules every seeded world must keep, returned as a list of broken ones (empty is good). */
async function treeProblems(db: ConvoyDb): Promise<string[]> {
  const units = await db.selectFrom('orgUnits').selectAll().orderBy('id').execute();
  const byId = new Map(units.map((u) => [u.id, u]));
  const problems: string[] = [];
  for (const unit of units) {
    const parent = unit.parentId === null ? null : byId.get(unit.parentId);
    if (parent === undefined) {
      problems.push(`${unit.id}: parent ${unit.parentId} missing`);
      continue;
    }
    if (unit.path !== `${parent ? parent.path : '/'}${unit.id}/`) problems.push(`${unit.id}: path ${unit.path}`);
    if (unit.depth !== (parent ? parent.depth + 1 : 0)) problems.push(`${unit.id}: depth ${unit.depth}`);
    if (parent ? !allowedChildKinds[parent.kind].includes(unit.kind) : !rootKinds.includes(unit.kind)) {
      problems.push(`${unit.id}: ${unit.kind} under ${parent?.kind ?? 'nothing'}`);
    }
    if (parent?.closedOn && !unit.closedOn) problems.push(`${unit.id}: open under closed ${parent.id}`);
    if (unit.kind !== 'industry_committee' && unit.platformId === null) problems.push(`${unit.id}: no platform`);
    if (unit.cityCode !== null && !/^\d{6}$/.test(unit.cityCode)) problems.push(`${unit.id}: city code ${unit.cityCode}`);
    if (parent?.establishedOn && unit.establishedOn && unit.establishedOn < parent.establishedOn && unit.kind !== 'mobile_branch') {
      problems.push(`${unit.id}: founded before its parent`);
    }
    if (unit.closedOn && (!unit.closeReason || unit.closedOn < (unit.establishedOn ?? ''))) problems.push(`${unit.id}: closure`);
    if (unit.mergedIntoId !== null) {
      const target = byId.get(unit.mergedIntoId);
      if (!target || target.closedOn || target.kind !== unit.kind || !unit.closedOn) problems.push(`${unit.id}: merged into ${unit.mergedIntoId}`);
    }
  }
  return problems;
}

describe('seedDemo at the demo size', () => {
  let db: ConvoyDb;
  beforeAll(async () => {
    db = await freshDatabase();
    expect(await isEmpty(db)).toBe(true);
    await seedDemo(db, { now, skip: ['people'] });
  }, SLOW);

  it('generates the same world, row for row, from the same seed', { timeout: SLOW }, async () => {
    const again = await freshDatabase();
    await seedDemo(again, { now, skip: ['people'] });
    expect(await contentOf(again)).toEqual(await contentOf(db));
  });

  it('generates a different world from another seed', { timeout: SLOW }, async () => {
    const other = await freshDatabase();
    await seedDemo(other, { now, seed: 7, skip: ['people'] });
    const dates = async (d: ConvoyDb) => (await d.selectFrom('orgUnits').select('establishedOn').orderBy('id').execute()).map((u) => u.establishedOn);
    expect(await dates(other)).not.toEqual(await dates(db));
  });

  it('is no longer empty', async () => {
    expect(await isEmpty(db)).toBe(false);
  });

  it('keeps the tree invariants: paths, depths, allowed kinds, closures and merges', async () => {
    expect(await treeProblems(db)).toEqual([]);
  });

  it('has 200 to 400 units, with 30+ open mobile branches, most in Chengdu and Shenzhen', async () => {
    const units = await db.selectFrom('orgUnits').selectAll().execute();
    expect(units.length).toBeGreaterThanOrEqual(200);
    expect(units.length).toBeLessThanOrEqual(400);
    const branches = units.filter((u) => u.kind === 'mobile_branch' && u.closedOn === null);
    expect(branches.length).toBeGreaterThanOrEqual(30);
    const perCity = new Map<string | null, number>();
    for (const b of branches) perCity.set(b.cityCode, (perCity.get(b.cityCode) ?? 0) + 1);
    const busiest = [...perCity.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([code]) => code);
    expect(busiest.sort()).toEqual(['440300', '510100']);
    // The freight platform's Shenzhen branches: 27, as in the public reports.
    expect(branches.filter((b) => b.cityCode === '440300' && b.name.startsWith('载途货运深圳')).length).toBe(27);
    expect(units.some((u) => u.kind === 'secondary_committee')).toBe(true);
    expect(units.filter((u) => u.kind === 'group').every((g) => /^第[一二三四五六七八九十]+党小组$/.test(g.name))).toBe(true);
  });

  it('has two provincial committees over eight city committees with their GB/T 2260 codes', async () => {
    const committees = await db.selectFrom('orgUnits').selectAll().where('kind', '=', 'industry_committee').orderBy('id').execute();
    const roots = committees.filter((c) => c.parentId === null).map((c) => c.name);
    expect(roots.sort()).toEqual(['四川省新就业群体行业党委', '广东省新就业群体行业党委'].sort());
    const cities = Object.fromEntries(committees.filter((c) => c.parentId !== null).map((c) => [c.name, c.cityCode]));
    expect(cities).toEqual({
      '成都市新就业群体行业党委': '510100',
      '泸州市新就业群体行业党委': '510500',
      '宜宾市新就业群体行业党委': '511500',
      '达州市新就业群体行业党委': '511700',
      '深圳市新就业群体行业党委': '440300',
      '广州市新就业群体行业党委': '440100',
      '东莞市新就业群体行业党委': '441900',
      '佛山市新就业群体行业党委': '440600',
    });
    const platformCommittee = await db.selectFrom('orgUnits').selectAll().where('name', '=', '青禾出行成都平台企业党委').executeTakeFirstOrThrow();
    expect(platformCommittee).toMatchObject({ kind: 'platform_committee', cityCode: '510100', platformId: expect.any(Number) });
  });

  it('records one created event per unit, first in its history, and a rename, moves, a merge and closures', async () => {
    const events = await db.selectFrom('orgUnitEvents').selectAll().orderBy('id').execute();
    const unitCount = (await db.selectFrom('orgUnits').select('id').execute()).length;
    const created = events.filter((e) => e.kind === 'created');
    expect(new Set(created.map((e) => e.unitId)).size).toBe(unitCount);
    expect(created.length).toBe(unitCount);
    const firstKind = new Map<number, string>();
    for (const e of events) if (!firstKind.has(e.unitId)) firstKind.set(e.unitId, e.kind);
    expect([...firstKind.values()].every((k) => k === 'created')).toBe(true);
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['created', 'renamed', 'moved', 'merged', 'merged_into', 'closed']));
    expect(events.every((e) => e.at <= now.toISOString())).toBe(true);
    expect(events.map((e) => e.at)).toEqual(events.map((e) => e.at).sort());
    const merged = events.find((e) => e.kind === 'merged_into');
    const source = await db.selectFrom('orgUnits').selectAll().where('id', '=', merged?.unitId ?? 0).executeTakeFirstOrThrow();
    expect(JSON.parse(merged?.detail ?? '{}')).toMatchObject({ targetId: source.mergedIntoId });
  });

  it('creates the four demo logins with their grants', { timeout: SLOW }, async () => {
    const grants = await db
      .selectFrom('users')
      .innerJoin('roleGrants', 'roleGrants.userId', 'users.id')
      .leftJoin('orgUnits', 'orgUnits.id', 'roleGrants.unitId')
      .select(['users.username', 'users.displayName', 'roleGrants.role', 'orgUnits.name as unitName', 'orgUnits.kind as unitKind', 'orgUnits.cityCode'])
      .orderBy('users.id')
      .execute();
    expect(grants).toEqual([
      { username: 'admin', displayName: '系统管理员', role: 'system_admin', unitName: null, unitKind: null, cityCode: null },
      { username: 'sichuan', displayName: '四川省行业党委管理员', role: 'org_admin', unitName: '四川省新就业群体行业党委', unitKind: 'industry_committee', cityCode: null },
      { username: 'branch', displayName: expect.stringMatching(/^\p{Script=Han}{2,4}$/u), role: 'branch_secretary', unitName: '青禾出行成都第一流动党员党支部', unitKind: 'mobile_branch', cityCode: '510100' },
      { username: 'driver', displayName: expect.stringMatching(/^\p{Script=Han}{2,4}$/u), role: 'worker', unitName: '青禾出行成都第一流动党员党支部', unitKind: 'mobile_branch', cityCode: '510100' },
    ]);
    const admin = await db.selectFrom('users').select('passwordHash').where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(await verifyPassword(DEMO_PASSWORD, admin.passwordHash)).toBe(true);
  });
});

describe('seedDemo at a larger size', () => {
  it('scales to 10,000+ units from a few numbers, keeping the invariants', { timeout: SLOW }, async () => {
    const db = await freshDatabase();
    // Sichuan and Guangdong (ten cities each), Beijing, Tianjin and Hebei: 32 cities × 8 platforms,
    // three district committees each, 3–5 branches per committee, 1–5 groups per branch.
    const shape: WorldShape = {
      provinces: 5,
      citiesPerProvince: 10,
      platformsPerCity: 8,
      secondariesPerPlatform: 3,
      branchesPerParent: [3, 5],
      groupsPerBranch: [1, 5],
    };
    const summary = await seedDemo(db, { now, size: shape, skip: ['demo-accounts', 'people'] });
    expect(summary.units).toBeGreaterThanOrEqual(10_000);
    expect(summary.unitEvents).toBeGreaterThan(summary.units);
    const counted = await db.selectFrom('orgUnits').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(summary.units);
    expect(summary.unitsByKind.secondary_committee).toBe(32 * 8 * 3);
    expect(await treeProblems(db)).toEqual([]);
    const deepest = await db.selectFrom('orgUnits').select((eb) => eb.fn.max('depth').as('d')).executeTakeFirstOrThrow();
    expect(deepest.d).toBe(5);
  });
});
