// A unit named in a request, checked against the caller's grants.
import type { Kysely } from 'kysely';
import { ensureAllowed } from '../../core/actor.js';
import { notFound } from '../../core/errors.js';
import type { Action, Actor } from '../../core/scope.js';
import type { Database } from '../../db/tables.js';
import { findUnit } from './org.queries.js';

/**
 * The unit's id and path if the actor may do `action` there; otherwise the 404 (no such unit, or out of
 * scope) or 403 that `findUnit` then `ensureAllowed` answer. A unit the actor holds a grant at came with
 * the session's own statement, path included, so it is not read again: a secretary's inbox and figures are
 * mostly asked for their own unit, and on PostgreSQL every statement is a round trip (issue 6). Units below
 * a grant are read.
 */
export async function unitInScope(db: Kysely<Database>, actor: Actor, unitId: number, action: Action): Promise<{ id: number; path: string }> {
  const path = actor.grants.find((g) => g.unitId === unitId && g.unitPath !== null)?.unitPath ?? (await findUnit(db, unitId))?.path;
  if (path === undefined) throw notFound('org_unit');
  ensureAllowed(actor, action, path);
  return { id: unitId, path };
}
