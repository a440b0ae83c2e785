// Changes to a filed appeal: status transitions, replies, escalation, transfer, assignment, and the
// worker's feedback. Each change bumps the appeal's version with a compare-and-set, so two handlers
// (or a handler and the scheduler) acting at once cannot both win; the loser gets a 409.
import type { Transaction } from 'kysely';
import { recordAudit } from '../../core/audit.js';
import { chinaTime } from '../../core/clock.js';
import { conflict, forbidden, invalid, notFound } from '../../core/errors.js';
import type { Bilingual } from '../../core/i18n.js';
import { type Actor, authorize } from '../../core/scope.js';
import type { AppealsTable } from '../../db/tables-appeals.js';
import type { Database } from '../../db/tables.js';
import { appendEvent, refreshDeadlines } from './appeals.operations.js';
import { notifyFiler, notifyUnit } from './appeals.notify.js';
import { type AppealRow, escalationTarget, findAppeal, findOpenUnit, levelOfKind, mayHandleAt } from './appeals.queries.js';
import { type AppealStatus, CONFIRMATION_WINDOW_DAYS, answeredStatuses, canTransition, closedStatuses, nextLevel } from './appeals.rules.js';
import { categoryNames } from './appeals.schema.js';

type Trx = Transaction<Database>;
type Patch = Partial<Omit<AppealsTable, 'id' | 'version' | 'reopenCount'>> & { reopenCount?: number };

export const staleAppeal = () => conflict({ zh: '这条诉求刚被别人改过，请刷新后再试', en: 'Someone else changed this appeal just now; reload and try again' });

