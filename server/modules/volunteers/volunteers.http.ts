// What the volunteers route files share: the app they register on, loaders that answer 404 the same way
// for "missing" and "not yours to see", and the refusals as problem documents.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../core/actor.js';
import { chinaDate } from '../../core/clock.js';
import type { AppDeps } from '../../core/deps.js';
import { AppError, forbidden, invalid, notFound } from '../../core/errors.js';
import type { Bilingual } from '../../core/i18n.js';
import { type Action, type Actor, type Decision, authorize, scopePaths } from '../../core/scope.js';
import type { OrgUnit } from '../../db/tables.js';
import { findMember } from '../members/members.queries.js';
import { findUnit } from '../org/org.queries.js';
import { findWorker } from '../workers/workers.queries.js';
import { type Db, type TeamRow, findTeam } from './volunteers.queries.js';
import type { TeamSummary } from './volunteers.schema.js';

export type VolunteersApp = Parameters<FastifyPluginAsyncZod<AppDeps>>[0];

export const tags = ['volunteers'];

/** Who is asking, from where, and when (China's "today" for dates people see). */
export function metaOf(request: FastifyRequest, deps: AppDeps) {
  const now = deps.clock.now();
  return { actor: requireActor(request), ip: request.ip, now, today: chinaDate(now) };
}
export type Meta = ReturnType<typeof metaOf>;

export const ruleViolation = (reason: Bilingual, status = 409) => new AppError(status, 'RULE_VIOLATION', { reason });

/** The one answer to a decision: out of scope is a 404 (no hint the record exists), in scope but not allowed a 403. */
export function decide(decision: Decision, missing: () => AppError, action: string): void {
  if (decision === 'out_of_scope') throw missing();
  if (decision === 'forbidden') throw forbidden(action);
}

export const gridRoleNotFound = () => new AppError(404, 'NOT_FOUND', { entity: { zh: '网格员任职', en: 'grid role' } });

export async function teamOr404(db: Db, id: number): Promise<TeamRow> {
  const team = await findTeam(db, id);
  if (!team) throw notFound('volunteer_team');
  return team;
}

/** A unit the actor may act on for `action`; closed units take no new teams, posts or roles. */
export async function unitFor(db: Db, actor: Actor, unitId: number, action: Action, { open = false } = {}): Promise<OrgUnit> {
  const unit = await findUnit(db, unitId);
  if (!unit) throw notFound('org_unit');
  decide(authorize(actor, action, unit.path), () => notFound('org_unit'), action);
  if (open && unit.closedOn) throw new AppError(409, 'UNIT_CLOSED', { name: unit.name, closedOn: unit.closedOn });
  return unit;
}

/** The subtrees a list covers: one unit the actor reads, or everything in their scope. */
export async function listScope(db: Db, actor: Actor, action: Action, unitId: number | undefined): Promise<readonly string[] | 'all'> {
  if (unitId === undefined) return scopePaths(actor, action);
  return [(await unitFor(db, actor, unitId, action)).path];
}

/** A member the actor may read: missing and out-of-scope look the same. */
export async function memberFor(db: Db, actor: Actor, memberId: number) {
  const member = await findMember(db, memberId);
  if (!member || authorize(actor, 'person.read', member.unitPath) !== 'allowed') throw notFound('member');
  return member;
}

/**
 * A worker the actor may read, or (`alsoIf`) one the team's leader may add. A worker who withdrew
 * consent cannot be put on anything by someone else: to staff they no longer exist.
 */
export async function workerFor(db: Db, actor: Actor, workerId: number, alsoIf: (unitPath: string | null) => boolean = () => false) {
  const worker = await findWorker(db, workerId);
  if (!worker || worker.consentWithdrawnAt) throw notFound('worker');
  const reachable = authorize(actor, 'person.read', worker.unitPath ?? '/unassigned/') === 'allowed' || alsoIf(worker.unitPath);
  if (!reachable) throw notFound('worker');
  return worker;
}

export function teamSummaryOf(row: TeamRow): TeamSummary {
  return {
    id: row.id,
    unitId: row.unitId,
    unitName: row.unitName,
    name: row.name,
    description: row.description,
    foundedOn: row.foundedOn,
    closedOn: row.closedOn,
    activeVolunteers: Number(row.activeVolunteers),
  };
}

/** Every date in a request is checked against China's today: nothing is logged or begun in the future. */
export function notAfterToday(field: string, date: string | undefined, today: string): void {
  if (date !== undefined && date > today) throw invalid(field, { zh: '不能晚于今天', en: 'must not be after today' });
}
