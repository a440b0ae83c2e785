import type { Kysely } from 'kysely';
import { ensureAllowed } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import { conflict, forbidden, invalid, notFound } from '../../core/errors.js';
import { nameSortKey } from '../../core/name-sort.js';
import { authorize, isSystemAdmin, scopePaths } from '../../core/scope.js';
import { maskedPhoneOf, maskPhone, normalizePhone, type SensitiveCodec } from '../../core/sensitive.js';
import { personTokens } from '../../core/text-search.js';
import type { Database, Worker } from '../../db/tables.js';
import { writeSearchTokens } from '../../db/text-search.js';
import { divisionOf, isDivisionCode } from '../divisions/divisions.rules.js';
import { findPlatform, findUnit } from '../org/org.queries.js';
import { unitInScope } from '../org/org.scope.js';
import type { Context } from '../org/org.operations.js';
import type { CreateWorkerInput, UpdateWorkerInput, WorkerDetail, WorkerListItem } from './workers.schema.js';
import { defaultServingUnit, findWorker, findWorkerByPhoneHash, findWorkerByPlatformId } from './workers.queries.js';

type Db = Kysely<Database>;

export function listItemOf(
  row: Pick<Worker, 'id' | 'name' | 'phoneEnc' | 'platformId' | 'platformWorkerId' | 'workType' | 'vehicle' | 'cityCode' | 'unitId' | 'status'>,
  codec: SensitiveCodec,
): WorkerListItem {
  return {
    id: row.id,
    name: row.name,
    phone: maskedPhoneOf(codec, row.phoneEnc),
    platformId: row.platformId,
    platformWorkerId: row.platformWorkerId,
    workType: row.workType,
    vehicle: row.vehicle,
    cityCode: row.cityCode,
    unitId: row.unitId,
    status: row.status,
  };
}

/** Loads a worker the actor may act on; outside scope (or with consent withdrawn) it does not exist. */
export async function loadWorkerFor(db: Db, ctx: Pick<Context, 'actor'>, id: number, action: 'person.read' | 'person.write'): Promise<Worker> {
  const worker = await findWorker(db, id);
  if (!worker) throw notFound('worker');
  // A person always sees their own record, even after withdrawing consent: that is their right of access.
  if (worker.userId === ctx.actor.userId && action === 'person.read') return worker;
  if (worker.consentWithdrawnAt) throw notFound('worker');
  // A worker served by no unit is reachable by system admins only. A person's record that a role may
  // not read is answered as missing, so ids cannot be probed for who is recorded.
  const decision = authorize(ctx.actor, action, worker.unitPath ?? '/unassigned/');
  if (decision === 'out_of_scope' || (decision === 'forbidden' && action === 'person.read')) throw notFound('worker');
  if (decision === 'forbidden') throw forbidden(action);
  return worker;
}

/**
 * The full record as a viewer may see it. `asRead` audits the view; the answer to a write passes false,
 * since the write itself is audited.
 */
export async function workerDetail(db: Db, codec: SensitiveCodec, ctx: Context, worker: Worker, unmask: boolean, asRead = true): Promise<WorkerDetail> {
  const mayUnmask = unmask && (worker.userId === ctx.actor.userId || authorize(ctx.actor, 'person.unmask', worker.unitPath ?? '/unassigned/') === 'allowed');
  const phone = codec.decrypt(worker.phoneEnc);
  const [unit, platform, member] = await Promise.all([
    worker.unitId ? findUnit(db, worker.unitId) : Promise.resolve(undefined),
    findPlatform(db, worker.platformId),
    db.selectFrom('members').select('id').where('workerId', '=', worker.id).executeTakeFirst(),
  ]);
  // Reading a person's record is itself recorded; seeing the full number is recorded apart.
  // A person reading their own record is not the access the audit log watches for.
  const own = worker.userId === ctx.actor.userId;
  if (!own && (asRead || mayUnmask)) await recordAudit(db, { actor: ctx.actor, action: mayUnmask ? 'worker.unmask' : 'worker.read', entityType: 'worker', entityId: worker.id, ip: ctx.ip, at: ctx.now });
  return {
    ...listItemOf(worker, codec),
    phone: mayUnmask ? phone : maskPhone(phone),
    phoneUnmasked: mayUnmask,
    unitName: unit?.name ?? null,
    platformName: platform?.name ?? String(worker.platformId),
    cityName: divisionOf(worker.cityCode)?.name ?? null,
    memberId: member?.id ?? null,
    consent: {
      version: worker.consentVersion,
      purpose: worker.consentPurpose,
      at: worker.consentAt,
      channel: worker.consentChannel,
      withdrawnAt: worker.consentWithdrawnAt,
    },
    createdAt: worker.createdAt,
    updatedAt: worker.updatedAt,
  };
}

