import type { Kysely } from 'kysely';
import { recordAudit } from '../../core/audit.js';
import { conflict, forbidden, notFound } from '../../core/errors.js';
import { authorize } from '../../core/scope.js';
import { decryptNullable, maskedPhoneOf, type SensitiveCodec } from '../../core/sensitive.js';
import type { Database } from '../../db/tables.js';
import { findUnit } from '../org/org.queries.js';
import type { Context } from '../org/org.operations.js';
import { defaultServingUnit, findWorker } from '../workers/workers.queries.js';
import { idCardOrError, insertMember, ruleViolation } from './members.operations.js';
import { findDeclaration, findMemberBy, latestDeclarationOfWorker } from './members.queries.js';
import { hostRefusal } from './members.rules.js';
import type { DeclarationItem, VerifyDeclarationInput } from './members.schema.js';

type Db = Kysely<Database>;
type Found = NonNullable<Awaited<ReturnType<typeof findDeclaration>>>;

export function declarationItemOf(row: Found, codec: SensitiveCodec): DeclarationItem {
  return {
    id: row.id,
    workerId: row.workerId,
    workerName: row.workerName,
    phone: maskedPhoneOf(codec, row.phoneEnc),
    unitId: row.unitId,
    homeOrgText: codec.decrypt(row.homeOrgText),
    joinDate: codec.decrypt(row.joinDate),
    status: row.status,
    decisionReason: decryptNullable(codec, row.decisionReason),
    decidedAt: row.decidedAt,
    memberId: row.memberId,
    createdAt: row.createdAt,
  };
}

async function ownWorker(db: Db, ctx: Context) {
  const worker = await db.selectFrom('workers').selectAll().where('userId', '=', ctx.actor.userId).executeTakeFirst();
  if (!worker || worker.consentWithdrawnAt) throw notFound('worker');
  return worker;
}

export async function myDeclaration(db: Db, ctx: Context): Promise<Found> {
  const declaration = await latestDeclarationOfWorker(db, (await ownWorker(db, ctx)).id);
  if (!declaration) throw notFound('member_declaration');
  return declaration;
}

/**
 * A worker declares they are a member. It goes to the first open mobile branch of their platform and
 * city, the branch that serves them, and only that branch's scope ever sees it.
 */
export async function declareMembership(db: Db, codec: SensitiveCodec, ctx: Context, input: { homeOrgText: string; joinDate: string }): Promise<Found> {
  return db.transaction().execute(async (trx) => {
    const worker = await ownWorker(trx, ctx);
    if (await findMemberBy(trx, 'workerId', worker.id)) throw conflict({ zh: '您已登记为党员', en: 'You are already recorded as a member' });
    const latest = await latestDeclarationOfWorker(trx, worker.id);
    if (latest?.status === 'pending') throw conflict({ zh: '您的申报正在核实中', en: 'Your declaration is already being verified' });
    const branch = await defaultServingUnit(trx, worker.platformId, worker.cityCode);
    const { id } = await trx
      .insertInto('memberDeclarations')
      .values({
        workerId: worker.id,
        unitId: branch?.id ?? null,
        unitPath: branch?.path ?? null,
        homeOrgText: codec.encrypt(input.homeOrgText),
        joinDate: codec.encrypt(input.joinDate),
        status: 'pending',
        createdAt: ctx.now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor: ctx.actor, action: 'member_declaration.create', entityType: 'member_declaration', entityId: id, ip: ctx.ip, at: ctx.now, detail: { unitId: branch?.id ?? null } });
    return (await findDeclaration(trx, id))!;
  });
}

/** Outside the branch's scope a declaration does not exist; inside it, deciding needs write. */
async function loadPendingFor(db: Db, ctx: Context, id: number): Promise<Found> {
  const declaration = await findDeclaration(db, id);
  if (!declaration) throw notFound('member_declaration');
  // Unrouted declarations (no branch for the platform and city) wait for a system admin.
  const decision = authorize(ctx.actor, 'person.write', declaration.unitPath ?? '/unassigned/');
  if (decision === 'out_of_scope' || (decision === 'forbidden' && authorize(ctx.actor, 'person.read', declaration.unitPath ?? '/unassigned/') !== 'allowed')) {
    throw notFound('member_declaration');
  }
  if (decision === 'forbidden') throw forbidden('person.write');
  if (declaration.status !== 'pending') throw ruleViolation({ zh: '该申报已处理', en: 'This declaration has already been decided' });
  return declaration;
}

async function settle(trx: Db, ctx: Context, id: number, change: { status: 'verified' | 'rejected'; decisionReason: string | null; memberId: number | null }) {
  const result = await trx
    .updateTable('memberDeclarations')
    .set({ ...change, decidedAt: ctx.now.toISOString(), decidedBy: ctx.actor.userId })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict({ zh: '该申报已被他人处理', en: 'Someone else has decided this declaration' });
  await recordAudit(trx, { actor: ctx.actor, action: `member_declaration.${change.status === 'verified' ? 'verify' : 'reject'}`, entityType: 'member_declaration', entityId: id, ip: ctx.ip, at: ctx.now, detail: { memberId: change.memberId } });
}

/** Verification creates the member, linked to the worker; the secretary supplies what a worker does not declare. */
export async function verifyDeclaration(db: Db, codec: SensitiveCodec, ctx: Context, id: number, input: VerifyDeclarationInput): Promise<Found> {
  const idCard = idCardOrError(input.idCard);
  return db.transaction().execute(async (trx) => {
    const declaration = await loadPendingFor(trx, ctx, id);
    const worker = await findWorker(trx, declaration.workerId);
    if (!worker) throw notFound('worker');
    const unit = declaration.unitId ? await findUnit(trx, declaration.unitId) : undefined;
    if (!unit) throw ruleViolation({ zh: '该申报尚未分配到支部', en: 'This declaration has no branch to host the member' });
    const refusal = hostRefusal(unit);
    if (refusal) throw ruleViolation(refusal);
    const memberId = await insertMember(
      trx,
      codec,
      {
        name: worker.name,
        gender: input.gender,
        birthYear: input.birthYear,
        phone: codec.decrypt(worker.phoneEnc),
        idCard,
        joinDate: codec.decrypt(declaration.joinDate),
        status: input.status,
        unit,
        workerId: worker.id,
        // Someone who declares to the platform's branch works away from where their relation is kept.
        isMobile: true,
        homeOrgText: codec.decrypt(declaration.homeOrgText),
        homeUnitId: null,
        mobilityType: input.mobilityType ?? null,
        mobilityReason: input.mobilityReason ?? null,
      },
      ctx.now,
    );
    await recordAudit(trx, { actor: ctx.actor, action: 'member.create', entityType: 'member', entityId: memberId, ip: ctx.ip, at: ctx.now, detail: { unitId: unit.id, declarationId: id } });
    await settle(trx, ctx, id, { status: 'verified', decisionReason: null, memberId });
    return (await findDeclaration(trx, id))!;
  });
}

export async function rejectDeclaration(db: Db, codec: SensitiveCodec, ctx: Context, id: number, reason: string): Promise<Found> {
  return db.transaction().execute(async (trx) => {
    await loadPendingFor(trx, ctx, id);
    await settle(trx, ctx, id, { status: 'rejected', decisionReason: codec.encrypt(reason), memberId: null });
    return (await findDeclaration(trx, id))!;
  });
}
