import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { APPEAL_TEST_PASSWORD, type AppealWorld, buildAppealWorld } from '../appeals/appeals.factory.js';
import { stationBody } from './stations.factory.js';

const DAY = 86_400_000;
// The smallest valid PNG (1×1, transparent): enough for content sniffing.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describeEachEngine('stations: check-in by QR code, visit figures, ratings, problem reports and photos', (ctx) => {
  let w: AppealWorld;
  let stationId: number;
  let otherStationId: number;
  let stationAddress: string;
  let token: string;
  let address = 0;

  const call = (session: Session | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method, url, headers: { ...(session?.headers ?? {}), ...headers }, remoteAddress: `10.3.0.${(address++ % 250) + 1}`, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
    const created = await call(w.sessions.secretaryA, 'POST', '/api/v1/stations', stationBody({ unitId: w.branchA.id, name: '户外劳动者服务站（春熙路）', platformId: w.platform.id }));
    stationId = created.json().id;
    stationAddress = created.json().address;
    otherStationId = (await call(w.sessions.secretaryB, 'POST', '/api/v1/stations', stationBody({ unitId: w.branchB.id }))).json().id;
  });

  it('gives those who run the station its check-in link and a printable QR code, and nobody outside its unit', async () => {
    const link = await call(w.sessions.secretaryA, 'GET', `/api/v1/stations/${stationId}/check-in-link`);
    expect(link.statusCode, link.body).toBe(200);
    token = link.json().token;
    expect(link.json().path).toBe(`/s/${stationId}?t=${token}`);
    expect(link.json().url).toMatch(new RegExp(`^http://[^/]+/s/${stationId}\\?t=`));
    const qr = await call(w.sessions.secretaryA, 'GET', `/api/v1/stations/${stationId}/qr.svg`);
    expect(qr.headers['content-type']).toContain('image/svg+xml');
    expect(qr.body).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect((await call(w.sessions.secretaryB, 'GET', `/api/v1/stations/${stationId}/qr.svg`)).statusCode).toBe(404);
    expect((await call(null, 'GET', `/api/v1/stations/${stationId}/check-in-link`)).statusCode).toBe(401);
    // A worker of the same branch must scan the code posted at the station: the token is not theirs to fetch.
    expect((await call(w.sessions.otherDriver, 'GET', `/api/v1/stations/${stationId}/check-in-link`)).statusCode).toBe(403);
    expect((await call(w.sessions.otherDriver, 'GET', `/api/v1/stations/${stationId}/qr.svg`)).statusCode).toBe(403);
  });

  it('records a worker’s scan once a day: a second scan answers 200 with the first visit, a forged code 400', async () => {
    const forged = await call(w.sessions.driver, 'POST', `/api/v1/stations/${otherStationId}/visits`, { token });
    expect(forged.statusCode).toBe(400);
    const first = await call(w.sessions.driver, 'POST', `/api/v1/stations/${stationId}/visits`, { token });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ stationId, stationName: '户外劳动者服务站（春熙路）', visitedOn: '2026-11-25', alreadyCheckedIn: false });
    const again = await call(w.sessions.driver, 'POST', `/api/v1/stations/${stationId}/visits`, { token });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, alreadyCheckedIn: true });
    // Two phones racing on the same scan still make one visit.
    const [a, b] = await Promise.all([0, 1].map(() => call(w.sessions.otherDriver, 'POST', `/api/v1/stations/${stationId}/visits`, { token })));
    expect([a!.statusCode, b!.statusCode].sort()).toEqual([200, 201]);
    expect(a!.json().id).toBe(b!.json().id);
    // Staff are not workers: they cannot check in.
    expect((await call(w.sessions.secretaryA, 'POST', `/api/v1/stations/${stationId}/visits`, { token })).statusCode).toBe(403);
    const audit = await ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'station.visit').execute();
    expect(audit).toHaveLength(2);
  });

  it('keeps one rating per worker, shows the average and their own, and lists comments without names to staff', async () => {
    const rate = (session: Session, stars: number, comment?: string) => call(session, 'POST', `/api/v1/stations/${stationId}/ratings`, { stars, ...(comment ? { comment } : {}) });
    expect((await rate(w.sessions.driver, 4, '热水很方便')).statusCode).toBe(200);
    const changed = await rate(w.sessions.driver, 2, '微波炉坏了');
    expect(changed.json()).toMatchObject({ stars: 2, comment: '微波炉坏了', rating: { average: 2, count: 1 } });
    expect((await rate(w.sessions.otherDriver, 5)).json().rating).toEqual({ average: 3.5, count: 2 });
    expect((await rate(w.sessions.secretaryA, 5)).statusCode).toBe(403);
    expect((await call(w.sessions.driver, 'POST', `/api/v1/stations/${stationId}/ratings`, { stars: 6 })).statusCode).toBe(400);
    const detail = await call(w.sessions.driver, 'GET', `/api/v1/stations/${stationId}`);
    expect(detail.json()).toMatchObject({ rating: { average: 3.5, count: 2 }, myRating: { stars: 2, comment: '微波炉坏了' }, canEdit: false });
    const list = await call(w.sessions.secretaryA, 'GET', `/api/v1/stations/${stationId}/ratings`);
    expect(list.json().items).toHaveLength(2);
    expect(Object.keys(list.json().items[0]).sort()).toEqual(['comment', 'stars', 'updatedAt']);
    expect((await call(w.sessions.secretaryB, 'GET', `/api/v1/stations/${stationId}/ratings`)).statusCode).toBe(404);
  });

  it('files a problem report as an appeal in "rest and facilities" with the station’s name and place', async () => {
    const response = await call(w.sessions.driver, 'POST', `/api/v1/stations/${stationId}/problems`, { description: '饮水机没有热水已经三天了' });
    expect(response.statusCode, response.body).toBe(201);
    const { appealId, trackingCode } = response.json();
    expect(trackingCode).toBeNull();
    const appeal = await ctx.db.selectFrom('appeals').selectAll().where('id', '=', appealId).executeTakeFirstOrThrow();
    expect(appeal).toMatchObject({ category: 'rest_facilities', description: '【户外劳动者服务站（春熙路）】饮水机没有热水已经三天了', workerId: w.driverId, cityCode: '510100', platformId: w.platform.id, address: stationAddress });
    expect(appeal.lat).toBeCloseTo(30.6574, 4);
    const link = await ctx.db.selectFrom('stationProblems').selectAll().where('appealId', '=', appealId).executeTakeFirstOrThrow();
    expect(link.stationId).toBe(stationId);
  });

  it('keeps an anonymous problem report anonymous, and files once per Idempotency-Key', async () => {
    const key = 'station-problem-7d1f0c2e-4b3a-4c9e-8f21-0a1b2c3d4e5f';
    const send = () => call(w.sessions.driver, 'POST', `/api/v1/stations/${stationId}/problems`, { description: '夜里站点门口没有照明，不安全', anonymous: true }, { 'idempotency-key': key });
    const first = await send();
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().trackingCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect((await send()).json().appealId).toBe(first.json().appealId);
    const appeal = await ctx.db.selectFrom('appeals').selectAll().where('id', '=', first.json().appealId).executeTakeFirstOrThrow();
    expect(appeal).toMatchObject({ anonymous: 1, workerId: null, category: 'rest_facilities' });
    const audit = await ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'station.problem').where('detail', 'like', `%"appealId":${appeal.id}}%`).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ userId: null, username: null, ip: null });
  });

  it('takes photos from those who run the station and shows them to everyone', async () => {
    const upload = (session: Session, bytes: Buffer) => ctx.app.inject({ method: 'POST', url: `/api/v1/stations/${stationId}/photos`, headers: { ...session.headers, 'content-type': 'image/png' }, payload: bytes });
    const added = await upload(w.sessions.secretaryA, PNG);
    expect(added.statusCode, added.body).toBe(201);
    const photo = added.json();
    expect(photo).toMatchObject({ contentType: 'image/png', sizeBytes: PNG.length, url: `/api/v1/stations/${stationId}/photos/${photo.id}` });
    expect((await upload(w.sessions.secretaryA, Buffer.from('not an image at all'))).statusCode).toBe(415);
    expect((await upload(w.sessions.otherDriver, PNG)).statusCode).toBe(403);
    expect((await upload(w.sessions.driver, PNG)).statusCode).toBe(404);
    const shown = await call(null, 'GET', photo.url);
    expect(shown.statusCode).toBe(200);
    expect(shown.rawPayload.equals(PNG)).toBe(true);
    expect((await call(null, 'GET', `/api/v1/stations/${stationId}`)).json().photos).toEqual([{ id: photo.id, url: photo.url, contentType: 'image/png' }]);
    expect((await call(w.sessions.secretaryA, 'DELETE', photo.url)).statusCode).toBe(204);
    expect((await call(null, 'GET', photo.url)).statusCode).toBe(404);
  });
  // Last: it moves the clock by a month.
  it('counts person-times per station and month for a unit’s subtree, within scope only', async () => {
    // The next day in China: a new visit for the same worker. A month later: another month's figure.
    // Moving the clock ends every session: log in again only those this test needs (scrypt is slow).
    const login = (username: string) => ctx.login(username, APPEAL_TEST_PASSWORD);
    ctx.clock.advance(DAY);
    expect((await call(await login('driver'), 'POST', `/api/v1/stations/${stationId}/visits`, { token })).statusCode).toBe(201);
    ctx.clock.advance(30 * DAY);
    expect((await call(await login('driver'), 'POST', `/api/v1/stations/${stationId}/visits`, { token })).statusCode).toBe(201);
    const [secretaryA, secretaryB, committee] = [await login('secA'), await login('secB'), await login('committee')];

    const summary = await call(secretaryA, 'GET', `/api/v1/stations/visits/summary?unitId=${w.branchA.id}`);
    expect(summary.statusCode, summary.body).toBe(200);
    const body = summary.json();
    expect(body.months).toHaveLength(12);
    expect(body.months.at(-1)).toBe('2026-12');
    expect(body.total).toBe(4);
    expect(body.byMonth.filter((m: { visits: number }) => m.visits > 0)).toEqual([{ month: '2026-11', visits: 3, workers: 2 }, { month: '2026-12', visits: 1, workers: 1 }]);
    expect(body.byStation).toEqual([{ stationId, name: '户外劳动者服务站（春熙路）', unitId: w.branchA.id, visits: 4 }]);
    expect(body.cells).toEqual([{ stationId, month: '2026-11', visits: 3 }, { stationId, month: '2026-12', visits: 1 }]);
    const oneMonth = await call(committee, 'GET', '/api/v1/stations/visits/summary?month=2026-12');
    expect(oneMonth.json()).toMatchObject({ months: ['2026-12'], total: 1 });
    expect((await call(secretaryB, 'GET', `/api/v1/stations/visits/summary?unitId=${w.branchA.id}`)).statusCode).toBe(404);
    expect((await call(secretaryB, 'GET', '/api/v1/stations/visits/summary')).json().total).toBe(0);

    // A visit at branch B's station: the committee sees two stations, a page at a time, most visited first.
    const otherToken = (await call(secretaryB, 'GET', `/api/v1/stations/${otherStationId}/check-in-link`)).json().token;
    expect((await call(await login('driver'), 'POST', `/api/v1/stations/${otherStationId}/visits`, { token: otherToken })).statusCode).toBe(201);
    const committeeUnit = `unitId=${w.committee.id}`;
    const first = (await call(committee, 'GET', `/api/v1/stations/visits/summary?${committeeUnit}&limit=1`)).json();
    expect(first).toMatchObject({ total: 5, stationsVisited: 2, byStation: [{ stationId, visits: 4 }] });
    expect(first.cells).toEqual([{ stationId, month: '2026-11', visits: 3 }, { stationId, month: '2026-12', visits: 1 }]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await call(committee, 'GET', `/api/v1/stations/visits/summary?${committeeUnit}&limit=1&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ total: 5, stationsVisited: 2, byStation: [{ stationId: otherStationId, unitId: w.branchB.id, visits: 1 }], nextCursor: null });
    expect(second.cells).toEqual([{ stationId: otherStationId, month: '2026-12', visits: 1 }]);
    expect((await call(committee, 'GET', `/api/v1/stations/visits/summary?${committeeUnit}`)).json().byStation.map((s: { stationId: number }) => s.stationId)).toEqual([stationId, otherStationId]);
    // Bad paging input is refused with a problem in the reader's language.
    for (const query of ['limit=0', 'limit=201', 'cursor=bm90LWEtY3Vyc29y', `cursor=${Buffer.from('["many",1]').toString('base64url')}`]) {
      const refused = await call(committee, 'GET', `/api/v1/stations/visits/summary?${committeeUnit}&${query}`, undefined, { 'accept-language': 'en' });
      expect(refused.statusCode, query).toBe(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
  });

});