function phoneOrError(raw: string): string {
  const phone = normalizePhone(raw);
  if (!phone) throw invalid('body.phone', { zh: '请填写 11 位中国大陆手机号', en: 'Enter an 11-digit mainland China mobile number' });
  return phone;
}

function checkCity(cityCode: string): void {
  if (!isDivisionCode(cityCode)) {
    throw invalid('body.cityCode', { zh: `${cityCode} 不是有效的行政区划代码`, en: `${cityCode} is not a valid administrative division code` });
  }
}

async function servingUnit(db: Db, ctx: Context, unitId: number | undefined, platformId: number, cityCode: string) {
  if (unitId !== undefined) return unitInScope(db, ctx.actor, unitId, 'person.write');
  // The first branch of the platform in the city that the actor may fill, so a secretary's new worker
  // lands in their own branch rather than failing on a branch they do not serve.
  const unit = await defaultServingUnit(db, platformId, cityCode, scopePaths(ctx.actor, 'person.write'));
  if (unit) return unit;
  // Only a system admin may record a worker no unit serves yet.
  if (isSystemAdmin(ctx.actor)) return null;
  throw invalid('body.unitId', {
    zh: '您负责的范围内没有该平台在该城市的流动党员党支部，请选择服务组织',
    en: 'No mobile branch of this platform in this city is within your scope: choose the serving unit',
  });
}

const duplicatePhone = () => conflict({ zh: '已有使用这个手机号的劳动者记录', en: 'A worker with this phone number is already recorded' });

