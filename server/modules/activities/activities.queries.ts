import { type Kysely, sql } from 'kysely';
import type { ActivityAudience, ActivityKind, ActivityStatus, ParticipantStatus } from '../../db/tables-activities.js';
import type { Database } from '../../db/tables.js';
import { inSubtreePaths } from '../org/org.queries.js';
import { idsOnPath } from '../org/org.rules.js';
import { divisionCodesCovering } from './activities.rules.js';

type Db = Kysely<Database>;

const activityColumns = [
  'a.id', 'a.kind', 'a.title', 'a.description', 'a.unitId', 'a.stationId', 'a.address', 'a.lat', 'a.lng', 'a.startsAt', 'a.endsAt',
  'a.capacity', 'a.audience', 'a.audiencePlatformId', 'a.audienceCityCode', 'a.signupOpensAt', 'a.signupClosesAt', 'a.status',
  'a.cancelReason', 'a.cancelledAt', 'a.version', 'a.createdBy', 'a.createdAt', 'a.updatedAt', 'u.path as unitPath', 'u.name as unitName',
  's.name as stationName',
] as const;

function activities(db: Db) {
  return db.selectFrom('activities as a').innerJoin('orgUnits as u', 'u.id', 'a.unitId').leftJoin('stations as s', 's.id', 'a.stationId').select(activityColumns);
}

export type ActivityRow = NonNullable<Awaited<ReturnType<typeof findActivity>>>;

export async function findActivity(db: Db, id: number) {
  return activities(db).where('a.id', '=', id).executeTakeFirst();
}

/**
 * Takes the activity's row lock until the transaction ends (a no-op write on PostgreSQL; SQLite has one
 * writer anyway), so sign-ups and cancellations of one activity count seats one after another.
 */
export async function lockActivity(db: Db, id: number): Promise<void> {
  await db.updateTable('activities').set((eb) => ({ version: eb.ref('version') })).where('id', '=', id).execute();
}

export type Counts = { confirmed: number; waitlisted: number; checkedIn: number };

export async function countsFor(db: Db, ids: readonly number[]): Promise<Map<number, Counts>> {
  const counts = new Map<number, Counts>(ids.map((id) => [id, { confirmed: 0, waitlisted: 0, checkedIn: 0 }]));
  if (ids.length === 0) return counts;
  const rows = await db
    .selectFrom('activityParticipants')
    .select((eb) => [
      'activityId',
      eb.fn.sum<number>(sql`case when status = 'confirmed' then 1 else 0 end`).as('confirmed'),
      eb.fn.sum<number>(sql`case when status = 'waitlisted' then 1 else 0 end`).as('waitlisted'),
      eb.fn.sum<number>(sql`case when checked_in_at is not null then 1 else 0 end`).as('checkedIn'),
    ])
    .where('activityId', 'in', ids)
    .groupBy('activityId')
    .execute();
  for (const r of rows) counts.set(r.activityId, { confirmed: Number(r.confirmed), waitlisted: Number(r.waitlisted), checkedIn: Number(r.checkedIn) });
  return counts;
}

export type ListFilter = {
  scope: readonly string[] | 'all';
  from?: string;
  to?: string;
  kind?: ActivityKind;
  status?: ActivityStatus;
  stationId?: number;
  after: { startsAt: string; id: number } | null;
  limit: number;
};

/** Activities of the given subtrees by start time: the units' path range first, then (unit, start). */
export async function listActivities(db: Db, f: ListFilter) {
  let query = activities(db);
  if (f.scope !== 'all') query = query.where(inSubtreePaths('u.path', f.scope));
  if (f.from) query = query.where('a.startsAt', '>=', f.from);
  if (f.to) query = query.where('a.startsAt', '<', f.to);
  if (f.kind) query = query.where('a.kind', '=', f.kind);
  if (f.status) query = query.where('a.status', '=', f.status);
  if (f.stationId !== undefined) query = query.where('a.stationId', '=', f.stationId);
  if (f.after) {
    const { startsAt, id } = f.after;
    query = query.where((eb) => eb.or([eb('a.startsAt', '>', startsAt), eb.and([eb('a.startsAt', '=', startsAt), eb('a.id', '>', id)])]));
  }
  return query.orderBy('a.startsAt').orderBy('a.id').limit(f.limit + 1).execute();
}

export type Identity = {
  userId: number;
  worker: { id: number; platformId: number; cityCode: string; unitPath: string | null } | null;
  member: { id: number; unitPath: string } | null;
};

/** The worker and member records an account stands for (users.workerId, users.memberId). */
export async function identityOf(db: Db, userId: number): Promise<Identity> {
  const user = await db.selectFrom('users').select(['workerId', 'memberId']).where('id', '=', userId).executeTakeFirst();
  const worker = user?.workerId
    ? await db.selectFrom('workers').select(['id', 'platformId', 'cityCode', 'unitPath']).where('id', '=', user.workerId).executeTakeFirst()
    : undefined;
  const member = user?.memberId ? await db.selectFrom('members').select(['id', 'unitPath']).where('id', '=', user.memberId).executeTakeFirst() : undefined;
  return { userId, worker: worker ?? null, member: member ?? null };
}

