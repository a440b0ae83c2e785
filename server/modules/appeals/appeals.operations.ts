// Filing an appeal, and the bookkeeping every later change shares: the timeline event and the deadlines.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Insertable, Transaction } from 'kysely';
import type { z } from 'zod';
import { ensureAllowed } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import { chinaTime } from '../../core/clock.js';
import type { AppDeps } from '../../core/deps.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../core/errors.js';
import { idempotent } from '../../core/idempotency.js';
import { type Actor, authorize, scopePaths } from '../../core/scope.js';
import { fieldCodec, normalizePhone } from '../../core/sensitive.js';
import { preparedStatement } from '../../db/prepared.js';
import type { AppealChannel, AppealEventsTable, AppealsTable } from '../../db/tables-appeals.js';
import type { Database } from '../../db/tables.js';
import { notifyUnit } from './appeals.notify.js';
import { figuresCountedOf, syncAppealFigures } from './appeals.figure-counts.js';
import { syncAppealReach } from './appeals.reach.js';
import { type AppealRow, findAppeal, findOpenUnit, levelOfKind, routeAppeal, slaPolicyFor, statusHistoryOf, type WorkerFilingFacts, workerFilingFacts } from './appeals.queries.js';
import { type AppealStatus, dueAtOf, slaClock } from './appeals.rules.js';
import type { createAppealBodySchema } from './appeals.schema.js';

type Trx = Transaction<Database>;

export type FileAppealInput = z.infer<typeof createAppealBodySchema> & { channel?: AppealChannel; platformCode?: string };

export type CreatedAppeal = {
  id: number;
  trackingCode: string | null;
  secret: string | null;
  status: AppealStatus;
  unitName: string;
  expectedBy: string | null;
};

