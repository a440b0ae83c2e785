import type { Kysely } from 'kysely';
import { ensureAllowed } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import { notFound } from '../../core/errors.js';
import type { Database, MemberRoleKind } from '../../db/tables.js';
import { findUnit } from '../org/org.queries.js';
import type { Context } from '../org/org.operations.js';
import { loadMemberFor, ruleViolation } from './members.operations.js';
import { isUniqueViolation } from '../../db/engine.js';
import { findRole, openRolesIn } from './members.queries.js';
import { roleEndRefusal, roleRefusal, secretaryTakenRefusal } from './members.rules.js';

type Db = Kysely<Database>;

/** Starts a term in a role; the member's branch records who held what and when. */
export async function addRole(db: Db, ctx: Context, memberId: number, input: { unitId: number; role: MemberRoleKind; fromDate: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const member = await loadMemberFor(trx, ctx, memberId, 'person.write');
    const unit = await findUnit(trx, input.unitId);
    if (!unit) throw notFound('org_unit');
    ensureAllowed(ctx.actor, 'person.write', unit.path);
    const branch = await findUnit(trx, member.unitId);
    const holders = await openRolesIn(trx, unit.id, input.role);
    const refusal = roleRefusal({
      role: input.role,
      unit,
      branchPath: branch?.path ?? member.unitPath,
      openSameRole: holders.some((h) => h.memberId === member.id),
      heldByAnother: holders.some((h) => h.memberId !== member.id),
    });
    if (refusal) throw ruleViolation(refusal);
    const { id } = await trx
      .insertInto('memberRoles')
      .values({ memberId: member.id, unitId: unit.id, role: input.role, fromDate: input.fromDate, toDate: null })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? ruleViolation(secretaryTakenRefusal) : error;
      });
    await recordAudit(trx, { actor: ctx.actor, action: 'member.role_start', entityType: 'member', entityId: member.id, ip: ctx.ip, at: ctx.now, detail: { roleId: id, ...input } });
  });
}

export async function endRole(db: Db, ctx: Context, memberId: number, roleId: number, toDate: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const member = await loadMemberFor(trx, ctx, memberId, 'person.write');
    const role = await findRole(trx, roleId);
    if (!role || role.memberId !== member.id) throw notFound('member_role');
    const refusal = roleEndRefusal(role, toDate);
    if (refusal) throw ruleViolation(refusal);
    await trx.updateTable('memberRoles').set({ toDate }).where('id', '=', roleId).execute();
    await recordAudit(trx, { actor: ctx.actor, action: 'member.role_end', entityType: 'member', entityId: member.id, ip: ctx.ip, at: ctx.now, detail: { roleId, toDate } });
  });
}
