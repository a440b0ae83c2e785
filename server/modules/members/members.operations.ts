import type { Kysely } from 'kysely';
import { recordAudit } from '../../core/audit.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../core/errors.js';
import { nameSortKey } from '../../core/name-sort.js';
import { authorize } from '../../core/scope.js';
import { decryptNullable, encryptNullable, maskedPhoneOf, maskIdCard, maskPhone, normalizeIdCard, normalizePhone, type SensitiveCodec } from '../../core/sensitive.js';
import { personTokens } from '../../core/text-search.js';
import type { Database, Member, MemberStatus, MobilityType, OrgUnit } from '../../db/tables.js';
import { writeSearchTokens } from '../../db/text-search.js';
import { findUnit } from '../org/org.queries.js';
import type { Context } from '../org/org.operations.js';
import { findWorker, findWorkerByPhoneHash } from '../workers/workers.queries.js';
import { findMemberBy, findMember, rolesOfMember, transfersOfMember } from './members.queries.js';
import { hostRefusal, type Refusal } from './members.rules.js';
import type { CreateMemberInput, MemberDetail, MemberListItem, UpdateMemberInput } from './members.schema.js';

type Db = Kysely<Database>;

export const ruleViolation = (reason: Refusal) => new AppError(409, 'RULE_VIOLATION', { reason });

/** Membership details are stored encrypted; this is them in clear, for one member being shown or compared. */
export function membershipOf(codec: SensitiveCodec, m: Pick<Member, 'joinDate' | 'homeOrgText' | 'mobilityReason'>) {
  return { joinDate: codec.decrypt(m.joinDate), homeOrgText: decryptNullable(codec, m.homeOrgText), mobilityReason: decryptNullable(codec, m.mobilityReason) };
}

/** A transfer's reasons in clear (stored encrypted: why a member moves is their own business). */
export function withTransferReasons<T extends { reason: string; rejectReason: string | null }>(codec: SensitiveCodec, row: T): T {
  return { ...row, reason: codec.decrypt(row.reason), rejectReason: decryptNullable(codec, row.rejectReason) };
}

export function listItemOf(row: Pick<Member, 'id' | 'name' | 'phoneEnc' | 'status' | 'joinDate' | 'unitId' | 'isMobile'>, codec: SensitiveCodec): MemberListItem {
  return {
    id: row.id,
    name: row.name,
    phone: maskedPhoneOf(codec, row.phoneEnc),
    status: row.status,
    joinDate: codec.decrypt(row.joinDate),
    unitId: row.unitId,
    isMobile: row.isMobile === 1,
  };
}

/** Loads a member the actor may act on; a record the actor may not read is answered as missing. */
export async function loadMemberFor(db: Db, ctx: Pick<Context, 'actor'>, id: number, action: 'person.read' | 'person.write'): Promise<Member> {
  const member = await findMember(db, id);
  if (!member) throw notFound('member');
  const decision = authorize(ctx.actor, action, member.unitPath);
  if (decision === 'out_of_scope' || (decision === 'forbidden' && action === 'person.read')) throw notFound('member');
  if (decision === 'forbidden') throw forbidden(action);
  return member;
}

/** The full record as this viewer may see it; `asRead` audits the view (a write's answer is audited by the write). */
export async function memberDetail(db: Db, codec: SensitiveCodec, ctx: Context, member: Member, unmask: boolean, asRead = true): Promise<MemberDetail> {
  const mayUnmask = unmask && authorize(ctx.actor, 'person.unmask', member.unitPath) === 'allowed';
  const phone = codec.decrypt(member.phoneEnc);
  const idCard = codec.decrypt(member.idCardEnc);
  const [unit, homeUnit, roles, transfers] = await Promise.all([
    findUnit(db, member.unitId),
    member.homeUnitId ? findUnit(db, member.homeUnitId) : Promise.resolve(undefined),
    rolesOfMember(db, member.id),
    transfersOfMember(db, member.id),
  ]);
  // Reading a member's record is itself recorded; seeing the full numbers is recorded apart.
  if (asRead || mayUnmask) {
    await recordAudit(db, { actor: ctx.actor, action: mayUnmask ? 'member.unmask' : 'member.read', entityType: 'member', entityId: member.id, ip: ctx.ip, at: ctx.now });
  }
  return {
    ...listItemOf(member, codec),
    phone: mayUnmask ? phone : maskPhone(phone),
    idCard: mayUnmask ? idCard : maskIdCard(idCard),
    unmasked: mayUnmask,
    gender: member.gender,
    birthYear: member.birthYear,
    unitName: unit?.name ?? String(member.unitId),
    homeOrgText: decryptNullable(codec, member.homeOrgText),
    homeUnitId: member.homeUnitId,
    homeUnitName: homeUnit?.name ?? null,
    mobilityType: member.mobilityType,
    mobilityReason: decryptNullable(codec, member.mobilityReason),
    workerId: member.workerId,
    roles,
    transfers: transfers.map((t) => withTransferReasons(codec, t)),
    createdAt: member.createdAt,
    updatedAt: member.updatedAt,
  };
}

