import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sensitiveCodec } from '../../core/sensitive.js';
import { attendanceFigures } from '../../modules/activities/activities.attendance.js';
import { checkActivity, chinaMonthRange } from '../../modules/activities/activities.rules.js';
import { type DatabaseHandle, openDatabase } from '../database.js';
import { migrateToLatest } from '../migrate.js';
import { type SeedSummary, seedDemo } from './seed-demo.js';

// The demo activities on SQLite: what the live rules allow and nothing else, and the demo driver's
// upcoming health check. (The rows are the same on PostgreSQL: they are written by the same code.)
const now = new Date('2026-11-25T02:00:00.000Z');
const SLOW = 120_000;

describe('the demo activities', () => {
  let handle: DatabaseHandle;
  let summary: SeedSummary & { activities?: number; activityParticipants?: number; activityCheckIns?: number };
  let activities: Awaited<ReturnType<typeof readActivities>>;
  let people: Awaited<ReturnType<typeof readPeople>>;
  const readActivities = () => handle.db.selectFrom('activities').selectAll().orderBy('id').execute();
  const readPeople = () => handle.db.selectFrom('activityParticipants').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    handle = openDatabase('sqlite::memory:');
    await migrateToLatest(handle.db);
    summary = await seedDemo(handle.db, { now, codec: sensitiveCodec('activities-world test secret, 32+ characters'), skip: ['appeals', 'stations'] });
    activities = await readActivities();
    people = await readPeople();
  }, SLOW);
  afterAll(async () => {
    await handle.destroy();
  });

  it('spans three months back and one ahead across the units, every kind, some cancelled, quickly', () => {
    expect(summary.activities).toBe(activities.length);
    expect(activities.length).toBeGreaterThan(300);
    expect(summary.activityParticipants).toBe(people.length);
    expect(summary.stepMs.activities).toBeLessThan(10_000);
    const starts = activities.map((a) => Date.parse(a.startsAt));
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(now.getTime() - 92 * 86_400_000);
    expect(Math.max(...starts)).toBeLessThanOrEqual(now.getTime() + 32 * 86_400_000);
    expect(new Set(activities.map((a) => a.kind)).size).toBe(7);
    expect(activities.some((a) => a.status === 'cancelled' && a.cancelReason)).toBe(true);
    expect(new Set(activities.map((a) => a.unitId)).size).toBeGreaterThan(50);
  });

  it('keeps the rules: members-only for branch meetings only, well-formed, never over capacity, waitlists only when full', () => {
    for (const a of activities) expect(checkActivity(a), `activity ${a.id}`).toBeNull();
    const byActivity = new Map<number, typeof people>();
    for (const p of people) {
      const list = byActivity.get(p.activityId) ?? [];
      list.push(p);
      byActivity.set(p.activityId, list);
    }
    for (const a of activities) {
      const rows = byActivity.get(a.id) ?? [];
      const confirmed = rows.filter((p) => p.status === 'confirmed').length;
      if (a.capacity !== null) expect(confirmed, `activity ${a.id}`).toBeLessThanOrEqual(a.capacity);
      if (rows.some((p) => p.status === 'waitlisted') && a.status === 'scheduled') expect(confirmed).toBe(a.capacity);
      expect(rows.every((p) => (a.audience === 'members_only' ? p.memberId !== null && p.workerId === null : p.workerId !== null && p.memberId === null))).toBe(true);
      // Check-ins only where the activity happened, from two hours before its start.
      for (const p of rows.filter((r) => r.checkedInAt !== null)) {
        expect(a.status).toBe('scheduled');
        expect(Date.parse(p.checkedInAt!)).toBeGreaterThanOrEqual(Date.parse(a.startsAt) - 2 * 3_600_000);
        expect(Date.parse(p.checkedInAt!)).toBeLessThanOrEqual(now.getTime());
      }
      const queue = rows.map((p) => p.queueNumber);
      expect(new Set(queue).size).toBe(queue.length);
    }
    expect(people.some((p) => p.status === 'waitlisted')).toBe(true);
    expect(people.some((p) => p.promotedAt !== null)).toBe(true);
    expect(people.some((p) => p.status === 'walk_in')).toBe(true);
  });

  it('signs the demo driver up for an upcoming health check, with his account for reminders', async () => {
    const driver = await handle.db.selectFrom('users').select(['id', 'workerId']).where('username', '=', 'driver').executeTakeFirstOrThrow();
    const mine = await handle.db
      .selectFrom('activityParticipants as p')
      .innerJoin('activities as a', 'a.id', 'p.activityId')
      .select(['a.kind', 'a.title', 'a.startsAt', 'a.status as activityStatus', 'p.status', 'p.userId', 'p.checkedInAt'])
      .where('p.workerId', '=', driver.workerId)
      .execute();
    const upcoming = mine.find((m) => m.kind === 'health_check' && Date.parse(m.startsAt) > now.getTime());
    expect(upcoming).toMatchObject({ title: '免费体检进司机之家', status: 'confirmed', activityStatus: 'scheduled', userId: driver.id });
    expect(mine.some((m) => Date.parse(m.startsAt) < now.getTime())).toBe(true);
  });

  it('gives the attendance figures something to count: person-times and no-shows last month', async () => {
    const sichuan = await handle.db.selectFrom('orgUnits').select('path').where('name', '=', '四川省新就业群体行业党委').executeTakeFirstOrThrow();
    const figures = await attendanceFigures(handle.db, sichuan.path, chinaMonthRange('2026-10'), now);
    expect(figures.totals.activitiesHeld).toBeGreaterThan(20);
    expect(figures.totals.attended).toBeGreaterThan(figures.totals.noShows);
    expect(figures.totals.noShows).toBeGreaterThan(0);
    expect(figures.totals.walkIns).toBeGreaterThan(0);
  });
});