/** Which record takes part: a member for members-only meetings, a worker for everything else. */
export function personKey(audience: ActivityAudience, who: Identity): { workerId: number } | { memberId: number } | null {
  if (audience === 'members_only') return who.member ? { memberId: who.member.id } : null;
  return who.worker ? { workerId: who.worker.id } : null;
}

export async function findParticipant(db: Db, activityId: number, key: { workerId: number } | { memberId: number }) {
  let query = db.selectFrom('activityParticipants').selectAll().where('activityId', '=', activityId);
  query = 'workerId' in key ? query.where('workerId', '=', key.workerId) : query.where('memberId', '=', key.memberId);
  return query.executeTakeFirst();
}

export type ParticipantRow = NonNullable<Awaited<ReturnType<typeof findParticipant>>>;

/** A person's places in some activities (their worker record for open ones, member record for meetings), by activity id. */
export async function placesOf(db: Db, who: Identity, activityIds: readonly number[]) {
  if (activityIds.length === 0 || (!who.worker && !who.member)) return new Map<number, ParticipantRow>();
  const rows = await db
    .selectFrom('activityParticipants')
    .selectAll()
    .where('activityId', 'in', activityIds)
    .where((eb) => eb.or([eb('workerId', '=', who.worker?.id ?? -1), eb('memberId', '=', who.member?.id ?? -1)]))
    .execute();
  return new Map(rows.map((r) => [r.activityId, r]));
}

/** 1 for the first in line; null unless waitlisted. */
export async function waitlistPosition(db: Db, p: Pick<ParticipantRow, 'activityId' | 'status' | 'queueNumber'>): Promise<number | null> {
  if (p.status !== 'waitlisted') return null;
  const ahead = await db
    .selectFrom('activityParticipants')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('activityId', '=', p.activityId)
    .where('status', '=', 'waitlisted')
    .where('queueNumber', '<', p.queueNumber)
    .executeTakeFirstOrThrow();
  return Number(ahead.n) + 1;
}

/** The next place in an activity's line; call it holding the activity's lock. */
export async function nextQueueNumber(db: Db, activityId: number): Promise<number> {
  const row = await db.selectFrom('activityParticipants').select((eb) => eb.fn.max<number | null>('queueNumber').as('last')).where('activityId', '=', activityId).executeTakeFirst();
  return Number(row?.last ?? 0) + 1;
}

export async function firstWaitlisted(db: Db, activityId: number, count: number) {
  return db
    .selectFrom('activityParticipants')
    .selectAll()
    .where('activityId', '=', activityId)
    .where('status', '=', 'waitlisted')
    .orderBy('queueNumber')
    .limit(count)
    .execute();
}

/** The people of an activity for its organizers, with names (workers or members) and check-in state. */
export async function listParticipants(db: Db, activityId: number, f: { status?: ParticipantStatus; afterId: number | null; limit: number }) {
  let query = db
    .selectFrom('activityParticipants as p')
    .leftJoin('workers as w', 'w.id', 'p.workerId')
    .leftJoin('members as m', 'm.id', 'p.memberId')
    .select(['p.id', 'p.activityId', 'p.workerId', 'p.memberId', 'p.status', 'p.queueNumber', 'p.signedUpAt', 'p.cancelledAt', 'p.promotedAt', 'p.checkedInAt', 'p.checkInMethod'])
    .select((eb) => [eb.fn.coalesce('w.name', 'm.name').as('name'), eb.fn.coalesce('w.phoneTail', 'm.phoneTail').as('phoneTail')])
    .where('p.activityId', '=', activityId);
  if (f.status) query = query.where('p.status', '=', f.status);
  if (f.afterId !== null) query = query.where('p.id', '>', f.afterId);
  return query.orderBy('p.id').limit(f.limit + 1).execute();
}

/** The sign-ups of a person (by worker or member record), newest start first or soonest first. */
export async function myParticipations(db: Db, who: Identity, f: { when: 'upcoming' | 'past' | 'all'; now: string; after: { startsAt: string; id: number } | null; limit: number }) {
  const workerId = who.worker?.id ?? -1;
  const memberId = who.member?.id ?? -1;
  let query = activities(db)
    .innerJoin('activityParticipants as p', 'p.activityId', 'a.id')
    .select(['p.id as participantId', 'p.status as participantStatus', 'p.queueNumber', 'p.signedUpAt', 'p.checkedInAt'])
    .where((eb) => eb.or([eb('p.workerId', '=', workerId), eb('p.memberId', '=', memberId)]));
  const ascending = f.when === 'upcoming';
  if (f.when === 'upcoming') query = query.where('a.endsAt', '>', f.now);
  if (f.when === 'past') query = query.where('a.endsAt', '<=', f.now);
  if (f.after) {
    const { startsAt, id } = f.after;
    const op = ascending ? '>' : '<';
    query = query.where((eb) => eb.or([eb('a.startsAt', op, startsAt), eb.and([eb('a.startsAt', '=', startsAt), eb('a.id', op, id)])]));
  }
  const direction = ascending ? 'asc' : 'desc';
  return query.orderBy('a.startsAt', direction).orderBy('a.id', direction).limit(f.limit + 1).execute();
}