export function phoneOrError(raw: string): string {
  const phone = normalizePhone(raw);
  if (!phone) throw invalid('body.phone', { zh: '请填写 11 位中国大陆手机号', en: 'Enter an 11-digit mainland China mobile number' });
  return phone;
}

export function idCardOrError(raw: string): string {
  const idCard = normalizeIdCard(raw);
  if (!idCard) throw invalid('body.idCard', { zh: '身份证号码无效（校验位不符）', en: 'The ID number is not valid (check character mismatch)' });
  return idCard;
}

/** The unit that will host a member: an open mobile branch where the actor may write. */
export async function hostUnitFor(db: Db, ctx: Context, unitId: number): Promise<OrgUnit> {
  const unit = await findUnit(db, unitId);
  if (!unit) throw notFound('org_unit');
  const decision = authorize(ctx.actor, 'person.write', unit.path);
  if (decision === 'out_of_scope') throw notFound('org_unit');
  if (decision === 'forbidden') throw forbidden('person.write');
  const refusal = hostRefusal(unit);
  if (refusal) throw ruleViolation(refusal);
  return unit;
}

export type NewMember = {
  name: string;
  gender: 'male' | 'female';
  birthYear: number;
  phone: string;
  idCard: string;
  joinDate: string;
  status: MemberStatus;
  unit: OrgUnit;
  workerId: number | null;
  isMobile: boolean;
  homeOrgText: string | null;
  homeUnitId: number | null;
  mobilityType: MobilityType | null;
  mobilityReason: string | null;
};

const duplicate = (what: 'phone' | 'idCard') =>
  what === 'phone'
    ? conflict({ zh: '已有使用这个手机号的党员记录', en: 'A member with this phone number is already recorded' })
    : conflict({ zh: '已有使用这个身份证号的党员记录', en: 'A member with this ID number is already recorded' });

/**
 * Inserts a member (inside the caller's transaction). One person is one record: a worker with the same
 * phone is linked rather than refused, and a worker already linked to another member is a conflict.
 */
