// The demo's activities (活动) and who took part: sign-ups up to capacity and a waitlist beyond it,
// cancellations that moved the first in line up, check-ins at past activities (by phone or by the
// organizer), walk-ins, and the no-shows that follow from the rest. Reads the people the people step
// wrote; the demo driver is signed up for an upcoming health check. Addresses only: no station links.
import { type Kysely, sql } from 'kysely';
import { engineOf } from '../engine.js';
import type { Database } from '../tables.js';
import { type Draft, ActivityPlanner, DAY, HOUR, type Organizer } from './activities-plan.js';
import { insertRows } from './bulk-insert.js';
import type { OrgWorld, SeedUnit } from './org-world.js';
import { Random } from './random.js';

type Db = Kysely<Database>;
type Row = Record<string, string | number | null>;

export type ActivitiesSummary = { activities: number; activityParticipants: number; activityCheckIns: number };

export type ActivitiesInput = {
  db: Db;
  seed: number;
  now: Date;
  world: OrgWorld;
  /** The demo logins: the driver's sign-ups carry his account, so he hears of changes and reminders. */
  users: { driver?: number; branch?: number };
  /** At most this many branches organize activities (with the committees above them); MAX_BRANCHES by default. */
  maxBranches?: number;
};

// Enough branches for a lively demo; the bench world asks for more (its activities grow with its workers).
const MAX_BRANCHES = 300;

const activityColumns = [
  'id', 'kind', 'title', 'description', 'unitId', 'stationId', 'address', 'lat', 'lng', 'startsAt', 'endsAt', 'capacity', 'audience', 'audiencePlatformId',
  'audienceCityCode', 'signupOpensAt', 'signupClosesAt', 'status', 'cancelReason', 'cancelledAt', 'version', 'createdBy', 'createdAt', 'updatedAt',
] as const;
const participantColumns = [
  'activityId', 'workerId', 'memberId', 'userId', 'status', 'queueNumber', 'signedUpAt', 'cancelledAt', 'promotedAt', 'remindedAt', 'checkedInAt', 'checkInMethod', 'checkedInBy',
] as const;

const iso = (ms: number) => new Date(ms).toISOString();

type Person = { id: number; kind: 'worker' | 'member' };
type Crowd = { pool: number[]; kind: 'worker' | 'member'; userOf: Map<number, number>; mustInclude?: number };

