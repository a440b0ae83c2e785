import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildVolunteerWorld, type VolunteerWorld } from './volunteers.factory.js';

type QueueItem = { id: number; teamId: number; teamName: string; unitName: string; workerId: number | null; memberId: number | null; name: string | null; hours: number; status: string };

describeEachEngine('volunteers: the queue of records awaiting verification', (ctx) => {
  let w: VolunteerWorld;
  let teamA: number;
  let driverRecord: number;
  let leaderRecord: number;

  const call = (session: Session, method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({ method, url: `/api/v1${url}`, headers: session.headers, ...(payload ? { payload } : {}) });
  const queueOf = async (session: Session) => {
    const response = await call(session, 'GET', '/service-records');
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: QueueItem[] }>().items;
  };

  beforeAll(async () => {
    w = await buildVolunteerWorld(ctx);
    const created = await call(w.sessions.secA, 'POST', '/volunteer-teams', { unitId: w.branchA.id, name: '爱心送考志愿服务队', leaderMemberId: w.people.leaderA, foundedOn: '2026-03-01' });
    expect(created.statusCode, created.body).toBe(201);
    teamA = created.json<{ id: number }>().id;
    expect((await call(w.sessions.driver, 'POST', `/volunteer-teams/${teamA}/join`)).statusCode).toBe(201);
    const logged = await call(w.sessions.driver, 'POST', `/volunteer-teams/${teamA}/service-records`, { serviceDate: '2026-11-25', hours: 2, description: '高考送考' });
    expect(logged.statusCode, logged.body).toBe(201);
    driverRecord = logged.json<{ id: number }>().id;
    const own = await call(w.sessions.leaderA, 'POST', `/volunteer-teams/${teamA}/service-records`, { serviceDate: '2026-11-25', hours: 3, description: '组织送考' });
    expect(own.statusCode, own.body).toBe(201);
    leaderRecord = own.json<{ id: number }>().id;
  });

  it('gives the leader the records of their team by name only, never their own', async () => {
    const items = await queueOf(w.sessions.leaderA);
    expect(items.map((i) => i.id)).toEqual([driverRecord]);
    expect(items[0]).toMatchObject({ teamId: teamA, teamName: '爱心送考志愿服务队', unitName: w.branchA.name, name: '王海涛', hours: 2, status: 'pending', workerId: null, memberId: null });
  });

  it('gives staff every pending record of their subtree with who is who, and audits the read', async () => {
    const items = await queueOf(w.sessions.secA);
    expect(items.map((i) => i.id)).toEqual([driverRecord, leaderRecord]);
    expect(items[0]).toMatchObject({ workerId: w.people.driver, memberId: null });
    expect(items[1]).toMatchObject({ workerId: null, memberId: w.people.leaderA, name: '李秀英' });
    const audit = await ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'service_record.queue_read').where('username', '=', 'secA').execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('is empty for staff of another branch and for a volunteer', async () => {
    expect(await queueOf(w.sessions.secB)).toEqual([]);
    expect(await queueOf(w.sessions.driver)).toEqual([]);
    expect(await queueOf(w.sessions.leaderB)).toEqual([]);
  });

  it('drops a record once it is decided', async () => {
    expect((await call(w.sessions.leaderA, 'POST', `/service-records/${driverRecord}/verify`)).statusCode).toBe(200);
    expect(await queueOf(w.sessions.leaderA)).toEqual([]);
    const rejected = await call(w.sessions.secA, 'POST', `/service-records/${leaderRecord}/reject`, { reason: '当天没有送考安排' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(await queueOf(w.sessions.secA)).toEqual([]);
  });
});
