import type { Kysely, Updateable } from 'kysely';
import { recordAudit } from '../../core/audit.js';
import { chinaDate } from '../../core/clock.js';
import { AppError, conflict, forbidden, notFound } from '../../core/errors.js';
import { authorize } from '../../core/scope.js';
import type { SensitiveCodec } from '../../core/sensitive.js';
import type { Database, MemberTransfersTable } from '../../db/tables.js';
import { findUnit, inSubtreePaths } from '../org/org.queries.js';
import type { Context } from '../org/org.operations.js';
import { loadMemberFor, ruleViolation, withTransferReasons } from './members.operations.js';
import { isUniqueViolation } from '../../db/engine.js';
import { findTransfer, hasOpenTransfer } from './members.queries.js';
import { hostRefusal, isRefusal, openTransferRefusal, type TransferStep, transferMove, transferRequestRefusal } from './members.rules.js';
import type { TransferItem } from './members.schema.js';

type Db = Kysely<Database>;
type Found = NonNullable<Awaited<ReturnType<typeof findTransfer>>>;

export function transferItemOf(stored: Omit<Found, 'fromPath' | 'toPath'>, codec: SensitiveCodec): TransferItem {
  const row = withTransferReasons(codec, stored);
  return {
    id: row.id,
    memberId: row.memberId,
    memberName: row.memberName,
    fromUnitId: row.fromUnitId,
    fromUnitName: row.fromUnitName,
    toUnitId: row.toUnitId,
    toUnitName: row.toUnitName,
    status: row.status,
    reason: row.reason,
    rejectReason: row.rejectReason,
    requestedAt: row.requestedAt,
    approvedAt: row.approvedAt,
    acceptedAt: row.acceptedAt,
    doneAt: row.doneAt,
    rejectedAt: row.rejectedAt,
  };
}

/** The sending side (write on the member's host branch) asks to move the member to another branch. */
export async function requestTransfer(db: Db, codec: SensitiveCodec, ctx: Context, input: { memberId: number; toUnitId: number; reason: string }): Promise<TransferItem> {
  return db.transaction().execute(async (trx) => {
    const member = await loadMemberFor(trx, ctx, input.memberId, 'person.write');
    // The receiving branch may lie outside the requester's scope: that is the point of a transfer.
    const toUnit = await findUnit(trx, input.toUnitId);
    if (!toUnit) throw notFound('org_unit');
    const refusal = transferRequestRefusal({ fromUnitId: member.unitId, toUnit, hasOpenTransfer: await hasOpenTransfer(trx, member.id) });
    if (refusal) throw ruleViolation(refusal);
    const { id } = await trx
      .insertInto('memberTransfers')
      .values({
        memberId: member.id,
        fromUnitId: member.unitId,
        toUnitId: toUnit.id,
        status: 'requested',
        reason: codec.encrypt(input.reason),
        requestedAt: ctx.now.toISOString(),
        requestedBy: ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? ruleViolation(openTransferRefusal) : error;
      });
    await recordAudit(trx, { actor: ctx.actor, action: 'member_transfer.request', entityType: 'member_transfer', entityId: id, ip: ctx.ip, at: ctx.now, detail: { memberId: member.id, fromUnitId: member.unitId, toUnitId: toUnit.id } });
    return transferItemOf((await findTransfer(trx, id))!, codec);
  });
}

/** A transfer is visible to whoever may read people on either side; to anyone else it does not exist. */
export async function loadTransferFor(db: Db, ctx: Pick<Context, 'actor'>, id: number): Promise<Found> {
  const transfer = await findTransfer(db, id);
  if (!transfer) throw notFound('member_transfer');
  const sees = [transfer.fromPath, transfer.toPath].some((p) => authorize(ctx.actor, 'person.read', p) === 'allowed');
  if (!sees) throw notFound('member_transfer');
  return transfer;
}

export async function decideTransfer(db: Db, codec: SensitiveCodec, ctx: Context, id: number, step: TransferStep, rejectReason?: string): Promise<TransferItem> {
  return db.transaction().execute(async (trx) => {
    const transfer = await loadTransferFor(trx, ctx, id);
    const move = transferMove(transfer.status, step);
    if (isRefusal(move)) throw ruleViolation(move);
    const sidePath = move.side === 'sending' ? transfer.fromPath : transfer.toPath;
    if (authorize(ctx.actor, 'person.write', sidePath) !== 'allowed') throw forbidden(`member_transfer.${step}`);
    const at = ctx.now.toISOString();
    const changes: Updateable<MemberTransfersTable> = { status: move.to };
    if (step === 'approve') Object.assign(changes, { approvedAt: at, approvedBy: ctx.actor.userId });
    if (step === 'accept') Object.assign(changes, { acceptedAt: at, acceptedBy: ctx.actor.userId, doneAt: at });
    if (step === 'reject') Object.assign(changes, { rejectedAt: at, rejectedBy: ctx.actor.userId, rejectReason: rejectReason === undefined ? null : codec.encrypt(rejectReason) });
    // The status read above is the condition of the write, so two people deciding at once cannot both win.
    const result = await trx.updateTable('memberTransfers').set(changes).where('id', '=', id).where('status', '=', transfer.status).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw conflict({ zh: '转接状态已被他人更改，请刷新', en: 'Someone else changed this transfer; reload it' });
    if (step === 'accept') await moveMember(trx, ctx, transfer);
    await recordAudit(trx, {
      actor: ctx.actor,
      action: `member_transfer.${step}`,
      entityType: 'member_transfer',
      entityId: id,
      ip: ctx.ip,
      at: ctx.now,
      detail: { memberId: transfer.memberId, fromUnitId: transfer.fromUnitId, toUnitId: transfer.toUnitId, status: move.to },
    });
    return transferItemOf((await findTransfer(trx, id))!, codec);
  });
}

/**
 * Acceptance: the member's host changes in the same transaction as the transfer's status, so they are
 * always in exactly one branch. Terms held in the branch they leave end that day.
 */
async function moveMember(trx: Db, ctx: Context, transfer: Found): Promise<void> {
  const toUnit = await findUnit(trx, transfer.toUnitId);
  if (!toUnit) throw notFound('org_unit');
  const refusal = hostRefusal(toUnit);
  if (refusal) throw ruleViolation(refusal);
  const member = await trx.selectFrom('members').select(['id', 'unitId']).where('id', '=', transfer.memberId).executeTakeFirstOrThrow();
  if (member.unitId !== transfer.fromUnitId) throw new AppError(409, 'CONFLICT', { reason: { zh: '党员已不在转出支部', en: 'The member is no longer hosted by the sending branch' } });
  await trx.updateTable('members').set({ unitId: toUnit.id, unitPath: toUnit.path, updatedAt: ctx.now.toISOString() }).where('id', '=', member.id).execute();
  const today = chinaDate(ctx.now);
  await trx
    .updateTable('memberRoles')
    .set({ toDate: today })
    .where('memberId', '=', member.id)
    .where('toDate', 'is', null)
    .where('unitId', 'in', (eb) => eb.selectFrom('orgUnits').select('id').where(inSubtreePaths('orgUnits.path', [transfer.fromPath])))
    .execute();
}
