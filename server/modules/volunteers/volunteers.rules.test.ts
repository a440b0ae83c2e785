import { describe, expect, it } from 'vitest';
import type { Actor, Grant } from '../../core/scope.js';
import {
  foldLedger,
  holderOn,
  hoursRefusal,
  isSamePerson,
  ledgerPeriod,
  lineOf,
  mayIdentify,
  mayJoin,
  namesOnly,
  periodsOverlap,
  planHandover,
  revokeAccess,
  rosterReadAccess,
  rosterWriteAccess,
  serviceDateRefusal,
  teamManageAccess,
  toHalfHours,
  verifyAccess,
  type Viewer,
} from './volunteers.rules.js';

const actorWith = (grants: Grant[]): Actor => ({ userId: 1, username: 'u', displayName: 'u', locale: 'zh-CN', grants, sessionId: 's', sessionKind: 'cookie', csrfToken: 'c' });
const viewer = (grants: Grant[], link: { workerId?: number; memberId?: number } = {}): Viewer => ({ actor: actorWith(grants), workerId: link.workerId ?? null, memberId: link.memberId ?? null });

// Sichuan /1/, Chengdu committee /1/2/, branch A /1/2/3/, branch B /1/2/4/.
const team = { unitPath: '/1/2/3/', leaderMemberId: 70 };
const secretaryA = viewer([{ role: 'branch_secretary', unitId: 3, unitPath: '/1/2/3/' }]);
const secretaryB = viewer([{ role: 'branch_secretary', unitId: 4, unitPath: '/1/2/4/' }]);
const leader = viewer([{ role: 'member', unitId: 3, unitPath: '/1/2/3/' }], { memberId: 70 });
const otherLeaderSameBranch = viewer([{ role: 'member', unitId: 3, unitPath: '/1/2/3/' }], { memberId: 71 });
const otherLeaderOtherBranch = viewer([{ role: 'member', unitId: 4, unitPath: '/1/2/4/' }], { memberId: 72 });
const analyst = viewer([{ role: 'analyst', unitId: 2, unitPath: '/1/2/' }]);
const record = { workerId: 500, memberId: null };

describe('scope: who sees names, manages and verifies', () => {
  it('shows the roster to the leader and to staff who read people there, and hides it from other branches', () => {
    expect(rosterReadAccess(leader, team)).toBe('allowed');
    expect(rosterReadAccess(secretaryA, team)).toBe('allowed');
    expect(rosterReadAccess(secretaryB, team)).toBe('out_of_scope');
    expect(rosterReadAccess(analyst, team)).toBe('forbidden');
  });

  it('lets staff tell workers from members on the roster, and the leader see names only', () => {
    expect(mayIdentify(secretaryA, team)).toBe(true);
    expect(mayIdentify(leader, team)).toBe(false);
    expect(namesOnly({ workerId: null, memberId: 7, name: '李秀英' })).toEqual({ workerId: null, memberId: null, name: '李秀英' });
  });

  it('lets the leader and the unit’s staff change the roster; only staff manage the team itself', () => {
    expect(rosterWriteAccess(leader, team)).toBe('allowed');
    expect(teamManageAccess(leader, team)).toBe('forbidden');
    expect(teamManageAccess(secretaryA, team)).toBe('allowed');
    expect(teamManageAccess(secretaryB, team)).toBe('out_of_scope');
  });

  it('lets the leader verify others’ records of the team, without any staff grant', () => {
    expect(verifyAccess(viewer([], { memberId: 70 }), team, record)).toBe('allowed');
    expect(verifyAccess(secretaryA, team, record)).toBe('allowed');
  });

  it('refuses a leader of another team: 403 within their reach, 404 beyond it', () => {
    expect(verifyAccess(otherLeaderSameBranch, team, record)).toBe('forbidden');
    expect(verifyAccess(otherLeaderOtherBranch, team, record)).toBe('out_of_scope');
    expect(verifyAccess(analyst, team, record)).toBe('forbidden');
  });

  it('lets nobody verify their own record, leader or staff', () => {
    expect(verifyAccess(leader, team, { workerId: null, memberId: 70 })).toBe('own_record');
    expect(verifyAccess(viewer([{ role: 'branch_secretary', unitId: 3, unitPath: '/1/2/3/' }], { workerId: 500 }), team, record)).toBe('own_record');
    expect(isSamePerson({ workerId: null, memberId: null }, { workerId: null, memberId: null })).toBe(false);
  });

  it('keeps revocation for staff: the leader already had their say', () => {
    expect(revokeAccess(leader, team)).toBe('forbidden');
    expect(revokeAccess(secretaryA, team)).toBe('allowed');
    expect(revokeAccess(secretaryB, team)).toBe('out_of_scope');
  });

  it('opens a team to the people of the units above and below it, not to a sibling branch', () => {
    expect(mayJoin('/1/2/3/', '/1/2/3/')).toBe(true);
    expect(mayJoin('/1/2/3/9/', '/1/2/3/')).toBe(true);
    expect(mayJoin('/1/2/3/', '/1/2/')).toBe(true);
    expect(mayJoin('/1/2/', '/1/2/3/')).toBe(true);
    expect(mayJoin('/1/2/4/', '/1/2/3/')).toBe(false);
    expect(mayJoin(null, '/1/2/3/')).toBe(false);
    expect(lineOf('/1/2/3/')).toEqual(['/1/', '/1/2/', '/1/2/3/']);
  });
});

