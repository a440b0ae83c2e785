import type { Kysely, Transaction } from 'kysely';
import type { AppealCategory } from '../../db/tables-appeals.js';
import { preparedStatement } from '../../db/prepared.js';
import type { Database, OrgUnitKind } from '../../db/tables.js';
import { ancestorIdsOf, idsOnPath } from '../org/org.rules.js';
import { type AppealLevel, type SlaPolicy, type StatusChange, defaultSlaPolicy } from './appeals.rules.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function findAppeal(db: Db, id: number) {
  return db.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirst();
}
export type AppealRow = NonNullable<Awaited<ReturnType<typeof findAppeal>>>;

/**
 * Takes the appeal's row lock before reading it: on PostgreSQL a second writer waits here and then reads
 * the first one's result; on SQLite the write lock is taken before any read, so a stale snapshot can
 * never need upgrading (the busy timeout applies instead of an immediate "database is locked").
 */
export async function lockAppeal(db: Db, id: number): Promise<void> {
  await db.updateTable('appeals').set((eb) => ({ version: eb.ref('version') })).where('id', '=', id).execute();
}

export async function findAppealByCode(db: Db, code: string) {
  return db.selectFrom('appeals').selectAll().where('trackingCode', '=', code).executeTakeFirst();
}

/** The level an appeal sits at when a unit of this kind holds it. */
export function levelOfKind(kind: OrgUnitKind): AppealLevel {
  if (kind === 'industry_committee') return 'industry_committee';
  if (kind === 'platform_committee') return 'platform_committee';
  return 'branch';
}

export async function findOpenUnit(db: Db, id: number) {
  return db.selectFrom('orgUnits').select(['id', 'path', 'name', 'kind', 'platformId', 'cityCode', 'closedOn']).where('id', '=', id).executeTakeFirst();
}

/**
 * What filing needs to know of a worker, in one statement: the record itself, their liaison (if any) and
 * the open units of the liaison's branch and of the unit serving the worker, which routing prefers in
 * that order (see routeAppeal). Filing reads this once instead of four look-ups (issue 6).
 */
const filingFactsOfWorker = preparedStatement(['workerId'], (db, { workerId }: { workerId: number }) =>
  db
    .selectFrom('workers as w')
    .leftJoin('liaisonAssignments as a', 'a.workerId', 'w.id')
    .leftJoin('members as m', 'm.id', 'a.memberId')
    .leftJoin('orgUnits as lu', (join) => join.onRef('lu.id', '=', 'm.unitId').on('lu.closedOn', 'is', null))
    .leftJoin('orgUnits as su', (join) => join.onRef('su.id', '=', 'w.unitId').on('su.closedOn', 'is', null))
    .select([
      'w.id',
      'w.platformId',
      'w.cityCode',
      'w.unitPath',
      'w.consentWithdrawnAt',
      'a.memberId as liaisonMemberId',
      'lu.id as liaisonUnitId',
      'lu.path as liaisonUnitPath',
      'lu.name as liaisonUnitName',
      'lu.kind as liaisonUnitKind',
      'su.id as servingUnitId',
      'su.path as servingUnitPath',
      'su.name as servingUnitName',
      'su.kind as servingUnitKind',
    ])
    .where('w.id', '=', workerId),
);

export async function workerFilingFacts(db: Db, workerId: number) {
  const [row] = (await filingFactsOfWorker(db, { workerId })).rows;
  if (!row) return undefined;
  const unit = (id: number | null, path: string | null, name: string | null, kind: OrgUnitKind | null) => (id !== null && path !== null && name !== null && kind !== null ? { id, path, name, kind } : null);
  return {
    id: row.id,
    platformId: row.platformId,
    cityCode: row.cityCode,
    unitPath: row.unitPath,
    consentWithdrawnAt: row.consentWithdrawnAt,
    liaisonMemberId: row.liaisonMemberId,
    // The first choice of routing that the worker's own rows decide: the liaison's branch, else the serving unit.
    routedUnit: unit(row.liaisonUnitId, row.liaisonUnitPath, row.liaisonUnitName, row.liaisonUnitKind) ?? unit(row.servingUnitId, row.servingUnitPath, row.servingUnitName, row.servingUnitKind),
  };
}
export type WorkerFilingFacts = NonNullable<Awaited<ReturnType<typeof workerFilingFacts>>>;

