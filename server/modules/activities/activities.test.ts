import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/harness.js';
import { type ActivityWorld, type Caller, activityBody, buildActivityWorld, createActivityAs } from './activities.factory.js';

describeEachEngine('activities: organizing, scope, sign-up and the waitlist', (ctx) => {
  let w: ActivityWorld;
  beforeAll(async () => {
    w = await buildActivityWorld(ctx);
  });

  const call = (caller: Caller | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method, url, headers: { ...(caller?.headers ?? {}), ...headers }, ...(payload ? { payload } : {}) });
  const signUp = (caller: Caller, id: number) => call(caller, 'POST', `/api/v1/activities/${id}/sign-up`);

  it('organizes an activity open to the unit’s platform and city by default, audited', async () => {
    const created = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.branchA.id));
    expect(created).toMatchObject({ kind: 'health_check', audience: 'platform_city', audiencePlatformId: w.platform.id, audienceCityCode: '510100', status: 'scheduled', version: 1, unitName: w.branchA.name, seatsLeft: 20, canOrganize: true });
    const audit = await ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'activity.create').where('entityId', '=', String(created.id)).executeTakeFirstOrThrow();
    expect(audit.userId).toBe(w.secretaryA.userId);
  });

  it('keeps members-only for branch meetings, and says so in the error', async () => {
    const refused = await call(w.secretaryA, 'POST', '/api/v1/activities', activityBody(ctx, w.branchA.id, { kind: 'film_screening', audience: 'members_only' }), { 'accept-language': 'en' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'audience' });
    expect(refused.body).toContain('Only branch meetings (branch_meeting) may be for members only');
    const zh = await call(w.secretaryA, 'POST', '/api/v1/activities', activityBody(ctx, w.branchA.id, { kind: 'health_check', audience: 'members_only' }));
    expect(zh.body).toContain('只有支部组织生活');
    const meeting = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.branchA.id, { kind: 'branch_meeting', title: '支部主题党日', audience: 'members_only' }));
    expect(meeting).toMatchObject({ audience: 'members_only', audiencePlatformId: null, audienceCityCode: null });
    const bad = await call(w.secretaryA, 'POST', '/api/v1/activities', activityBody(ctx, w.branchA.id, { address: null }));
    expect(bad.statusCode).toBe(400);
  });

  it('answers 404 outside the organizer’s subtree, 403 inside it without org.write, and lists a subtree by date range', async () => {
    const a = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.branchA.id, { title: '范围测试A' }, 24 * 20));
    const b = await createActivityAs(ctx, w.secretaryB, activityBody(ctx, w.branchB.id, { title: '范围测试B' }, 24 * 20));
    const g = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.groupA.id, { title: '范围测试小组' }, 24 * 21));
    expect((await call(w.secretaryB, 'GET', `/api/v1/activities/${a.id}`)).statusCode).toBe(404);
    expect((await call(w.secretaryB, 'PATCH', `/api/v1/activities/${a.id}`, { title: '越权修改' })).statusCode).toBe(404);
    expect((await call(w.secretaryB, 'POST', `/api/v1/activities`, activityBody(ctx, w.branchA.id))).statusCode).toBe(404);
    expect((await call(w.member, 'PATCH', `/api/v1/activities/${a.id}`, { title: '党员无权修改' })).statusCode).toBe(403);
    expect((await call(w.analyst, 'POST', `/api/v1/activities/${a.id}/cancel`, { reason: '无权' })).statusCode).toBe(403);
    const from = new Date(ctx.clock.now().getTime() + 19 * 86_400_000).toISOString();
    const to = new Date(ctx.clock.now().getTime() + 23 * 86_400_000).toISOString();
    const committee = await call(w.committeeAdmin, 'GET', `/api/v1/activities?from=${from}&to=${to}`);
    expect(committee.json().items.map((i: { id: number }) => i.id)).toEqual([a.id, b.id, g.id]);
    const branchOnly = await call(w.committeeAdmin, 'GET', `/api/v1/activities?unitId=${w.branchA.id}&from=${from}&to=${to}&limit=1`);
    expect(branchOnly.json().items.map((i: { id: number }) => i.id)).toEqual([a.id]);
    const next = await call(w.committeeAdmin, 'GET', `/api/v1/activities?unitId=${w.branchA.id}&from=${from}&to=${to}&limit=1&cursor=${branchOnly.json().nextCursor}`);
    expect(next.json().items.map((i: { id: number }) => i.id)).toEqual([g.id]);
    expect((await call(w.secretaryB, 'GET', `/api/v1/activities?unitId=${w.branchA.id}`)).statusCode).toBe(404);
  });

  it('confirms while seats remain, then waitlists in order, and promotes the first in line when a seat frees', async () => {
    const { id } = await createActivityAs(ctx, w.committeeAdmin, activityBody(ctx, w.committee.id, { capacity: 2, title: '候补测试' }));
    const first = await signUp(w.driver, id);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ status: 'confirmed', waitlistPosition: null });
    expect((await signUp(w.driverB, id)).json()).toMatchObject({ status: 'confirmed' });
    expect((await signUp(w.groupDriver, id)).json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect((await signUp(w.memberDriver, id)).json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    // Signing up again changes nothing.
    const again = await signUp(w.driver, id);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'confirmed' });

    const cancelled = await call(w.driver, 'DELETE', `/api/v1/activities/${id}/sign-up`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    const detail = await call(w.groupDriver, 'GET', `/api/v1/activities/${id}`);
    expect(detail.json()).toMatchObject({ counts: { confirmed: 2, waitlisted: 1 }, seatsLeft: 0, mySignup: { status: 'confirmed', waitlistPosition: null } });
    expect((await call(w.memberDriver, 'GET', `/api/v1/activities/${id}`)).json().mySignup).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const notes = await ctx.db.selectFrom('notifications').selectAll().where('kind', '=', 'activity.promoted').where('userId', '=', w.groupDriver.userId).execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]!.title).toContain('候补成功');
    expect(await ctx.db.selectFrom('outbox').select('id').where('notificationId', '=', notes[0]!.id).execute()).toHaveLength(0);
    // Signing up again after cancelling joins the back of the line.
    expect((await signUp(w.driver, id)).json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    const promotions = await ctx.db.selectFrom('auditLog').select('detail').where('action', '=', 'activity.waitlist_promote').where('entityId', '=', String(id)).execute();
    expect(promotions).toHaveLength(1);
  });

  it('never gives more seats than capacity when many sign up at the same moment', async () => {
    const { id } = await createActivityAs(ctx, w.committeeAdmin, activityBody(ctx, w.committee.id, { capacity: 5, title: '并发报名测试' }));
    const crowd = await Promise.all(Array.from({ length: 16 }, (_, i) => w.worker(i % 2 ? w.branchA : w.branchB, `并发司机${i + 1}`)));
    const answers = await Promise.all(crowd.map((c) => signUp(c, id)));
    expect(answers.map((a) => a.statusCode)).toEqual(crowd.map(() => 201));
    const statuses = answers.map((a) => a.json().status as string);
    expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(5);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(11);
    const positions = answers.map((a) => a.json().waitlistPosition as number | null).filter((p) => p !== null);
    expect(new Set(positions).size).toBe(11);
    const rows = await ctx.db.selectFrom('activityParticipants').select('status').where('activityId', '=', id).execute();
    expect(rows.filter((r) => r.status === 'confirmed')).toHaveLength(5);
    // Everyone cancels at once from the confirmed side: each freed seat goes to exactly one person.
    const confirmed = crowd.filter((_, i) => statuses[i] === 'confirmed');
    await Promise.all(confirmed.map((c) => call(c, 'DELETE', `/api/v1/activities/${id}/sign-up`)));
    const after = await ctx.db.selectFrom('activityParticipants').select('status').where('activityId', '=', id).execute();
    expect(after.filter((r) => r.status === 'confirmed')).toHaveLength(5);
    expect(after.filter((r) => r.status === 'waitlisted')).toHaveLength(6);
  });

  it('admits workers by platform and city or by the serving subtree, never by membership; members-only meetings admit members', async () => {
    const open = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.branchA.id, { title: '交通安全主题日', kind: 'themed_day' }));
    // He can see the branch's activities (his grant is there) but drives for another platform: told why.
    const refused = await signUp(w.otherPlatformDriver, open.id);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('RULE_VIOLATION');
    // Out of the Shenzhen driver's reach altogether: not his platform-city, not a unit he can see.
    expect((await signUp(w.otherCityDriver, open.id)).statusCode).toBe(404);
    // Not a member and a member alike: both simply sign up.
    expect((await signUp(w.driver, open.id)).json().status).toBe('confirmed');
    expect((await signUp(w.memberDriver, open.id)).json().status).toBe('confirmed');
    // Branch B's driver is of the same platform and city: a platform_city activity of branch A is his too.
    expect((await signUp(w.driverB, open.id)).json().status).toBe('confirmed');

    const wide = await createActivityAs(ctx, w.cityAdmin, activityBody(ctx, w.chengdu.id, { title: '露天电影放映', kind: 'film_screening', audiencePlatformId: null, audienceCityCode: '510000' }));
    expect((await signUp(w.otherPlatformDriver, wide.id)).json().status).toBe('confirmed');

    const branchOnly = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.branchA.id, { title: '新就业群体“赋能大讲堂”', kind: 'training', audience: 'branch' }));
    expect((await signUp(w.groupDriver, branchOnly.id)).json().status).toBe('confirmed');
    expect((await signUp(w.driverB, branchOnly.id)).statusCode).toBe(404);

    const meeting = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.branchA.id, { title: '支部主题党日', kind: 'branch_meeting', audience: 'members_only' }));
    const notMember = await signUp(w.driver, meeting.id);
    expect(notMember.statusCode).toBe(403);
    expect(notMember.json().detail).toContain('仅限本支部党员');
    expect((await signUp(w.member, meeting.id)).json().status).toBe('confirmed');
    expect((await signUp(w.memberDriver, meeting.id)).json().status).toBe('confirmed');
    const rows = await ctx.db.selectFrom('activityParticipants').select(['workerId', 'memberId']).where('activityId', '=', meeting.id).execute();
    expect(rows.every((r) => r.workerId === null && r.memberId !== null)).toBe(true);
  });

  it('changes bump the version and tell those signed up of a new time; a stale version is 409; cancelling tells everyone and closes sign-up', async () => {
    const created = await createActivityAs(ctx, w.secretaryA, activityBody(ctx, w.branchA.id, { title: '爱心送清凉志愿服务', kind: 'volunteer_service' }));
    await signUp(w.driver, created.id);
    const moved = new Date(Date.parse(String(created.startsAt)) + 3_600_000).toISOString();
    const changed = await call(w.secretaryA, 'PATCH', `/api/v1/activities/${created.id}`, { version: 1, startsAt: moved, endsAt: new Date(Date.parse(moved) + 7_200_000).toISOString() });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ version: 2, startsAt: moved });
    expect((await call(w.secretaryA, 'PATCH', `/api/v1/activities/${created.id}`, { version: 1, title: '过期版本' })).statusCode).toBe(409);
    const retitled = await call(w.secretaryA, 'PATCH', `/api/v1/activities/${created.id}`, { title: '爱心送清凉志愿服务（二期）' });
    expect(retitled.json().version).toBe(3);
    const toMembersOnly = await call(w.secretaryA, 'PATCH', `/api/v1/activities/${created.id}`, { audience: 'members_only' });
    expect(toMembersOnly.statusCode).toBe(400);
    const noted = await ctx.db.selectFrom('notifications').select('kind').where('userId', '=', w.driver.userId).where('kind', 'in', ['activity.changed', 'activity.cancelled']).execute();
    expect(noted.map((n) => n.kind)).toEqual(['activity.changed']);

    const cancelled = await call(w.secretaryA, 'POST', `/api/v1/activities/${created.id}/cancel`, { reason: '高温红色预警，改期举行' });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelReason: '高温红色预警，改期举行', version: 4 });
    expect((await signUp(w.driverB, created.id)).statusCode).toBe(409);
    expect((await call(w.secretaryA, 'POST', `/api/v1/activities/${created.id}/cancel`, { reason: '再次取消' })).statusCode).toBe(409);
    const told = await ctx.db.selectFrom('notifications').select('body').where('userId', '=', w.driver.userId).where('kind', '=', 'activity.cancelled').execute();
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('高温红色预警');
  });

  it('shows a worker what is open to him, near him, and what he signed up for', async () => {
    const near = await createActivityAs(ctx, w.committeeAdmin, activityBody(ctx, w.committee.id, { title: '附近的体检' }, 30));
    const far = await createActivityAs(ctx, w.committeeAdmin, activityBody(ctx, w.committee.id, { title: '远处的体检', lat: 30.9, lng: 103.6 }, 31));
    const shenzhen = await createActivityAs(ctx, w.cityAdmin, activityBody(ctx, w.chengdu.id, { title: '深圳的活动', audienceCityCode: '440300', audiencePlatformId: null }, 32));
    const all = await call(w.driver, 'GET', '/api/v1/me/activities/available?limit=200');
    const ids = all.json().items.map((i: { id: number }) => i.id);
    expect(ids).toEqual(expect.arrayContaining([near.id, far.id]));
    expect(ids).not.toContain(shenzhen.id);
    const close = await call(w.driver, 'GET', '/api/v1/me/activities/available?lat=30.57&lng=104.06&radiusKm=5&limit=200');
    const closeItems = close.json().items as { id: number; distanceKm: number }[];
    expect(closeItems.map((i) => i.id)).toContain(near.id);
    expect(closeItems.map((i) => i.id)).not.toContain(far.id);
    expect(closeItems.find((i) => i.id === near.id)!.distanceKm).toBeLessThan(1);
    await signUp(w.driver, near.id);
    const mine = await call(w.driver, 'GET', '/api/v1/me/activities');
    const mineItem = mine.json().items.find((i: { id: number }) => i.id === near.id);
    expect(mineItem).toMatchObject({ title: '附近的体检', mySignup: { status: 'confirmed', outcome: 'expected' } });
    expect((await call(w.otherCityDriver, 'GET', `/api/v1/activities/${near.id}`)).statusCode).toBe(404);
  });
});
