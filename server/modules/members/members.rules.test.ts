import { describe, expect, it } from 'vitest';
import { normalizeIdCard } from '../../core/sensitive.js';
import { testIdCard, withCheckCharacter } from './members.factory.js';
import { hostRefusal, isOpenTransfer, isRefusal, roleEndRefusal, roleRefusal, transferMove, transferRequestRefusal } from './members.rules.js';

describe('transfer state machine', () => {
  it('walks requested → approved (sending side) → done (receiving side)', () => {
    expect(transferMove('requested', 'approve')).toEqual({ to: 'approved', side: 'sending' });
    expect(transferMove('approved', 'accept')).toEqual({ to: 'done', side: 'receiving' });
  });

  it('lets each side reject only its own step', () => {
    expect(transferMove('requested', 'reject')).toEqual({ to: 'rejected', side: 'sending' });
    expect(transferMove('approved', 'reject')).toEqual({ to: 'rejected', side: 'receiving' });
  });

  it('refuses every other transition with a reason in both languages', () => {
    for (const [status, step] of [
      ['requested', 'accept'],
      ['approved', 'approve'],
      ['done', 'reject'],
      ['done', 'accept'],
      ['rejected', 'approve'],
      ['rejected', 'reject'],
    ] as const) {
      const move = transferMove(status, step);
      expect(isRefusal(move), `${status} ${step}`).toBe(true);
      expect(move).toMatchObject({ zh: expect.any(String), en: expect.stringContaining('cannot be') });
    }
  });

  it('counts only requested and approved as open', () => {
    expect(['requested', 'approved', 'accepted', 'done', 'rejected'].filter((s) => isOpenTransfer(s as never))).toEqual(['requested', 'approved']);
  });

  it('refuses a second open transfer, a transfer to the same branch, and to anything but an open mobile branch', () => {
    const branch = { id: 2, kind: 'mobile_branch' as const, closedOn: null };
    expect(transferRequestRefusal({ fromUnitId: 1, toUnit: branch, hasOpenTransfer: false })).toBeNull();
    expect(transferRequestRefusal({ fromUnitId: 1, toUnit: branch, hasOpenTransfer: true })?.en).toMatch(/under way/);
    expect(transferRequestRefusal({ fromUnitId: 2, toUnit: branch, hasOpenTransfer: false })?.en).toMatch(/already hosted/);
    expect(transferRequestRefusal({ fromUnitId: 1, toUnit: { ...branch, kind: 'group' }, hasOpenTransfer: false })?.en).toMatch(/mobile branch/);
    expect(transferRequestRefusal({ fromUnitId: 1, toUnit: { ...branch, closedOn: '2026-01-01' }, hasOpenTransfer: false })?.en).toMatch(/closed/);
  });
});

describe('hosting and roles', () => {
  it('hosts members in open mobile branches only', () => {
    expect(hostRefusal({ kind: 'mobile_branch', closedOn: null })).toBeNull();
    expect(hostRefusal({ kind: 'platform_committee', closedOn: null })).not.toBeNull();
  });

  const base = { unit: { kind: 'mobile_branch' as const, path: '/1/5/', closedOn: null }, branchPath: '/1/5/', openSameRole: false, heldByAnother: false };

  it('allows one open secretary per branch, but many committee members', () => {
    expect(roleRefusal({ ...base, role: 'secretary' })).toBeNull();
    expect(roleRefusal({ ...base, role: 'secretary', heldByAnother: true })?.en).toMatch(/already has a secretary/);
    expect(roleRefusal({ ...base, role: 'committee_member', heldByAnother: true })).toBeNull();
    expect(roleRefusal({ ...base, role: 'deputy_secretary', openSameRole: true })?.en).toMatch(/already holds/);
  });

  it('places branch roles in the member’s branch and group leaders in one of its groups', () => {
    expect(roleRefusal({ ...base, role: 'secretary', unit: { ...base.unit, path: '/1/6/' } })?.en).toMatch(/own branch/);
    expect(roleRefusal({ ...base, role: 'group_leader', unit: { kind: 'group', path: '/1/5/9/', closedOn: null } })).toBeNull();
    expect(roleRefusal({ ...base, role: 'group_leader', unit: { kind: 'group', path: '/1/6/9/', closedOn: null } })?.en).toMatch(/group of/);
    expect(roleRefusal({ ...base, role: 'group_leader' })?.en).toMatch(/group of/);
  });

  it('ends a term once, never before it began', () => {
    expect(roleEndRefusal({ fromDate: '2026-01-01', toDate: null }, '2026-06-30')).toBeNull();
    expect(roleEndRefusal({ fromDate: '2026-01-01', toDate: null }, '2025-12-31')?.en).toMatch(/before/);
    expect(roleEndRefusal({ fromDate: '2026-01-01', toDate: '2026-03-01' }, '2026-06-30')?.en).toMatch(/already ended/);
  });
});

describe('test ID numbers', () => {
  it('computes the GB 11643 check character, X included', () => {
    // The standard's worked example.
    expect(withCheckCharacter('11010519491231002')).toBe('11010519491231002X');
    for (let n = 0; n < 50; n++) expect(normalizeIdCard(testIdCard(n))).toBe(testIdCard(n));
  });
});