const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Eight characters nobody misreads (no 0/O, 1/I/L), read out as two groups: "A7K3-QF9X". */
export function newTrackingCode(): string {
  const chars = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

export const secretHashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

type EventRow = Omit<AppealEventsTable, 'id'>;

// Every change appends an event, and a filing writes one appeal row: both built and compiled once (db/prepared.ts).
const insertEvent = preparedStatement(
  ['appealId', 'kind', 'fromStatus', 'toStatus', 'visibility', 'body', 'unitId', 'level', 'actorUserId', 'breachKey', 'createdAt'],
  (db, row: EventRow) => db.insertInto('appealEvents').values(row),
);

export async function appendEvent(trx: Trx, event: Omit<EventRow, 'breachKey'> & { breachKey?: string | null }): Promise<void> {
  const { appealId, kind, fromStatus, toStatus, visibility, body, unitId, level, actorUserId, createdAt } = event;
  await insertEvent(trx, { appealId, kind, fromStatus, toStatus, visibility, body, unitId, level, actorUserId, breachKey: event.breachKey ?? null, createdAt });
}

function deadlinesOf(input: Parameters<typeof slaClock>[0]) {
  const clock = slaClock(input);
  return { acknowledgeBy: clock.acknowledgeBy, nextUpdateBy: clock.nextUpdateBy, resolveBy: clock.resolveBy, dueAt: dueAtOf(clock) };
}

/**
 * Recomputes the holding level's deadlines from the timeline and brings the units that see the appeal
 * (appeal_reach) in line; every change ends with this. Filing computes the first deadlines itself.
 */
export async function refreshDeadlines(trx: Trx, appealId: number, now: Date): Promise<AppealRow> {
  const appeal = await findAppeal(trx, appealId);
  if (!appeal) throw notFound('appeal');
  const history = await statusHistoryOf(trx, appealId);
  const policy = await slaPolicyFor(trx, appeal.unitPath, appeal.category);
  const lastPublicReplyAt = appeal.lastPublicReplyAt !== null && appeal.lastPublicReplyAt >= appeal.receivedAt ? appeal.lastPublicReplyAt : null;
  const deadlines = deadlinesOf({ history, receivedAt: appeal.receivedAt, lastPublicReplyAt, policy, now: now.toISOString() });
  const figuresCounted = figuresCountedOf(appeal);
  await trx.updateTable('appeals').set({ ...deadlines, figuresCounted }).where('id', '=', appealId).execute();
  const reach = await syncAppealReach(trx, { id: appealId, unitPath: appeal.unitPath, originUnitPath: appeal.originUnitPath, dueAt: deadlines.dueAt, createdAt: appeal.createdAt });
  await syncAppealFigures(trx, { before: appeal.figuresCounted, after: figuresCounted }, reach);
  return { ...appeal, ...deadlines, figuresCounted };
}

// `worker` carries the routing facts read with the worker (workerFilingFacts), so routing needs no read.
type Filer = { workerId: number | null; platformId: number | null; cityCode: string | null; channel: AppealChannel; recordedBy: number | null; worker: WorkerFilingFacts | null };

const nobody = (channel: AppealChannel): Filer => ({ workerId: null, platformId: null, cityCode: null, channel, recordedBy: null, worker: null });

// The user's own worker and member records come with the session (loadActor); an actor made elsewhere
// (an import job's) reads them.
async function ownRecordsOf(trx: Trx, actor: Actor): Promise<{ workerId: number | null; memberId: number | null }> {
  if (actor.workerId !== undefined && actor.memberId !== undefined) return { workerId: actor.workerId, memberId: actor.memberId };
  return trx.selectFrom('users').select(['workerId', 'memberId']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
}

// Who is filing decides whose appeal it is: the worker themself; a member for a worker they keep in
// touch with; staff recording a call (for a worker on record, or a caller without one); or nobody
// (an anonymous filer without an account).
async function resolveFiler(trx: Trx, actor: Actor | null, input: FileAppealInput): Promise<Filer> {
  if (!actor) {
    if (!input.anonymous) throw new AppError(401, 'UNAUTHENTICATED');
    return nobody(input.channel ?? 'app');
  }
  const user = await ownRecordsOf(trx, actor);
  if (input.workerId === undefined || input.workerId === user.workerId) {
    // A contact-log entry is a liaison's record of talking with another worker: it goes with that worker's
    // id, checked below. Unchecked here it linked a filing to anyone's entry, or to none (a 500 on the foreign key).
    if (input.contactId !== undefined) throw invalid('body.contactId', { zh: '联系记录须与所涉劳动者（workerId）一同提供', en: 'a contact-log entry goes with the worker it is about (workerId)' });
    if (user.workerId !== null && input.contactName === undefined) {
      const own = await workerFilingFacts(trx, user.workerId);
      if (own) return { workerId: own.id, platformId: own.platformId, cityCode: own.cityCode, channel: input.channel ?? 'app', recordedBy: null, worker: own };
    }
    const handles = scopePaths(actor, 'appeal.handle');
    if (handles !== 'all' && handles.length === 0) {
      // Someone with an account but no worker record and no handling rights files as anyone without one.
      if (input.anonymous && input.workerId === undefined && input.unitId === undefined) return nobody(input.channel ?? 'app');
      throw forbidden('appeal.create');
    }
    return { ...nobody(input.channel ?? 'phone'), recordedBy: actor.userId };
  }
  const worker = await workerFilingFacts(trx, input.workerId);
  if (!worker || worker.consentWithdrawnAt !== null) throw notFound('worker');
  const isLiaison = worker.liaisonMemberId !== null && user.memberId !== null && worker.liaisonMemberId === user.memberId;
  if (!isLiaison && (worker.unitPath === null || authorize(actor, 'person.write', worker.unitPath) !== 'allowed')) throw notFound('worker');
  if (input.contactId !== undefined) {
    const contact = await trx.selectFrom('liaisonContacts').select(['workerId']).where('id', '=', input.contactId).executeTakeFirst();
    if (!contact || contact.workerId !== worker.id) throw invalid('body.contactId', { zh: '这条联系记录不属于该劳动者', en: 'this contact-log entry is not about this worker' });
  }
  const channel = input.channel ?? (isLiaison || input.contactId !== undefined ? 'member' : 'phone');
  return { workerId: worker.id, platformId: worker.platformId, cityCode: worker.cityCode, channel, recordedBy: actor.userId, worker };
}

// Staff who record a call may keep it at a unit where they handle appeals (the caller rang that branch);
// nobody else chooses where an appeal goes.
async function takingUnit(trx: Trx, actor: Actor | null, filer: Filer, unitId: number) {
  if (!actor || filer.recordedBy === null) throw invalid('body.unitId', { zh: '只有记录来电的工作人员可以指定受理组织', en: 'only staff recording a call choose the unit that takes it' });
  const unit = await findOpenUnit(trx, unitId);
  if (!unit) throw notFound('org_unit');
  ensureAllowed(actor, 'appeal.handle', unit.path);
  if (unit.closedOn !== null) throw invalid('body.unitId', { zh: '这个组织已经撤销', en: 'this unit is closed' });
  return unit;
}

async function platformIdOf(trx: Trx, input: FileAppealInput, fallback: number | null): Promise<number | null> {
  if (input.platformCode !== undefined) {
    const platform = await trx.selectFrom('platforms').select('id').where('code', '=', input.platformCode).executeTakeFirst();
    if (!platform) throw invalid('attribute[platform]', { zh: '没有这个平台代码', en: 'no platform has this code' });
    return platform.id;
  }
  if (input.platformId !== undefined) {
    const platform = await trx.selectFrom('platforms').select('id').where('id', '=', input.platformId).executeTakeFirst();
    if (!platform) throw invalid('body.platformId', { zh: '没有这个平台', en: 'no such platform' });
    return platform.id;
  }
  return fallback;
}

type NewAppealRow = Omit<Insertable<AppealsTable>, 'id' | 'reopenCount' | 'anonymizedAt' | 'version' | 'acknowledgedOnTime' | 'resolvedOnTime'>;

// Named rather than taken from the row, so a column added later cannot slip past the list (compileShape checks each becomes a parameter).
const newAppealColumns = [
  'category', 'description', 'platformId', 'cityCode', 'lat', 'lng', 'address', 'contactPreference', 'anonymous', 'workerId', 'trackingCode', 'secretHash',
  'channel', 'recordedBy', 'contactId', 'contactName', 'contactPhoneEnc', 'status', 'level', 'unitId', 'unitPath', 'originUnitId', 'originUnitPath',
  'assigneeUserId', 'receivedAt', 'acknowledgedAt', 'lastPublicReplyAt', 'answeredAt', 'closedAt', 'acknowledgeBy', 'nextUpdateBy', 'resolveBy', 'dueAt',
  'delayReason', 'referredTo', 'rejectReason', 'mergedIntoId', 'rating', 'feedback', 'figuresCounted', 'createdAt', 'updatedAt',
] as const satisfies readonly (keyof NewAppealRow)[];

const insertAppealRow = preparedStatement(newAppealColumns, (db, row: NewAppealRow) => db.insertInto('appeals').values(row).returning('id'));

async function insertAppeal(trx: Trx, actor: Actor | null, input: FileAppealInput, deps: AppDeps, ip: string): Promise<CreatedAppeal> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const filer = await resolveFiler(trx, actor, input);
  const platformId = await platformIdOf(trx, input, filer.platformId);
  const cityCode = input.cityCode ?? filer.cityCode;
  if (platformId === null) throw invalid('body.platformId', { zh: '请选择平台', en: 'choose the platform' });
  if (cityCode === null) throw invalid('body.cityCode', { zh: '请选择城市', en: 'choose the city' });
  const unit = input.unitId === undefined ? await routeAppeal(trx, { worker: filer.worker, platformId, cityCode }) : await takingUnit(trx, actor, filer, input.unitId);
  if (!unit) throw conflict({ zh: '这个平台和城市还没有可以受理诉求的组织', en: 'No unit in Convoy serves this platform and city yet' });

  const anonymous = input.anonymous;
  const secret = anonymous ? randomBytes(24).toString('base64url') : null;
  let contactPhoneEnc: string | null = null;
  if (input.contactPhone !== undefined) {
    const phone = normalizePhone(input.contactPhone);
    if (!phone) throw invalid('body.contactPhone', { zh: '手机号应为 11 位数字', en: 'a mobile number has 11 digits' });
    contactPhoneEnc = fieldCodec(deps.config).encrypt(phone);
  }
  // The first deadlines follow from the filing alone (one status, no reply yet): computed here rather
  // than read back and updated, which saves three statements on every filing (issue 6).
  const policy = await slaPolicyFor(trx, unit.path, input.category);
  const deadlines = deadlinesOf({ history: [{ status: 'submitted', at }], receivedAt: at, lastPublicReplyAt: null, policy, now: at });
  const values = {
    category: input.category,
    description: input.description,
    platformId,
    cityCode,
    lat: input.lat ?? null,
    lng: input.lng ?? null,
    address: input.address ?? null,
    contactPreference: anonymous ? ('none' as const) : input.contactPreference,
    anonymous: anonymous ? 1 : 0,
    // Anonymity is kept by not storing: no worker, recorder, contact entry or caller details.
    workerId: anonymous ? null : filer.workerId,
    trackingCode: anonymous ? newTrackingCode() : null,
    secretHash: secret ? secretHashOf(secret) : null,
    channel: filer.channel,
    recordedBy: anonymous ? null : filer.recordedBy,
    contactId: anonymous ? null : (input.contactId ?? null),
    contactName: anonymous ? null : (input.contactName ?? null),
    contactPhoneEnc: anonymous ? null : contactPhoneEnc,
    status: 'submitted' as const,
    level: levelOfKind(unit.kind),
    unitId: unit.id,
    unitPath: unit.path,
    originUnitId: unit.id,
    originUnitPath: unit.path,
    assigneeUserId: null,
    receivedAt: at,
    acknowledgedAt: null,
    lastPublicReplyAt: null,
    answeredAt: null,
    closedAt: null,
    ...deadlines,
    delayReason: null,
    referredTo: null,
    rejectReason: null,
    mergedIntoId: null,
    rating: null,
    feedback: null,
    createdAt: at,
    updatedAt: at,
  };
  const figuresCounted = figuresCountedOf({ ...values, acknowledgedOnTime: null, resolvedOnTime: null });
  const [inserted] = (await insertAppealRow(trx, { ...values, figuresCounted })).rows;
  if (!inserted) throw new Error('the appeal row was not written');
  const { id } = inserted;
  await appendEvent(trx, { appealId: id, kind: 'submitted', fromStatus: null, toStatus: 'submitted', visibility: 'public', body: null, unitId: unit.id, level: values.level, actorUserId: anonymous ? null : (actor?.userId ?? null), createdAt: at });
  const reach = await syncAppealReach(trx, { id, unitPath: unit.path, originUnitPath: unit.path, dueAt: deadlines.dueAt, createdAt: at }, { isNew: true });
  const appeal = { id, category: input.category, ...deadlines };
  await recordAudit(trx, {
    actor: anonymous ? null : actor,
    action: 'appeal.create',
    entityType: 'appeal',
    entityId: id,
    ip: anonymous ? null : ip,
    detail: { category: input.category, unitId: unit.id, channel: filer.channel, anonymous },
    at: now,
  });
  const by = chinaTime(appeal.acknowledgeBy ?? at);
  await notifyUnit(trx, unit.id, appeal, 'appeal.new', { zh: `新诉求，请在 ${by}（北京时间）前受理。`, en: `New appeal; acknowledge it by ${by} (Beijing time).` }, now);
  // Last, so that on PostgreSQL the counts' busiest rows (today at the province and country) stay locked
  // only until the commit that follows.
  await syncAppealFigures(trx, { before: null, after: figuresCounted }, reach);
  return { id, trackingCode: values.trackingCode, secret, status: 'submitted', unitName: unit.name, expectedBy: appeal.resolveBy };
}

/**
 * Files an appeal once per Idempotency-Key. Anonymous filings share one key scope so that not even
 * the idempotency table ties them to an account.
 */
export async function fileAppeal(deps: AppDeps, actor: Actor | null, input: FileAppealInput, meta: { ip: string; idempotencyKey?: string }): Promise<CreatedAppeal & { replayed: boolean }> {
  const scope = input.anonymous || !actor ? 'anonymous' : `user:${actor.userId}`;
  const answer = await idempotent(deps.db, { scope, key: meta.idempotencyKey, request: input, now: deps.clock.now() }, async (trx) => ({
    statusCode: 201,
    body: await insertAppeal(trx, actor, input, deps, meta.ip),
  }));
  return { ...answer.body, replayed: answer.replayed };
}