/** Those who came to one activity, in the order they joined its line. */
function crowdOf(rng: Random, a: Draft, crowd: Crowd, now: number): Row[] {
  const { pool } = crowd;
  if (pool.length === 0) return [];
  const upcoming = a.start > now;
  const wanted = a.capacity === null ? pool.length * (0.6 + rng.next() * 0.35) : a.capacity * (0.55 + rng.next() * 0.75);
  const n = Math.min(pool.length, Math.max(1, Math.round(wanted * (upcoming ? 0.35 + rng.next() * 0.55 : 1))));
  // A partial shuffle picks n distinct people; the one who must be there goes first in line.
  const picked = pool.slice();
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng.next() * (picked.length - i));
    [picked[i], picked[j]] = [picked[j] as number, picked[i] as number];
  }
  let chosen = picked.slice(0, n);
  if (crowd.mustInclude !== undefined) chosen = [crowd.mustInclude, ...chosen.filter((id) => id !== crowd.mustInclude)].slice(0, Math.max(n, 1));
  const lastSignUp = Math.min(a.start - HOUR, now - HOUR);
  const times = chosen.map(() => a.created + rng.next() * Math.max(HOUR, lastSignUp - a.created)).sort((x, y) => x - y);
  if (crowd.mustInclude !== undefined) times[0] = a.created + HOUR;
  type P = { person: Person; queue: number; at: number; status: 'confirmed' | 'waitlisted' | 'cancelled' | 'walk_in'; cancelledAt: number | null; promotedAt: number | null; checkedInAt: number | null; method: string | null };
  const people: P[] = chosen.map((id, i) => ({
    person: { id, kind: crowd.kind },
    queue: i + 1,
    at: Math.round(times[i] as number),
    status: a.capacity === null || i < a.capacity ? 'confirmed' : 'waitlisted',
    cancelledAt: null,
    promotedAt: null,
    checkedInAt: null,
    method: null,
  }));
  // Some change their minds; a freed seat goes to the first still waiting, as the server does it.
  const cancels = people
    .filter((p) => p.person.id !== crowd.mustInclude && rng.chance(0.07))
    .map((p) => ({ p, at: Math.round(p.at + rng.next() * Math.max(0, lastSignUp - p.at)) }))
    .sort((x, y) => x.at - y.at);
  for (const { p, at } of cancels) {
    const hadSeat = p.status === 'confirmed';
    Object.assign(p, { status: 'cancelled', cancelledAt: at });
    const next = hadSeat && !a.cancelled ? people.find((q) => q.status === 'waitlisted') : undefined;
    if (next) Object.assign(next, { status: 'confirmed', promotedAt: at });
  }
  // At the venue: most come and scan the code, the organizer checks in the rest; a few walk in.
  if (!a.cancelled && a.start - 2 * HOUR <= now) {
    const showRate = a.end <= now ? 0.82 : 0.5;
    for (const p of people) {
      if (p.status !== 'confirmed' || !rng.chance(showRate)) continue;
      p.checkedInAt = Math.min(now, a.start + rng.int(-40, 30) * 60_000);
      p.method = rng.chance(0.75) ? 'self_scan' : 'organizer';
    }
    const taken = new Set(chosen);
    const walkIns = a.audience === 'members_only' ? rng.int(0, 1) : rng.int(0, 3);
    for (let k = 0; k < walkIns; k++) {
      const id = rng.pick(pool);
      if (taken.has(id)) continue;
      taken.add(id);
      const at = Math.min(now, a.start + rng.int(0, 60) * 60_000);
      people.push({ person: { id, kind: crowd.kind }, queue: people.length + 1, at, status: 'walk_in', cancelledAt: null, promotedAt: null, checkedInAt: at, method: 'organizer' });
    }
  }
  const remindAt = a.start - DAY;
  return people.map((p) => ({
    activityId: a.id,
    workerId: p.person.kind === 'worker' ? p.person.id : null,
    memberId: p.person.kind === 'member' ? p.person.id : null,
    userId: crowd.userOf.get(p.person.id) ?? null,
    status: p.status,
    queueNumber: p.queue,
    signedUpAt: iso(p.at),
    cancelledAt: p.cancelledAt === null ? null : iso(p.cancelledAt),
    promotedAt: p.promotedAt === null ? null : iso(p.promotedAt),
    // Reminders already due went out; those still ahead are the scheduler's to send.
    remindedAt: p.status === 'confirmed' && remindAt <= now && !a.cancelled ? iso(Math.max(remindAt, p.promotedAt ?? p.at)) : null,
    checkedInAt: p.checkedInAt === null ? null : iso(p.checkedInAt),
    checkInMethod: p.method,
    checkedInBy: null,
  }));
}

async function idsBy(db: Db, table: 'workers' | 'members', unitId: number): Promise<number[]> {
  return (await db.selectFrom(table).select('id').where('unitId', '=', unitId).orderBy('id').execute()).map((r) => r.id);
}

