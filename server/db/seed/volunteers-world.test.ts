import { createHash } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { sensitiveCodec } from '../../core/sensitive.js';
import { TEST_NOW, describeEachEngine } from '../../test/harness.js';
import { DEMO_PASSWORD } from './demo-accounts.js';
import { type SeedSummary, seedDemo } from './seed-demo.js';
import type { VolunteersSummary } from './volunteers-world.js';

// The demo volunteering on both engines: the same rows from the same seed, rules the server keeps (a
// member leads every team, one place per person, hours in range, one holder per post at a time), and
// the demo driver's own page showing his hours.
const codec = sensitiveCodec('volunteers-world test secret, 32+ characters long');
const digests = new Map<string, string>();
const today = '2026-11-25';

describeEachEngine('the demo volunteering', (ctx) => {
  // The volunteers step adds its counts to the summary (seed-demo.ts's type lists the earlier steps').
  let summary: SeedSummary & VolunteersSummary;

  beforeAll(async () => {
    // Only the steps volunteering builds on: the others have their own tests.
    summary = (await seedDemo(ctx.db, { now: new Date(TEST_NOW), codec, skip: ['activities', 'appeals', 'stations'] })) as SeedSummary & VolunteersSummary;
  }, 120_000);

  it('seeds a few dozen teams with rosters, months of records, posts and grid roles, the same on both engines', async () => {
    expect(summary.volunteerTeams).toBeGreaterThanOrEqual(20);
    expect(summary.volunteerTeams).toBeLessThanOrEqual(48);
    expect(summary.serviceRecords).toBeGreaterThan(500);
    expect(summary.vanguardPosts).toBeGreaterThan(20);
    expect(summary.gridRoles).toBeGreaterThan(10);
    const teams = await ctx.db.selectFrom('volunteerTeams').select(['id', 'unitId', 'name', 'leaderMemberId', 'foundedOn']).orderBy('id').execute();
    const records = await ctx.db.selectFrom('serviceRecords').select(['teamId', 'workerId', 'memberId', 'serviceDate', 'halfHours', 'status', 'description']).orderBy('id').execute();
    const digest = createHash('sha256').update(JSON.stringify([teams, records])).digest('hex');
    const other = [...digests.values()][0];
    if (other !== undefined) expect(digest).toBe(other);
    digests.set(ctx.engine, digest);
    expect(new Set(teams.map((t) => t.name)).size).toBe(teams.length);
  });

  it('has a member lead every team, on the roster as its leader, with mostly non-members as volunteers', async () => {
    const teams = await ctx.db.selectFrom('volunteerTeams').select(['id', 'leaderMemberId']).execute();
    const leaders = await ctx.db.selectFrom('volunteerTeamMembers').select(['teamId', 'memberId']).where('role', '=', 'leader').where('leftOn', 'is', null).execute();
    expect(leaders.map((l) => [l.teamId, l.memberId]).sort()).toEqual(teams.map((t) => [t.id, t.leaderMemberId]).sort());
    const roster = await ctx.db.selectFrom('volunteerTeamMembers').select(['workerId', 'memberId', 'joinedOn', 'leftOn']).where('role', '=', 'volunteer').execute();
    const workers = roster.filter((r) => r.workerId !== null).length;
    expect(workers / roster.length).toBeGreaterThan(0.7);
    expect(roster.every((r) => r.leftOn === null || (r.leftOn > r.joinedOn && r.leftOn < today))).toBe(true);
  });

  it('keeps records within the rules: 0.5 to 12 hours, on or after joining, not in the future, mostly verified', async () => {
    const rows = await ctx.db
      .selectFrom('serviceRecords as s')
      .innerJoin('volunteerTeamMembers as r', (join) => join.onRef('r.teamId', '=', 's.teamId').on((eb) => eb.or([eb('r.workerId', '=', eb.ref('s.workerId')), eb('r.memberId', '=', eb.ref('s.memberId'))])))
      .select(['s.id', 's.serviceDate', 's.halfHours', 's.status', 's.verifiedAt', 's.rejectReason', 'r.joinedOn'])
      .execute();
    expect(new Set(rows.map((r) => r.id)).size).toBe(summary.serviceRecords);
    for (const r of rows) {
      expect(r.halfHours).toBeGreaterThanOrEqual(1);
      expect(r.halfHours).toBeLessThanOrEqual(24);
      expect(r.serviceDate >= r.joinedOn && r.serviceDate <= today).toBe(true);
      expect(r.status === 'pending' ? r.verifiedAt === null : r.verifiedAt !== null).toBe(true);
      expect(r.status === 'rejected').toBe(r.rejectReason !== null);
    }
    const verified = rows.filter((r) => r.status === 'verified').length;
    expect(verified / rows.length).toBeGreaterThan(0.7);
    expect(rows.some((r) => r.status === 'pending') && rows.some((r) => r.status === 'rejected')).toBe(true);
  });

  it('gives each vanguard post at most one holder on any day', async () => {
    const terms = await ctx.db.selectFrom('vanguardPostTerms').select(['postId', 'fromDate', 'toDate']).orderBy('postId').orderBy('fromDate').execute();
    for (let i = 1; i < terms.length; i++) {
      const [a, b] = [terms[i - 1]!, terms[i]!];
      if (a.postId === b.postId) expect(a.toDate !== null && a.toDate < b.fromDate).toBe(true);
    }
  });

  it('shows the demo driver his team and hours, and takes new teams after the seeded ones', async () => {
    const driver = await ctx.login('driver', DEMO_PASSWORD);
    const mine = await ctx.app.inject({ method: 'GET', url: '/api/v1/me/volunteering', headers: driver.headers });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().teams).toHaveLength(1);
    expect(mine.json().totals).toMatchObject({ verifiedHours: 9, pendingHours: 2, verifiedRecords: 4, pendingRecords: 1 });
    const branch = await ctx.login('branch', DEMO_PASSWORD);
    const teamId = mine.json().teams[0].teamId as number;
    const detail = await ctx.app.inject({ method: 'GET', url: `/api/v1/volunteer-teams/${teamId}`, headers: branch.headers });
    expect(detail.statusCode, detail.body).toBe(200);
    const unitId = detail.json().unitId as number;
    const leader = detail.json().leaderMemberId as number;
    const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/volunteer-teams', headers: branch.headers, payload: { unitId, name: '新成立的志愿服务队', leaderMemberId: leader } });
    expect(created.statusCode, created.body).toBe(201);
    const post = await ctx.app.inject({ method: 'POST', url: '/api/v1/vanguard-posts', headers: branch.headers, payload: { unitId, title: '新设的先锋岗', kind: 'other', duties: '带头诚信服务' } });
    expect(post.statusCode, post.body).toBe(201);
  });
});