/**
 * Where an appeal goes first: the branch of the worker's liaison; else the unit that serves the worker
 * (both read with the worker, workerFilingFacts); else an open mobile branch of the platform in the city;
 * else the platform's committee.
 */
export async function routeAppeal(db: Db, input: { worker: Pick<WorkerFilingFacts, 'routedUnit'> | null; platformId: number | null; cityCode: string | null }) {
  if (input.worker?.routedUnit) return input.worker.routedUnit;
  if (input.platformId === null) return undefined;
  const candidates = await db
    .selectFrom('orgUnits')
    .select(['id', 'path', 'name', 'kind', 'cityCode'])
    .where('platformId', '=', input.platformId)
    .where('kind', 'in', ['mobile_branch', 'platform_committee'])
    .where('closedOn', 'is', null)
    .orderBy('id')
    .execute();
  const branch = candidates.find((u) => u.kind === 'mobile_branch' && u.cityCode === input.cityCode);
  const committee = candidates.find((u) => u.kind === 'platform_committee' && u.cityCode === input.cityCode) ?? candidates.find((u) => u.kind === 'platform_committee');
  const chosen = branch ?? committee;
  return chosen ? { id: chosen.id, path: chosen.path, name: chosen.name, kind: chosen.kind } : undefined;
}

/** Platform and city of every open unit that takes appeals routed by platform and city (see routeAppeal). */
export async function receivingPlaces(db: Db) {
  return db
    .selectFrom('orgUnits as u')
    .innerJoin('platforms as p', 'p.id', 'u.platformId')
    .select(['p.id', 'p.code', 'p.name', 'p.nameEn', 'u.cityCode', 'u.kind'])
    .where('u.kind', 'in', ['mobile_branch', 'platform_committee'])
    .where('u.closedOn', 'is', null)
    .orderBy('p.id')
    .orderBy('u.cityCode')
    .execute();
}

/** The nearest open ancestor of the kind the next level needs. */
export async function escalationTarget(db: Db, unitPath: string, level: AppealLevel) {
  const wanted: OrgUnitKind = level === 'platform_committee' ? 'platform_committee' : 'industry_committee';
  const ids = ancestorIdsOf(unitPath);
  if (ids.length === 0) return undefined;
  const rows = await db
    .selectFrom('orgUnits')
    .select(['id', 'path', 'name', 'kind'])
    .where('id', 'in', ids)
    .where('kind', '=', wanted)
    .where('closedOn', 'is', null)
    .execute();
  return rows.sort((a, b) => b.path.length - a.path.length)[0];
}

const policiesOn = (db: Db, unitIds: readonly number[], category: AppealCategory) =>
  db
    .selectFrom('slaPolicies')
    .select(['unitId', 'category', 'acknowledgeHours', 'updateHours', 'resolveHours'])
    .where((eb) => eb.or([eb('unitId', 'in', [...unitIds]), eb('unitId', 'is', null)]))
    .where((eb) => eb.or([eb('category', '=', category), eb('category', 'is', null)]));

// Every filing reads the policies on its unit's path: compiled once for paths of up to eight units, the
// list padded with 0 (no unit has id 0); a deeper path is built the usual way.
const POLICY_PATH_SLOTS = 8;
const policySlots = Array.from({ length: POLICY_PATH_SLOTS }, (_, i) => `unit${i}`);
type PolicyPathParams = Record<string, number | AppealCategory>;
const policiesOnPath = preparedStatement(['category', ...policySlots], (db, p: PolicyPathParams) => policiesOn(db, policySlots.map((slot) => p[slot] as number), p.category as AppealCategory));
function policyPathParams(unitIds: readonly number[], category: AppealCategory): PolicyPathParams {
  const params: PolicyPathParams = { category };
  policySlots.forEach((slot, i) => (params[slot] = unitIds[i] ?? 0));
  return params;
}

/**
 * The policy that applies: the deepest unit on the path with a policy for this category, else for every
 * category; then the system-wide rows; then the built-in default.
 */
