// The two ways an appeal is shown: to the worker (public events only, the unit but never a person's
// name) and to handlers (everything, with the filer masked). Reading the filer is audited.
import type { Kysely } from 'kysely';
import { recordAudit } from '../../core/audit.js';
import type { Actor } from '../../core/scope.js';
import { authorize } from '../../core/scope.js';
import { maskedPhoneOf, type SensitiveCodec } from '../../core/sensitive.js';
import type { Database } from '../../db/tables.js';
import { type AppealRow, photosOf, timelineOf } from './appeals.queries.js';
import { CONFIRMATION_WINDOW_DAYS, answeredStatuses, canTransition, closedStatuses, nextLevel, transitions } from './appeals.rules.js';

type Db = Kysely<Database>;

export function deadlinesOf(appeal: Pick<AppealRow, 'acknowledgeBy' | 'nextUpdateBy' | 'resolveBy' | 'dueAt' | 'status'>, now: Date) {
  return {
    acknowledgeBy: appeal.acknowledgeBy,
    nextUpdateBy: appeal.nextUpdateBy,
    resolveBy: appeal.resolveBy,
    dueAt: appeal.dueAt,
    paused: appeal.status === 'waiting_on_worker',
    overdue: appeal.dueAt !== null && Date.parse(appeal.dueAt) < now.getTime(),
  };
}

async function unitName(db: Db, unitId: number): Promise<string> {
  const unit = await db.selectFrom('orgUnits').select('name').where('id', '=', unitId).executeTakeFirst();
  return unit?.name ?? '';
}

/** When an answer is due, for the worker: none once the appeal is answered or closed. */
export function expectedByOf(appeal: Pick<AppealRow, 'status' | 'resolveBy'>): string | null {
  return closedStatuses.has(appeal.status) || answeredStatuses.has(appeal.status) ? null : appeal.resolveBy;
}

/** Whether the filer may still confirm or reopen it now. */
export function feedbackOpen(appeal: Pick<AppealRow, 'status' | 'answeredAt'>, now: Date): boolean {
  const until = feedbackUntil(appeal);
  return until !== null && Date.parse(until) >= now.getTime();
}

function feedbackUntil(appeal: Pick<AppealRow, 'status' | 'answeredAt'>): string | null {
  if (!answeredStatuses.has(appeal.status) || appeal.answeredAt === null) return null;
  return new Date(Date.parse(appeal.answeredAt) + CONFIRMATION_WINDOW_DAYS * 86_400_000).toISOString();
}

function delayKindOf(appeal: AppealRow, now: Date): 'waiting_on_worker' | 'overdue' | 'escalated' | 'referred' | null {
  if (closedStatuses.has(appeal.status) || answeredStatuses.has(appeal.status)) return null;
  if (appeal.status === 'waiting_on_worker') return 'waiting_on_worker';
  if (appeal.status === 'referred') return 'referred';
  if (appeal.dueAt !== null && Date.parse(appeal.dueAt) < now.getTime()) return 'overdue';
  return appeal.level === 'branch' ? null : 'escalated';
}

/** What the filer sees. `canAct` is whether this caller is the filer (logged in, or holding the secret). */
export async function publicView(db: Db, appeal: AppealRow, options: { canAct: boolean; now: Date }) {
  const [timeline, photos, holder] = await Promise.all([timelineOf(db, appeal.id), photosOf(db, appeal.id), unitName(db, appeal.unitId)]);
  const until = feedbackUntil(appeal);
  return {
    id: appeal.id,
    trackingCode: appeal.trackingCode,
    category: appeal.category,
    description: appeal.description,
    status: appeal.status,
    level: appeal.level,
    holder,
    expectedBy: expectedByOf(appeal),
    delayReason: appeal.delayReason,
    delayKind: delayKindOf(appeal, options.now),
    referredTo: appeal.referredTo,
    rejectReason: appeal.rejectReason,
    mergedIntoId: appeal.mergedIntoId,
    rating: appeal.rating,
    canGiveFeedback: options.canAct && feedbackOpen(appeal, options.now),
    feedbackUntil: until,
    address: appeal.address,
    createdAt: appeal.createdAt,
    photos: photos.map(({ storageKey: _key, ...photo }) => photo),
    timeline: timeline.filter((e) => e.visibility === 'public').map((e) => ({ ...e, actorName: null })),
  };
}

/** What a handler sees; the filer's name and masked phone are personal data, so the read is audited. */
export async function handlerView(db: Db, appeal: AppealRow, actor: Actor, codec: SensitiveCodec, now: Date, ip: string) {
  const base = await publicView(db, appeal, { canAct: false, now });
  const timeline = await timelineOf(db, appeal.id);
  const extra = await db
    .selectFrom('appeals as a')
    .leftJoin('platforms as p', 'p.id', 'a.platformId')
    .leftJoin('users as u', 'u.id', 'a.assigneeUserId')
    .leftJoin('workers as w', 'w.id', 'a.workerId')
    .select(['p.name as platformName', 'u.displayName as assigneeName', 'w.name as workerName', 'w.phoneEnc as workerPhoneEnc'])
    .where('a.id', '=', appeal.id)
    .executeTakeFirstOrThrow();
  let filer: { workerId: number | null; name: string | null; phone: string | null } | null = null;
  if (!appeal.anonymous && (appeal.workerId !== null || appeal.contactName !== null || appeal.contactPhoneEnc !== null)) {
    const phoneEnc = extra.workerPhoneEnc ?? appeal.contactPhoneEnc;
    filer = { workerId: appeal.workerId, name: extra.workerName ?? appeal.contactName, phone: phoneEnc ? maskedPhoneOf(codec, phoneEnc) : null };
    await recordAudit(db, { actor, action: 'appeal.read', entityType: 'appeal', entityId: appeal.id, ip, detail: { workerId: appeal.workerId }, at: now });
  }
  const handles = authorize(actor, 'appeal.handle', appeal.unitPath) === 'allowed';
  const allowed = handles ? transitions[appeal.status].filter((to) => to !== 'confirmed' && to !== 'reopened' && canTransition(appeal.status, to)) : [];
  return {
    ...base,
    timeline,
    platformId: appeal.platformId,
    platformName: extra.platformName,
    cityCode: appeal.cityCode,
    lat: appeal.lat,
    lng: appeal.lng,
    anonymous: appeal.anonymous === 1,
    channel: appeal.channel,
    contactPreference: appeal.contactPreference,
    filer,
    unitId: appeal.unitId,
    originUnitId: appeal.originUnitId,
    assigneeUserId: appeal.assigneeUserId,
    assigneeName: extra.assigneeName,
    deadlines: deadlinesOf(appeal, now),
    allowedTransitions: allowed,
    canEscalate: handles && !closedStatuses.has(appeal.status) && nextLevel(appeal.level) !== null,
    version: appeal.version,
    reopenCount: appeal.reopenCount,
    feedback: appeal.feedback,
  };
}
