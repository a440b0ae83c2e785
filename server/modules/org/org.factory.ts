import type { Kysely } from 'kysely';
import type { Database, OrgUnit, OrgUnitKind } from '../../db/tables.js';
import { insertUnit } from './org.queries.js';

let counter = 0;

/** A unit for tests: sensible defaults, any attribute overridable, no rules checked. */
export async function buildUnit(
  db: Kysely<Database>,
  overrides: { parent?: OrgUnit | null; kind?: OrgUnitKind; name?: string; platformId?: number | null; cityCode?: string | null; establishedOn?: string | null } = {},
  now = new Date('2026-01-01T00:00:00Z'),
): Promise<OrgUnit> {
  counter += 1;
  return insertUnit(
    db,
    {
      parent: overrides.parent ?? null,
      kind: overrides.kind ?? 'industry_committee',
      name: overrides.name ?? `测试组织${counter}`,
      platformId: overrides.platformId ?? null,
      cityCode: overrides.cityCode ?? null,
      establishedOn: overrides.establishedOn ?? '2020-01-01',
    },
    now,
  );
}

export async function buildPlatform(db: Kysely<Database>, overrides: { code?: string; name?: string } = {}) {
  counter += 1;
  return db
    .insertInto('platforms')
    .values({ code: overrides.code ?? `p${counter}`, name: overrides.name ?? `测试平台${counter}`, nameEn: `Test platform ${counter}`, workType: 'ride_hailing', createdAt: '2026-01-01T00:00:00.000Z' })
    .returning(['id', 'code', 'name'])
    .executeTakeFirstOrThrow();
}

/**
 * The small world most org tests need: Sichuan with Chengdu (a platform committee, two branches, a
 * group) and Guangdong beside it.
 */
export async function buildTwoProvinces(db: Kysely<Database>) {
  const platform = await buildPlatform(db);
  const sichuan = await buildUnit(db, { name: '四川省新就业群体行业党委', cityCode: '510000' });
  const chengdu = await buildUnit(db, { parent: sichuan, name: '成都市新就业群体行业党委', cityCode: '510100' });
  const committee = await buildUnit(db, { parent: chengdu, kind: 'platform_committee', name: '速达出行成都平台企业党委', platformId: platform.id, cityCode: '510100' });
  const branchA = await buildUnit(db, { parent: committee, kind: 'mobile_branch', name: '速达出行成都第一流动党员党支部', platformId: platform.id, cityCode: '510100' });
  const branchB = await buildUnit(db, { parent: committee, kind: 'mobile_branch', name: '速达出行成都第二流动党员党支部', platformId: platform.id, cityCode: '510100' });
  const groupA = await buildUnit(db, { parent: branchA, kind: 'group', name: '第一党小组' });
  const guangdong = await buildUnit(db, { name: '广东省新就业群体行业党委', cityCode: '440000' });
  const shenzhen = await buildUnit(db, { parent: guangdong, name: '深圳市新就业群体行业党委', cityCode: '440300' });
  return { platform, sichuan, chengdu, committee, branchA, branchB, groupA, guangdong, shenzhen };
}
