import nodeIcal, { type VEvent } from 'node-ical';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/harness.js';
import { type ActivityWorld, type Caller, activityBody, buildActivityWorld, createActivityAs } from './activities.factory.js';

// The feeds are read back by node-ical, a maintained parser that knows nothing of how we wrote them.
function eventsOf(text: string): VEvent[] {
  return Object.values(nodeIcal.sync.parseICS(text))
    .filter((c): c is VEvent => c.type === 'VEVENT')
    .sort((a, b) => a.uid.localeCompare(b.uid));
}

describeEachEngine('activities: iCalendar feeds', (ctx) => {
  let w: ActivityWorld;
  beforeAll(async () => {
    w = await buildActivityWorld(ctx);
  });

  const call = (caller: Caller | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: caller?.headers ?? {}, ...(payload ? { payload } : {}) });

  // 09:30–12:00 in Chengdu on 1 December is 01:30–04:00 UTC.
  const at = (start: string, end: string) => ({ startsAt: start, endsAt: end });
  const morning = at('2026-12-01T09:30:00+08:00', '2026-12-01T12:00:00+08:00');

  it('covers the unit’s whole subtree in Asia/Shanghai time, and only it', async () => {
    const branch = await createActivityAs(ctx, w.secretaryA, { ...activityBody(ctx, w.branchA.id, { title: '免费体检进司机之家' }), ...morning });
    const group = await createActivityAs(ctx, w.secretaryA, { ...activityBody(ctx, w.groupA.id, { title: '小组学习' }), ...at('2026-12-02T19:00:00+08:00', '2026-12-02T20:30:00+08:00') });
    await createActivityAs(ctx, w.secretaryB, { ...activityBody(ctx, w.branchB.id, { title: '二支部的活动' }), ...morning });
    const response = await call(w.secretaryA, 'GET', `/api/v1/units/${w.branchA.id}/activities.ics`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.body).toContain('BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai');
    expect(response.body).toContain('DTSTART;TZID=Asia/Shanghai:20261201T093000');
    expect(response.body).toMatch(/DTSTAMP:\d{8}T\d{6}Z/);
    const events = eventsOf(response.body);
    expect(events.map((e) => e.uid)).toEqual([`activity-${branch.id}@convoy`, `activity-${group.id}@convoy`]);
    const [first, second] = events;
    expect(first!.start.toISOString()).toBe('2026-12-01T01:30:00.000Z');
    expect(first!.end.toISOString()).toBe('2026-12-01T04:00:00.000Z');
    expect(first!.start.tz).toBe('Asia/Shanghai');
    expect(first!.summary).toBe('免费体检进司机之家');
    expect(first!.location).toContain('司机之家');
    expect(Number(first!.sequence)).toBe(0);
    expect(first!.status).toBe('CONFIRMED');
    expect(second!.start.toISOString()).toBe('2026-12-02T11:00:00.000Z');
    // The committee above sees all three.
    const committee = await call(w.committeeAdmin, 'GET', `/api/v1/units/${w.committee.id}/activities.ics`);
    expect(eventsOf(committee.body)).toHaveLength(3);
    expect((await call(w.secretaryB, 'GET', `/api/v1/units/${w.branchA.id}/activities.ics`)).statusCode).toBe(404);
    expect((await call(null, 'GET', `/api/v1/units/${w.branchA.id}/activities.ics`)).statusCode).toBe(401);
  });

  it('keeps the UID, counts SEQUENCE up on every change and marks a cancelled activity CANCELLED', async () => {
    const created = await createActivityAs(ctx, w.secretaryA, { ...activityBody(ctx, w.branchA.id, { title: '交通安全主题日', kind: 'themed_day' }), ...at('2026-12-05T14:00:00+08:00', '2026-12-05T16:00:00+08:00') });
    const uid = `activity-${created.id}@convoy`;
    const feed = async () => eventsOf((await call(w.secretaryA, 'GET', `/api/v1/units/${w.branchA.id}/activities.ics`)).body).find((e) => e.uid === uid)!;
    const before = await feed();
    expect(Number(before.sequence)).toBe(0);
    ctx.clock.advance(60_000);
    await call(w.secretaryA, 'PATCH', `/api/v1/activities/${created.id}`, at('2026-12-05T15:00:00+08:00', '2026-12-05T17:00:00+08:00'));
    const moved = await feed();
    expect(Number(moved.sequence)).toBe(1);
    expect(moved.start.toISOString()).toBe('2026-12-05T07:00:00.000Z');
    expect(moved.lastmodified.getTime()).toBeGreaterThan(before.lastmodified.getTime());
    ctx.clock.advance(60_000);
    await call(w.secretaryA, 'POST', `/api/v1/activities/${created.id}/cancel`, { reason: '场地临时征用' });
    const cancelled = await feed();
    expect(Number(cancelled.sequence)).toBe(2);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.uid).toBe(uid);
  });

  it('serves a unit feed to calendar apps by its secret link, and refuses a wrong token without saying why', async () => {
    const link = await call(w.secretaryA, 'GET', `/api/v1/units/${w.branchA.id}/activities/feed-link`);
    expect(link.statusCode).toBe(200);
    const { path, url } = link.json();
    expect(url).toMatch(/^http:\/\/localhost(:80)?\/api\/v1\/units\/\d+\/activities\.ics\?token=/);
    const anonymous = await call(null, 'GET', path);
    expect(anonymous.statusCode).toBe(200);
    expect(eventsOf(anonymous.body).length).toBeGreaterThan(0);
    expect((await call(null, 'GET', `/api/v1/units/${w.branchB.id}/activities.ics?${path.split('?')[1]}`)).statusCode).toBe(404);
    expect((await call(null, 'GET', `/api/v1/units/${w.branchA.id}/activities.ics?token=AAAAAAAAAAAAAAAAAAAAAA`)).statusCode).toBe(404);
    expect((await call(w.secretaryB, 'GET', `/api/v1/units/${w.branchA.id}/activities/feed-link`)).statusCode).toBe(404);
  });

  it('gives each worker a feed of their own sign-ups: waitlisted ones tentative, cancelled sign-ups gone', async () => {
    const one = await createActivityAs(ctx, w.committeeAdmin, { ...activityBody(ctx, w.committee.id, { title: '露天电影放映', kind: 'film_screening', capacity: 1 }), ...at('2026-12-10T19:30:00+08:00', '2026-12-10T21:30:00+08:00') });
    const two = await createActivityAs(ctx, w.committeeAdmin, { ...activityBody(ctx, w.committee.id, { title: '新就业群体“赋能大讲堂”', kind: 'training' }), ...at('2026-12-12T09:00:00+08:00', '2026-12-12T11:00:00+08:00') });
    const three = await createActivityAs(ctx, w.committeeAdmin, { ...activityBody(ctx, w.committee.id, { title: '取消报名的活动' }), ...morning });
    await call(w.groupDriver, 'POST', `/api/v1/activities/${one.id}/sign-up`);
    for (const id of [one.id, two.id, three.id]) await call(w.driverB, 'POST', `/api/v1/activities/${id}/sign-up`);
    await ctx.app.inject({ method: 'DELETE', url: `/api/v1/activities/${three.id}/sign-up`, headers: w.driverB.headers });
    const link = (await call(w.driverB, 'GET', '/api/v1/me/activities/feed-link')).json();
    const feed = await call(null, 'GET', link.path);
    expect(feed.statusCode, feed.body).toBe(200);
    const events = eventsOf(feed.body);
    expect(events.map((e) => e.summary)).toEqual(['露天电影放映', '新就业群体“赋能大讲堂”']);
    expect(events.map((e) => e.status)).toEqual(['TENTATIVE', 'CONFIRMED']);
    expect(events[1]!.start.toISOString()).toBe('2026-12-12T01:00:00.000Z');
    const other = (await call(w.groupDriver, 'GET', '/api/v1/me/activities/feed-link')).json();
    expect(eventsOf((await call(null, 'GET', other.path)).body).map((e) => e.summary)).toEqual(['露天电影放映']);
    const forged = link.path.replace(/token=\d+\./, `token=${w.groupDriver.userId}.`);
    expect((await call(null, 'GET', forged)).statusCode).toBe(404);
    expect((await call(null, 'GET', '/api/v1/me/activities.ics')).statusCode).toBe(404);
  });
});
