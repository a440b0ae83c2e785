import { gunzipSync } from 'node:zlib';
import nodeIcal, { type VEvent } from 'node-ical';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, TEST_NOW } from '../../test/harness.js';
import { planOf } from '../../test/query-plan.js';
import { type ActivityWorld, type Caller, activityBody, buildActivityWorld, createActivityAs } from './activities.factory.js';
import { feedWindow } from './activities.feed-cache.js';
import { feedOfSubtreeQuery } from './activities.queries.js';

// The unit feed's window, its cache and its validators. node-ical reads every answer back.
function eventsOf(text: string): VEvent[] {
  return Object.values(nodeIcal.sync.parseICS(text))
    .filter((c): c is VEvent => c.type === 'VEVENT')
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}

const DAY = 86_400_000;

describeEachEngine('activities: the unit feed’s window, ETag and freshness', (ctx) => {
  let w: ActivityWorld;
  beforeAll(async () => {
    w = await buildActivityWorld(ctx);
  });
  beforeEach(() => ctx.clock.set(TEST_NOW));

  const get = (caller: Caller | null, unitId: number, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'GET', url: `/api/v1/units/${unitId}/activities.ics`, headers: { ...caller?.headers, ...headers } });
  const titlesOf = async (caller: Caller, unitId: number) => eventsOf((await get(caller, unitId)).body).map((e) => e.summary);
  const activityAt = (unitId: number, title: string, startsAt: string) =>
    createActivityAs(ctx, w.committeeAdmin, { ...activityBody(ctx, unitId, { title }), startsAt, endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString() });

  it('holds what starts from 30 China days before today to 180 after, and moves with the day', () => {
    // 2026-11-25 10:00 in China: today began at 2026-11-24T16:00Z.
    expect(feedWindow(new Date(TEST_NOW))).toEqual({ day: '2026-11-25', from: '2026-10-25T16:00:00.000Z', to: '2027-05-24T16:00:00.000Z' });
    // 23:59 in China is still the same day; a minute later the window has moved by one.
    expect(feedWindow(new Date('2026-11-25T15:59:59.999Z')).day).toBe('2026-11-25');
    expect(feedWindow(new Date('2026-11-25T16:00:00.000Z'))).toEqual({ day: '2026-11-26', from: '2026-10-26T16:00:00.000Z', to: '2027-05-25T16:00:00.000Z' });
  });

  it('serves exactly the window, at its edges, and the next day’s window the next day', async () => {
    await activityAt(w.branchB.id, 'before the window', '2026-10-25T15:59:00.000Z');
    await activityAt(w.branchB.id, 'first minute', '2026-10-25T16:00:00.000Z');
    await activityAt(w.branchB.id, 'last minute', '2027-05-24T15:59:00.000Z');
    await activityAt(w.branchB.id, 'after the window', '2027-05-24T16:00:00.000Z');
    expect(await titlesOf(w.secretaryB, w.branchB.id)).toEqual(['first minute', 'last minute']);
    ctx.clock.advance(DAY);
    expect(await titlesOf(w.secretaryB, w.branchB.id)).toEqual(['last minute', 'after the window']);
  });

  it('answers 304 to the ETag it gave until the feed changes, whatever changed it', async () => {
    const created = await activityAt(w.branchA.id, '免费体检', new Date(Date.parse(TEST_NOW) + 3 * DAY).toISOString());
    const first = await get(w.secretaryA, w.branchA.id);
    expect(first.statusCode).toBe(200);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]{32}"$/); // strong: no W/ prefix
    const again = await get(w.secretaryA, w.branchA.id, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    // The weak comparison of If-None-Match, a list, and * (RFC 9110 13.1.2).
    expect((await get(w.secretaryA, w.branchA.id, { 'if-none-match': `W/${etag}` })).statusCode).toBe(304);
    expect((await get(w.secretaryA, w.branchA.id, { 'if-none-match': `"nope", ${etag}` })).statusCode).toBe(304);
    expect((await get(w.secretaryA, w.branchA.id, { 'if-none-match': '*' })).statusCode).toBe(304);
    expect((await get(w.secretaryA, w.branchA.id, { 'if-none-match': '"nope"' })).statusCode).toBe(200);
    // The secret link gives the same bytes, so the same validator.
    const link = (await ctx.app.inject({ method: 'GET', url: `/api/v1/units/${w.branchA.id}/activities/feed-link`, headers: w.secretaryA.headers })).json<{ path: string }>();
    expect((await ctx.app.inject({ method: 'GET', url: link.path, headers: { 'if-none-match': etag } })).statusCode).toBe(304);

    // A sign-up locks the activity row (set version = version) but changes nothing the feed shows.
    expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/activities/${created.id}/sign-up`, headers: w.driver.headers })).statusCode).toBe(201);
    expect((await get(w.secretaryA, w.branchA.id, { 'if-none-match': etag })).statusCode).toBe(304);

    // An edit: the next fetch has it, under a new validator.
    ctx.clock.advance(60_000);
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/v1/activities/${created.id}`, headers: w.secretaryA.headers, payload: { title: '免费体检（改期）' } })).statusCode).toBe(200);
    const edited = await get(w.secretaryA, w.branchA.id, { 'if-none-match': etag });
    expect(edited.statusCode).toBe(200);
    expect(eventsOf(edited.body).find((e) => e.uid === `activity-${created.id}@convoy`)?.summary).toBe('免费体检（改期）');
    const etagEdited = String(edited.headers.etag);
    expect(etagEdited).not.toBe(etag);

    // A cancellation at the same instant as the edit (the clock stands still): the stamp tells, not the time.
    expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/activities/${created.id}/cancel`, headers: w.secretaryA.headers, payload: { reason: '场地临时征用' } })).statusCode).toBe(200);
    const cancelled = await get(w.secretaryA, w.branchA.id, { 'if-none-match': etagEdited });
    expect(cancelled.statusCode).toBe(200);
    expect(eventsOf(cancelled.body).find((e) => e.uid === `activity-${created.id}@convoy`)?.status).toBe('CANCELLED');
  });

  it('sees a write made by another process (straight into the database) on the next fetch', async () => {
    const created = await activityAt(w.branchA.id, '读书会', new Date(Date.parse(TEST_NOW) + 4 * DAY).toISOString());
    const before = await get(w.secretaryA, w.branchA.id);
    expect(eventsOf(before.body).map((e) => e.summary)).toContain('读书会');
    await ctx.db.updateTable('activities').set({ title: '读书分享会' }).where('id', '=', created.id).execute();
    const after = await get(w.secretaryA, w.branchA.id, { 'if-none-match': String(before.headers.etag) });
    expect(after.statusCode).toBe(200);
    expect(eventsOf(after.body).map((e) => e.summary)).toContain('读书分享会');
  });

  it('keeps a feed’s ETag across a write elsewhere (the rows are read again, the same bytes result)', async () => {
    const elsewhere = await activityAt(w.branchB.id, '二支部观影', new Date(Date.parse(TEST_NOW) + 6 * DAY).toISOString());
    const before = await get(w.secretaryA, w.branchA.id);
    const etag = String(before.headers.etag);
    await ctx.db.updateTable('activities').set({ title: '二支部观影（改）' }).where('id', '=', elsewhere.id).execute();
    expect((await get(w.secretaryA, w.branchA.id, { 'if-none-match': etag })).statusCode).toBe(304);
    expect(await titlesOf(w.secretaryB, w.branchB.id)).toContain('二支部观影（改）');
  });

  it('follows the org tree: a unit moved out of the subtree takes its activities along, a rename shows', async () => {
    await activityAt(w.groupA.id, '小组学习会', new Date(Date.parse(TEST_NOW) + 5 * DAY).toISOString());
    expect(await titlesOf(w.cityAdmin, w.branchA.id)).toContain('小组学习会');
    const moved = await ctx.app.inject({ method: 'POST', url: `/api/v1/org-units/${w.groupA.id}/move`, headers: w.cityAdmin.headers, payload: { parentId: w.branchB.id } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await titlesOf(w.cityAdmin, w.branchA.id)).not.toContain('小组学习会');
    expect(await titlesOf(w.cityAdmin, w.branchB.id)).toContain('小组学习会');
    const renamed = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/org-units/${w.groupA.id}`, headers: w.cityAdmin.headers, payload: { name: '第一党小组（新）' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const feed = eventsOf((await get(w.cityAdmin, w.branchB.id)).body).find((e) => e.summary === '小组学习会');
    expect(feed?.description).toContain('第一党小组（新）');
  });

  it('sends the feed gzipped to a calendar app that accepts it: the same text under its own tag, made once', async () => {
    await activityAt(w.branchA.id, '急救培训', new Date(Date.parse(TEST_NOW) + 7 * DAY).toISOString());
    const plain = await get(w.secretaryA, w.branchA.id);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    const zipped = await get(w.secretaryA, w.branchA.id, { 'accept-encoding': 'gzip, deflate' });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    // A different representation has a different strong tag; each revalidates only itself.
    const zippedTag = String(zipped.headers.etag);
    expect(zippedTag).toMatch(/^"[\w-]{32}-gzip"$/);
    const again = await get(w.secretaryA, w.branchA.id, { 'accept-encoding': 'gzip', 'if-none-match': zippedTag });
    expect(again.statusCode).toBe(304);
    expect(again.headers.etag).toBe(zippedTag);
    expect((await get(w.secretaryA, w.branchA.id, { 'accept-encoding': 'gzip', 'if-none-match': String(plain.headers.etag) })).statusCode).toBe(200);
    const refused = await get(w.secretaryA, w.branchA.id, { 'accept-encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toBe(plain.body);
  });

  it('names the calendar after the unit as it is now: a rename of the unit itself shows on the next fetch', async () => {
    const calendarName = (body: string) => /^X-WR-CALNAME:(.*)$/m.exec(body.replace(/\r\n[ \t]/g, ''))?.[1];
    const before = await get(w.secretaryA, w.branchA.id);
    expect(calendarName(before.body)).toBe(`${w.branchA.name} · 活动`);
    const renamed = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/org-units/${w.branchA.id}`, headers: w.cityAdmin.headers, payload: { name: '青禾出行成都第一流动党员党支部' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const after = await get(w.secretaryA, w.branchA.id, { 'if-none-match': String(before.headers.etag) });
    expect(after.statusCode).toBe(200);
    expect(calendarName(after.body)).toBe('青禾出行成都第一流动党员党支部 · 活动');
  });

  it('reads a subtree’s window through (unit, starts_at), not the subtree’s whole history', async () => {
    const plan = await planOf(ctx.db, ctx.engine, feedOfSubtreeQuery(ctx.db, w.chengdu.path, feedWindow(new Date(TEST_NOW)), 2000));
    if (ctx.engine === 'sqlite') {
      expect(plan).toContain('SEARCH u USING INDEX org_units_path (path>? AND path<?)');
      expect(plan).toContain('SEARCH a USING INDEX activities_unit_starts (unit_id=? AND starts_at>? AND starts_at<?)');
      expect(plan).not.toContain('activities_starts ');
    } else {
      // By statistics (see feedOfSubtreeQuery): either way both bounds of the window are index conditions
      // and the units come from their path range.
      expect(plan).toMatch(/Index Cond: \((\(unit_id = u\.id\) AND )?\(starts_at >= .+\) AND \(starts_at < .+\)\)/);
      expect(plan).toMatch(/Index Cond: \(\(path >= '\/1\/2\/'::text\) AND \(path < '\/1\/2\/~'::text\)\)/);
      expect(plan).not.toContain('Seq Scan');
    }
  });
});