export async function createWorker(db: Db, codec: SensitiveCodec, ctx: Context, input: CreateWorkerInput): Promise<Worker> {
  const phone = phoneOrError(input.phone);
  checkCity(input.cityCode);
  return db.transaction().execute(async (trx) => {
    if (!(await findPlatform(trx, input.platformId))) throw invalid('body.platformId', { zh: '没有这个平台', en: 'There is no such platform' });
    const unit = await servingUnit(trx, ctx, input.unitId, input.platformId, input.cityCode);
    const phoneHash = codec.hash(phone);
    if (await findWorkerByPhoneHash(trx, phoneHash)) throw duplicatePhone();
    if (await findWorkerByPlatformId(trx, input.platformId, input.platformWorkerId)) {
      throw conflict({ zh: `该平台已有工号为 ${input.platformWorkerId} 的劳动者`, en: `The platform already has a worker with id ${input.platformWorkerId}` });
    }
    const at = ctx.now.toISOString();
    const { id } = await trx
      .insertInto('workers')
      .values({
        name: input.name,
        nameSort: nameSortKey(input.name),
        phoneEnc: codec.encrypt(phone),
        phoneHash,
        phoneTail: phone.slice(-4),
        platformId: input.platformId,
        platformWorkerId: input.platformWorkerId,
        workType: input.workType,
        vehicle: input.vehicle,
        cityCode: input.cityCode,
        unitId: unit?.id ?? null,
        unitPath: unit?.path ?? null,
        status: input.status,
        createdAt: at,
        updatedAt: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeSearchTokens(trx, 'workers', id, personTokens(input.name, phone.slice(-4)));
    await recordAudit(trx, { actor: ctx.actor, action: 'worker.create', entityType: 'worker', entityId: id, ip: ctx.ip, at: ctx.now, detail: { platformId: input.platformId, unitId: unit?.id ?? null } });
    return (await findWorker(trx, id))!;
  });
}

export async function updateWorker(db: Db, codec: SensitiveCodec, ctx: Context, id: number, input: UpdateWorkerInput): Promise<Worker> {
  const phone = input.phone === undefined ? undefined : phoneOrError(input.phone);
  if (input.cityCode) checkCity(input.cityCode);
  return db.transaction().execute(async (trx) => {
    const worker = await loadWorkerFor(trx, ctx, id, 'person.write');
    const changes: Partial<Worker> = { updatedAt: ctx.now.toISOString() };
    const changed: string[] = [];
    if (input.name !== undefined && input.name !== worker.name) {
      Object.assign(changes, { name: input.name, nameSort: nameSortKey(input.name) });
      changed.push('name');
    }
    if (phone !== undefined) {
      const phoneHash = codec.hash(phone);
      if (phoneHash !== worker.phoneHash) {
        const other = await findWorkerByPhoneHash(trx, phoneHash);
        if (other && other.id !== id) throw duplicatePhone();
        Object.assign(changes, { phoneEnc: codec.encrypt(phone), phoneHash, phoneTail: phone.slice(-4) });
        changed.push('phone');
      }
    }
    for (const key of ['workType', 'vehicle', 'cityCode', 'status'] as const) {
      if (input[key] !== undefined && input[key] !== worker[key]) {
        Object.assign(changes, { [key]: input[key] });
        changed.push(key);
      }
    }
    if (input.unitId !== undefined && input.unitId !== worker.unitId) {
      const unit = await servingUnit(trx, ctx, input.unitId, worker.platformId, input.cityCode ?? worker.cityCode);
      Object.assign(changes, { unitId: unit?.id ?? null, unitPath: unit?.path ?? null });
      changed.push('unitId');
    }
    if (changed.length === 0) return worker;
    await trx.updateTable('workers').set(changes).where('id', '=', id).execute();
    if (changed.includes('name') || changed.includes('phone')) {
      await writeSearchTokens(trx, 'workers', id, personTokens(changes.name ?? worker.name, changes.phoneTail ?? worker.phoneTail));
    }
    // Names of changed fields only: the audit log never holds the values of personal data.
    await recordAudit(trx, { actor: ctx.actor, action: 'worker.update', entityType: 'worker', entityId: id, ip: ctx.ip, at: ctx.now, detail: { changed } });
    return (await findWorker(trx, id))!;
  });
}

/** A worker records or withdraws their own consent; staff in scope may record one given on paper. */
async function loadForConsent(db: Db, ctx: Context, id: number): Promise<Worker> {
  const worker = await findWorker(db, id);
  if (!worker) throw notFound('worker');
  if (worker.userId === ctx.actor.userId) return worker;
  if (worker.consentWithdrawnAt) throw notFound('worker');
  ensureAllowed(ctx.actor, 'person.write', worker.unitPath ?? '/unassigned/', 'worker');
  return worker;
}

export async function recordConsent(db: Db, ctx: Context, id: number, consent: { version: string; purpose: string; channel: string }): Promise<Worker> {
  return db.transaction().execute(async (trx) => {
    await loadForConsent(trx, ctx, id);
    const at = ctx.now.toISOString();
    await trx
      .updateTable('workers')
      .set({ consentVersion: consent.version, consentPurpose: consent.purpose, consentChannel: consent.channel, consentAt: at, consentWithdrawnAt: null, updatedAt: at })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, { actor: ctx.actor, action: 'worker.consent', entityType: 'worker', entityId: id, ip: ctx.ip, at: ctx.now, detail: consent });
    return (await findWorker(trx, id))!;
  });
}

export async function withdrawConsent(db: Db, ctx: Context, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const worker = await loadForConsent(trx, ctx, id);
    if (worker.consentWithdrawnAt) return;
    await trx.updateTable('workers').set({ consentWithdrawnAt: ctx.now.toISOString(), updatedAt: ctx.now.toISOString() }).where('id', '=', id).execute();
    await recordAudit(trx, { actor: ctx.actor, action: 'worker.consent_withdrawn', entityType: 'worker', entityId: id, ip: ctx.ip, at: ctx.now });
  });
}
