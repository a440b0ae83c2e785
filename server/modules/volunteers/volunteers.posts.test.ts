import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildVolunteerWorld, type VolunteerWorld } from './volunteers.factory.js';

describeEachEngine('volunteers: vanguard posts and community grid roles', (ctx) => {
  let w: VolunteerWorld;
  let postId: number;

  const call = (session: Session, method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({ method, url: `/api/v1${url}`, headers: session.headers, ...(payload ? { payload } : {}) });
  const auditRows = (action: string) => ctx.db.selectFrom('auditLog').selectAll().where('action', '=', action).orderBy('id').execute();

  beforeAll(async () => {
    w = await buildVolunteerWorld(ctx);
  });

  it('creates a post with its holder; the board names holders only to those who read people, and audits it', async () => {
    const created = await call(w.sessions.secA, 'POST', '/vanguard-posts', { unitId: w.branchA.id, title: '安全驾驶先锋岗', kind: 'safety', duties: '带头安全驾驶，帮助新司机熟悉路况', holderMemberId: w.people.leaderA, fromDate: '2026-01-01' });
    expect(created.statusCode, created.body).toBe(201);
    postId = created.json().id;
    expect(created.json()).toMatchObject({ held: true, holder: { memberId: w.people.leaderA, name: '李秀英', fromDate: '2026-01-01', toDate: null } });
    expect((await call(w.sessions.secA, 'POST', '/vanguard-posts', { unitId: w.branchA.id, title: '安全驾驶先锋岗', kind: 'safety', duties: '重复' })).statusCode).toBe(409);

    const board = await call(w.sessions.secA, 'GET', `/vanguard-posts?unitId=${w.branchA.id}`);
    expect(board.json().items).toEqual([expect.objectContaining({ title: '安全驾驶先锋岗', held: true, holder: expect.objectContaining({ name: '李秀英' }) })]);
    expect(await auditRows('vanguard_post.board_read')).toHaveLength(1);
    const analystBoard = await call(w.sessions.analyst, 'GET', `/vanguard-posts?unitId=${w.branchA.id}`);
    expect(analystBoard.json().items).toEqual([expect.objectContaining({ held: true, holder: null })]);
    expect(analystBoard.body).not.toContain('李秀英');
    expect(await auditRows('vanguard_post.board_read')).toHaveLength(1);
    expect((await call(w.sessions.secB, 'GET', `/vanguard-posts/${postId}`)).statusCode).toBe(404);
    expect((await call(w.sessions.analyst, 'POST', `/vanguard-posts/${postId}/end`, {})).statusCode).toBe(403);
  });

  it('hands a post over the day before a new holder starts, keeps the history, and refuses overlaps', async () => {
    const handed = await call(w.sessions.secA, 'POST', `/vanguard-posts/${postId}/holders`, { memberId: w.people.memberA, fromDate: '2026-07-01' });
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json().terms).toEqual([
      expect.objectContaining({ memberId: w.people.leaderA, fromDate: '2026-01-01', toDate: '2026-06-30' }),
      expect.objectContaining({ memberId: w.people.memberA, fromDate: '2026-07-01', toDate: null }),
    ]);
    expect(handed.json().holder.memberId).toBe(w.people.memberA);
    const overlap = await call(w.sessions.secA, 'POST', `/vanguard-posts/${postId}/holders`, { memberId: w.people.leaderA2, fromDate: '2026-03-01', toDate: '2026-04-01' });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().code).toBe('RULE_VIOLATION');
    const outside = await call(w.sessions.secA, 'POST', `/vanguard-posts/${postId}/holders`, { memberId: w.people.leaderB });
    expect(outside.statusCode).toBe(404);
  });

  it('ends the current term, then retires the post', async () => {
    // The last day is included: ending yesterday leaves the post vacant today.
    const ended = await call(w.sessions.secA, 'POST', `/vanguard-posts/${postId}/end`, { toDate: '2026-11-24', reason: '外出务工' });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ held: false, holder: null, closedOn: null });
    expect((await call(w.sessions.secA, 'POST', `/vanguard-posts/${postId}/end`, {})).statusCode).toBe(409);
    const retired = await call(w.sessions.secA, 'POST', `/vanguard-posts/${postId}/end`, { closePost: true });
    expect(retired.json().closedOn).toBe('2026-11-25');
    expect((await call(w.sessions.secA, 'POST', `/vanguard-posts/${postId}/holders`, { memberId: w.people.leaderA })).statusCode).toBe(409);
    const mine = await call(w.sessions.leaderA, 'GET', '/me/volunteering');
    expect(mine.json().posts).toEqual([expect.objectContaining({ postId, title: '安全驾驶先锋岗', fromDate: '2026-01-01', toDate: '2026-06-30' })]);
  });

  it('records a worker as a grid member, refuses an overlapping one, lists them audited, and ends them', async () => {
    const role = { workerId: w.people.driver, communityName: '玉林社区', cityCode: '510107', gridName: '玉林北路网格', gridNumber: '07', roleTitle: 'part_time_grid_member', fromDate: '2026-05-01' };
    const created = await call(w.sessions.secA, 'POST', '/grid-roles', role);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ name: '王海涛', unitId: w.branchA.id, cityName: expect.any(String), toDate: null });
    expect((await call(w.sessions.secA, 'POST', '/grid-roles', { ...role, fromDate: '2026-09-01' })).statusCode).toBe(409);
    const badCity = await call(w.sessions.secA, 'POST', '/grid-roles', { ...role, cityCode: '999999', gridName: '另一网格' });
    expect(badCity.statusCode).toBe(400);
    expect(badCity.json().errors[0].field).toBe('body.cityCode');
    expect((await call(w.sessions.secB, 'POST', '/grid-roles', { ...role, gridName: '另一网格' })).statusCode).toBe(404);

    const list = await call(w.sessions.secA, 'GET', `/grid-roles?unitId=${w.branchA.id}`);
    expect(list.json().items).toEqual([expect.objectContaining({ workerId: w.people.driver, name: '王海涛', roleTitle: 'part_time_grid_member' })]);
    expect(await auditRows('grid_role.list_read')).toHaveLength(1);
    expect((await call(w.sessions.analyst, 'GET', `/grid-roles?unitId=${w.branchA.id}`)).statusCode).toBe(403);
    expect((await call(w.sessions.secB, 'GET', `/grid-roles?unitId=${w.branchA.id}`)).statusCode).toBe(404);

    const mine = await call(w.sessions.driver, 'GET', '/me/volunteering');
    expect(mine.json().gridRoles).toEqual([expect.objectContaining({ communityName: '玉林社区', toDate: null })]);

    const ended = await call(w.sessions.secA, 'POST', `/grid-roles/${created.json().id as number}/end`, { toDate: '2026-11-20', reason: '换到外地跑车' });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().toDate).toBe('2026-11-20');
    expect((await call(w.sessions.secA, 'POST', `/grid-roles/${created.json().id as number}/end`, {})).statusCode).toBe(409);
    expect((await call(w.sessions.secA, 'GET', `/grid-roles?unitId=${w.branchA.id}`)).json().items).toEqual([]);
    expect((await auditRows('grid_role.end')).map((a) => a.userId)).toEqual([w.users.secA]);
  });
});
