import { describe, expect, it } from 'vitest';
import {
  ancestorIdsOf,
  checkClose,
  checkMerge,
  checkMove,
  checkPlacement,
  checkSplit,
  depthOf,
  idsOnPath,
  pathOf,
  rebasePath,
  subtreeRange,
  type TreeNode,
  unitIdOf,
} from './org.rules.js';

const node = (id: number, path: string, kind: TreeNode['kind'], closedOn: string | null = null): TreeNode => ({ id, path, kind, closedOn, name: `unit ${id}` });

const province = node(1, '/1/', 'industry_committee');
const city = node(2, '/1/2/', 'industry_committee');
const platform = node(3, '/1/2/3/', 'platform_committee');
const branchA = node(4, '/1/2/3/4/', 'mobile_branch');
const branchB = node(5, '/1/2/3/5/', 'mobile_branch');
const groupA = node(6, '/1/2/3/4/6/', 'group');

describe('paths', () => {
  it('builds, measures and takes apart materialized paths', () => {
    expect(pathOf(null, 1)).toBe('/1/');
    expect(pathOf('/1/2/', 7)).toBe('/1/2/7/');
    expect(depthOf('/1/')).toBe(0);
    expect(depthOf('/1/2/3/')).toBe(2);
    expect(ancestorIdsOf('/1/2/3/')).toEqual([1, 2]);
    expect(idsOnPath('/1/2/3/')).toEqual([1, 2, 3]);
    expect(unitIdOf('/1/2/3/')).toBe(3);
    expect(unitIdOf('/1/')).toBe(1);
  });

  it('rebases a moved subtree', () => {
    expect(rebasePath('/1/2/3/4/6/', '/1/2/3/4/', '/1/9/4/')).toBe('/1/9/4/6/');
    expect(() => rebasePath('/7/', '/1/', '/2/1/')).toThrow();
  });

  it('has a subtree range that holds descendants and nothing else', () => {
    const { from, to } = subtreeRange('/1/2/');
    const inRange = (p: string) => p >= from && p < to;
    expect(inRange('/1/2/')).toBe(true);
    expect(inRange('/1/2/99999/1/')).toBe(true);
    expect(inRange('/1/20/')).toBe(false);
    expect(inRange('/1/3/')).toBe(false);
  });
});

describe('placement', () => {
  it('follows the kinds of the organization', () => {
    expect(checkPlacement('industry_committee', null)).toBeNull();
    expect(checkPlacement('mobile_branch', null)?.reason.en).toMatch(/must have a parent/);
    expect(checkPlacement('mobile_branch', platform)).toBeNull();
    expect(checkPlacement('group', branchA)).toBeNull();
    expect(checkPlacement('group', city)?.reason.zh).toBe('行业党委下不能设立党小组');
    expect(checkPlacement('mobile_branch', groupA)).not.toBeNull();
  });

  it('refuses a closed parent', () => {
    expect(checkPlacement('group', node(4, '/4/', 'mobile_branch', '2026-01-01'))?.reason.en).toMatch(/closed/);
  });
});

describe('move', () => {
  it('refuses to move a unit under itself or its own descendant', () => {
    expect(checkMove(branchA, groupA)).not.toBeNull();
    expect(checkMove(city, branchA)?.reason.en).toMatch(/under itself/);
  });

  it('allows a branch to move to another platform committee', () => {
    expect(checkMove(branchA, node(8, '/1/2/8/', 'platform_committee'))).toBeNull();
  });
});

describe('merge', () => {
  it('merges units of the same kind that are not related', () => {
    expect(checkMerge(branchA, branchB)).toBeNull();
  });

  it('refuses different kinds, itself, closed units and ancestors', () => {
    expect(checkMerge(branchA, branchA)).not.toBeNull();
    expect(checkMerge(branchA, platform)?.reason.en).toMatch(/same kind/);
    expect(checkMerge(branchA, node(5, '/1/2/3/5/', 'mobile_branch', '2025-01-01'))).not.toBeNull();
    expect(checkMerge(city, province)?.reason.en).toMatch(/ancestor/);
  });
});

describe('split and close', () => {
  it('moves only open direct children, each once', () => {
    const open = new Set([6, 7]);
    expect(checkSplit(branchA, [6], open)).toBeNull();
    expect(checkSplit(branchA, [6, 6], open)).not.toBeNull();
    expect(checkSplit(branchA, [8], open)?.reason.en).toContain('8');
  });

  it('closes only a unit with nothing open beneath, not before it was founded', () => {
    expect(checkClose(groupA, 0, '2026-11-25', '2020-01-01')).toBeNull();
    expect(checkClose(branchA, 2, '2026-11-25', null)?.reason.en).toMatch(/2 open sub-units/);
    expect(checkClose(groupA, 0, '2019-01-01', '2020-01-01')).not.toBeNull();
    expect(checkClose(node(6, '/6/', 'group', '2026-01-01'), 0, '2026-11-25', null)).not.toBeNull();
  });
});
