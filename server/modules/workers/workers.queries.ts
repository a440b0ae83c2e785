import type { Kysely } from 'kysely';
import { queryTokens } from '../../core/text-search.js';
import type { Database, Worker } from '../../db/tables.js';
import { listPage, searchRoots, searchWalks } from '../../db/text-search.js';
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

/**
 * Workers matching the list's filters and scope, in pinyin order after the cursor, as walks (db/text-search.ts):
 * callers pick the columns on each and run them as one page with listPage.
 */
export async function workersMatching(db: Db, f: Omit<WorkerListFilter, 'limit'>) {
  const tokens = f.q ? queryTokens(f.q) : [];
  const within = (column: string) => [...(f.scope === 'all' ? [] : [inSubtreePaths(column, f.scope)]), ...(f.subtree ? [inSubtreePaths(column, [f.subtree])] : [])];
  // A search walks the n-gram key in list order (db/text-search.ts): the same rows in the same order as the list.
  const walks = tokens.length > 0 ? await searchWalks(db, 'workers', tokens as [string, ...string[]], f.after, within, searchRoots(f.scope, f.subtree)) : [inNameOrder(db, f.after)];
  return walks.map((walk) => {
    // A worker who withdrew consent is kept only as the law requires, and never listed.
    let query = walk.where('workers.consentWithdrawnAt', 'is', null);
    for (const inScope of within('workers.unitPath')) query = query.where(inScope);
    if (f.platformId) query = query.where('workers.platformId', '=', f.platformId);
    if (f.cityCode) query = query.where('workers.cityCode', '=', f.cityCode);
    if (f.status) query = query.where('workers.status', '=', f.status);
    return query;
  });
}

function inNameOrder(db: Db, after: WorkerListFilter['after']) {
  let query = db.selectFrom('workers');
  if (after) {
    const { nameSort, id } = after;
    query = query.where((eb) => eb.or([eb('nameSort', '>', nameSort), eb.and([eb('nameSort', '=', nameSort), eb('id', '>', id)])]));
  }
  return query.orderBy('nameSort').orderBy('id');
}

export async function listWorkers(db: Db, f: WorkerListFilter) {
  const walks = await workersMatching(db, f);
  return listPage(
    walks.map((walk) => walk.select(['id', 'name', 'nameSort', 'phoneEnc', 'platformId', 'platformWorkerId', 'workType', 'vehicle', 'cityCode', 'unitId', 'status'])),
    f.limit + 1,
  ).execute();
}
