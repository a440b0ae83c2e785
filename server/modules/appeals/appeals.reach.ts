// Which units see an appeal (appeal_reach): every ancestor-or-self of the unit holding it and of the
// branch it started at, each row carrying the appeal's due_at, so a unit's inbox is one index walk.
// The rows are derived: rewritten from the appeal after every change and rebuilt after an org move.
import { type Kysely, sql, type Transaction } from 'kysely';
import { preparedRowsStatement } from '../../db/prepared.js';
import type { Database } from '../../db/tables.js';
import { unitIdOf, idsOnPath } from '../org/org.rules.js';
import { moveAppealFigures } from './appeals.figure-counts.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The units that see an appeal held at `unitPath` and started at `originUnitPath`. */
export function reachOf(unitPath: string, originUnitPath: string): number[] {
  return [...new Set([...idsOnPath(unitPath), ...idsOnPath(originUnitPath)])];
}

type ReachSource = { id: number; unitPath: string; originUnitPath: string; dueAt: string | null; createdAt: string };

type ReachRow = { appealId: number; unitId: number; dueAt: string | null; createdAt: string };
const insertReach = preparedRowsStatement(['appealId', 'unitId', 'dueAt', 'createdAt'], (db: Kysely<Database>, rows: readonly ReachRow[]) => db.insertInto('appealReach').values(rows));

/**
 * Brings an appeal's reach rows in line with the appeal: rows for units that no longer see it go, new
 * ones come, and due_at follows. `isNew` skips the read for an appeal filed in this transaction.
 * Answers the units that saw it before and see it now (its figure counts follow them).
 */
export async function syncAppealReach(trx: Db, appeal: ReachSource, options: { isNew?: boolean } = {}): Promise<{ before: number[]; after: number[] }> {
  const wanted = reachOf(appeal.unitPath, appeal.originUnitPath);
  const existing = options.isNew ? [] : await trx.selectFrom('appealReach').select(['unitId', 'dueAt']).where('appealId', '=', appeal.id).execute();
  const have = new Set(existing.map((r) => r.unitId));
  const gone = existing.filter((r) => !wanted.includes(r.unitId)).map((r) => r.unitId);
  const added = wanted.filter((unitId) => !have.has(unitId));
  if (gone.length > 0) await trx.deleteFrom('appealReach').where('appealId', '=', appeal.id).where('unitId', 'in', gone).execute();
  if (existing.some((r) => !gone.includes(r.unitId) && r.dueAt !== appeal.dueAt)) {
    await trx.updateTable('appealReach').set({ dueAt: appeal.dueAt }).where('appealId', '=', appeal.id).execute();
  }
  if (added.length > 0) await insertReach(trx, added.map((unitId) => ({ appealId: appeal.id, unitId, dueAt: appeal.dueAt, createdAt: appeal.createdAt })));
  return { before: existing.map((r) => r.unitId), after: wanted };
}

const BATCH = 2_000;

/**
 * Rewrites every reach row from the appeals, after a bulk load that wrote appeals directly (the demo and
 * bench worlds): each unit with the appeals held or started in its subtree, one index range per unit.
 * The migration that created the table backfills the same way.
 */
export async function rebuildAllAppealReach(db: Db): Promise<void> {
  await db.deleteFrom('appealReach').execute();
  for (const column of ['a.unit_path', 'a.origin_unit_path']) {
    await sql`insert into appeal_reach (appeal_id, unit_id, due_at, created_at)
      select a.id, u.id, a.due_at, a.created_at from org_units u cross join appeals a
      where ${sql.ref(column)} >= u.path and ${sql.ref(column)} < u.path || '~'
      on conflict do nothing`.execute(db);
  }
}

/**
 * Rewrites the reach rows of every appeal held or started under `path`, after an org move has rewritten
 * the paths there. Batches by id, so a large subtree never holds all its rows in memory at once.
 */
export async function rebuildAppealReach(db: Db, path: string): Promise<number> {
  let after = 0;
  let rebuilt = 0;
  for (;;) {
    const to = `${path}~`;
    const appeals = await db
      .selectFrom('appeals')
      .select(['id', 'unitPath', 'originUnitPath', 'dueAt', 'createdAt', 'figuresCounted'])
      .where('id', '>', after)
      .where((eb) => eb.or([eb.and([eb('unitPath', '>=', path), eb('unitPath', '<', to)]), eb.and([eb('originUnitPath', '>=', path), eb('originUnitPath', '<', to)])]))
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (appeals.length === 0) return rebuilt;
    const ids = appeals.map((a) => a.id);
    const before = await db.selectFrom('appealReach').select(['appealId', 'unitId']).where('appealId', 'in', ids).execute();
    await db.deleteFrom('appealReach').where('appealId', 'in', ids).execute();
    const rows = appeals.flatMap((a) => reachOf(a.unitPath, a.originUnitPath).map((unitId) => ({ appealId: a.id, unitId, dueAt: a.dueAt, createdAt: a.createdAt })));
    // Four columns a row: 500 rows stay well under SQLite's bound-parameter limit.
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('appealReach').values(rows.slice(i, i + 500)).execute();
    // Their figure counts move with them: from the old ancestors to the new.
    const saw = new Map<number, number[]>();
    for (const r of before) saw.set(r.appealId, [...(saw.get(r.appealId) ?? []), r.unitId]);
    await moveAppealFigures(db, appeals.map((a) => ({ ...a, before: saw.get(a.id) ?? [], after: reachOf(a.unitPath, a.originUnitPath) })));
    rebuilt += appeals.length;
    after = ids[ids.length - 1]!;
  }
}

/**
 * The appeals a unit's figures count — held or started beneath it, created in [from, to] — read through the
 * reach rows: the subtree's appeals, not the whole country's window filtered by path (where the created_at
 * index led both engines). Counted where it started too, so an escalated appeal stays in its branch's figures.
 */
export function figureRowsQuery(db: Db, scope: readonly string[] | 'all', from: string, to: string) {
  let query = db
    .selectFrom('appeals as a')
    .select(['a.category', 'a.status', 'a.createdAt', 'a.acknowledgedAt', 'a.answeredAt', 'a.acknowledgedOnTime', 'a.resolvedOnTime', 'a.rating', 'a.dueAt'])
    .where('a.createdAt', '>=', from)
    .where('a.createdAt', '<=', to);
  if (scope !== 'all') {
    const unitIds = scope.map(unitIdOf);
    query = query.where('a.id', 'in', (eb) => eb.selectFrom('appealReach as r').select('r.appealId').where('r.unitId', 'in', unitIds));
  }
  return query;
}
