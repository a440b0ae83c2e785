import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildVolunteerWorld, type VolunteerWorld } from './volunteers.factory.js';

describeEachEngine('volunteers: teams, rosters, service records and the ledger', (ctx) => {
  let w: VolunteerWorld;
  let teamA: number;
  let teamA2: number;
  let recordId: number;

  const call = (session: Session, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method, url: `/api/v1${url}`, headers: { ...session.headers, ...headers }, ...(payload ? { payload } : {}) });
  const auditRows = (action: string) => ctx.db.selectFrom('auditLog').selectAll().where('action', '=', action).orderBy('id').execute();

  beforeAll(async () => {
    w = await buildVolunteerWorld(ctx);
    const created = await call(w.sessions.secA, 'POST', '/volunteer-teams', { unitId: w.branchA.id, name: '速达出行成都“爱心车队”志愿服务队', leaderMemberId: w.people.leaderA, foundedOn: '2026-03-01' });
    expect(created.statusCode, created.body).toBe(201);
    teamA = created.json<{ id: number }>().id;
    const second = await call(w.sessions.secA, 'POST', '/volunteer-teams', { unitId: w.branchA.id, name: '第二志愿服务队', leaderMemberId: w.people.leaderA2, foundedOn: '2026-03-01' });
    teamA2 = second.json<{ id: number }>().id;
  });

  it('founds a team led by a member, with the leader on the roster, and audits it', async () => {
    const detail = await call(w.sessions.secA, 'GET', `/volunteer-teams/${teamA}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({ name: '速达出行成都“爱心车队”志愿服务队', leaderMemberId: w.people.leaderA, canManage: true, activeVolunteers: 1 });
    expect(detail.json().roster).toEqual([expect.objectContaining({ memberId: w.people.leaderA, workerId: null, role: 'leader', name: '李秀英', leftOn: null })]);
    expect((await auditRows('volunteer_team.create')).map((a) => a.entityId)).toContain(String(teamA));
  });

  it('lets a worker who is not a member join, and refuses a second active place on the team (409)', async () => {
    const joined = await call(w.sessions.driver, 'POST', `/volunteer-teams/${teamA}/join`);
    expect(joined.statusCode, joined.body).toBe(201);
    expect(joined.json()).toMatchObject({ teamId: teamA, role: 'volunteer', leftOn: null });
    const again = await call(w.sessions.driver, 'POST', `/volunteer-teams/${teamA}/join`);
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json().code).toBe('RULE_VIOLATION');
    const byStaff = await call(w.sessions.secA, 'POST', `/volunteer-teams/${teamA}/roster`, { workerId: w.people.driver });
    expect(byStaff.statusCode).toBe(409);
    const rows = await ctx.db.selectFrom('volunteerTeamMembers').selectAll().where('teamId', '=', teamA).where('workerId', '=', w.people.driver).execute();
    expect(rows).toHaveLength(1);
    expect(await auditRows('volunteer_team.join')).toHaveLength(1);
  });

  it('keeps the leader a member: a worker cannot be made leader, a member can, and the old leader stays on', async () => {
    const worker = await call(w.sessions.secA, 'POST', `/volunteer-teams/${teamA}/roster`, { workerId: w.people.rider, role: 'leader' }, { 'accept-language': 'en' });
    expect(worker.statusCode).toBe(409);
    expect(worker.json().detail).toContain('must be a member');
    const zh = await call(w.sessions.secA, 'POST', `/volunteer-teams/${teamA}/roster`, { workerId: w.people.rider, role: 'leader' });
    expect(zh.json().detail).toContain('党员');
    // A leader is chosen among the members the staff may read: another branch's member does not exist for them.
    const outside = await call(w.sessions.secA, 'POST', '/volunteer-teams', { unitId: w.branchA.id, name: '越界的队', leaderMemberId: w.people.leaderB });
    expect(outside.statusCode).toBe(404);
    const handOver = await call(w.sessions.secA, 'PATCH', `/volunteer-teams/${teamA2}`, { leaderMemberId: w.people.memberA });
    expect(handOver.statusCode, handOver.body).toBe(200);
    const roster = handOver.json().roster as { memberId: number; role: string }[];
    expect(roster.find((r) => r.memberId === w.people.memberA)?.role).toBe('leader');
    expect(roster.find((r) => r.memberId === w.people.leaderA2)?.role).toBe('volunteer');
    const back = await call(w.sessions.secA, 'PATCH', `/volunteer-teams/${teamA2}`, { leaderMemberId: w.people.leaderA2 });
    expect(back.statusCode).toBe(200);
  });

  it('refuses hours of 0, 13 and 1.3 with the field named, in both languages', async () => {
    for (const hours of [0, 13, 1.3]) {
      const zh = await call(w.sessions.driver, 'POST', `/volunteer-teams/${teamA}/service-records`, { serviceDate: '2026-11-25', hours, description: '机场接送老人' });
      expect(zh.statusCode, `${hours}: ${zh.body}`).toBe(400);
      expect(zh.headers['content-type']).toContain('application/problem+json');
      expect(zh.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.hours']);
      const en = await call(w.sessions.driver, 'POST', `/volunteer-teams/${teamA}/service-records`, { serviceDate: '2026-11-25', hours, description: '机场接送老人' }, { 'accept-language': 'en' });
      expect(en.json().errors[0].message).not.toBe(zh.json().errors[0].message);
    }
    const future = await call(w.sessions.driver, 'POST', `/volunteer-teams/${teamA}/service-records`, { serviceDate: '2026-11-26', hours: 2, description: '机场接送老人' });
    expect(future.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.serviceDate']);
  });

  it('records hours, lets the leader verify them, and counts only verified hours in the ledger', async () => {
    const logged = await call(w.sessions.driver, 'POST', `/volunteer-teams/${teamA}/service-records`, { serviceDate: '2026-11-25', hours: 2.5, description: '春熙路  爱心送考' });
    expect(logged.statusCode, logged.body).toBe(201);
    expect(logged.json()).toMatchObject({ status: 'pending', hours: 2.5, name: '王海涛', description: '春熙路 爱心送考' });
    recordId = logged.json().id;
    const twice = await call(w.sessions.driver, 'POST', `/volunteer-teams/${teamA}/service-records`, { serviceDate: '2026-11-25', hours: 2.5, description: '春熙路 爱心送考 ' });
    expect(twice.statusCode).toBe(409);

    const before = await call(w.sessions.secA, 'GET', `/volunteers/ledger?unitId=${w.branchA.id}`);
    expect(before.json().total).toMatchObject({ verifiedHours: 0, pendingHours: 2.5, pendingRecords: 1 });

    const verified = await call(w.sessions.leaderA, 'POST', `/service-records/${recordId}/verify`);
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json().status).toBe('verified');
    const again = await call(w.sessions.leaderA, 'POST', `/service-records/${recordId}/verify`);
    expect(again.statusCode).toBe(409);

    await call(w.sessions.driver, 'POST', `/volunteer-teams/${teamA}/service-records`, { serviceDate: '2026-11-25', hours: 1, description: '整理驿站物资' });
    const ledger = await call(w.sessions.secA, 'GET', `/volunteers/ledger?unitId=${w.branchA.id}`);
    expect(ledger.statusCode, ledger.body).toBe(200);
    const body = ledger.json();
    expect(body.total).toMatchObject({ verifiedHours: 2.5, pendingHours: 1, verifiedRecords: 1, pendingRecords: 1, volunteers: 1 });
    expect(body.teams.find((t: { teamId: number }) => t.teamId === teamA)).toMatchObject({ verifiedHours: 2.5, pendingHours: 1, volunteers: 1 });
    expect(body.teams.find((t: { teamId: number }) => t.teamId === teamA2)).toMatchObject({ verifiedHours: 0 });
    expect(body.people).toEqual([expect.objectContaining({ workerId: w.people.driver, name: '王海涛', verifiedHours: 2.5, pendingHours: 1, teams: 1 })]);

    const mine = await call(w.sessions.driver, 'GET', '/me/volunteering');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().totals).toMatchObject({ verifiedHours: 2.5, pendingHours: 1 });
    expect(mine.json().teams.map((t: { teamId: number }) => t.teamId)).toEqual([teamA]);
    expect(mine.json().openTeams.map((t: { id: number }) => t.id)).toEqual([teamA2]);
  });

  it('audits every ledger read with names; the aggregate needs only org.read and names no one', async () => {
    const reads = await auditRows('volunteer.ledger_read');
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(reads.every((r) => r.userId === w.users.secA)).toBe(true);
    const analystLedger = await call(w.sessions.analyst, 'GET', `/volunteers/ledger?unitId=${w.branchA.id}`);
    expect(analystLedger.statusCode).toBe(403);
    const hours = await call(w.sessions.analyst, 'GET', `/volunteers/hours?unitId=${w.branchA.id}`);
    expect(hours.statusCode, hours.body).toBe(200);
    expect(hours.json().total.verifiedHours).toBe(2.5);
    expect(hours.body).not.toContain('王海涛');
    expect(await auditRows('volunteer.ledger_read')).toHaveLength(reads.length);
    const backwards = await call(w.sessions.secA, 'GET', `/volunteers/hours?unitId=${w.branchA.id}&from=2026-11-20&to=2026-11-01`);
    expect(backwards.statusCode).toBe(400);
  });

  it('lets no one verify their own record, nor a leader of another team or branch', async () => {
    const own = await call(w.sessions.leaderA, 'POST', `/volunteer-teams/${teamA}/service-records`, { serviceDate: '2026-11-25', hours: 3, description: '组织队员学习交通安全' });
    expect(own.statusCode, own.body).toBe(201);
    const self = await call(w.sessions.leaderA, 'POST', `/service-records/${own.json().id}/verify`);
    expect(self.statusCode).toBe(403);
    // He joined today: a day before that was not service for this team.
    const beforeJoining = await call(w.sessions.driver, 'POST', `/volunteer-teams/${teamA}/service-records`, { serviceDate: '2026-11-24', hours: 4, description: '暴雨天为外卖骑手送姜汤' });
    expect(beforeJoining.statusCode, beforeJoining.body).toBe(400);
    const fresh = await call(w.sessions.driver, 'POST', `/volunteer-teams/${teamA}/service-records`, { serviceDate: '2026-11-25', hours: 4, description: '暴雨天为外卖骑手送姜汤' });
    const id = fresh.json().id as number;
    // Leader of another team in the same branch: inside their reach, but a member's grant only reads.
    expect((await call(w.sessions.leaderA2, 'POST', `/service-records/${id}/verify`)).statusCode).toBe(403);
    // Leader in another branch: the record does not exist for them.
    expect((await call(w.sessions.leaderB, 'POST', `/service-records/${id}/verify`)).statusCode).toBe(404);
    expect((await call(w.sessions.secB, 'POST', `/service-records/${id}/reject`, { reason: '不属实' })).statusCode).toBe(404);
    const rejected = await call(w.sessions.secA, 'POST', `/service-records/${id}/reject`, { reason: '日期有误，请重新登记' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', rejectReason: '日期有误，请重新登记' });
    // A rejected entry may be sent again.
    expect((await call(w.sessions.driver, 'POST', `/volunteer-teams/${teamA}/service-records`, { serviceDate: '2026-11-25', hours: 4, description: '暴雨天为外卖骑手送姜汤' })).statusCode).toBe(201);
  });

  it('hides the roster from staff of another branch (404) and shows the team without names to workers', async () => {
    expect((await call(w.sessions.secB, 'GET', `/volunteer-teams/${teamA}`)).statusCode).toBe(404);
    expect((await call(w.sessions.secB, 'GET', `/volunteer-teams/${teamA}/service-records`)).statusCode).toBe(404);
    expect((await call(w.sessions.driverB, 'GET', `/volunteer-teams/${teamA}`)).statusCode).toBe(404);
    const asWorker = await call(w.sessions.rider, 'GET', `/volunteer-teams/${teamA}`);
    expect(asWorker.statusCode).toBe(200);
    expect(asWorker.json()).toMatchObject({ roster: null, canManage: false, canVerify: false });
    // The leader sees who is on the team, by name only: who is a member is not a leader's to know.
    const asLeader = await call(w.sessions.leaderA, 'GET', `/volunteer-teams/${teamA}`);
    expect(asLeader.json().roster).toEqual(expect.arrayContaining([expect.objectContaining({ name: '王海涛', workerId: null, memberId: null })]));
    const records = await call(w.sessions.leaderA, 'GET', `/volunteer-teams/${teamA}/service-records?status=pending`);
    expect(records.json().items.length).toBeGreaterThan(0);
    expect(records.json().items.every((r: { workerId: number | null; memberId: number | null }) => r.workerId === null && r.memberId === null)).toBe(true);
    const reads = await auditRows('volunteer_team.roster_read');
    expect(reads.map((r) => r.userId)).toContain(w.users.leaderA);
    expect(reads.map((r) => r.userId)).not.toContain(w.users.rider);
    expect((await auditRows('service_record.list_read')).map((r) => r.userId)).toContain(w.users.leaderA);
    const list = await call(w.sessions.secB, 'GET', '/volunteer-teams');
    expect(list.json().items).toEqual([]);
  });

  it('lets staff revoke a verified record with a reason (the leader may not), and it leaves the ledger', async () => {
    expect((await call(w.sessions.leaderA, 'POST', `/service-records/${recordId}/revoke`, { reason: '重复登记' })).statusCode).toBe(403);
    const revoked = await call(w.sessions.secA, 'POST', `/service-records/${recordId}/revoke`, { reason: '与另一条记录重复' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'rejected', rejectReason: '与另一条记录重复' });
    expect(await auditRows('service_record.revoke')).toHaveLength(1);
    const hours = await call(w.sessions.secA, 'GET', `/volunteers/hours?unitId=${w.branchA.id}`);
    expect(hours.json().total.verifiedHours).toBe(0);
  });

  it('lets a volunteer leave but not the leader, and closes a team with everyone leaving that day', async () => {
    const roster = (await call(w.sessions.secA, 'GET', `/volunteer-teams/${teamA}`)).json().roster as { id: number; role: string }[];
    const leaderEntry = roster.find((r) => r.role === 'leader') as { id: number };
    expect((await call(w.sessions.secA, 'DELETE', `/volunteer-teams/${teamA}/roster/${leaderEntry.id}`)).statusCode).toBe(409);
    expect((await call(w.sessions.leaderA, 'POST', `/volunteer-teams/${teamA}/leave`)).statusCode).toBe(409);
    const left = await call(w.sessions.driver, 'POST', `/volunteer-teams/${teamA}/leave`);
    expect(left.statusCode, left.body).toBe(200);
    expect(left.json().leftOn).toBe('2026-11-25');
    const closed = await call(w.sessions.secA, 'POST', `/volunteer-teams/${teamA2}/close`, { reason: '并入爱心车队' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ closedOn: '2026-11-25', activeVolunteers: 0 });
    expect((await call(w.sessions.rider, 'POST', `/volunteer-teams/${teamA2}/join`)).statusCode).toBe(409);
  });

  it('pages the team list with a cursor', async () => {
    const first = await call(w.sessions.secA, 'GET', `/volunteer-teams?unitId=${w.branchA.id}&status=all&limit=1`);
    expect(first.json().items).toHaveLength(1);
    const next = await call(w.sessions.secA, 'GET', `/volunteer-teams?unitId=${w.branchA.id}&status=all&limit=1&cursor=${first.json().nextCursor as string}`);
    expect(next.json().items[0].id).not.toBe(first.json().items[0].id);
    expect(next.json().nextCursor).toBeNull();
  });
});