export async function insertMember(trx: Db, codec: SensitiveCodec, m: NewMember, now: Date): Promise<number> {
  const phoneHash = codec.hash(m.phone);
  const idCardHash = codec.hash(m.idCard);
  if (await findMemberBy(trx, 'phoneHash', phoneHash)) throw duplicate('phone');
  if (await findMemberBy(trx, 'idCardHash', idCardHash)) throw duplicate('idCard');
  const samePhoneWorker = await findWorkerByPhoneHash(trx, phoneHash);
  if (m.workerId !== null && samePhoneWorker && samePhoneWorker.id !== m.workerId) {
    throw conflict({ zh: '这个手机号属于另一位劳动者', en: 'This phone number belongs to another worker' });
  }
  const workerId = m.workerId ?? samePhoneWorker?.id ?? null;
  if (workerId !== null && (await findMemberBy(trx, 'workerId', workerId))) {
    throw conflict({ zh: '这位劳动者已关联另一名党员', en: 'This worker is already linked to another member' });
  }
  const at = now.toISOString();
  const { id } = await trx
    .insertInto('members')
    .values({
      name: m.name,
      nameSort: nameSortKey(m.name),
      gender: m.gender,
      birthYear: m.birthYear,
      phoneEnc: codec.encrypt(m.phone),
      phoneHash,
      phoneTail: m.phone.slice(-4),
      idCardEnc: codec.encrypt(m.idCard),
      idCardHash,
      joinDate: codec.encrypt(m.joinDate),
      status: m.status,
      unitId: m.unit.id,
      unitPath: m.unit.path,
      isMobile: m.isMobile ? 1 : 0,
      homeOrgText: encryptNullable(codec, m.homeOrgText),
      homeUnitId: m.homeUnitId,
      mobilityType: m.mobilityType,
      mobilityReason: encryptNullable(codec, m.mobilityReason),
      workerId,
      // The liaison module's default: each member keeps in touch with ten workers unless set otherwise.
      liaisonTarget: 10,
      createdAt: at,
      updatedAt: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeSearchTokens(trx, 'members', id, personTokens(m.name, m.phone.slice(-4)));
  return id;
}

async function checkHomeUnit(db: Db, homeUnitId: number | null | undefined): Promise<void> {
  if (homeUnitId && !(await findUnit(db, homeUnitId))) throw invalid('body.homeUnitId', { zh: '没有这个组织', en: 'There is no such unit' });
}

export async function createMember(db: Db, codec: SensitiveCodec, ctx: Context, input: CreateMemberInput): Promise<Member> {
  const phone = phoneOrError(input.phone);
  const idCard = idCardOrError(input.idCard);
  return db.transaction().execute(async (trx) => {
    const unit = await hostUnitFor(trx, ctx, input.unitId);
    await checkHomeUnit(trx, input.homeUnitId);
    if (input.workerId !== undefined) {
      // A worker outside the actor's scope is answered as missing, like everywhere else.
      const worker = await findWorker(trx, input.workerId);
      if (!worker || authorize(ctx.actor, 'person.read', worker.unitPath ?? '/unassigned/') !== 'allowed') {
        throw invalid('body.workerId', { zh: '没有这位劳动者', en: 'There is no such worker' });
      }
    }
    const id = await insertMember(trx, codec, {
      ...input,
      phone,
      idCard,
      unit,
      workerId: input.workerId ?? null,
      isMobile: input.isMobile ?? false,
      homeOrgText: input.homeOrgText ?? null,
      homeUnitId: input.homeUnitId ?? null,
      mobilityType: input.mobilityType ?? null,
      mobilityReason: input.mobilityReason ?? null,
    }, ctx.now);
    await recordAudit(trx, { actor: ctx.actor, action: 'member.create', entityType: 'member', entityId: id, ip: ctx.ip, at: ctx.now, detail: { unitId: unit.id } });
    return (await findMember(trx, id))!;
  });
}

export async function updateMember(db: Db, codec: SensitiveCodec, ctx: Context, id: number, input: UpdateMemberInput): Promise<Member> {
  const phone = input.phone === undefined ? undefined : phoneOrError(input.phone);
  const idCard = input.idCard === undefined ? undefined : idCardOrError(input.idCard);
  return db.transaction().execute(async (trx) => {
    const member = await loadMemberFor(trx, ctx, id, 'person.write');
    await checkHomeUnit(trx, input.homeUnitId);
    const changes: Partial<Member> = { updatedAt: ctx.now.toISOString() };
    const changed: string[] = [];
    if (input.name !== undefined && input.name !== member.name) {
      Object.assign(changes, { name: input.name, nameSort: nameSortKey(input.name) });
      changed.push('name');
    }
    if (phone !== undefined && codec.hash(phone) !== member.phoneHash) {
      const phoneHash = codec.hash(phone);
      if (await findMemberBy(trx, 'phoneHash', phoneHash)) throw duplicate('phone');
      Object.assign(changes, { phoneEnc: codec.encrypt(phone), phoneHash, phoneTail: phone.slice(-4) });
      changed.push('phone');
    }
    if (idCard !== undefined && codec.hash(idCard) !== member.idCardHash) {
      const idCardHash = codec.hash(idCard);
      if (await findMemberBy(trx, 'idCardHash', idCardHash)) throw duplicate('idCard');
      Object.assign(changes, { idCardEnc: codec.encrypt(idCard), idCardHash });
      changed.push('idCard');
    }
    // Compared in clear; the encrypted ones are written encrypted.
    const stored = { ...member, ...membershipOf(codec, member) };
    const encrypted: ReadonlySet<string> = new Set(['joinDate', 'homeOrgText', 'mobilityReason']);
    for (const key of ['gender', 'birthYear', 'joinDate', 'status', 'homeOrgText', 'homeUnitId', 'mobilityType', 'mobilityReason'] as const) {
      const value = input[key];
      if (value !== undefined && value !== stored[key]) {
        Object.assign(changes, { [key]: encrypted.has(key) ? encryptNullable(codec, value as string | null) : value });
        changed.push(key);
      }
    }
    if (input.isMobile !== undefined && (input.isMobile ? 1 : 0) !== member.isMobile) {
      changes.isMobile = input.isMobile ? 1 : 0;
      changed.push('isMobile');
    }
    if (changed.length === 0) return member;
    await trx.updateTable('members').set(changes).where('id', '=', id).execute();
    if (changed.includes('name') || changed.includes('phone')) {
      await writeSearchTokens(trx, 'members', id, personTokens(changes.name ?? member.name, changes.phoneTail ?? member.phoneTail));
    }
    // Names of changed fields only: the audit log never holds the values of personal data.
    await recordAudit(trx, { actor: ctx.actor, action: 'member.update', entityType: 'member', entityId: id, ip: ctx.ip, at: ctx.now, detail: { changed } });
    return (await findMember(trx, id))!;
  });
}
