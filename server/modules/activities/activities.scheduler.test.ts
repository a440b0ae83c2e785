import { beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { describeEachEngine } from '../../test/harness.js';
import { type ActivityWorld, type Caller, activityBody, buildActivityWorld, createActivityAs } from './activities.factory.js';
import { createActivityScheduler, remindTomorrow } from './activities.scheduler.js';

const HOUR = 3_600_000;

describeEachEngine('activities: reminders the day before', (ctx) => {
  let w: ActivityWorld;
  beforeAll(async () => {
    w = await buildActivityWorld(ctx);
  });

  const signUp = (caller: Caller, id: number) => ctx.app.inject({ method: 'POST', url: `/api/v1/activities/${id}/sign-up`, headers: caller.headers });
  const reminders = (userId: number) => ctx.db.selectFrom('notifications').select(['title', 'body']).where('userId', '=', userId).where('kind', '=', 'activity.reminder').execute();

  it('reminds each confirmed sign-up exactly once, even with several processes ticking together', async () => {
    const soon = await createActivityAs(ctx, w.committeeAdmin, activityBody(ctx, w.committee.id, { title: '免费体检进司机之家', capacity: 2 }, 30));
    const later = await createActivityAs(ctx, w.committeeAdmin, activityBody(ctx, w.committee.id, { title: '交通安全主题日', kind: 'themed_day' }, 80));
    for (const c of [w.driver, w.driverB, w.groupDriver]) await signUp(c, soon.id);
    await signUp(w.driver, later.id);
    // 30 hours ahead: not yet the day before.
    expect(await remindTomorrow(ctx.db, ctx.clock.now())).toBe(0);
    ctx.clock.advance(7 * HOUR);
    const now = ctx.clock.now();
    // A second connection pool, as a second server process would have, racing this one.
    const other = openDatabase(ctx.url);
    try {
      const counts = await Promise.all([remindTomorrow(ctx.db, now), remindTomorrow(other.db, now), remindTomorrow(ctx.db, now)]);
      const mopUp = await remindTomorrow(ctx.db, now);
      expect(counts.reduce((a, b) => a + b, 0) + mopUp).toBe(2);
    } finally {
      await other.destroy();
    }
    expect(await reminders(w.driver.userId)).toHaveLength(1);
    expect(await reminders(w.driverB.userId)).toHaveLength(1);
    // Waitlisted: no place to remind of.
    expect(await reminders(w.groupDriver.userId)).toHaveLength(0);
    const [note] = await reminders(w.driver.userId);
    expect(note!.title).toBe('明天的活动：免费体检进司机之家');
    expect(note!.body).toContain('成都市武侯区');
    ctx.clock.advance(HOUR);
    expect(await remindTomorrow(ctx.db, ctx.clock.now())).toBe(0);
    // The later activity comes into the window two days on; the driver hears of it once, separately.
    ctx.clock.advance(48 * HOUR);
    expect(await remindTomorrow(ctx.db, ctx.clock.now())).toBe(1);
    expect(await reminders(w.driver.userId)).toHaveLength(2);
  });

  it('reminds again when the start moves, never for a cancelled activity', async () => {
    const moved = await createActivityAs(ctx, w.committeeAdmin, activityBody(ctx, w.committee.id, { title: '露天电影放映', kind: 'film_screening' }, 20));
    const dropped = await createActivityAs(ctx, w.committeeAdmin, activityBody(ctx, w.committee.id, { title: '走访慰问货车司机', kind: 'care_visit' }, 20));
    await signUp(w.memberDriver, moved.id);
    await signUp(w.memberDriver, dropped.id);
    await ctx.app.inject({ method: 'POST', url: `/api/v1/activities/${dropped.id}/cancel`, headers: w.committeeAdmin.headers, payload: { reason: '天气原因' } });
    expect(await remindTomorrow(ctx.db, ctx.clock.now())).toBe(1);
    const start = new Date(ctx.clock.now().getTime() + 22 * HOUR);
    await ctx.app.inject({ method: 'PATCH', url: `/api/v1/activities/${moved.id}`, headers: w.committeeAdmin.headers, payload: { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 2 * HOUR).toISOString() } });
    expect(await remindTomorrow(ctx.db, ctx.clock.now())).toBe(1);
    expect(await reminders(w.memberDriver.userId)).toHaveLength(2);
  });

  it('ticks in the server process a second after start, and stops cleanly', async () => {
    const soon = await createActivityAs(ctx, w.committeeAdmin, activityBody(ctx, w.committee.id, { title: '爱心送清凉志愿服务', kind: 'volunteer_service' }, 10));
    await signUp(w.driverB, soon.id);
    const logged: object[] = [];
    const scheduler = createActivityScheduler({ db: ctx.db, clock: ctx.clock, log: { info: (o) => logged.push(o), error: (o) => logged.push(o) }, intervalMs: 50 });
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 1300));
    await scheduler.stop();
    expect(logged).toEqual([{ reminded: 1 }]);
    expect(await reminders(w.driverB.userId)).toHaveLength(2);
  });
});
