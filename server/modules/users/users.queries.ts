import { type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/tables.js';
import { escapeLike, inSubtreePaths } from '../org/org.queries.js';
import type { UserGrant } from './users.schema.js';

type Db = Kysely<Database>;

/** Users with a grant inside the subtrees (all users for 'all'), in id order, a page at a time. */
export async function listManagedUsers(db: Db, f: { scope: readonly string[] | 'all'; q: string | undefined; afterId: number | null; limit: number }) {
  let query = db.selectFrom('users').select(['users.id', 'users.username', 'users.displayName', 'users.disabledAt', 'users.lockedUntil', 'users.failedLogins']);
  if (f.scope !== 'all') {
    const scope = f.scope;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('roleGrants as g').innerJoin('orgUnits as u', 'u.id', 'g.unitId').select('g.id').whereRef('g.userId', '=', 'users.id').where(inSubtreePaths('u.path', scope))),
    );
  }
  if (f.q) {
    const pattern = `%${escapeLike(f.q.toLowerCase())}%`;
    query = query.where(sql<SqlBool>`(lower(${sql.ref('users.username')}) like ${pattern} escape '\\' or lower(${sql.ref('users.displayName')}) like ${pattern} escape '\\')`);
  }
  if (f.afterId !== null) query = query.where('users.id', '>', f.afterId);
  return query.orderBy('users.id').limit(f.limit + 1).execute();
}

export type UserRow = { id: number; username: string; displayName: string; disabledAt: string | null; lockedUntil: string | null; failedLogins: number };

export function findUser(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').select(['id', 'username', 'displayName', 'disabledAt', 'lockedUntil', 'failedLogins']).where('id', '=', id).executeTakeFirst();
}

export type GrantRow = UserGrant & { userId: number; unitPath: string | null };

export async function grantsOf(db: Db, userIds: readonly number[]): Promise<GrantRow[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('roleGrants as g')
    .leftJoin('orgUnits as u', 'u.id', 'g.unitId')
    .select(['g.id', 'g.userId', 'g.role', 'g.unitId', 'u.name as unitName', 'u.path as unitPath', 'g.createdAt'])
    .where('g.userId', 'in', userIds)
    .orderBy('g.id')
    .execute();
}
