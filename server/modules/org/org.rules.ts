// The organization tree's rules: which kind of unit may sit under which, and what a move, merge or
// split may do. A unit is never deleted: it is closed with a date and a reason, and its history stays.
import type { Bilingual } from '../../core/i18n.js';
import type { OrgUnitKind } from '../../db/tables.js';

export const allowedChildKinds: Record<OrgUnitKind, readonly OrgUnitKind[]> = {
  industry_committee: ['industry_committee', 'platform_committee', 'mobile_branch'],
  platform_committee: ['secondary_committee', 'mobile_branch'],
  secondary_committee: ['secondary_committee', 'mobile_branch'],
  mobile_branch: ['group'],
  group: [],
};

/** Only an industry committee may stand at the top of a tree. */
export const rootKinds: readonly OrgUnitKind[] = ['industry_committee'];

export const kindNames: Record<OrgUnitKind, Bilingual> = {
  industry_committee: { zh: '行业党委', en: 'industry committee' },
  platform_committee: { zh: '平台企业党委', en: 'platform committee' },
  secondary_committee: { zh: '二级党委', en: 'secondary committee' },
  mobile_branch: { zh: '流动党员党支部', en: 'mobile branch' },
  group: { zh: '党小组', en: 'group' },
};

export type TreeNode = { id: number; path: string; kind: OrgUnitKind; closedOn: string | null; name: string };

export const pathOf = (parentPath: string | null, id: number) => `${parentPath ?? '/'}${id}/`;
export const depthOf = (path: string) => path.split('/').length - 3;
/** Ids in a materialized path, the unit itself included: "/1/7/42/" → [1, 7, 42]. */
export const idsOnPath = (path: string) => path.split('/').filter(Boolean).map(Number);
export const ancestorIdsOf = (path: string) => idsOnPath(path).slice(0, -1);
/** The unit a materialized path ends at: "/1/7/42/" → 42. */
export const unitIdOf = (path: string) => idsOnPath(path).at(-1)!;

/** Every path in a subtree starts with the root's path; '~' sorts after every digit and '/'. */
export const subtreeRange = (path: string) => ({ from: path, to: `${path}~` });

export function isInSubtree(rootPath: string, path: string): boolean {
  return path.startsWith(rootPath);
}

/** The new path of a unit in a moved subtree. */
export function rebasePath(path: string, oldPrefix: string, newPrefix: string): string {
  if (!path.startsWith(oldPrefix)) throw new Error(`${path} is not under ${oldPrefix}`);
  return newPrefix + path.slice(oldPrefix.length);
}

export type RuleViolation = { reason: Bilingual };

export function checkPlacement(kind: OrgUnitKind, parent: TreeNode | null): RuleViolation | null {
  if (parent === null) {
    return rootKinds.includes(kind)
      ? null
      : { reason: { zh: `${kindNames[kind].zh}必须有上级组织`, en: `A ${kindNames[kind].en} must have a parent unit` } };
  }
  if (parent.closedOn) {
    return { reason: { zh: `上级组织“${parent.name}”已撤销`, en: `The parent unit "${parent.name}" is closed` } };
  }
  if (!allowedChildKinds[parent.kind].includes(kind)) {
    return {
      reason: {
        zh: `${kindNames[parent.kind].zh}下不能设立${kindNames[kind].zh}`,
        en: `A ${kindNames[kind].en} cannot be placed under a ${kindNames[parent.kind].en}`,
      },
    };
  }
  return null;
}

export function checkMove(unit: TreeNode, newParent: TreeNode): RuleViolation | null {
  if (unit.closedOn) return { reason: { zh: `“${unit.name}”已撤销，不能移动`, en: `"${unit.name}" is closed and cannot be moved` } };
  if (isInSubtree(unit.path, newParent.path)) {
    return {
      reason: { zh: '不能把组织移动到它自己或它的下级组织之下', en: 'A unit cannot be moved under itself or one of its own sub-units' },
    };
  }
  return checkPlacement(unit.kind, newParent);
}

export function checkMerge(source: TreeNode, target: TreeNode): RuleViolation | null {
  if (source.id === target.id) return { reason: { zh: '不能把组织合并到它自己', en: 'A unit cannot be merged into itself' } };
  if (source.closedOn || target.closedOn) {
    return { reason: { zh: '已撤销的组织不能合并', en: 'A closed unit cannot take part in a merge' } };
  }
  if (source.kind !== target.kind) {
    return {
      reason: {
        zh: `只能合并同类组织（${kindNames[source.kind].zh}与${kindNames[target.kind].zh}不同）`,
        en: `Only units of the same kind can be merged (${kindNames[source.kind].en} vs ${kindNames[target.kind].en})`,
      },
    };
  }
  if (isInSubtree(source.path, target.path) || isInSubtree(target.path, source.path)) {
    return { reason: { zh: '不能合并上下级关系的组织', en: 'A unit cannot be merged with its own ancestor or descendant' } };
  }
  return null;
}

export function checkSplit(source: TreeNode, childIds: readonly number[], openChildIds: ReadonlySet<number>): RuleViolation | null {
  if (source.closedOn) return { reason: { zh: `“${source.name}”已撤销，不能拆分`, en: `"${source.name}" is closed and cannot be split` } };
  if (new Set(childIds).size !== childIds.length) return { reason: { zh: '下级组织有重复', en: 'A sub-unit is listed twice' } };
  const strangers = childIds.filter((id) => !openChildIds.has(id));
  if (strangers.length > 0) {
    return {
      reason: {
        zh: `这些组织不是“${source.name}”的直接下级（或已撤销）：${strangers.join(', ')}`,
        en: `These are not open units directly beneath "${source.name}": ${strangers.join(', ')}`,
      },
    };
  }
  return null;
}

export function checkClose(unit: TreeNode, openChildren: number, closedOn: string, establishedOn: string | null): RuleViolation | null {
  if (unit.closedOn) return { reason: { zh: `“${unit.name}”已于 ${unit.closedOn} 撤销`, en: `"${unit.name}" was already closed on ${unit.closedOn}` } };
  if (openChildren > 0) {
    return {
      reason: {
        zh: `“${unit.name}”下还有 ${openChildren} 个未撤销的组织，请先移动或撤销它们`,
        en: `"${unit.name}" still has ${openChildren} open sub-units: move or close them first`,
      },
    };
  }
  if (establishedOn && closedOn < establishedOn) {
    return { reason: { zh: `撤销日期不能早于成立日期 ${establishedOn}`, en: `The closing date cannot be before the founding date ${establishedOn}` } };
  }
  return null;
}
