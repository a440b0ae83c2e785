import { beforeAll, expect, it } from 'vitest';
import { sensitiveCodec } from '../../core/sensitive.js';
import type { Member, OrgUnit } from '../../db/tables.js';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildTwoProvinces, buildUnit } from '../org/org.factory.js';
import { buildMember } from './members.factory.js';
import { isUniqueViolation } from '../../db/engine.js';

const PASSWORD = 'correct-horse-battery';
// The harness app runs with CONVOY_SECRET = 'x' × 40; rows built here must decrypt there.
const codec = sensitiveCodec('x'.repeat(40));

describeEachEngine('member transfers', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let shenzhenBranch: OrgUnit;
  let sending: Session;
  let receiving: Session;
  let outsider: Session;
  const members: Record<string, Member> = {};

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    shenzhenBranch = await buildUnit(ctx.db, { parent: world.shenzhen, kind: 'mobile_branch', name: '深圳货运流动党员党支部', platformId: world.platform.id, cityCode: '440300' });
    await ctx.createUser({ username: 'sending', password: PASSWORD, displayName: '转出书记', grants: [{ role: 'branch_secretary', unitId: world.branchA.id }] });
    await ctx.createUser({ username: 'receiving', password: PASSWORD, displayName: '转入书记', grants: [{ role: 'branch_secretary', unitId: world.branchB.id }] });
    await ctx.createUser({ username: 'outsider', password: PASSWORD, displayName: '深圳书记', grants: [{ role: 'branch_secretary', unitId: shenzhenBranch.id }] });
    sending = await ctx.login('sending', PASSWORD);
    receiving = await ctx.login('receiving', PASSWORD);
    outsider = await ctx.login('outsider', PASSWORD);
    for (const name of ['刘洋', '陈静', '赵磊', '孙丽']) members[name] = await buildMember(ctx.db, codec, { unit: world.branchA, name });
  });

  const post = (session: Session, url: string, payload?: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: session.headers, ...(payload ? { payload } : {}) });
  const request = (memberId: number, toUnitId = world.branchB.id) => post(sending, '/member-transfers', { memberId, toUnitId, reason: '工作地点变动' });
  const names = async (session: Session) => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/members', headers: session.headers });
    return response.json<{ items: { name: string }[] }>().items.map((m) => m.name);
  };

  it('runs requested → approved → done, moving the member at acceptance and ending their old terms', async () => {
    const member = members['刘洋']!;
    const role = await post(sending, `/members/${member.id}/roles`, { unitId: world.branchA.id, role: 'committee_member', fromDate: '2024-01-01' });
    expect(role.statusCode, role.body).toBe(201);

    const requested = await request(member.id);
    expect(requested.statusCode, requested.body).toBe(201);
    const transfer = requested.json<{ id: number }>();
    expect(requested.json()).toMatchObject({ status: 'requested', fromUnitId: world.branchA.id, toUnitId: world.branchB.id, requestedAt: '2026-11-25T02:00:00.000Z', approvedAt: null });

    // The receiving side may not accept before the sending side approves, nor approve for it.
    const early = await post(receiving, `/member-transfers/${transfer.id}/accept`);
    expect(early.statusCode).toBe(409);
    expect(early.headers['content-type']).toContain('application/problem+json');
    expect((await post(receiving, `/member-transfers/${transfer.id}/approve`)).statusCode).toBe(403);
    expect((await request(member.id)).statusCode).toBe(409);

    ctx.clock.advance(3600_000);
    const approved = await post(sending, `/member-transfers/${transfer.id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', approvedAt: '2026-11-25T03:00:00.000Z' });
    expect((await post(sending, `/member-transfers/${transfer.id}/accept`)).statusCode).toBe(403);
    // Still hosted by the sending branch until the receiving one accepts.
    expect(await names(sending)).toContain('刘洋');
    expect(await names(receiving)).not.toContain('刘洋');

    ctx.clock.advance(3600_000);
    const accepted = await post(receiving, `/member-transfers/${transfer.id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'done', acceptedAt: '2026-11-25T04:00:00.000Z', doneAt: '2026-11-25T04:00:00.000Z' });

    // Never in two branches, never in none: exactly one host, the receiving branch.
    expect(await names(receiving)).toContain('刘洋');
    expect(await names(sending)).not.toContain('刘洋');
    const row = await ctx.db.selectFrom('members').select(['unitId', 'unitPath']).where('id', '=', member.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ unitId: world.branchB.id, unitPath: world.branchB.path });
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/members/${member.id}`, headers: sending.headers })).statusCode).toBe(404);

    const detail = await ctx.app.inject({ method: 'GET', url: `/api/v1/members/${member.id}`, headers: receiving.headers });
    expect(detail.json()).toMatchObject({ unitId: world.branchB.id, transfers: [{ id: transfer.id, status: 'done' }], roles: [{ role: 'committee_member', toDate: '2026-11-25' }] });
    expect((await post(receiving, `/member-transfers/${transfer.id}/reject`, { reason: '太晚' })).statusCode).toBe(409);

    const audit = await ctx.db.selectFrom('auditLog').select(['action', 'at']).where('entityType', '=', 'member_transfer').where('entityId', '=', String(transfer.id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['member_transfer.request', 'member_transfer.approve', 'member_transfer.accept']);
  });

  it('lets the sending side reject a request, and the receiving side reject an approved one, with a reason', async () => {
    const first = (await request(members['陈静']!.id)).json<{ id: number }>();
    const rejected = await post(sending, `/member-transfers/${first.id}/reject`, { reason: '本人撤回申请' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', rejectReason: '本人撤回申请', rejectedAt: expect.any(String) });
    expect((await post(sending, `/member-transfers/${first.id}/approve`)).statusCode).toBe(409);

    const second = (await request(members['赵磊']!.id)).json<{ id: number }>();
    expect((await post(sending, `/member-transfers/${second.id}/approve`)).statusCode).toBe(200);
    expect((await post(sending, `/member-transfers/${second.id}/reject`, { reason: 'x' })).statusCode).toBe(403);
    const refused = await post(receiving, `/member-transfers/${second.id}/reject`, { reason: '接收支部无法联系本人' });
    expect(refused.json()).toMatchObject({ status: 'rejected', rejectReason: '接收支部无法联系本人' });
    expect(await names(sending)).toEqual(expect.arrayContaining(['陈静', '赵磊']));
    // Once rejected, the transfer is closed and a new one may start.
    expect((await request(members['赵磊']!.id)).statusCode).toBe(201);
  });

  it('refuses a transfer to a unit that is not a mobile branch, or to the same branch', async () => {
    const toGroup = await request(members['孙丽']!.id, world.groupA.id);
    expect(toGroup.statusCode).toBe(409);
    expect(toGroup.json().code).toBe('RULE_VIOLATION');
    expect((await request(members['孙丽']!.id, world.branchA.id)).statusCode).toBe(409);
  });

  it('lists outgoing and incoming transfers for the units in scope only, and hides them from everyone else', async () => {
    const list = async (session: Session, query: string) => {
      const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/member-transfers?${query}`, headers: session.headers });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ items: { memberName: string; status: string }[] }>().items;
    };
    expect((await list(sending, 'direction=outgoing')).map((t) => `${t.memberName}:${t.status}`)).toEqual(['赵磊:requested', '赵磊:rejected', '陈静:rejected', '刘洋:done']);
    expect((await list(sending, 'direction=incoming')).length).toBe(0);
    expect((await list(receiving, 'direction=incoming&status=requested')).map((t) => t.memberName)).toEqual(['赵磊']);
    expect(await list(outsider, 'direction=outgoing')).toEqual([]);
    expect(await list(outsider, 'direction=incoming')).toEqual([]);
    const open = await ctx.db.selectFrom('memberTransfers').select('id').where('status', '=', 'requested').executeTakeFirstOrThrow();
    expect((await post(outsider, `/member-transfers/${open.id}/approve`)).statusCode).toBe(404);
    const get = (session: Session) => ctx.app.inject({ method: 'GET', url: `/api/v1/member-transfers/${open.id}`, headers: session.headers });
    expect((await get(receiving)).json()).toMatchObject({ id: open.id, status: 'requested', memberName: '赵磊' });
    expect((await get(outsider)).statusCode).toBe(404);
    expect((await post(outsider, '/member-transfers', { memberId: members['孙丽']!.id, toUnitId: shenzhenBranch.id, reason: '抢人' })).statusCode).toBe(404);
  });

  it('has the database refuse a second open transfer and a second secretary, so racing requests cannot both land', async () => {
    const open = await ctx.db.selectFrom('memberTransfers').select(['memberId', 'fromUnitId', 'toUnitId']).where('status', '=', 'requested').executeTakeFirstOrThrow();
    const second = ctx.db
      .insertInto('memberTransfers')
      .values({ ...open, status: 'approved', reason: '并发', requestedAt: '2026-11-25T05:00:00.000Z', requestedBy: null })
      .execute();
    await expect(second).rejects.toSatisfy(isUniqueViolation);
    const secretaryRow = { unitId: world.branchA.id, role: 'secretary' as const, fromDate: '2026-01-01', toDate: null };
    await ctx.db.insertInto('memberRoles').values({ ...secretaryRow, memberId: members['孙丽']!.id }).execute();
    await expect(ctx.db.insertInto('memberRoles').values({ ...secretaryRow, memberId: members['陈静']!.id }).execute()).rejects.toSatisfy(isUniqueViolation);
  });
});
