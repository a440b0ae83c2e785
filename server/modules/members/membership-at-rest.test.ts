import { beforeAll, expect, it } from 'vitest';
import { sensitiveCodec } from '../../core/sensitive.js';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildTwoProvinces } from '../org/org.factory.js';
import { testIdCard } from './members.factory.js';

const PASSWORD = 'correct-horse-battery';
// The harness app's secret: what the API stored must open with it, and only with it.
const codec = sensitiveCodec('x'.repeat(40));

// Membership details written through the API (a member, its update, a transfer and its refusal, a
// worker's declaration and its refusal) are stored only encrypted, and the API still answers them in clear.
describeEachEngine('membership details at rest', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let sending: Session;
  let receiving: Session;
  let driver: Session;
  const written = {
    joinDate: '2011-10-09',
    changedJoinDate: '2011-11-19',
    homeOrgText: '贵州省遵义市汇川区某村党支部',
    mobilityReason: '常年在外跑网约车',
    transferReason: '随配偶迁往外地工作',
    transferRefusal: '接收支部尚未确认本人住址',
    declaredHome: '湖北省黄冈市某镇机关党支部',
    declaredJoinDate: '2006-05-04',
    declarationRefusal: '原支部暂无此人档案',
  };

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    await ctx.createUser({ username: 'sending', password: PASSWORD, displayName: '转出书记', grants: [{ role: 'branch_secretary', unitId: world.branchA.id }] });
    await ctx.createUser({ username: 'receiving', password: PASSWORD, displayName: '转入书记', grants: [{ role: 'branch_secretary', unitId: world.branchB.id }] });
    sending = await ctx.login('sending', PASSWORD);
    receiving = await ctx.login('receiving', PASSWORD);
    const worker = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/workers',
      headers: sending.headers,
      payload: { name: '覃海', phone: '13811112222', platformId: world.platform.id, platformWorkerId: 'rest-1', workType: 'ride_hailing', vehicle: 'car', cityCode: '510100' },
    });
    expect(worker.statusCode, worker.body).toBe(201);
    const userId = await ctx.createUser({ username: 'driver', password: PASSWORD, displayName: '覃海', grants: [] });
    await ctx.db.updateTable('workers').set({ userId }).where('id', '=', worker.json<{ id: number }>().id).execute();
    driver = await ctx.login('driver', PASSWORD);
  });

  const call = async (session: Session, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) => {
    const response = await ctx.app.inject({ method, url: `/api/v1${url}`, headers: session.headers, ...(payload ? { payload } : {}) });
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    return response.json<Record<string, unknown> & { id: number }>();
  };

  it('stores none of them in clear, and answers all of them in clear', async () => {
    const member = await call(sending, 'POST', '/members', {
      name: '龙建', phone: '13922223333', gender: 'male', birthYear: 1984, idCard: testIdCard(31, 1984), joinDate: written.joinDate, status: 'full', unitId: world.branchA.id,
      isMobile: true, homeOrgText: written.homeOrgText, mobilityType: 'across_provinces', mobilityReason: written.mobilityReason,
    });
    expect(member).toMatchObject({ joinDate: written.joinDate, homeOrgText: written.homeOrgText, mobilityReason: written.mobilityReason });
    expect(await call(sending, 'PATCH', `/members/${member.id}`, { joinDate: written.changedJoinDate })).toMatchObject({ joinDate: written.changedJoinDate, homeOrgText: written.homeOrgText });
    const transfer = await call(sending, 'POST', '/member-transfers', { memberId: member.id, toUnitId: world.branchB.id, reason: written.transferReason });
    await call(sending, 'POST', `/member-transfers/${transfer.id}/approve`);
    expect(await call(receiving, 'POST', `/member-transfers/${transfer.id}/reject`, { reason: written.transferRefusal })).toMatchObject({ reason: written.transferReason, rejectReason: written.transferRefusal });
    const declaration = await call(driver, 'POST', '/me/member-declaration', { homeOrgText: written.declaredHome, joinDate: written.declaredJoinDate });
    expect(declaration).toMatchObject({ homeOrgText: written.declaredHome, joinDate: written.declaredJoinDate });
    await call(sending, 'POST', `/member-declarations/${declaration.id}/reject`, { reason: written.declarationRefusal });

    const listed = await call(sending, 'GET', '/members');
    expect(listed.items).toEqual([expect.objectContaining({ id: member.id, joinDate: written.changedJoinDate })]);
    expect(await call(sending, 'GET', `/members/${member.id}`)).toMatchObject({
      joinDate: written.changedJoinDate, homeOrgText: written.homeOrgText, mobilityReason: written.mobilityReason,
      transfers: [expect.objectContaining({ reason: written.transferReason, rejectReason: written.transferRefusal })],
    });
    expect(await call(driver, 'GET', '/me/member-declaration')).toMatchObject({ homeOrgText: written.declaredHome, joinDate: written.declaredJoinDate, decisionReason: written.declarationRefusal });

    const rows = {
      members: await ctx.db.selectFrom('members').selectAll().execute(),
      transfers: await ctx.db.selectFrom('memberTransfers').selectAll().execute(),
      declarations: await ctx.db.selectFrom('memberDeclarations').selectAll().execute(),
    };
    const raw = JSON.stringify(rows);
    for (const value of Object.values(written)) expect(raw).not.toContain(value);
    // Stored under the codec, not merely transformed: each opens with the key to what was written.
    const [stored] = rows.members;
    expect([stored!.joinDate, stored!.homeOrgText!, stored!.mobilityReason!].map((v) => codec.decrypt(v))).toEqual([written.changedJoinDate, written.homeOrgText, written.mobilityReason]);
    expect([rows.transfers[0]!.reason, rows.transfers[0]!.rejectReason!].map((v) => codec.decrypt(v))).toEqual([written.transferReason, written.transferRefusal]);
    expect([rows.declarations[0]!.homeOrgText, rows.declarations[0]!.joinDate, rows.declarations[0]!.decisionReason!].map((v) => codec.decrypt(v))).toEqual([written.declaredHome, written.declaredJoinDate, written.declarationRefusal]);
  });
});
