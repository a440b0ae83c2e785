import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/harness.js';
import { type ActivityWorld, type Caller, activityBody, buildActivityWorld, createActivityAs } from './activities.factory.js';
import { activityTokens } from './activities.tokens.js';

const HOUR = 3_600_000;
// The harness's secret: the token printed in the QR code is derived from it.
const tokens = activityTokens('x'.repeat(40));

describeEachEngine('activities: check-in, no-shows and attendance', (ctx) => {
  let w: ActivityWorld;
  beforeAll(async () => {
    w = await buildActivityWorld(ctx);
  });

  const call = (caller: Caller | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: caller?.headers ?? {}, ...(payload ? { payload } : {}) });

  it('checks a worker in once by the code at the venue, only from 2 h before the start to the end', async () => {
    const { id } = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.branchA.id, { title: '签到测试' }, 5));
    await call(w.driver, 'POST', `/api/v1/activities/${id}/sign-up`);
    const token = tokens.checkIn(id);
    const early = await call(w.driver, 'POST', `/api/v1/activities/${id}/check-in`, { token });
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toContain('2 小时');
    ctx.clock.advance(3.5 * HOUR);
    const wrong = await call(w.driver, 'POST', `/api/v1/activities/${id}/check-in`, { token: tokens.checkIn(id + 1000) });
    expect(wrong.statusCode).toBe(400);
    const first = await call(w.driver, 'POST', `/api/v1/activities/${id}/check-in`, { token });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ method: 'self_scan', walkIn: false, alreadyCheckedIn: false });
    const again = await call(w.driver, 'POST', `/api/v1/activities/${id}/check-in`, { token });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ alreadyCheckedIn: true, checkedInAt: first.json().checkedInAt, participantId: first.json().participantId });
    // The organizer scanning him as well changes nothing either.
    const scanned = await call(w.secretaryA, 'POST', `/api/v1/activities/${id}/attendees/${w.driver.workerId}/check-in`);
    expect(scanned.statusCode).toBe(200);
    expect(scanned.json().method).toBe('self_scan');
    const rows = await ctx.db.selectFrom('activityParticipants').select(['checkedInAt']).where('activityId', '=', id).where('workerId', '=', w.driver.workerId).execute();
    expect(rows).toHaveLength(1);
    // A walk-in without sign-up is welcome at an open activity, even from another platform.
    const walkIn = await call(w.otherPlatformDriver, 'POST', `/api/v1/activities/${id}/check-in`, { token });
    expect(walkIn.statusCode).toBe(201);
    expect(walkIn.json()).toMatchObject({ walkIn: true });
    ctx.clock.advance(4 * HOUR);
    const late = await call(w.driverB, 'POST', `/api/v1/activities/${id}/check-in`, { token });
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toContain('活动已结束');
  });

  it('lets two organizers check the same walk-in at once and records one check-in', async () => {
    const { id } = await createActivityAs(ctx, w.committeeAdmin, activityBody(ctx, w.committee.id, { title: '并发签到测试' }, 1));
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => call(i % 2 ? w.secretaryA : w.committeeAdmin, 'POST', `/api/v1/activities/${id}/attendees/${w.driverB.workerId}/check-in`)));
    // secretaryA cannot organize the committee's activity: 404; the committee's admin checks in once, then repeats.
    const byCommittee = answers.filter((_, i) => i % 2 === 0);
    expect(byCommittee.map((a) => a.statusCode).sort()).toEqual([200, 200, 201]);
    expect(answers.filter((_, i) => i % 2 === 1).every((a) => a.statusCode === 404)).toBe(true);
    const rows = await ctx.db.selectFrom('activityParticipants').select(['status', 'checkInMethod']).where('activityId', '=', id).execute();
    expect(rows).toEqual([{ status: 'walk_in', checkInMethod: 'organizer' }]);
    expect((await call(w.committeeAdmin, 'POST', `/api/v1/activities/${id}/attendees/999999/check-in`)).statusCode).toBe(404);
  });

  it('checks members in to a members-only meeting, and never workers who are not members', async () => {
    const { id } = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.branchA.id, { title: '支部主题党日', kind: 'branch_meeting', audience: 'members_only' }, 1));
    expect((await call(w.secretaryA, 'POST', `/api/v1/activities/${id}/members/${w.member.memberId}/check-in`)).statusCode).toBe(201);
    expect((await call(w.driver, 'POST', `/api/v1/activities/${id}/check-in`, { token: tokens.checkIn(id) })).statusCode).toBe(403);
    expect((await call(w.secretaryA, 'POST', `/api/v1/activities/${id}/attendees/${w.driver.workerId}/check-in`)).statusCode).toBe(403);
    expect((await call(w.memberDriver, 'POST', `/api/v1/activities/${id}/check-in`, { token: tokens.checkIn(id) })).statusCode).toBe(201);
  });

  it('lists sign-ups with check-in state, counts no-shows after the end, and sums attendance per subtree and month', async () => {
    // December in China: attendance per month is counted in UTC+8.
    ctx.clock.set('2026-12-01T00:00:00.000Z');
    const held = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.groupA.id, { title: '走访慰问货车司机', kind: 'care_visit', capacity: 2, audiencePlatformId: null }, 24));
    const cancelled = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.branchA.id, { title: '露天电影放映', kind: 'film_screening' }, 30));
    const elsewhere = await createActivityAs(ctx, w.secretaryB, activityBody(ctx, w.branchB.id, { title: '别的支部的活动' }, 24));
    for (const c of [w.driver, w.groupDriver, w.memberDriver]) await call(c, 'POST', `/api/v1/activities/${held.id}/sign-up`);
    await call(w.driverB, 'POST', `/api/v1/activities/${elsewhere.id}/sign-up`);
    await call(w.secretaryA, 'POST', `/api/v1/activities/${cancelled.id}/cancel`, { reason: '下雨' });
    ctx.clock.advance(23 * HOUR);
    await call(w.driver, 'POST', `/api/v1/activities/${held.id}/check-in`, { token: tokens.checkIn(held.id) });
    await call(w.secretaryA, 'POST', `/api/v1/activities/${held.id}/attendees/${w.otherPlatformDriver.workerId}/check-in`);

    const during = await call(w.secretaryA, 'GET', `/api/v1/activities/${held.id}/participants`);
    expect(during.statusCode, during.body).toBe(200);
    const byName = (body: { items: { person: { name: string }; outcome: string; waitlistPosition: number | null }[] }) => new Map(body.items.map((i) => [i.person.name, i]));
    const now = byName(during.json());
    expect(now.get('王建军')).toMatchObject({ outcome: 'attended', checkInMethod: 'self_scan' });
    expect(now.get('赵小东')).toMatchObject({ outcome: 'expected' });
    expect(now.get('周志强')).toMatchObject({ outcome: 'waitlisted', waitlistPosition: 1 });
    expect(now.get('刘洋')).toMatchObject({ status: 'walk_in', outcome: 'attended', checkInMethod: 'organizer' });
    expect((await call(w.secretaryB, 'GET', `/api/v1/activities/${held.id}/participants`)).statusCode).toBe(404);
    expect((await call(w.driver, 'GET', `/api/v1/activities/${held.id}/participants`)).statusCode).toBe(403);
    const audit = await ctx.db.selectFrom('auditLog').select('id').where('action', '=', 'activity.participants.read').where('entityId', '=', String(held.id)).execute();
    expect(audit).toHaveLength(1);

    ctx.clock.advance(4 * HOUR);
    const after = byName((await call(w.secretaryA, 'GET', `/api/v1/activities/${held.id}/participants`)).json());
    expect(after.get('赵小东')!.outcome).toBe('no_show');
    const figures = await call(w.secretaryA, 'GET', `/api/v1/activities/attendance?unitId=${w.branchA.id}&month=2026-12`);
    expect(figures.statusCode, figures.body).toBe(200);
    expect(figures.json()).toMatchObject({
      month: '2026-12',
      from: '2026-11-30T16:00:00.000Z',
      to: '2026-12-31T16:00:00.000Z',
      totals: { activitiesHeld: 1, activitiesCancelled: 1, signUps: 2, waitlisted: 1, attended: 2, walkIns: 1, noShows: 1 },
    });
    expect(figures.json().byKind.map((k: { kind: string }) => k.kind)).toEqual(['care_visit', 'film_screening']);
    const city = (await call(w.cityAdmin, 'GET', `/api/v1/activities/attendance?unitId=${w.chengdu.id}&month=2026-12`)).json();
    expect(city.totals).toMatchObject({ activitiesHeld: 2, signUps: 3, noShows: 2 });
    expect((await call(w.secretaryB, 'GET', `/api/v1/activities/attendance?unitId=${w.branchA.id}&month=2026-12`)).statusCode).toBe(404);
    expect((await call(w.analyst, 'GET', `/api/v1/activities/attendance?unitId=${w.chengdu.id}&month=2026-12`)).statusCode).toBe(200);
  });

  it('shows the check-in QR code to organizers only', async () => {
    const { id } = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.branchA.id, { title: '二维码测试' }));
    const qr = await call(w.secretaryA, 'GET', `/api/v1/activities/${id}/qr.svg`);
    expect(qr.statusCode).toBe(200);
    expect(qr.headers['content-type']).toContain('image/svg+xml');
    expect(qr.body).toContain('<svg');
    expect((await call(w.driver, 'GET', `/api/v1/activities/${id}/qr.svg`)).statusCode).toBe(403);
    expect((await call(w.secretaryB, 'GET', `/api/v1/activities/${id}/qr.svg`)).statusCode).toBe(404);
  });
});
