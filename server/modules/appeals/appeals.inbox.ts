// The handler's queue: appeals in scope, soonest deadline first (those with no running deadline last),
// then by id; keyset-paged on that order.
import { type Kysely, sql } from 'kysely';
import type { AppealCategory } from '../../db/tables-appeals.js';
import type { Database } from '../../db/tables.js';
import { inSubtreePaths } from '../org/org.queries.js';
import type { AppealLevel, AppealStatus } from './appeals.rules.js';
import { closedStatuses } from './appeals.rules.js';

type Db = Kysely<Database>;

export type InboxFilter = {
  /** Subtrees the caller reads; 'all' for system admins. An appeal counts if it is held or started there. */
  scope: readonly string[] | 'all';
  category?: AppealCategory;
  status?: AppealStatus | 'open' | 'closed';
  level?: AppealLevel;
  overdue?: boolean;
  assigneeUserId?: number;
  workerId?: number;
  /** Looking for duplicates: the same platform and city, filed since then, other than this one. */
  platformId?: number | null;
  cityCode?: string | null;
  createdSince?: string;
  excludeId?: number;
  now: string;
  after: { hasNoDue: number; dueAt: string | null; id: number } | null;
  limit: number;
};

export async function listAppeals(db: Db, f: InboxFilter) {
  let query = db
    .selectFrom('appeals as a')
    .innerJoin('orgUnits as u', 'u.id', 'a.unitId')
    .leftJoin('platforms as p', 'p.id', 'a.platformId')
    .leftJoin('users as h', 'h.id', 'a.assigneeUserId')
    .selectAll('a')
    .select(['u.name as unitName', 'p.name as platformName', 'h.displayName as assigneeName', sql<number>`case when a.due_at is null then 1 else 0 end`.as('hasNoDue')]);
  if (f.scope !== 'all') {
    const scope = f.scope;
    query = query.where((eb) => eb.or([inSubtreePaths('a.unitPath', scope), inSubtreePaths('a.originUnitPath', scope)]));
  }
  if (f.category) query = query.where('a.category', '=', f.category);
  const closed = [...closedStatuses];
  if (f.status === 'open') query = query.where('a.status', 'not in', closed);
  else if (f.status === 'closed') query = query.where('a.status', 'in', closed);
  else if (f.status) query = query.where('a.status', '=', f.status);
  if (f.level) query = query.where('a.level', '=', f.level);
  if (f.overdue === true) query = query.where('a.dueAt', '<', f.now);
  if (f.overdue === false) query = query.where((eb) => eb.or([eb('a.dueAt', 'is', null), eb('a.dueAt', '>=', f.now)]));
  if (f.assigneeUserId !== undefined) query = query.where('a.assigneeUserId', '=', f.assigneeUserId);
  if (f.workerId !== undefined) query = query.where('a.workerId', '=', f.workerId);
  if (f.platformId !== undefined) query = f.platformId === null ? query.where('a.platformId', 'is', null) : query.where('a.platformId', '=', f.platformId);
  if (f.cityCode !== undefined) query = f.cityCode === null ? query.where('a.cityCode', 'is', null) : query.where('a.cityCode', '=', f.cityCode);
  if (f.createdSince !== undefined) query = query.where('a.createdAt', '>=', f.createdSince);
  if (f.excludeId !== undefined) query = query.where('a.id', '!=', f.excludeId);
  const after = f.after;
  if (after) {
    if (after.hasNoDue === 1) {
      query = query.where('a.dueAt', 'is', null).where('a.id', '>', after.id);
    } else {
      const due = after.dueAt ?? '';
      query = query.where((eb) =>
        eb.or([eb('a.dueAt', 'is', null), eb('a.dueAt', '>', due), eb.and([eb('a.dueAt', '=', due), eb('a.id', '>', after.id)])]),
      );
    }
  }
  return query
    .orderBy(sql`case when a.due_at is null then 1 else 0 end`)
    .orderBy('a.dueAt')
    .orderBy('a.id')
    .limit(f.limit + 1)
    .execute();
}
export type InboxRow = Awaited<ReturnType<typeof listAppeals>>[number];
