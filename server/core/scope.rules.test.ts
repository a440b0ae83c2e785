import { describe, expect, it } from 'vitest';
import { type Actor, authorize, type Grant, scopePaths } from './scope.js';

const actorWith = (...grants: Grant[]): Actor => ({
  userId: 1,
  username: 'u',
  displayName: 'U',
  locale: 'zh-CN',
  grants,
  sessionId: 's',
  sessionKind: 'cookie',
  csrfToken: 'c',
});

const sichuan = '/1/';
const chengdu = '/1/2/';
const branch = '/1/2/5/';
const group = '/1/2/5/9/';
const guangdong = '/20/';

describe('authorize', () => {
  it('lets a system admin do anything anywhere', () => {
    const admin = actorWith({ role: 'system_admin', unitId: null, unitPath: null });
    expect(authorize(admin, 'org.restructure', guangdong)).toBe('allowed');
    expect(authorize(admin, 'audit.read', null)).toBe('allowed');
  });

  it('keeps an org admin inside the subtree of the granted unit', () => {
    const admin = actorWith({ role: 'org_admin', unitId: 1, unitPath: sichuan });
    expect(authorize(admin, 'org.write', branch)).toBe('allowed');
    expect(authorize(admin, 'org.read', guangdong)).toBe('out_of_scope');
  });

  it('does not take a prefix of digits for an ancestor (/1/ does not cover /12/)', () => {
    const admin = actorWith({ role: 'org_admin', unitId: 1, unitPath: '/1/' });
    expect(authorize(admin, 'org.read', '/12/')).toBe('out_of_scope');
  });

  it('lets a secretary restructure what is beneath the branch but not the branch itself', () => {
    const secretary = actorWith({ role: 'branch_secretary', unitId: 5, unitPath: branch });
    expect(authorize(secretary, 'org.restructure', group)).toBe('allowed');
    expect(authorize(secretary, 'org.restructure', branch)).toBe('forbidden');
    expect(authorize(secretary, 'org.write', branch)).toBe('allowed');
    expect(authorize(secretary, 'org.read', chengdu)).toBe('out_of_scope');
  });

  it('lets workers, members and analysts read but never write', () => {
    for (const role of ['worker', 'member', 'analyst'] as const) {
      const actor = actorWith({ role, unitId: 5, unitPath: branch });
      expect(authorize(actor, 'org.read', group)).toBe('allowed');
      expect(authorize(actor, 'org.write', group)).toBe('forbidden');
    }
  });

  it('refuses system-wide actions to everyone but system admins', () => {
    const admin = actorWith({ role: 'org_admin', unitId: 1, unitPath: sichuan });
    expect(authorize(admin, 'audit.read', null)).toBe('forbidden');
    expect(authorize(actorWith(), 'audit.read', null)).toBe('out_of_scope');
  });

  it('combines grants: the strongest grant that reaches the unit decides', () => {
    const actor = actorWith({ role: 'worker', unitId: 5, unitPath: branch }, { role: 'org_admin', unitId: 2, unitPath: chengdu });
    expect(authorize(actor, 'org.restructure', branch)).toBe('allowed');
  });
});

describe('scopePaths', () => {
  it('drops subtrees already covered by another grant', () => {
    const actor = actorWith({ role: 'member', unitId: 5, unitPath: branch }, { role: 'org_admin', unitId: 1, unitPath: sichuan }, { role: 'analyst', unitId: 20, unitPath: guangdong });
    expect(scopePaths(actor, 'org.read')).toEqual([sichuan, guangdong]);
    expect(scopePaths(actor, 'org.write')).toEqual([sichuan]);
  });

  it('is everything for a system admin', () => {
    expect(scopePaths(actorWith({ role: 'system_admin', unitId: null, unitPath: null }), 'org.read')).toBe('all');
  });
});
