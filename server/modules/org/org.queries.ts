import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { preparedStatement } from '../../db/prepared.js';
import type { Database, OrgUnit, OrgUnitEventKind, OrgUnitKind } from '../../db/tables.js';
import { rebuildAppealReach } from '../appeals/appeals.reach.js';
import { rebuildVisitRollupAfterMove } from '../stations/stations.visit-rollup.js';
import { ancestorIdsOf, depthOf, subtreeRange } from './org.rules.js';

type Db = Kysely<Database>;

// Every column by name, not `*`: a unit is read on most routes that take a unitId, so the statement is
// compiled once and, on PostgreSQL, kept prepared by name, which a `*` text may not be (db/statement-names.ts).
const unitColumns = ['id', 'parentId', 'path', 'depth', 'name', 'kind', 'platformId', 'cityCode', 'establishedOn', 'closedOn', 'closeReason', 'mergedIntoId', 'createdAt', 'updatedAt'] as const;
const unitById = preparedStatement(['id'], (db, { id }: { id: number }) => db.selectFrom('orgUnits').select(unitColumns).where('id', '=', id));

export async function findUnit(db: Db, id: number): Promise<OrgUnit | undefined> {
  // The declared return type checks that the named columns are all of a unit's.
  return (await unitById(db, { id })).rows[0];
}

export async function findUnits(db: Db, ids: readonly number[]): Promise<OrgUnit[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('orgUnits').selectAll().where('id', 'in', ids).execute();
}

/** A condition that keeps rows whose path lies in one of the given subtrees (each an index range). */
export function inSubtrees(eb: ExpressionBuilder<Database, 'orgUnits'>, paths: readonly string[]): Expression<SqlBool> {
  if (paths.length === 0) return sql<SqlBool>`1 = 0`;
  return eb.or(
    paths.map((p) => {
      const { from, to } = subtreeRange(p);
      return eb.and([eb('orgUnits.path', '>=', from), eb('orgUnits.path', '<', to)]);
    }),
  );
}