describe('hours', () => {
  it('takes half an hour to twelve in half-hour steps', () => {
    for (const ok of [0.5, 1, 2.5, 12]) expect(hoursRefusal(ok)).toBeNull();
    expect(hoursRefusal(0)?.en).toContain('at least');
    expect(hoursRefusal(13)?.en).toContain('at most');
    expect(hoursRefusal(1.3)?.en).toContain('steps');
    expect(hoursRefusal(-1)).not.toBeNull();
    expect(hoursRefusal(Number.NaN)).not.toBeNull();
    expect(toHalfHours(2.5)).toBe(5);
    expect(() => toHalfHours(1.3)).toThrow(RangeError);
  });

  it('takes service dates from the team’s founding to today, within a year', () => {
    const t = { foundedOn: '2026-01-01', closedOn: null };
    expect(serviceDateRefusal('2026-11-25', '2026-11-25', t)).toBeNull();
    expect(serviceDateRefusal('2026-11-26', '2026-11-25', t)?.en).toContain('future');
    expect(serviceDateRefusal('2025-12-31', '2026-11-25', t)?.en).toContain('founded');
    expect(serviceDateRefusal('2026-06-02', '2026-11-25', { foundedOn: '2026-01-01', closedOn: '2026-06-01' })?.en).toContain('closed');
    expect(serviceDateRefusal('2025-11-01', '2026-11-25', { foundedOn: '2020-01-01', closedOn: null })?.en).toContain('year');
  });
});

describe('periods', () => {
  it('sees overlap of closed and open periods, both ends included', () => {
    expect(periodsOverlap({ from: '2026-01-01', to: '2026-03-31' }, { from: '2026-03-31', to: null })).toBe(true);
    expect(periodsOverlap({ from: '2026-01-01', to: '2026-03-31' }, { from: '2026-04-01', to: null })).toBe(false);
    expect(periodsOverlap({ from: '2026-01-01', to: null }, { from: '2025-01-01', to: '2025-12-31' })).toBe(false);
    expect(periodsOverlap({ from: '2026-01-01', to: null }, { from: '2027-01-01', to: null })).toBe(true);
  });

  it('hands a post over the day before the new term, and refuses any other overlap', () => {
    const terms = [
      { id: 1, from: '2025-01-01', to: '2025-12-31' },
      { id: 2, from: '2026-01-01', to: null },
    ];
    expect(planHandover(terms, { from: '2026-07-01', to: null })).toEqual({ end: { id: 2, on: '2026-06-30' } });
    expect(planHandover(terms, { from: '2025-06-01', to: '2025-08-01' })).toHaveProperty('refusal');
    expect(planHandover(terms, { from: '2026-01-01', to: null })).toHaveProperty('refusal');
    expect(planHandover([], { from: '2026-07-01', to: '2026-06-01' })).toHaveProperty('refusal');
    expect(planHandover(terms.slice(0, 1), { from: '2026-01-01', to: null })).toEqual({ end: null });
  });

  it('finds who holds a post on a day', () => {
    const terms = [
      { id: 1, fromDate: '2025-01-01', toDate: '2025-12-31' },
      { id: 2, fromDate: '2026-03-01', toDate: null },
    ];
    expect(holderOn(terms, '2025-12-31')?.id).toBe(1);
    expect(holderOn(terms, '2026-02-01')).toBeNull();
    expect(holderOn(terms, '2026-11-25')?.id).toBe(2);
  });

  it('defaults the ledger to the year up to today and refuses a backwards period', () => {
    expect(ledgerPeriod({}, '2026-11-25')).toEqual({ from: '2025-11-25', to: '2026-11-25' });
    expect(ledgerPeriod({ from: '2026-11-01', to: '2026-10-01' }, '2026-11-25')).toHaveProperty('refusal');
  });
});

describe('the ledger', () => {
  it('counts verified hours, shows pending apart, leaves rejected out, and sums per team, person and unit', () => {
    const { total, teams, people } = foldLedger([
      { teamId: 1, workerId: 10, memberId: null, status: 'verified', halfHours: 5, records: 2 },
      { teamId: 1, workerId: 10, memberId: null, status: 'pending', halfHours: 2, records: 1 },
      { teamId: 2, workerId: 10, memberId: null, status: 'verified', halfHours: 4, records: 1 },
      { teamId: 1, workerId: null, memberId: 7, status: 'verified', halfHours: 8, records: 1 },
      { teamId: 2, workerId: 11, memberId: null, status: 'pending', halfHours: 3, records: 1 },
      { teamId: 2, workerId: 12, memberId: null, status: 'rejected', halfHours: 24, records: 1 },
    ]);
    expect(total).toEqual({ verifiedHours: 8.5, pendingHours: 2.5, verifiedRecords: 4, pendingRecords: 2, volunteers: 2 });
    expect(teams.get(1)).toEqual({ verifiedHours: 6.5, pendingHours: 1, verifiedRecords: 3, pendingRecords: 1, volunteers: 2 });
    expect(teams.get(2)).toEqual({ verifiedHours: 2, pendingHours: 1.5, verifiedRecords: 1, pendingRecords: 1, volunteers: 1 });
    expect(people.map((p) => [p.workerId, p.memberId, p.verifiedHours, p.teams])).toEqual([
      [10, null, 4.5, 2],
      [null, 7, 4, 1],
      [11, null, 0, 1],
    ]);
  });
});