/** Writes a change if nobody else changed the appeal since it was read. */
export async function updateIfUnchanged(trx: Trx, appeal: AppealRow, patch: Patch, now: Date): Promise<void> {
  const result = await trx
    .updateTable('appeals')
    .set((eb) => ({ ...patch, updatedAt: now.toISOString(), version: eb('version', '+', 1) }))
    .where('id', '=', appeal.id)
    .where('version', '=', appeal.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw staleAppeal();
}

/** Readable by whoever covers the unit holding it or the branch it started at; handled only by the holder's side. */
export async function appealFor(trx: Trx, actor: Actor, id: number, need: 'read' | 'handle'): Promise<AppealRow> {
  const appeal = await findAppeal(trx, id);
  if (!appeal) throw notFound('appeal');
  const readable = [appeal.unitPath, appeal.originUnitPath].some((path) => authorize(actor, 'appeal.read', path) === 'allowed');
  if (!readable) throw notFound('appeal');
  if (need === 'handle' && authorize(actor, 'appeal.handle', appeal.unitPath) !== 'allowed') throw forbidden('appeal.handle');
  return appeal;
}

const statusNames: Record<AppealStatus, Bilingual> = {
  submitted: { zh: '已提交', en: 'submitted' },
  acknowledged: { zh: '已受理', en: 'acknowledged' },
  in_progress: { zh: '办理中', en: 'in progress' },
  waiting_on_worker: { zh: '等待您补充', en: 'waiting for you' },
  resolved: { zh: '已解决', en: 'resolved' },
  partly_resolved: { zh: '部分解决', en: 'partly resolved' },
  confirmed: { zh: '已确认', en: 'confirmed' },
  reopened: { zh: '已重新打开', en: 'reopened' },
  referred: { zh: '已转交相关部门', en: 'referred' },
  rejected: { zh: '不予受理', en: 'rejected' },
  merged: { zh: '已合并', en: 'merged' },
};

export type TransitionInput = { to: AppealStatus; reason?: string; referredTo?: string; mergedIntoId?: number; version?: number };

const needsReason: ReadonlySet<AppealStatus> = new Set(['rejected', 'waiting_on_worker', 'resolved', 'partly_resolved']);

/** A handler moves an appeal along the status machine. Confirm and reopen belong to the worker. */
export async function transitionAppeal(trx: Trx, actor: Actor, id: number, input: TransitionInput, now: Date, ip: string): Promise<AppealRow> {
  const appeal = await appealFor(trx, actor, id, 'handle');
  if (input.version !== undefined && input.version !== appeal.version) throw staleAppeal();
  const { to } = input;
  if (to === 'confirmed' || to === 'reopened') throw conflict({ zh: '只有提出诉求的劳动者可以确认或重新打开', en: 'Only the worker who filed it can confirm or reopen an appeal' });
  if (!canTransition(appeal.status, to)) {
    throw conflict({ zh: `不能从“${statusNames[appeal.status].zh}”改为“${statusNames[to].zh}”`, en: `An appeal cannot go from ${statusNames[appeal.status].en} to ${statusNames[to].en}` });
  }
  if (needsReason.has(to) && !input.reason) throw invalid('body.reason', { zh: '请写明原因或答复，劳动者会看到', en: 'write the reason or answer; the worker will see it' });
  const at = now.toISOString();
  const patch: Patch = { status: to, delayReason: to === 'waiting_on_worker' ? (input.reason ?? null) : null, lastPublicReplyAt: at };
  if (to === 'acknowledged' && appeal.acknowledgedAt === null) patch.acknowledgedAt = at;
  if (appeal.acknowledgeBy !== null && appeal.acknowledgedOnTime === null) patch.acknowledgedOnTime = at <= appeal.acknowledgeBy ? 1 : 0;
  if (answeredStatuses.has(to)) {
    patch.answeredAt = at;
    patch.resolvedOnTime = appeal.resolveBy !== null && at <= appeal.resolveBy ? 1 : 0;
  }
  if (closedStatuses.has(to)) patch.closedAt = at;
  if (to === 'rejected') patch.rejectReason = input.reason ?? null;
  if (to === 'referred') {
    if (!input.referredTo) throw invalid('body.referredTo', { zh: '请写明转交给哪个部门（如交通运输局、劳动仲裁委、工会、12345热线）', en: 'name who it is referred to (transport department, labour arbitration, trade union, 12345 hotline)' });
    patch.referredTo = input.referredTo;
  }
  if (to === 'merged') {
    if (input.mergedIntoId === undefined || input.mergedIntoId === appeal.id) throw invalid('body.mergedIntoId', { zh: '请选择要合并到的另一条诉求', en: 'choose the other appeal to merge into' });
    const target = await appealFor(trx, actor, input.mergedIntoId, 'handle');
    if (closedStatuses.has(target.status)) throw conflict({ zh: `诉求 #${target.id} 已办结，不能合并进去`, en: `Appeal #${target.id} is closed; nothing can be merged into it` });
    patch.mergedIntoId = target.id;
    await appendEvent(trx, { appealId: target.id, kind: 'merged', fromStatus: null, toStatus: null, visibility: 'internal', body: `#${appeal.id}`, unitId: target.unitId, level: target.level, actorUserId: actor.userId, createdAt: at });
  }
  await updateIfUnchanged(trx, appeal, patch, now);
  const body = to === 'referred' ? [input.referredTo, input.reason].filter(Boolean).join(' — ') : (input.reason ?? null);
  await appendEvent(trx, { appealId: appeal.id, kind: 'status', fromStatus: appeal.status, toStatus: to, visibility: 'public', body, unitId: appeal.unitId, level: appeal.level, actorUserId: actor.userId, createdAt: at });
  await recordAudit(trx, { actor, action: 'appeal.transition', entityType: 'appeal', entityId: appeal.id, ip, detail: { from: appeal.status, to }, at: now });
  const name = statusNames[to];
  await notifyFiler(trx, appeal, 'appeal.status', { zh: `状态：${name.zh}。${input.reason ?? ''}`, en: `Status: ${name.en}. ${input.reason ?? ''}` }, now);
  return refreshDeadlines(trx, appeal.id, now);
}

/** A handler's reply (the worker sees it) or internal note (handlers only). */
export async function replyToAppeal(trx: Trx, actor: Actor, id: number, input: { body: string; visibility: 'public' | 'internal' }, now: Date, ip: string): Promise<AppealRow> {
  const appeal = await appealFor(trx, actor, id, 'handle');
  const at = now.toISOString();
  await updateIfUnchanged(trx, appeal, input.visibility === 'public' ? { lastPublicReplyAt: at } : {}, now);
  await appendEvent(trx, { appealId: appeal.id, kind: input.visibility === 'public' ? 'reply' : 'note', fromStatus: null, toStatus: null, visibility: input.visibility, body: input.body, unitId: appeal.unitId, level: appeal.level, actorUserId: actor.userId, createdAt: at });
  await recordAudit(trx, { actor, action: input.visibility === 'public' ? 'appeal.reply' : 'appeal.note', entityType: 'appeal', entityId: appeal.id, ip, at: now });
  if (input.visibility === 'public') await notifyFiler(trx, appeal, 'appeal.reply', { zh: input.body.slice(0, 200), en: input.body.slice(0, 200) }, now);
  return refreshDeadlines(trx, appeal.id, now);
}

/** Moves an appeal to another unit: up one level (escalation) or sideways (transfer); the new holder's clocks start. */
export async function moveAppeal(
  trx: Trx,
  appeal: AppealRow,
  target: { id: number; path: string; name: string; kind: Parameters<typeof levelOfKind>[0] },
  options: { kind: 'escalated' | 'transferred'; reason: string | null; actorUserId: number | null; breachKey?: string; now: Date },
): Promise<AppealRow> {
  const at = options.now.toISOString();
  const level = levelOfKind(target.kind);
  // The breach key is written first: a second scheduler noticing the same breach fails here, on the unique index.
  await appendEvent(trx, { appealId: appeal.id, kind: options.kind, fromStatus: null, toStatus: null, visibility: 'public', body: options.reason, unitId: target.id, level, actorUserId: options.actorUserId, breachKey: options.breachKey ?? null, createdAt: at });
  await updateIfUnchanged(trx, appeal, { unitId: target.id, unitPath: target.path, level, receivedAt: at, assigneeUserId: null }, options.now);
  const moved = await refreshDeadlines(trx, appeal.id, options.now);
  const by = moved.acknowledgeBy ? chinaTime(moved.acknowledgeBy) : '';
  const verb = options.kind === 'escalated' ? { zh: '上报', en: 'escalated' } : { zh: '转办', en: 'transferred' };
  await notifyUnit(trx, target.id, appeal, `appeal.${options.kind}`, { zh: `诉求已${verb.zh}至本组织，请在 ${by}（北京时间）前受理。${options.reason ?? ''}`, en: `This appeal was ${verb.en} to your unit; acknowledge it by ${by} (Beijing time). ${options.reason ?? ''}` }, options.now);
  await notifyUnit(trx, appeal.unitId, appeal, `appeal.${options.kind}`, { zh: `诉求已${verb.zh}至${target.name}。`, en: `The appeal was ${verb.en} to ${target.name}.` }, options.now);
  await notifyFiler(trx, appeal, `appeal.${options.kind}`, { zh: `您的诉求已交由${target.name}办理。`, en: `Your appeal is now handled by ${target.name}.` }, options.now);
  return moved;
}

export async function escalateAppeal(trx: Trx, actor: Actor, id: number, reason: string, now: Date, ip: string): Promise<AppealRow> {
  const appeal = await appealFor(trx, actor, id, 'handle');
  if (closedStatuses.has(appeal.status)) throw conflict({ zh: '已办结的诉求不能上报', en: 'A closed appeal cannot be escalated' });
  const level = nextLevel(appeal.level);
  const target = level ? await escalationTarget(trx, appeal.unitPath, level) : undefined;
  if (!target) throw conflict({ zh: '上面已没有可以上报的组织', en: 'There is no higher level to escalate to' });
  const moved = await moveAppeal(trx, appeal, target, { kind: 'escalated', reason, actorUserId: actor.userId, now });
  await recordAudit(trx, { actor, action: 'appeal.escalate', entityType: 'appeal', entityId: appeal.id, ip, detail: { toUnitId: target.id }, at: now });
  return moved;
}

export async function transferAppeal(trx: Trx, actor: Actor, id: number, input: { unitId: number; reason: string }, now: Date, ip: string): Promise<AppealRow> {
  const appeal = await appealFor(trx, actor, id, 'handle');
  if (closedStatuses.has(appeal.status)) throw conflict({ zh: '已办结的诉求不能转办', en: 'A closed appeal cannot be transferred' });
  const target = await findOpenUnit(trx, input.unitId);
  if (!target) throw notFound('org_unit');
  if (target.closedOn !== null || target.kind === 'group') throw conflict({ zh: `“${target.name}”不能受理诉求`, en: `"${target.name}" cannot take appeals` });
  if (target.id === appeal.unitId) throw conflict({ zh: '诉求已在该组织', en: 'The appeal is already with this unit' });
  const moved = await moveAppeal(trx, appeal, target, { kind: 'transferred', reason: input.reason, actorUserId: actor.userId, now });
  await recordAudit(trx, { actor, action: 'appeal.transfer', entityType: 'appeal', entityId: appeal.id, ip, detail: { toUnitId: target.id }, at: now });
  return moved;
}

export async function assignAppeals(trx: Trx, actor: Actor, ids: number[], assigneeUserId: number | null, now: Date, ip: string): Promise<number> {
  let assigned = 0;
  for (const id of [...new Set(ids)]) {
    const appeal = await appealFor(trx, actor, id, 'handle');
    if (assigneeUserId !== null && !(await mayHandleAt(trx, assigneeUserId, appeal.unitPath))) {
      throw invalid('body.assigneeUserId', { zh: '此人不能办理该组织的诉求', en: 'this person cannot handle appeals of this unit' });
    }
    if (appeal.assigneeUserId === assigneeUserId) continue;
    await updateIfUnchanged(trx, appeal, { assigneeUserId }, now);
    await appendEvent(trx, { appealId: id, kind: 'assigned', fromStatus: null, toStatus: null, visibility: 'internal', body: null, unitId: appeal.unitId, level: appeal.level, actorUserId: actor.userId, createdAt: now.toISOString() });
    assigned++;
  }
  await recordAudit(trx, { actor, action: 'appeal.assign', entityType: 'appeal', entityId: null, ip, detail: { ids, assigneeUserId }, at: now });
  return assigned;
}

export type FeedbackInput = { action: 'confirm' | 'reopen'; rating?: number; comment?: string };

/** The worker confirms (with a rating) or reopens an answered appeal within the confirmation window. */
export async function giveFeedback(trx: Trx, appeal: AppealRow, input: FeedbackInput, filer: Actor | null, now: Date): Promise<AppealRow> {
  const filerUserId = filer?.userId ?? null;
  const windowEnd = appeal.answeredAt ? Date.parse(appeal.answeredAt) + CONFIRMATION_WINDOW_DAYS * 86_400_000 : 0;
  if (!answeredStatuses.has(appeal.status) || now.getTime() > windowEnd) {
    throw conflict({ zh: '这条诉求现在不能确认或重新打开', en: 'This appeal cannot be confirmed or reopened now' });
  }
  if (input.action === 'confirm' && input.rating === undefined) throw invalid('body.rating', { zh: '请打 1–5 分', en: 'rate it 1–5' });
  if (input.action === 'reopen' && !input.comment) throw invalid('body.comment', { zh: '请说明还有什么没解决', en: 'say what is still wrong' });
  const at = now.toISOString();
  const to: AppealStatus = input.action === 'confirm' ? 'confirmed' : 'reopened';
  const patch: Patch =
    to === 'confirmed'
      ? { status: to, rating: input.rating ?? null, feedback: input.comment ?? null, closedAt: at }
      : { status: to, feedback: input.comment ?? null, answeredAt: null, receivedAt: at, reopenCount: appeal.reopenCount + 1 };
  await updateIfUnchanged(trx, appeal, patch, now);
  await appendEvent(trx, { appealId: appeal.id, kind: 'status', fromStatus: appeal.status, toStatus: to, visibility: 'public', body: input.comment ?? null, unitId: null, level: appeal.level, actorUserId: filerUserId, createdAt: at });
  if (to === 'confirmed') await appendEvent(trx, { appealId: appeal.id, kind: 'rated', fromStatus: null, toStatus: null, visibility: 'public', body: String(input.rating), unitId: null, level: null, actorUserId: filerUserId, createdAt: at });
  await recordAudit(trx, { actor: filer, action: `appeal.${input.action}`, entityType: 'appeal', entityId: appeal.id, detail: { rating: input.rating ?? null, byFiler: true }, at: now });
  const category = categoryNames[appeal.category];
  await notifyUnit(trx, appeal.unitId, appeal, `appeal.${to}`, to === 'confirmed' ? { zh: `劳动者已确认（${input.rating} 分）。`, en: `The worker confirmed it (${input.rating}/5).` } : { zh: `劳动者重新打开了${category.zh}诉求：${input.comment}`, en: `The worker reopened it: ${input.comment}` }, now);
  return refreshDeadlines(trx, appeal.id, now);
}

/** The worker adds what was asked for; an appeal waiting on them goes back to work. */
export async function workerReply(trx: Trx, appeal: AppealRow, body: string, filer: Actor | null, now: Date): Promise<AppealRow> {
  const filerUserId = filer?.userId ?? null;
  if (closedStatuses.has(appeal.status)) throw conflict({ zh: '这条诉求已办结', en: 'This appeal is closed' });
  const at = now.toISOString();
  const resume = appeal.status === 'waiting_on_worker';
  await updateIfUnchanged(trx, appeal, resume ? { status: 'in_progress', delayReason: null } : {}, now);
  // unitId null marks the worker's own words: the SLA clocks count only the holding unit's replies.
  await appendEvent(trx, { appealId: appeal.id, kind: 'reply', fromStatus: null, toStatus: null, visibility: 'public', body, unitId: null, level: null, actorUserId: filerUserId, createdAt: at });
  if (resume) await appendEvent(trx, { appealId: appeal.id, kind: 'status', fromStatus: 'waiting_on_worker', toStatus: 'in_progress', visibility: 'public', body: null, unitId: null, level: appeal.level, actorUserId: filerUserId, createdAt: at });
  await recordAudit(trx, { actor: filer, action: 'appeal.worker_reply', entityType: 'appeal', entityId: appeal.id, detail: { byFiler: true }, at: now });
  await notifyUnit(trx, appeal.unitId, appeal, 'appeal.worker_reply', { zh: `劳动者补充：${body.slice(0, 200)}`, en: `The worker added: ${body.slice(0, 200)}` }, now);
  return refreshDeadlines(trx, appeal.id, now);
}
