// Attendance figures per unit subtree and month: aggregates only, never a list of people.
import { type Kysely, sql } from 'kysely';
import type { ActivityKind } from '../../db/tables-activities.js';
import type { Database } from '../../db/tables.js';
import { inSubtreePaths } from '../org/org.queries.js';

type Db = Kysely<Database>;

export type Figures = {
  activitiesHeld: number;
  activitiesCancelled: number;
  signUps: number;
  waitlisted: number;
  attended: number;
  walkIns: number;
  noShows: number;
};

const empty = (): Figures => ({ activitiesHeld: 0, activitiesCancelled: 0, signUps: 0, waitlisted: 0, attended: 0, walkIns: 0, noShows: 0 });

/**
 * Activities starting in [from, to) anywhere in the subtree. Sign-ups are confirmed places; attended
 * counts person-times (every check-in, walk-ins included); no-shows are confirmed places without a
 * check-in once the activity is over, computed here rather than stored.
 */
export async function attendanceFigures(db: Db, unitPath: string, range: { from: string; to: string }, now: Date): Promise<{ totals: Figures; byKind: (Figures & { kind: ActivityKind })[] }> {
  const held = await db
    .selectFrom('activities as a')
    .innerJoin('orgUnits as u', 'u.id', 'a.unitId')
    .select((eb) => [
      'a.kind',
      eb.fn.sum<number>(sql`case when a.status = 'scheduled' then 1 else 0 end`).as('held'),
      eb.fn.sum<number>(sql`case when a.status = 'cancelled' then 1 else 0 end`).as('cancelled'),
    ])
    .where(inSubtreePaths('u.path', [unitPath]))
    .where('a.startsAt', '>=', range.from)
    .where('a.startsAt', '<', range.to)
    .groupBy('a.kind')
    .execute();
  const at = now.toISOString();
  const people = await db
    .selectFrom('activityParticipants as p')
    .innerJoin('activities as a', 'a.id', 'p.activityId')
    .innerJoin('orgUnits as u', 'u.id', 'a.unitId')
    .select((eb) => [
      'a.kind',
      eb.fn.sum<number>(sql`case when p.status = 'confirmed' then 1 else 0 end`).as('signUps'),
      eb.fn.sum<number>(sql`case when p.status = 'waitlisted' then 1 else 0 end`).as('waitlisted'),
      eb.fn.sum<number>(sql`case when p.checked_in_at is not null then 1 else 0 end`).as('attended'),
      eb.fn.sum<number>(sql`case when p.status = 'walk_in' then 1 else 0 end`).as('walkIns'),
      eb.fn.sum<number>(sql`case when p.status = 'confirmed' and p.checked_in_at is null and a.ends_at <= ${at} then 1 else 0 end`).as('noShows'),
    ])
    .where(inSubtreePaths('u.path', [unitPath]))
    .where('a.status', '=', 'scheduled')
    .where('a.startsAt', '>=', range.from)
    .where('a.startsAt', '<', range.to)
    .groupBy('a.kind')
    .execute();
  const byKind = new Map<ActivityKind, Figures>();
  const of = (kind: ActivityKind): Figures => {
    const figures = byKind.get(kind) ?? empty();
    byKind.set(kind, figures);
    return figures;
  };
  for (const r of held) Object.assign(of(r.kind), { activitiesHeld: Number(r.held), activitiesCancelled: Number(r.cancelled) });
  for (const r of people) {
    Object.assign(of(r.kind), { signUps: Number(r.signUps), waitlisted: Number(r.waitlisted), attended: Number(r.attended), walkIns: Number(r.walkIns), noShows: Number(r.noShows) });
  }
  const totals = empty();
  for (const f of byKind.values()) for (const key of Object.keys(totals) as (keyof Figures)[]) totals[key] += f[key];
  return { totals, byKind: [...byKind.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([kind, f]) => ({ kind, ...f })) };
}