/** Seeds the activities and their participants; nothing when the world has no workers. */
export async function seedActivities(input: ActivitiesInput): Promise<ActivitiesSummary> {
  const { db, world } = input;
  const summary: ActivitiesSummary = { activities: 0, activityParticipants: 0, activityCheckIns: 0 };
  const now = input.now.getTime();
  const open = world.units.filter((u) => u.closedOn === null);
  const allBranches = open.filter((u) => u.kind === 'mobile_branch' && u.platformId !== null && u.cityCode !== null);
  const stride = Math.max(1, Math.ceil(allBranches.length / (input.maxBranches ?? MAX_BRANCHES)));
  const anchorId = world.anchors.firstChengduBranch;
  const branches = allBranches.filter((u, i) => i % stride === 0 || u.id === anchorId);
  const workersOf = new Map<number, number[]>();
  for (const b of branches) workersOf.set(b.id, await idsBy(db, 'workers', b.id));
  if ([...workersOf.values()].every((ids) => ids.length === 0)) return summary;

  const rng = Random.stream(input.seed, 'activities');
  const firstId = Number((await db.selectFrom('activities').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0) + 1;
  const planner = new ActivityPlanner(rng, now, firstId);
  const organizerOf = (unit: SeedUnit, level: Organizer['level']): Organizer => ({ unit, level, cityCode: unit.cityCode as string, platformId: level === 'city' ? null : unit.platformId });
  const byPath = (root: SeedUnit) => branches.filter((b) => b.path.startsWith(root.path));
  const pools = new Map<number, number[]>();
  for (const b of branches) {
    planner.plan(organizerOf(b, 'branch'));
    pools.set(b.id, workersOf.get(b.id) ?? []);
  }
  // Committees above the chosen branches: the platform's in a city, and each city's industry committee.
  for (const unit of open) {
    const level = unit.kind === 'platform_committee' ? 'committee' : unit.kind === 'industry_committee' && unit.cityCode !== null && unit.parentId !== null ? 'city' : null;
    if (!level || unit.cityCode === null) continue;
    const below = byPath(unit);
    if (below.length === 0) continue;
    pools.set(unit.id, below.flatMap((b) => workersOf.get(b.id) ?? []));
    planner.plan(organizerOf(unit, level));
  }
  const anchor = branches.find((b) => b.id === anchorId);
  const driverWorker = input.users.driver === undefined ? undefined : (await db.selectFrom('users').select('workerId').where('id', '=', input.users.driver).executeTakeFirst())?.workerId ?? undefined;
  const anchorCommittee = anchor ? open.find((u) => u.id === anchor.parentId) : undefined;
  const driverCheck = anchorCommittee && driverWorker !== undefined ? planner.addDriverHealthCheck(organizerOf(anchorCommittee, 'committee')) : undefined;
  // And his branch's latest open activity that is over, so his own list has a past to show.
  const driverPast = planner.drafts.filter((a) => a.unitId === anchorId && a.audience !== 'members_only' && !a.cancelled && a.end < now).pop();

  const workerUsers = new Map((await db.selectFrom('users').select(['id', 'workerId']).where('workerId', 'is not', null).execute()).map((u) => [u.workerId as number, u.id]));
  const memberUsers = new Map((await db.selectFrom('users').select(['id', 'memberId']).where('memberId', 'is not', null).execute()).map((u) => [u.memberId as number, u.id]));
  const membersOf = new Map<number, number[]>();
  const participants: Row[] = [];
  for (const a of planner.drafts) {
    let crowd: Crowd;
    if (a.audience === 'members_only') {
      const members = membersOf.get(a.unitId) ?? (await idsBy(db, 'members', a.unitId));
      membersOf.set(a.unitId, members);
      crowd = { pool: members, kind: 'member', userOf: memberUsers };
    } else {
      crowd = { pool: pools.get(a.unitId) ?? [], kind: 'worker', userOf: workerUsers, mustInclude: a === driverCheck || a === driverPast ? driverWorker : undefined };
    }
    participants.push(...crowdOf(rng, a, crowd, now));
  }

  const activityRows: Row[] = planner.drafts.map((a) => ({
    id: a.id,
    kind: a.kind,
    title: a.title,
    description: a.description,
    unitId: a.unitId,
    stationId: null,
    address: a.address,
    lat: a.lat,
    lng: a.lng,
    startsAt: iso(a.start),
    endsAt: iso(a.end),
    capacity: a.capacity,
    audience: a.audience,
    audiencePlatformId: a.audiencePlatformId,
    audienceCityCode: a.audienceCityCode,
    signupOpensAt: null,
    signupClosesAt: null,
    status: a.cancelled ? 'cancelled' : 'scheduled',
    cancelReason: a.cancelled?.reason ?? null,
    cancelledAt: a.cancelled ? iso(a.cancelled.at) : null,
    version: a.version,
    createdBy: a.organizer.unit.id === anchorId ? (input.users.branch ?? null) : null,
    createdAt: iso(a.created),
    updatedAt: iso(a.updated),
  }));
  // One transaction: a failed seed leaves no activities without their people, and SQLite syncs once.
  await db.transaction().execute(async (trx) => {
    await insertRows(trx, 'activities', activityColumns, activityRows as never);
    await insertRows(trx, 'activityParticipants', participantColumns, participants as never);
    // Explicit ids do not move a serial's sequence on PostgreSQL; the next activity created live must not collide.
    if (engineOf(trx) === 'postgres' && activityRows.length > 0) await sql`select setval(pg_get_serial_sequence('activities', 'id'), (select max(id) from activities))`.execute(trx);
  });
  summary.activities = activityRows.length;
  summary.activityParticipants = participants.length;
  summary.activityCheckIns = participants.filter((p) => p.checkedInAt !== null).length;
  return summary;
}
