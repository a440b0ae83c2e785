// Carrying out a deletion request (PIPL art. 47): what identifies the person goes — name, phone,
// platform id, account, free texts they wrote or that were written about them, notifications, photos of
// their appeals — in one transaction. What no longer points at anyone stays, so counts and figures keep
// their history: the worker row (platform, work type, city, serving unit), appeals' category, status and
// timeline, attendance, visits, verified hours, contact dates. The audit log keeps its rows (append-only;
// logs of processing are kept by law), and a member record (党员档案) is kept by its branch under the
// Party's rules on membership records: it changes through the branch, not through this request.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../../core/audit.js';
import { chinaDate } from '../../core/clock.js';
import type { Context } from '../../core/context.js';
import { nameSortKey } from '../../core/name-sort.js';
import type { SensitiveCodec } from '../../core/sensitive.js';
import type { Database } from '../../db/tables.js';
import { writeSearchTokens } from '../../db/text-search.js';
import type { DeletionOutcome } from './privacy.schema.js';

type Db = Kysely<Database>;

export const ERASED_TEXT = '［已删除］';
export const ERASED_NAME = '已删除';
const ERASED_REASON = '本人申请删除个人信息 / erased at the person’s request';

const roundTo = (value: number | null, places: number) => (value === null ? null : Math.round(value * 10 ** places) / 10 ** places);
const count = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }[]) => result.reduce((sum, r) => sum + Number(r.numUpdatedRows ?? r.numDeletedRows ?? 0n), 0);

async function eraseWorker(trx: Db, codec: SensitiveCodec, ctx: Context, workerId: number, userId: number, anonymized: Record<string, number>): Promise<string[]> {
  const at = ctx.now.toISOString();
  const today = chinaDate(ctx.now);
  // A keyed hash of a value no phone can have keeps the unique index satisfied without a real number.
  await trx
    .updateTable('workers')
    .set({
      name: ERASED_NAME,
      nameSort: nameSortKey(ERASED_NAME),
      phoneEnc: codec.encrypt(''),
      phoneHash: codec.hash(`erased:${workerId}`),
      phoneTail: '',
      platformWorkerId: `erased-${workerId}`,
      userId: null,
      status: 'inactive',
      consentWithdrawnAt: at,
      anonymizedAt: at,
      updatedAt: at,
    })
    .where('id', '=', workerId)
    .execute();
  await writeSearchTokens(trx, 'workers', workerId, []);
  anonymized.worker = 1;

  anonymized.memberDeclarations = count(await trx.updateTable('memberDeclarations').set({ homeOrgText: codec.encrypt(ERASED_TEXT), decisionReason: null }).where('workerId', '=', workerId).execute());

  // Their appeals keep what they were about (category, platform, city, status, timeline) for the figures.
  const appeals = await trx.selectFrom('appeals').select(['id', 'lat', 'lng']).where('workerId', '=', workerId).execute();
  const photoKeys: string[] = [];
  for (const appeal of appeals) {
    await trx
      .updateTable('appeals')
      .set({ workerId: null, contactId: null, contactName: null, contactPhoneEnc: null, address: null, lat: roundTo(appeal.lat, 2), lng: roundTo(appeal.lng, 2), description: ERASED_TEXT, feedback: null, anonymizedAt: at, updatedAt: at })
      .where('id', '=', appeal.id)
      .execute();
    const photos = await trx.selectFrom('appealPhotos').select('storageKey').where('appealId', '=', appeal.id).execute();
    photoKeys.push(...photos.map((p) => p.storageKey));
    if (photos.length > 0) await trx.deleteFrom('appealPhotos').where('appealId', '=', appeal.id).execute();
  }
  anonymized.appeals = appeals.length;
  anonymized.appealPhotos = photoKeys.length;
  // What they wrote on any timeline (added information, feedback) loses its words and its author.
  anonymized.appealEvents = count(await trx.updateTable('appealEvents').set({ body: ERASED_TEXT, actorUserId: null }).where('actorUserId', '=', userId).where('body', 'is not', null).execute());
  await trx.updateTable('appealEvents').set({ actorUserId: null }).where('actorUserId', '=', userId).execute();

  anonymized.liaisonContacts = count(await trx.updateTable('liaisonContacts').set({ notes: null, demandsRaised: null }).where('workerId', '=', workerId).execute());
  anonymized.liaisonAssignments = count(await trx.deleteFrom('liaisonAssignments').where('workerId', '=', workerId).execute());
  anonymized.stationRatings = count(await trx.updateTable('stationRatings').set({ comment: null }).where('workerId', '=', workerId).where('comment', 'is not', null).execute());
  anonymized.stationVisits = count(await trx.updateTable('stationVisits').set({ userId: null }).where('workerId', '=', workerId).execute());
  anonymized.volunteerTeams = count(await trx.updateTable('volunteerTeamMembers').set({ leftOn: today }).where('workerId', '=', workerId).where('leftOn', 'is', null).execute());
  const records = await trx.selectFrom('serviceRecords').select('id').where('workerId', '=', workerId).execute();
  for (const record of records) {
    // The description's hash is part of a unique index; each erased record gets its own.
    const descriptionHash = createHash('sha256').update(`erased:${record.id}`).digest('hex');
    await trx.updateTable('serviceRecords').set({ description: ERASED_TEXT, descriptionHash, rejectReason: null, updatedAt: at }).where('id', '=', record.id).execute();
  }
  anonymized.serviceRecords = records.length;
  anonymized.gridRoles = count(await trx.updateTable('gridRoles').set({ toDate: today, endReason: ERASED_REASON, updatedAt: at }).where('workerId', '=', workerId).where('toDate', 'is', null).execute());
  return photoKeys;
}

