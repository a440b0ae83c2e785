// Organizing activities: create, change and cancel, each in the caller's transaction with its audit row,
// and the waitlist moving up whenever seats free. Sign-up and check-in live in activities.participation.ts.
import type { Kysely } from 'kysely';
import { ensureAllowed } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import { AppError, conflict, invalid, notFound } from '../../core/errors.js';
import type { Actor } from '../../core/scope.js';
import type { Database } from '../../db/tables.js';
import { findUnit } from '../org/org.queries.js';
import { notifyParticipants } from './activities.notify.js';
import { type ActivityRow, countsFor, findActivity, firstWaitlisted, lockActivity } from './activities.queries.js';
import { type ActivityShape, checkActivity, seatsToFill } from './activities.rules.js';
import type { CreateActivityBody, UpdateActivityBody } from './activities.schema.js';

type Db = Kysely<Database>;
type Meta = { now: Date; ip: string | null };

const iso = (value: string | null | undefined) => (value === null || value === undefined ? null : new Date(value).toISOString());

function ensureWellFormed(shape: ActivityShape): void {
  const problem = checkActivity(shape);
  if (problem) throw invalid(problem.field, problem.message);
}

type Venue = { stationId?: number | null; address?: string | null; lat?: number | null; lng?: number | null };

/**
 * The venue as it will be stored. activities.station_id has no foreign key (SQLite cannot add one to a
 * landed table without rebuilding it), so the write path is where an unknown station is refused, on both
 * engines alike and with a 4xx rather than a constraint error. Stations are public facilities any unit
 * may hold an activity at; a closed one can host nothing new. Left empty, the address and position come
 * from the station, so the feeds, notices and "near me" know where it is.
 */
async function venueOf(db: Db, venue: Venue): Promise<Venue> {
  if (venue.stationId === undefined || venue.stationId === null) return venue;
  const station = await db.selectFrom('stations').select(['id', 'address', 'lat', 'lng', 'status']).where('id', '=', venue.stationId).executeTakeFirst();
  if (!station) throw invalid('stationId', { zh: '没有这个服务站点', en: 'there is no such station' });
  if (station.status === 'closed') throw invalid('stationId', { zh: '该服务站点已关闭，不能在此举办新活动', en: 'this station is closed and can host no new activity' });
  const positioned = venue.lat !== undefined && venue.lat !== null;
  return {
    ...venue,
    address: venue.address === undefined || venue.address === null ? station.address : venue.address,
    lat: positioned ? venue.lat : station.lat,
    lng: positioned ? venue.lng : station.lng,
  };
}

/** The activity, if the actor may organize it (org.write on its unit): else 404 out of scope, 403 in it. */
export async function organizedActivity(db: Db, actor: Actor, id: number): Promise<ActivityRow> {
  const activity = await findActivity(db, id);
  if (!activity) throw notFound('activity');
  ensureAllowed(actor, 'org.write', activity.unitPath, 'activity');
  return activity;
}