/**
 * Scheduled activities a person may sign up for, starting in [from, to): each audience rule in SQL.
 * A worker's membership plays no part; members-only meetings are found through the member record.
 */
export async function availableTo(
  db: Db,
  who: Identity,
  f: { from: string; to: string; kind?: ActivityKind; stationId?: number; box?: { minLat: number; maxLat: number; minLng: number; maxLng: number }; after: { startsAt: string; id: number } | null; limit: number },
) {
  const w = who.worker;
  const memberUnits = who.member ? idsOnPath(who.member.unitPath ?? '') : [];
  let query = activities(db)
    .where('a.status', '=', 'scheduled')
    .where('a.startsAt', '>=', f.from)
    .where('a.startsAt', '<', f.to)
    .where((eb) => {
      const open = [];
      if (w) {
        const branchUnits = idsOnPath(w.unitPath ?? '');
        open.push(
          eb.and([
            eb('a.audience', '=', 'platform_city'),
            eb.or([eb('a.audiencePlatformId', 'is', null), eb('a.audiencePlatformId', '=', w.platformId)]),
            eb.or([eb('a.audienceCityCode', 'is', null), eb('a.audienceCityCode', 'in', divisionCodesCovering(w.cityCode))]),
          ]),
        );
        if (branchUnits.length > 0) open.push(eb.and([eb('a.audience', '=', 'branch'), eb('a.unitId', 'in', branchUnits)]));
      }
      if (memberUnits.length > 0) open.push(eb.and([eb('a.audience', '=', 'members_only'), eb('a.unitId', 'in', memberUnits)]));
      return open.length > 0 ? eb.or(open) : sql<boolean>`1 = 0`;
    });
  if (f.kind) query = query.where('a.kind', '=', f.kind);
  if (f.stationId !== undefined) query = query.where('a.stationId', '=', f.stationId);
  if (f.box) {
    const b = f.box;
    query = query.where('a.lat', '>=', b.minLat).where('a.lat', '<=', b.maxLat).where('a.lng', '>=', b.minLng).where('a.lng', '<=', b.maxLng);
  }
  if (f.after) {
    const { startsAt, id } = f.after;
    query = query.where((eb) => eb.or([eb('a.startsAt', '>', startsAt), eb.and([eb('a.startsAt', '=', startsAt), eb('a.id', '>', id)])]));
  }
  return query.orderBy('a.startsAt').orderBy('a.id').limit(f.limit + 1).execute();
}

/**
 * Activities of a subtree starting in [from, to) for its calendar feed, cancelled ones included: the
 * subtree's units by their path range, then each unit's window through activities_unit_starts
 * (unit_id, starts_at), so the rows read are the subtree's window, not the subtree's whole history nor
 * the whole country's window. The CROSS JOIN keeps that order on SQLite, whose planner (no statistics)
 * otherwise rates the two-sided start range as the narrower and walks every activity of the window in
 * the country (1m world, Sichuan: 500 ms against 90; a platform committee: 400 ms against 3). PostgreSQL
 * reorders a CROSS JOIN like any other and picks by its statistics.
 */
export function feedOfSubtreeQuery(db: Db, unitPath: string, window: { from: string; to: string }, max: number) {
  return db
    .selectFrom('orgUnits as u')
    .crossJoin('activities as a')
    .leftJoin('stations as s', 's.id', 'a.stationId')
    .select(activityColumns)
    .whereRef('a.unitId', '=', 'u.id')
    .where(inSubtreePaths('u.path', [unitPath]))
    .where('a.startsAt', '>=', window.from)
    .where('a.startsAt', '<', window.to)
    .orderBy('a.startsAt')
    .orderBy('a.id')
    .limit(max);
}

export async function feedOfSubtree(db: Db, unitPath: string, window: { from: string; to: string }, max: number) {
  return feedOfSubtreeQuery(db, unitPath, window, max).execute();
}

/** A person's sign-ups (not cancelled ones) for their calendar feed. */
export async function feedOfPerson(db: Db, who: Identity, since: string, max: number) {
  const workerId = who.worker?.id ?? -1;
  const memberId = who.member?.id ?? -1;
  return activities(db)
    .innerJoin('activityParticipants as p', 'p.activityId', 'a.id')
    .select(['p.status as participantStatus'])
    .where((eb) => eb.or([eb('p.workerId', '=', workerId), eb('p.memberId', '=', memberId)]))
    .where('p.status', '!=', 'cancelled')
    .where('a.startsAt', '>=', since)
    .orderBy('a.startsAt')
    .orderBy('a.id')
    .limit(max)
    .execute();
}
