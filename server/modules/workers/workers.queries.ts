import type { Kysely } from 'kysely';
import { queryTokens } from '../../core/text-search.js';
import type { Database, Worker } from '../../db/tables.js';
import { matchesTokens } from '../../db/text-search.js';
import { inSubtreePaths } from '../org/org.queries.js';

type Db = Kysely<Database>;

export async function findWorker(db: Db, id: number): Promise<Worker | undefined> {
  return db.selectFrom('workers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findWorkerByPhoneHash(db: Db, phoneHash: string) {
  return db.selectFrom('workers').select(['id', 'name']).where('phoneHash', '=', phoneHash).executeTakeFirst();
}

export async function findWorkerByPlatformId(db: Db, platformId: number, platformWorkerId: string) {
  return db.selectFrom('workers').select(['id', 'name']).where('platformId', '=', platformId).where('platformWorkerId', '=', platformWorkerId).executeTakeFirst();
}

/** The first open mobile branch of a platform in a city, within a scope: where a new worker is served by default. */
export async function defaultServingUnit(db: Db, platformId: number, cityCode: string, scope: readonly string[] | 'all' = 'all') {
  let query = db
    .selectFrom('orgUnits')
    .select(['id', 'path'])
    .where('platformId', '=', platformId)
    .where('cityCode', '=', cityCode)
    .where('kind', '=', 'mobile_branch')
    .where('closedOn', 'is', null);
  if (scope !== 'all') query = query.where(inSubtreePaths('orgUnits.path', scope));
  return query.orderBy('id').limit(1).executeTakeFirst();
}

export type WorkerListFilter = {
  scope: readonly string[] | 'all';
  subtree?: string;
  q?: string;
  platformId?: number;
  cityCode?: string;
  status?: 'active' | 'inactive';
  after: { nameSort: string; id: number } | null;
  limit: number;
};

/** Workers matching the list's filters and scope, in pinyin order after the cursor; callers pick the columns. */
export function workersMatching(db: Db, f: Omit<WorkerListFilter, 'limit'>) {
  let query = db
    .selectFrom('workers')
    // A worker who withdrew consent is kept only as the law requires, and never listed.
    .where('consentWithdrawnAt', 'is', null);
  if (f.scope !== 'all') {
    query = query.where(inSubtreePaths('workers.unitPath', f.scope));
  }
  if (f.subtree) {
    query = query.where(inSubtreePaths('workers.unitPath', [f.subtree]));
  }
  if (f.platformId) query = query.where('platformId', '=', f.platformId);
  if (f.cityCode) query = query.where('cityCode', '=', f.cityCode);
  if (f.status) query = query.where('status', '=', f.status);
  const tokens = f.q ? queryTokens(f.q) : [];
  if (tokens.length > 0) query = query.where(matchesTokens(db, 'workers', 'workers', tokens));
  if (f.after) {
    const { nameSort, id } = f.after;
    query = query.where((eb) => eb.or([eb('nameSort', '>', nameSort), eb.and([eb('nameSort', '=', nameSort), eb('id', '>', id)])]));
  }
  return query.orderBy('nameSort').orderBy('id');
}

export async function listWorkers(db: Db, f: WorkerListFilter) {
  return workersMatching(db, f)
    .select(['id', 'name', 'nameSort', 'phoneEnc', 'platformId', 'platformWorkerId', 'workType', 'vehicle', 'cityCode', 'unitId', 'status'])
    .limit(f.limit + 1)
    .execute();
}