/**
 * Anonymizes the person of a deletion request and closes the account; returns the outcome and the photo
 * files to remove once the transaction has committed.
 */
export async function erasePerson(
  trx: Db,
  codec: SensitiveCodec,
  ctx: Context,
  request: { id: number; userId: number; workerId: number | null },
  memberId: number | null,
): Promise<{ outcome: DeletionOutcome; photoKeys: string[] }> {
  const at = ctx.now.toISOString();
  const anonymized: Record<string, number> = {};
  const photoKeys = request.workerId === null ? [] : await eraseWorker(trx, codec, ctx, request.workerId, request.userId, anonymized);

  anonymized.activitySignups = count(await trx.updateTable('activityParticipants').set({ userId: null }).where('userId', '=', request.userId).execute());
  const notes = (await trx.selectFrom('notifications').select('id').where('userId', '=', request.userId).execute()).map((n) => n.id);
  if (notes.length > 0) {
    await trx.deleteFrom('outbox').where('notificationId', 'in', notes).execute();
    await trx.deleteFrom('notifications').where('id', 'in', notes).execute();
  }
  anonymized.notifications = notes.length;
  // The account row stays (the audit log refers to it by id) but names no one and can never log in.
  await trx
    .updateTable('users')
    .set({ username: `erased-${request.userId}`, displayName: ERASED_NAME, email: null, passwordHash: 'erased', workerId: null, memberId: null, disabledAt: at, updatedAt: at })
    .where('id', '=', request.userId)
    .execute();
  await trx.deleteFrom('roleGrants').where('userId', '=', request.userId).execute();
  anonymized.sessions = count(await trx.deleteFrom('sessions').where('userId', '=', request.userId).execute());
  anonymized.account = 1;

  const kept = ['audit_log: append-only record of processing, kept by law', 'counts: platform, city, serving unit, appeal categories and statuses, attendance, visits, hours'];
  if (memberId !== null) kept.push('member_record: kept by the branch under the Party’s rules on membership records');
  const outcome: DeletionOutcome = { anonymized, kept };
  await trx
    .updateTable('deletionRequests')
    .set({ status: 'carried_out', reason: null, decidedAt: at, decidedBy: ctx.actor.userId, outcome: JSON.stringify(outcome) })
    .where('id', '=', request.id)
    .execute();
  await recordAudit(trx, { actor: ctx.actor, action: 'privacy.deletion_carried_out', entityType: 'deletion_request', entityId: request.id, ip: ctx.ip, at: ctx.now, detail: { anonymized } });
  return { outcome, photoKeys };
}