export async function createActivity(db: Db, actor: Actor, body: CreateActivityBody, meta: Meta): Promise<number> {
  const unit = await findUnit(db, body.unitId);
  if (!unit) throw notFound('org_unit');
  ensureAllowed(actor, 'org.write', unit.path);
  if (unit.closedOn) throw new AppError(409, 'UNIT_CLOSED', { name: unit.name, closedOn: unit.closedOn });
  const venue = await venueOf(db, body);
  const openToPlatformCity = body.audience === 'platform_city';
  const shape: ActivityShape = {
    kind: body.kind,
    audience: body.audience,
    startsAt: new Date(body.startsAt).toISOString(),
    endsAt: new Date(body.endsAt).toISOString(),
    capacity: body.capacity ?? null,
    signupOpensAt: iso(body.signupOpensAt),
    signupClosesAt: iso(body.signupClosesAt),
    stationId: venue.stationId ?? null,
    address: venue.address ?? null,
    lat: venue.lat ?? null,
    lng: venue.lng ?? null,
  };
  ensureWellFormed(shape);
  const at = meta.now.toISOString();
  const { id } = await db
    .insertInto('activities')
    .values({
      ...shape,
      title: body.title,
      description: body.description ?? null,
      unitId: unit.id,
      // The unit's own platform and city unless the organizer widened (null) or changed them.
      audiencePlatformId: openToPlatformCity ? (body.audiencePlatformId === undefined ? unit.platformId : body.audiencePlatformId) : null,
      audienceCityCode: openToPlatformCity ? (body.audienceCityCode === undefined ? unit.cityCode : body.audienceCityCode) : null,
      status: 'scheduled',
      cancelReason: null,
      cancelledAt: null,
      createdBy: actor.userId,
      createdAt: at,
      updatedAt: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(db, { actor, action: 'activity.create', entityType: 'activity', entityId: id, ip: meta.ip, at: meta.now, detail: { unitId: unit.id, kind: body.kind, audience: body.audience } });
  return id;
}

/** Moves the first waitlisted people up into free seats, and tells each of them. */
export async function fillSeats(db: Db, activity: ActivityRow, actor: Actor | null, meta: Meta): Promise<number[]> {
  const counts = (await countsFor(db, [activity.id])).get(activity.id);
  const n = counts ? seatsToFill(activity, counts.confirmed, counts.waitlisted, meta.now) : 0;
  if (n === 0) return [];
  const promoted = await firstWaitlisted(db, activity.id, n);
  const at = meta.now.toISOString();
  await db.updateTable('activityParticipants').set({ status: 'confirmed', promotedAt: at }).where('id', 'in', promoted.map((p) => p.id)).execute();
  for (const p of promoted) await notifyParticipants(db, [p.userId], 'activity.promoted', activity, meta.now);
  await recordAudit(db, { actor, action: 'activity.waitlist_promote', entityType: 'activity', entityId: activity.id, ip: meta.ip, at: meta.now, detail: { participantIds: promoted.map((p) => p.id) } });
  return promoted.map((p) => p.id);
}

/** Everyone holding a place or waiting for one: they hear of changes and cancellation. */
async function holdersOf(db: Db, activityId: number): Promise<(number | null)[]> {
  const rows = await db.selectFrom('activityParticipants').select('userId').where('activityId', '=', activityId).where('status', 'in', ['confirmed', 'waitlisted']).execute();
  return rows.map((r) => r.userId);
}

const tracked = ['kind', 'title', 'description', 'stationId', 'address', 'lat', 'lng', 'startsAt', 'endsAt', 'capacity', 'audience', 'audiencePlatformId', 'audienceCityCode', 'signupOpensAt', 'signupClosesAt'] as const;
type Tracked = (typeof tracked)[number];
const instants = new Set<Tracked>(['startsAt', 'endsAt', 'signupOpensAt', 'signupClosesAt']);

export async function updateActivity(db: Db, actor: Actor, id: number, body: UpdateActivityBody, meta: Meta): Promise<void> {
  await lockActivity(db, id);
  const activity = await organizedActivity(db, actor, id);
  if (activity.status === 'cancelled') throw conflict({ zh: '活动已取消，不能再修改', en: 'the activity is cancelled and can no longer be changed' });
  if (body.version !== undefined && body.version !== activity.version) {
    throw conflict({ zh: '活动已被他人修改，请刷新后重试', en: 'someone else changed the activity; reload and try again' });
  }
  const next: Partial<Pick<ActivityRow, Tracked>> = {};
  const put = (field: Tracked, value: unknown) => {
    if (value !== activity[field]) Object.assign(next, { [field]: value });
  };
  // A new station brings its address and position unless the body gives them.
  const withVenue = body.stationId !== undefined && body.stationId !== activity.stationId ? { ...body, ...(await venueOf(db, body)) } : body;
  for (const field of tracked) {
    const given = withVenue[field];
    if (given !== undefined) put(field, instants.has(field) ? iso(given as string | null) : given);
  }
  // Platform and city only narrow a platform_city audience; other audiences ignore them.
  if ((next.audience ?? activity.audience) !== 'platform_city') {
    put('audiencePlatformId', null);
    put('audienceCityCode', null);
  }
  const after: ActivityRow = { ...activity, ...next, version: activity.version + 1 };
  ensureWellFormed(after);
  const changed = Object.keys(next);
  if (changed.length === 0) return;
  const at = meta.now.toISOString();
  await db.updateTable('activities').set({ ...next, version: after.version, updatedAt: at }).where('id', '=', id).execute();
  await recordAudit(db, { actor, action: 'activity.update', entityType: 'activity', entityId: id, ip: meta.ip, at: meta.now, detail: { changed } });
  // Time and place are what people plan around; other edits (a typo in the description) stay quiet.
  if (changed.some((f) => ['startsAt', 'endsAt', 'stationId', 'address'].includes(f))) {
    await notifyParticipants(db, await holdersOf(db, id), 'activity.changed', after, meta.now);
  }
  // A new start time deserves a new reminder the day before it.
  if (changed.includes('startsAt')) await db.updateTable('activityParticipants').set({ remindedAt: null }).where('activityId', '=', id).execute();
  if (changed.includes('capacity')) await fillSeats(db, after, actor, meta);
}

export async function cancelActivity(db: Db, actor: Actor, id: number, reason: string, meta: Meta): Promise<void> {
  await lockActivity(db, id);
  const activity = await organizedActivity(db, actor, id);
  if (activity.status === 'cancelled') throw conflict({ zh: '活动已经取消了', en: 'the activity is already cancelled' });
  const at = meta.now.toISOString();
  await db.updateTable('activities').set({ status: 'cancelled', cancelReason: reason, cancelledAt: at, version: activity.version + 1, updatedAt: at }).where('id', '=', id).execute();
  // Sign-ups stay as they were: the record of who meant to come survives, and the feed says CANCELLED.
  await notifyParticipants(db, await holdersOf(db, id), 'activity.cancelled', activity, meta.now, reason);
  await recordAudit(db, { actor, action: 'activity.cancel', entityType: 'activity', entityId: id, ip: meta.ip, at: meta.now, detail: { reason } });
}
