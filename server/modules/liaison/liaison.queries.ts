import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.js';
import { inSubtreePaths } from '../org/org.queries.js';

type Db = Kysely<Database>;

export async function findMember(db: Db, id: number) {
  return db.selectFrom('members').select(['id', 'name', 'unitId', 'unitPath', 'liaisonTarget']).where('id', '=', id).executeTakeFirst();
}

export async function findAssignment(db: Db, workerId: number) {
  return db.selectFrom('liaisonAssignments').selectAll().where('workerId', '=', workerId).executeTakeFirst();
}

/** Members beneath a unit with their load, last contact and overdue workers, in pinyin order. */
export async function liaisonBoard(db: Db, unitPath: string, since: string, after: { nameSort: string; id: number } | null, limit: number) {
  let query = db
    .selectFrom('members as m')
    .innerJoin('orgUnits as u', 'u.id', 'm.unitId')
    .select((eb) => [
      'm.id as memberId',
      'm.name',
      'm.nameSort',
      'm.unitId',
      'u.name as unitName',
      'm.liaisonTarget as target',
      eb.selectFrom('liaisonAssignments as a').select((e) => e.fn.countAll<number>().as('n')).whereRef('a.memberId', '=', 'm.id').as('assigned'),
      eb.selectFrom('liaisonContacts as c').select((e) => e.fn.max('c.contactedOn').as('d')).whereRef('c.memberId', '=', 'm.id').as('lastContactOn'),
      eb
        .selectFrom('liaisonAssignments as a')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('a.memberId', '=', 'm.id')
        .where((e) =>
          e.not(e.exists(e.selectFrom('liaisonContacts as c').select('c.id').whereRef('c.workerId', '=', 'a.workerId').whereRef('c.memberId', '=', 'a.memberId').where('c.contactedOn', '>=', since))),
        )
        .as('overdue'),
    ])
    .where(inSubtreePaths('m.unitPath', [unitPath]));
  if (after) {
    query = query.where((eb) => eb.or([eb('m.nameSort', '>', after.nameSort), eb.and([eb('m.nameSort', '=', after.nameSort), eb('m.id', '>', after.id)])]));
  }
  const rows = await query.orderBy('m.nameSort').orderBy('m.id').limit(limit + 1).execute();
  return rows.map((r) => ({ ...r, assigned: Number(r.assigned ?? 0), overdue: Number(r.overdue ?? 0), lastContactOn: (r.lastContactOn) ?? null }));
}

export async function workersOfMember(db: Db, memberId: number) {
  const rows = await db
    .selectFrom('liaisonAssignments as a')
    .innerJoin('workers as w', 'w.id', 'a.workerId')
    .select((eb) => [
      'w.id as workerId',
      'w.name',
      'w.phoneEnc',
      'a.assignedAt',
      eb.selectFrom('liaisonContacts as c').select((e) => e.fn.max('c.contactedOn').as('d')).whereRef('c.workerId', '=', 'a.workerId').whereRef('c.memberId', '=', 'a.memberId').as('lastContactOn'),
    ])
    .where('a.memberId', '=', memberId)
    .where('w.consentWithdrawnAt', 'is', null)
    .orderBy('w.nameSort')
    .execute();
  return rows.map((r) => ({ ...r, lastContactOn: (r.lastContactOn) ?? null }));
}

/** Members of the branches beneath a unit with their current load, for auto-assignment. */
export async function memberLoads(db: Db, unitPath: string) {
  const rows = await db
    .selectFrom('members as m')
    .select((eb) => ['m.id as memberId', 'm.unitId as branchId', 'm.liaisonTarget as target', eb.selectFrom('liaisonAssignments as a').select((e) => e.fn.countAll<number>().as('n')).whereRef('a.memberId', '=', 'm.id').as('assigned')])
    .where(inSubtreePaths('m.unitPath', [unitPath]))
    .orderBy('m.id')
    .execute();
  return rows.map((r) => ({ ...r, assigned: Number(r.assigned ?? 0) }));
}

/** Active workers beneath a unit, served by a branch, who have no liaison yet, in id order. */
export async function unassignedWorkers(db: Db, unitPath: string) {
  const rows = await db
    .selectFrom('workers as w')
    .leftJoin('liaisonAssignments as a', 'a.workerId', 'w.id')
    .select(['w.id as workerId', 'w.unitId'])
    .where(inSubtreePaths('w.unitPath', [unitPath]))
    .where('a.workerId', 'is', null)
    .where('w.status', '=', 'active')
    .where('w.consentWithdrawnAt', 'is', null)
    .where('w.unitId', 'is not', null)
    .orderBy('w.id')
    .execute();
  return rows.map((r) => ({ workerId: r.workerId, branchId: r.unitId! }));
}

export async function listContacts(db: Db, filter: { workerId?: number; memberId?: number; scopePath: string | null; beforeId: number | null; limit: number }) {
  let query = db
    .selectFrom('liaisonContacts as c')
    .innerJoin('members as m', 'm.id', 'c.memberId')
    .innerJoin('workers as w', 'w.id', 'c.workerId')
    .select(['c.id', 'c.memberId', 'm.name as memberName', 'c.workerId', 'w.name as workerName', 'c.contactedOn', 'c.channel', 'c.notes', 'c.demandsRaised', 'c.createdAt']);
  if (filter.workerId) query = query.where('c.workerId', '=', filter.workerId);
  if (filter.memberId) query = query.where('c.memberId', '=', filter.memberId);
  if (filter.scopePath) query = query.where(inSubtreePaths('w.unitPath', [filter.scopePath]));
  if (filter.beforeId !== null) query = query.where('c.id', '<', filter.beforeId);
  return query.orderBy('c.id', 'desc').limit(filter.limit + 1).execute();
}
