import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { DeletionRequestStatus } from '../../db/tables-privacy.js';
import { inSubtreePaths } from '../org/org.queries.js';

type Db = Kysely<Database>;

// A request is decided over the worker's serving unit; one without a worker record or a serving unit
// belongs to system admins alone.
function staffRequests(db: Db) {
  return db
    .selectFrom('deletionRequests as d')
    .innerJoin('users as u', 'u.id', 'd.userId')
    .leftJoin('workers as w', 'w.id', 'd.workerId')
    .leftJoin('orgUnits as o', 'o.id', 'w.unitId')
    .leftJoin('orgUnits as e', 'e.id', 'd.escalatedToUnitId')
    .select([
      'd.id', 'd.status', 'd.reason', 'd.requestedAt', 'd.dueAt', 'd.decidedAt', 'd.decisionNote', 'd.outcome', 'd.workerId', 'd.userId', 'd.escalatedAt',
      'u.username', 'u.displayName', 'w.name as workerName', 'w.unitPath', 'o.name as unitName', 'e.name as escalatedToUnitName',
    ]);
}

export type StaffRequestRow = Awaited<ReturnType<ReturnType<typeof staffRequests>['executeTakeFirstOrThrow']>>;

export async function listStaffRequests(
  db: Db,
  filter: { scope: readonly string[] | 'all'; status: DeletionRequestStatus | undefined; after: { dueAt: string; id: number } | null; limit: number },
): Promise<StaffRequestRow[]> {
  let query = staffRequests(db);
  if (filter.scope !== 'all') query = query.where(inSubtreePaths('w.unitPath', filter.scope));
  if (filter.status) query = query.where('d.status', '=', filter.status);
  const after = filter.after;
  if (after) query = query.where((eb) => eb.or([eb('d.dueAt', '>', after.dueAt), eb.and([eb('d.dueAt', '=', after.dueAt), eb('d.id', '>', after.id)])]));
  // By due date: among waiting requests the overdue come first (index deletion_requests_due).
  return query.orderBy('d.dueAt').orderBy('d.id').limit(filter.limit + 1).execute();
}

export function findStaffRequest(db: Db, id: number): Promise<StaffRequestRow | undefined> {
  return staffRequests(db).where('d.id', '=', id).executeTakeFirst();
}

export function requestsOfUser(db: Db, userId: number) {
  return db.selectFrom('deletionRequests').select(['id', 'status', 'reason', 'requestedAt', 'dueAt', 'decidedAt', 'decisionNote']).where('userId', '=', userId).orderBy('id', 'desc').execute();
}
