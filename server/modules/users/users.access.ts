// Which users an actor manages, and how a managed user is shown to them. Shared by the grant routes and
// the account routes (status, lockout, password reset), so both draw the same line.
import type { Kysely } from 'kysely';
import { AppError, conflict, forbidden, notFound } from '../../core/errors.js';
import { type Actor, authorize, isSystemAdmin, scopePaths } from '../../core/scope.js';
import type { Database } from '../../db/tables.js';
import { findUser, type GrantRow, grantsOf, type UserRow } from './users.queries.js';
import type { ManagedUser } from './users.schema.js';

type Db = Kysely<Database>;

export const mayManage = (actor: Actor, grant: Pick<GrantRow, 'unitPath'>) =>
  isSystemAdmin(actor) || (grant.unitPath !== null && authorize(actor, 'user.manage', grant.unitPath) === 'allowed');

/** Refuses (403) an actor who manages nobody anywhere, before any record is looked at. */
export function needsSomeScope(actor: Actor): void {
  const scope = scopePaths(actor, 'user.manage');
  if (scope !== 'all' && scope.length === 0) throw forbidden('user.manage');
}

/** The user as the actor sees them: only the grants the actor may change; the lockout only while it runs. */
export async function viewOf(db: Db, actor: Actor, user: UserRow, now: Date, grants?: GrantRow[]): Promise<ManagedUser> {
  const own = (grants ?? (await grantsOf(db, [user.id]))).filter((g) => g.userId === user.id && mayManage(actor, g));
  const locked = user.lockedUntil !== null && Date.parse(user.lockedUntil) > now.getTime();
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    disabled: user.disabledAt !== null,
    disabledAt: user.disabledAt,
    lockedUntil: locked ? user.lockedUntil : null,
    failedLogins: user.failedLogins,
    grants: own.map((g) => ({ id: g.id, role: g.role, unitId: g.unitId, unitName: g.unitName, createdAt: g.createdAt })),
  };
}

/** A user the actor manages: one with a grant inside the actor's subtree (any user for system admins). */
export async function loadManagedUser(db: Db, actor: Actor, id: number) {
  const user = await findUser(db, id);
  if (!user) throw notFound('user');
  if (isSystemAdmin(actor)) return user;
  const grants = await grantsOf(db, [id]);
  if (!grants.some((g) => mayManage(actor, g))) throw notFound('user');
  return user;
}

/**
 * A user whose account as a whole the actor may change (status, password). An account is one login for
 * all its grants: an org admin may act on it only when every grant lies in their subtree, or changing
 * it would reach into another committee's work. Such a user is visible (404 would lie), so it is a 403.
 */
export async function loadWhollyManagedUser(db: Db, actor: Actor, id: number) {
  const user = await loadManagedUser(db, actor, id);
  if (user.id === actor.userId) throw notYourself();
  if (isSystemAdmin(actor)) return user;
  const grants = await grantsOf(db, [id]);
  if (!grants.every((g) => mayManage(actor, g))) {
    throw new AppError(403, 'FORBIDDEN', { action: { zh: '管理在您管辖范围之外还有角色的账号（请由上级管理员办理）', en: 'manage an account that also holds roles outside your scope (an administrator above you does)' } });
  }
  return user;
}

export const notYourself = () => conflict({ zh: '不能修改自己的角色或账号，请由上级管理员办理', en: 'You cannot change your own roles or account; ask an administrator above you' });

/** Ends every session and bearer token of the user, in the change's own transaction. */
export async function endSessionsOf(trx: Db, userId: number): Promise<number> {
  const result = await trx.deleteFrom('sessions').where('userId', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
