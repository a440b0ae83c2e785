// Taking part: signing up (a seat or the waitlist), cancelling (the first in line moves up in the same
// transaction), and checking in once per person, by the worker's phone at the venue or by an organizer.
import type { Kysely } from 'kysely';
import { recordAudit } from '../../core/audit.js';
import { isUniqueViolation } from '../../db/engine.js';
import { AppError, conflict, notFound } from '../../core/errors.js';
import type { Bilingual } from '../../core/i18n.js';
import { type Actor, authorize } from '../../core/scope.js';
import type { CheckInMethod } from '../../db/tables-activities.js';
import type { Database } from '../../db/tables.js';
import { fillSeats } from './activities.operations.js';
import {
  type ActivityRow,
  type Identity,
  type ParticipantRow,
  countsFor,
  findActivity,
  findParticipant,
  identityOf,
  lockActivity,
  nextQueueNumber,
  personKey,
} from './activities.queries.js';
import { type Person, checkInRefusal, inAudience, placeFor, signupRefusal } from './activities.rules.js';

type Db = Kysely<Database>;
type Meta = { now: Date; ip: string | null };
type Key = { workerId: number } | { memberId: number };

const refused = (reason: Bilingual) => new AppError(403, 'RULE_VIOLATION', { reason });

function audienceReason(activity: ActivityRow, who: Identity): Bilingual {
  if (activity.audience === 'members_only') return { zh: '这是支部组织生活，仅限本支部党员参加', en: 'this is a branch meeting, for the branch’s members only' };
  if (!who.worker) return { zh: '您的账号没有关联劳动者档案，请联系所在组织', en: 'your account is not linked to a worker record; ask your unit' };
  if (activity.audience === 'branch') return { zh: '本活动面向该组织服务的劳动者', en: 'this activity is for the workers this unit serves' };
  return { zh: '本活动面向指定平台和城市的劳动者', en: 'this activity is for workers of a given platform and city' };
}

export function personOf(activity: ActivityRow, who: Identity): Person | null {
  if (activity.audience === 'members_only') return who.member ? { kind: 'member', unitPath: who.member.unitPath } : null;
  return who.worker ? { kind: 'worker', platformId: who.worker.platformId, cityCode: who.worker.cityCode, unitPath: who.worker.unitPath } : null;
}

export function eligible(activity: ActivityRow, who: Identity): boolean {
  const person = personOf(activity, who);
  return person !== null && inAudience(activity, person);
}

/**
 * The activity as the caller may take part in it: in its audience, or else a 403 with the reason when
 * the caller can see the activity anyway (org.read on its unit), a 404 when not.
 */
async function joinable(db: Db, actor: Actor, id: number): Promise<{ activity: ActivityRow; who: Identity; key: Key }> {
  const activity = await findActivity(db, id);
  if (!activity) throw notFound('activity');
  const who = await identityOf(db, actor.userId);
  const key = personKey(activity.audience, who);
  if (key && eligible(activity, who)) return { activity, who, key };
  const existing = key ? await findParticipant(db, id, key) : undefined;
  if (key && existing) return { activity, who, key };
  if (authorize(actor, 'org.read', activity.unitPath) === 'allowed') throw refused(audienceReason(activity, who));
  throw notFound('activity');
}

export async function signUp(db: Db, actor: Actor, id: number, meta: Meta): Promise<{ participant: ParticipantRow; created: boolean }> {
  const { key } = await joinable(db, actor, id);
  await lockActivity(db, id);
  // Read again under the lock: a cancellation or a sign-up that committed meanwhile counts.
  const activity = (await findActivity(db, id)) as ActivityRow;
  const existing = await findParticipant(db, id, key);
  if (existing && existing.status !== 'cancelled') return { participant: existing, created: false };
  const refusal = signupRefusal(activity, meta.now);
  if (refusal) throw conflict(refusal);
  const confirmed = (await countsFor(db, [id])).get(id)?.confirmed ?? 0;
  const status = placeFor(activity.capacity, confirmed);
  const at = meta.now.toISOString();
  const fresh = { status, queueNumber: await nextQueueNumber(db, id), userId: actor.userId, signedUpAt: at, cancelledAt: null, promotedAt: null, remindedAt: null };
  if (existing) {
    await db.updateTable('activityParticipants').set(fresh).where('id', '=', existing.id).execute();
  } else {
    await db
      .insertInto('activityParticipants')
      .values({ activityId: id, workerId: 'workerId' in key ? key.workerId : null, memberId: 'memberId' in key ? key.memberId : null, ...fresh, checkedInAt: null, checkInMethod: null, checkedInBy: null })
      .execute();
  }
  const participant = (await findParticipant(db, id, key)) as ParticipantRow;
  await recordAudit(db, { actor, action: 'activity.sign_up', entityType: 'activity', entityId: id, ip: meta.ip, at: meta.now, detail: { participantId: participant.id, status } });
  return { participant, created: true };
}