/** The same condition on any column holding a copy of a unit path, e.g. 'workers.unitPath'. */
export function inSubtreePaths(column: string, paths: readonly string[]): Expression<SqlBool> {
  if (paths.length === 0) return sql<SqlBool>`1 = 0`;
  const ranges = paths.map((p) => {
    const { from, to } = subtreeRange(p);
    return sql`(${sql.ref(column)} >= ${from} and ${sql.ref(column)} < ${to})`;
  });
  return sql<SqlBool>`(${sql.join(ranges, sql` or `)})`;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export type UnitListFilter = {
  scope: readonly string[] | 'all';
  q?: string;
  parentId?: number;
  rootIds?: readonly number[] | 'parentless';
  kind?: OrgUnitKind;
  platformId?: number;
  cityCode?: string;
  includeClosed: boolean;
  after: { name: string; id: number } | null;
  limit: number;
};

export async function listUnits(db: Db, f: UnitListFilter) {
  let query = db
    .selectFrom('orgUnits')
    .select([
      'orgUnits.id',
      'orgUnits.parentId',
      'orgUnits.name',
      'orgUnits.kind',
      'orgUnits.depth',
      'orgUnits.platformId',
      'orgUnits.cityCode',
      'orgUnits.establishedOn',
      'orgUnits.closedOn',
      (eb) =>
        eb
          .selectFrom('orgUnits as child')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('child.parentId', '=', 'orgUnits.id')
          .where('child.closedOn', 'is', null)
          .as('childCount'),
    ]);
  if (f.scope !== 'all') {
    const scope = f.scope;
    query = query.where((eb) => inSubtrees(eb, scope));
  }
  if (f.parentId !== undefined) query = query.where('orgUnits.parentId', '=', f.parentId);
  if (f.rootIds === 'parentless') query = query.where('orgUnits.parentId', 'is', null);
  else if (f.rootIds) query = f.rootIds.length ? query.where('orgUnits.id', 'in', f.rootIds) : query.where(sql<SqlBool>`1 = 0`);
  if (f.kind) query = query.where('orgUnits.kind', '=', f.kind);
  if (f.platformId) query = query.where('orgUnits.platformId', '=', f.platformId);
  if (f.cityCode) query = query.where('orgUnits.cityCode', '=', f.cityCode);
  if (!f.includeClosed) query = query.where('orgUnits.closedOn', 'is', null);
  if (f.q) {
    const pattern = `%${escapeLike(f.q.toLowerCase())}%`;
    query = query.where(sql<SqlBool>`lower(${sql.ref('orgUnits.name')}) like ${pattern} escape '\\'`);
  }
  if (f.after) {
    const { name, id } = f.after;
    query = query.where((eb) =>
      eb.or([eb('orgUnits.name', '>', name), eb.and([eb('orgUnits.name', '=', name), eb('orgUnits.id', '>', id)])]),
    );
  }
  const rows = await query.orderBy('orgUnits.name').orderBy('orgUnits.id').limit(f.limit + 1).execute();
  return rows.map((r) => ({ ...r, childCount: Number(r.childCount ?? 0) }));
}

export async function ancestorsOf(db: Db, unit: OrgUnit) {
  const ids = ancestorIdsOf(unit.path);
  if (ids.length === 0) return [];
  return db.selectFrom('orgUnits').select(['id', 'name', 'kind', 'depth']).where('id', 'in', ids).orderBy('depth').execute();
}

export async function countBeneath(db: Db, unit: OrgUnit): Promise<{ descendants: number; byKind: Record<string, number> }> {
  const { to } = subtreeRange(unit.path);
  const rows = await db
    .selectFrom('orgUnits')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('path', '>', unit.path)
    .where('path', '<', to)
    .where('closedOn', 'is', null)
    .groupBy('kind')
    .execute();
  const byKind: Record<string, number> = {};
  let descendants = 0;
  for (const row of rows) {
    byKind[row.kind] = Number(row.n);
    descendants += Number(row.n);
  }
  return { descendants, byKind };
}

export async function openChildrenOf(db: Db, unitId: number) {
  return db.selectFrom('orgUnits').selectAll().where('parentId', '=', unitId).where('closedOn', 'is', null).execute();
}

export async function openSiblingNamed(db: Db, parentId: number | null, name: string, exceptId?: number) {
  let query = db.selectFrom('orgUnits').select('id').where('name', '=', name).where('closedOn', 'is', null);
  query = parentId === null ? query.where('parentId', 'is', null) : query.where('parentId', '=', parentId);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  return query.executeTakeFirst();
}

export async function historyOf(db: Db, unitId: number, limit = 100) {
  const rows = await db
    .selectFrom('orgUnitEvents')
    .select(['id', 'kind', 'at', 'actorUserId', 'detail'])
    .where('unitId', '=', unitId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

export async function recordUnitEvent(
  db: Db,
  event: { unitId: number; kind: OrgUnitEventKind; at: Date; actorUserId: number | null; detail: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('orgUnitEvents')
    .values({ unitId: event.unitId, kind: event.kind, at: event.at.toISOString(), actorUserId: event.actorUserId, detail: JSON.stringify(event.detail) })
    .execute();
}

export type NewUnitInput = {
  parent: OrgUnit | null;
  name: string;
  kind: OrgUnitKind;
  platformId: number | null;
  cityCode: string | null;
  establishedOn: string | null;
};

/** Inserts a unit; its path needs its own id, so it is written in two steps inside the caller's transaction. */
export async function insertUnit(db: Db, input: NewUnitInput, now: Date): Promise<OrgUnit> {
  const at = now.toISOString();
  const placeholder = `${input.parent?.path ?? '/'}new-${Math.random().toString(36).slice(2)}/`;
  const { id } = await db
    .insertInto('orgUnits')
    .values({
      parentId: input.parent?.id ?? null,
      path: placeholder,
      depth: input.parent ? input.parent.depth + 1 : 0,
      name: input.name,
      kind: input.kind,
      platformId: input.platformId,
      cityCode: input.cityCode,
      establishedOn: input.establishedOn,
      createdAt: at,
      updatedAt: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const path = `${input.parent?.path ?? '/'}${id}/`;
  await db.updateTable('orgUnits').set({ path }).where('id', '=', id).execute();
  return (await findUnit(db, id))!;
}

/**
 * Re-parents a unit: every path in its subtree is rewritten in one statement (the old prefix swapped for
 * the new one) and depths shift by the same amount.
 */
export async function moveSubtree(db: Db, unit: OrgUnit, newParent: OrgUnit, now: Date): Promise<void> {
  const oldPrefix = unit.path;
  const newPrefix = `${newParent.path}${unit.id}/`;
  const depthShift = depthOf(newPrefix) - depthOf(oldPrefix);
  const { from, to } = subtreeRange(oldPrefix);
  await db
    .updateTable('orgUnits')
    .set((eb) => ({
      path: sql<string>`${newPrefix} || substr(${eb.ref('path')}, ${oldPrefix.length + 1})`,
      depth: sql<number>`${eb.ref('depth')} + ${depthShift}`,
    }))
    .where('path', '>=', from)
    .where('path', '<', to)
    .execute();
  await db.updateTable('orgUnits').set({ parentId: newParent.id, updatedAt: now.toISOString() }).where('id', '=', unit.id).execute();
  // Records that carry a copy of their unit's path, for scope filters without a join, follow the move.
  for (const [table, column] of pathCopies) {
    await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${newPrefix} || substr(${sql.ref(column)}, ${oldPrefix.length + 1})
      where ${sql.ref(column)} >= ${from} and ${sql.ref(column)} < ${to}`.execute(db);
  }
  // The moved appeals are seen by the new ancestors instead of the old ones.
  await rebuildAppealReach(db, newPrefix);
  // So are the moved stations' visits, in the units' visit figures.
  await rebuildVisitRollupAfterMove(db, oldPrefix, newPrefix);
}

/** Tables whose rows keep a copy of their unit's path in `unit_path`. */
export const tablesWithUnitPath = ['workers', 'members', 'member_declarations', 'volunteer_teams', 'vanguard_posts', 'grid_roles', 'appeals'] as const;

/** Every copied path column: each table's unit_path, and the branch an appeal started at. */
const pathCopies: readonly (readonly [string, string])[] = [...tablesWithUnitPath.map((table) => [table, 'unit_path'] as const), ['appeals', 'origin_unit_path']];

export async function listPlatforms(db: Db) {
  return db.selectFrom('platforms').select(['id', 'code', 'name', 'nameEn', 'workType']).orderBy('id').execute();
}

export async function findPlatform(db: Db, id: number) {
  return db.selectFrom('platforms').select(['id', 'code', 'name', 'nameEn', 'workType']).where('id', '=', id).executeTakeFirst();
}
