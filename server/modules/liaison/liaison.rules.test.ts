import { describe, expect, it } from 'vitest';
import { isOverdue, planAutoAssignment, share } from './liaison.rules.js';

describe('auto-assignment', () => {
  it('balances workers across the members of their own branch', () => {
    const members = [
      { memberId: 1, branchId: 10, target: 10, assigned: 4 },
      { memberId: 2, branchId: 10, target: 10, assigned: 0 },
      { memberId: 3, branchId: 20, target: 10, assigned: 0 },
    ];
    const workers = Array.from({ length: 6 }, (_, i) => ({ workerId: 100 + i, branchId: 10 }));
    const { assignments, leftOver } = planAutoAssignment(members, workers);
    const load = (id: number) => assignments.filter((a) => a.memberId === id).length;
    expect(load(1) + 4).toBe(load(2));
    expect(load(3)).toBe(0);
    expect(leftOver).toEqual([]);
  });

  it('never goes past a member’s target and never crosses branches', () => {
    const members = [{ memberId: 1, branchId: 10, target: 2, assigned: 1 }];
    const workers = [
      { workerId: 1, branchId: 10 },
      { workerId: 2, branchId: 10 },
      { workerId: 3, branchId: 99 },
    ];
    const { assignments, leftOver } = planAutoAssignment(members, workers);
    expect(assignments).toEqual([{ workerId: 1, memberId: 1 }]);
    expect(leftOver).toEqual([2, 3]);
  });
});

describe('contact figures', () => {
  it('counts a worker overdue after 30 days without contact, or never contacted', () => {
    expect(isOverdue('2026-10-26', '2026-11-25')).toBe(false);
    expect(isOverdue('2026-10-25', '2026-11-25')).toBe(true);
    expect(isOverdue(null, '2026-11-25')).toBe(true);
  });

  it('rounds shares to three places and treats nothing as zero', () => {
    expect(share(1, 3)).toBe(0.333);
    expect(share(0, 0)).toBe(0);
  });
});