export async function slaPolicyFor(db: Db, unitPath: string, category: AppealCategory): Promise<SlaPolicy> {
  const unitIds = idsOnPath(unitPath);
  const rows = unitIds.length <= POLICY_PATH_SLOTS ? (await policiesOnPath(db, policyPathParams(unitIds, category))).rows : await policiesOn(db, unitIds, category).execute();
  const depthOf = (unitId: number | null) => (unitId === null ? -1 : unitIds.indexOf(unitId));
  const best = rows.sort((a, b) => depthOf(b.unitId) - depthOf(a.unitId) || (b.category ? 1 : 0) - (a.category ? 1 : 0))[0];
  return best ? { acknowledgeHours: best.acknowledgeHours, updateHours: best.updateHours, resolveHours: best.resolveHours } : defaultSlaPolicy;
}

export async function timelineOf(db: Db, appealId: number) {
  const rows = await db
    .selectFrom('appealEvents as e')
    .leftJoin('orgUnits as u', 'u.id', 'e.unitId')
    .leftJoin('users as a', 'a.id', 'e.actorUserId')
    .select(['e.id', 'e.kind', 'e.fromStatus', 'e.toStatus', 'e.visibility', 'e.body', 'e.level', 'e.createdAt', 'e.breachKey', 'u.name as unitName', 'a.displayName as actorName'])
    .where('e.appealId', '=', appealId)
    .orderBy('e.id')
    .execute();
  // A breach key marks what the scheduler did on its own (escalation on a missed deadline, auto-confirmation).
  return rows.map(({ breachKey, ...e }) => ({ ...e, automatic: breachKey !== null }));
}

/**
 * The status history the SLA clocks read. A public reply counts as a sign of life at the status the
 * appeal had, so after an escalation the new level's first reply acknowledges it.
 */
export async function statusHistoryOf(db: Db, appealId: number): Promise<StatusChange[]> {
  const events = await db
    .selectFrom('appealEvents')
    .select(['kind', 'toStatus', 'visibility', 'createdAt'])
    .where('appealId', '=', appealId)
    // A worker's own reply has no unit and is no sign of life from the holder.
    .where((eb) => eb.or([eb('toStatus', 'is not', null), eb.and([eb('kind', '=', 'reply'), eb('visibility', '=', 'public'), eb('unitId', 'is not', null)])]))
    .orderBy('id')
    .execute();
  const history: StatusChange[] = [];
  for (const e of events) {
    const status = e.toStatus ?? history[history.length - 1]?.status ?? 'submitted';
    history.push({ status, at: e.createdAt });
  }
  return history;
}

export async function photosOf(db: Db, appealId: number) {
  return db.selectFrom('appealPhotos').select(['id', 'contentType', 'sizeBytes', 'createdAt', 'storageKey']).where('appealId', '=', appealId).orderBy('id').execute();
}

/** Handlers who may be given an appeal held at a unit: grants on the unit or above it. */
export async function mayHandleAt(db: Db, userId: number, unitPath: string): Promise<boolean> {
  const ids = idsOnPath(unitPath);
  const grant = await db
    .selectFrom('roleGrants')
    .select('id')
    .where('userId', '=', userId)
    .where((eb) => eb.or([eb('role', '=', 'system_admin'), eb.and([eb('role', 'in', ['branch_secretary', 'org_admin']), eb('unitId', 'in', ids)])]))
    .executeTakeFirst();
  return grant !== undefined;
}

/** Everyone who may be given appeals held at a unit: secretaries and admins granted on it or above it. */
export async function handlersAt(db: Db, unitPath: string) {
  const ids = idsOnPath(unitPath);
  return db
    .selectFrom('roleGrants as g')
    .innerJoin('users as u', 'u.id', 'g.userId')
    .innerJoin('orgUnits as o', 'o.id', 'g.unitId')
    .select(['u.id as userId', 'u.displayName', 'o.name as unitName'])
    .where('g.role', 'in', ['branch_secretary', 'org_admin'])
    .where('g.unitId', 'in', ids)
    .where('u.disabledAt', 'is', null)
    .orderBy('o.path', 'desc')
    .orderBy('u.id')
    .execute();
}