export async function cancelSignUp(db: Db, actor: Actor, id: number, meta: Meta): Promise<ParticipantRow> {
  const { key } = await joinable(db, actor, id);
  await lockActivity(db, id);
  const activity = (await findActivity(db, id)) as ActivityRow;
  const existing = await findParticipant(db, id, key);
  if (!existing || existing.status === 'cancelled' || existing.status === 'walk_in') {
    throw conflict({ zh: '您没有报名这个活动', en: 'you are not signed up for this activity' });
  }
  if (existing.checkedInAt !== null) throw conflict({ zh: '您已签到，不能再取消报名', en: 'you have checked in and can no longer cancel' });
  if (meta.now.getTime() >= Date.parse(activity.endsAt)) throw conflict({ zh: '活动已结束', en: 'the activity is over' });
  const at = meta.now.toISOString();
  await db.updateTable('activityParticipants').set({ status: 'cancelled', cancelledAt: at }).where('id', '=', existing.id).execute();
  await recordAudit(db, { actor, action: 'activity.cancel_sign_up', entityType: 'activity', entityId: id, ip: meta.ip, at: meta.now, detail: { participantId: existing.id, was: existing.status } });
  // The freed seat goes to the first in line before anyone else can take it: same transaction, same lock.
  if (existing.status === 'confirmed') await fillSeats(db, activity, actor, meta);
  return (await findParticipant(db, id, key)) as ParticipantRow;
}

export type CheckInResult = { participant: ParticipantRow; already: boolean };

/**
 * Records one check-in for a person. A repeat returns the first one. Without a confirmed seat the person
 * comes in as a walk-in: anyone for an open activity, only the branch's members for a members-only one.
 */
export async function checkIn(
  db: Db,
  input: { activity: ActivityRow; key: Key; person: Person | null; method: CheckInMethod; actor: Actor; meta: Meta },
): Promise<CheckInResult> {
  const { activity, key, meta } = input;
  const existing = await findParticipant(db, activity.id, key);
  if (existing && existing.checkedInAt !== null) return { participant: existing, already: true };
  const refusal = checkInRefusal(activity, meta.now);
  if (refusal) throw conflict(refusal);
  const hasSeat = existing?.status === 'confirmed';
  if (!hasSeat && activity.audience === 'members_only' && !(input.person && inAudience(activity, input.person))) {
    throw refused({ zh: '这是支部组织生活，仅限本支部党员参加', en: 'this is a branch meeting, for the branch’s members only' });
  }
  const at = meta.now.toISOString();
  const checkedIn = { checkedInAt: at, checkInMethod: input.method, checkedInBy: input.method === 'organizer' ? input.actor.userId : null };
  if (existing) {
    const result = await db
      .updateTable('activityParticipants')
      .set({ ...checkedIn, status: hasSeat ? 'confirmed' : 'walk_in' })
      .where('id', '=', existing.id)
      .where('checkedInAt', 'is', null)
      .executeTakeFirst();
    // Someone else checked this person in a moment ago: theirs stands.
    if (Number(result.numUpdatedRows) === 0) return { participant: (await findParticipant(db, activity.id, key)) as ParticipantRow, already: true };
  } else {
    await db
      .insertInto('activityParticipants')
      .values({
        activityId: activity.id,
        workerId: 'workerId' in key ? key.workerId : null,
        memberId: 'memberId' in key ? key.memberId : null,
        userId: input.method === 'self_scan' ? input.actor.userId : null,
        status: 'walk_in',
        queueNumber: await nextQueueNumber(db, activity.id),
        signedUpAt: at,
        cancelledAt: null,
        promotedAt: null,
        remindedAt: null,
        ...checkedIn,
      })
      .execute();
  }
  const participant = (await findParticipant(db, activity.id, key)) as ParticipantRow;
  await recordAudit(db, {
    actor: input.actor,
    action: 'activity.check_in',
    entityType: 'activity',
    entityId: activity.id,
    ip: meta.ip,
    at: meta.now,
    detail: { participantId: participant.id, method: input.method, walkIn: !hasSeat },
  });
  return { participant, already: false };
}

/** The caller checking themself in with the venue's code (the token is checked by the route). */
export async function selfCheckIn(db: Db, actor: Actor, id: number, meta: Meta): Promise<CheckInResult> {
  const activity = await findActivity(db, id);
  if (!activity) throw notFound('activity');
  const who = await identityOf(db, actor.userId);
  const key = personKey(activity.audience, who);
  if (!key) throw refused(audienceReason(activity, who));
  return checkIn(db, { activity, key, person: personOf(activity, who), method: 'self_scan', actor, meta });
}

/** An organizer checking in a worker (open activities) or a member (members-only meetings) by record id. */
export async function organizerCheckIn(db: Db, actor: Actor, activity: ActivityRow, target: Key, meta: Meta): Promise<CheckInResult> {
  if ('workerId' in target) {
    if (activity.audience === 'members_only') throw refused({ zh: '支部组织生活请按党员签到', en: 'check members in to a branch meeting by member' });
    const worker = await db.selectFrom('workers').select(['id']).where('id', '=', target.workerId).executeTakeFirst();
    if (!worker) throw notFound('worker');
    return checkIn(db, { activity, key: target, person: null, method: 'organizer', actor, meta });
  }
  if (activity.audience !== 'members_only') throw refused({ zh: '开放活动请按劳动者签到', en: 'check workers in to an open activity by worker' });
  const member = await db.selectFrom('members').select(['id', 'unitPath']).where('id', '=', target.memberId).executeTakeFirst();
  if (!member) throw notFound('member');
  return checkIn(db, { activity, key: target, person: { kind: 'member', unitPath: member.unitPath }, method: 'organizer', actor, meta });
}

/**
 * Two requests for the same person at once (a double tap, two organizers) meet at the unique index; the
 * second is run again and finds the first one's row.
 */
export async function onceEvenIfRacing<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return run();
  }
}

/** The answer to any check-in. */
export const checkInView = (activityId: number, r: CheckInResult) => ({
  activityId,
  participantId: r.participant.id,
  checkedInAt: r.participant.checkedInAt ?? '',
  method: r.participant.checkInMethod ?? 'organizer',
  walkIn: r.participant.status === 'walk_in',
  alreadyCheckedIn: r.already,
});

