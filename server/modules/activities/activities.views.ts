// Shapes of what the API answers, built from rows: counts and the caller's own place added to each activity.
import type { Kysely } from 'kysely';
import type { Locale } from '../../core/i18n.js';
import type { Actor } from '../../core/scope.js';
import { authorize } from '../../core/scope.js';
import type { ParticipantStatus } from '../../db/tables-activities.js';
import type { Database } from '../../db/tables.js';
import { type ActivityRow, type Counts, type Identity, countsFor, findParticipant, personKey, waitlistPosition } from './activities.queries.js';
import { outcomeOf, signupClosesAt } from './activities.rules.js';
import { type ActivityView, activityKindNames } from './activities.schema.js';

type Db = Kysely<Database>;

export type Mine = { participantStatus: ParticipantStatus; queueNumber: number; signedUpAt: string; checkedInAt: string | null };

export function activityView(
  a: ActivityRow,
  extra: { counts: Counts | undefined; locale: Locale; canOrganize: boolean; mySignup?: ActivityView['mySignup']; distanceKm?: number | null },
): ActivityView {
  const counts = extra.counts ?? { confirmed: 0, waitlisted: 0, checkedIn: 0 };
  return {
    id: a.id,
    kind: a.kind,
    kindName: activityKindNames[a.kind][extra.locale === 'en' ? 'en' : 'zh'],
    title: a.title,
    description: a.description,
    unitId: a.unitId,
    unitName: a.unitName,
    stationId: a.stationId,
    stationName: a.stationName,
    address: a.address,
    lat: a.lat,
    lng: a.lng,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    capacity: a.capacity,
    seatsLeft: a.capacity === null ? null : Math.max(0, a.capacity - counts.confirmed),
    audience: a.audience,
    audiencePlatformId: a.audiencePlatformId,
    audienceCityCode: a.audienceCityCode,
    signupOpensAt: a.signupOpensAt,
    signupClosesAt: signupClosesAt(a),
    status: a.status,
    cancelReason: a.cancelReason,
    version: a.version,
    counts,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    distanceKm: extra.distanceKm ?? null,
    mySignup: extra.mySignup ?? null,
    canOrganize: extra.canOrganize,
  };
}

/** The caller's own place in one activity, from a joined participant row. */
export async function mySignupOf(db: Db, a: ActivityRow, mine: Mine | null, now: Date): Promise<ActivityView['mySignup']> {
  if (!mine) return null;
  const status = mine.participantStatus;
  const position = await waitlistPosition(db, { activityId: a.id, status, queueNumber: mine.queueNumber });
  return { status, waitlistPosition: position, signedUpAt: mine.signedUpAt, checkedInAt: mine.checkedInAt, outcome: outcomeOf({ status, checkedInAt: mine.checkedInAt }, a, now) };
}

/** One activity as the caller sees it, with their own sign-up when they have one. */
export async function detailFor(db: Db, a: ActivityRow, actor: Actor, who: Identity, locale: Locale, now: Date): Promise<ActivityView> {
  const key = personKey(a.audience, who);
  const p = key ? await findParticipant(db, a.id, key) : undefined;
  const mine = p ? { participantStatus: p.status, queueNumber: p.queueNumber, signedUpAt: p.signedUpAt, checkedInAt: p.checkedInAt } : null;
  return activityView(a, {
    counts: (await countsFor(db, [a.id])).get(a.id),
    locale,
    canOrganize: authorize(actor, 'org.write', a.unitPath) === 'allowed',
    mySignup: await mySignupOf(db, a, mine, now),
  });
}

/** A page of activities for lists: counts fetched once for the page; the caller's place when rows carry it. */
export async function listViews<R extends ActivityRow>(
  db: Db,
  rows: R[],
  actor: Actor,
  locale: Locale,
  options: { distances?: Map<number, number>; mine?: (row: R) => Mine | null; now?: Date } = {},
): Promise<ActivityView[]> {
  const counts = await countsFor(db, rows.map((r) => r.id));
  const now = options.now ?? new Date();
  return Promise.all(
    rows.map(async (r) =>
      activityView(r, {
        counts: counts.get(r.id),
        locale,
        canOrganize: authorize(actor, 'org.write', r.unitPath) === 'allowed',
        distanceKm: options.distances?.get(r.id) ?? null,
        mySignup: options.mine ? await mySignupOf(db, r, options.mine(r), now) : null,
      }),
    ),
  );
}
