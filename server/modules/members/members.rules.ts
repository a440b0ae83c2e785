// A transfer of relation moves a member between host branches in steps: the sending side approves,
// the receiving side accepts (and the member moves at that instant), either may reject its own step.
import type { MemberRoleKind, OrgUnitKind, TransferStatus } from '../../db/tables.js';

export type TransferStep = 'approve' | 'accept' | 'reject';
/** Which side of a transfer decides a step: the branch the member leaves, or the one they join. */
export type TransferSide = 'sending' | 'receiving';
export type Refusal = { zh: string; en: string };

export type TransferMove = { to: TransferStatus; side: TransferSide };

// Acceptance lands the member in the new branch at once, so `accepted` is recorded (accepted_at) but
// the transfer ends `done` in the same step: there is never a moment with the member in no branch.
const moves: Record<TransferStatus, Partial<Record<TransferStep, TransferMove>>> = {
  requested: { approve: { to: 'approved', side: 'sending' }, reject: { to: 'rejected', side: 'sending' } },
  approved: { accept: { to: 'done', side: 'receiving' }, reject: { to: 'rejected', side: 'receiving' } },
  accepted: {},
  done: {},
  rejected: {},
};

const stepNames: Record<TransferStep, Refusal> = {
  approve: { zh: '批准', en: 'approved' },
  accept: { zh: '接收', en: 'accepted' },
  reject: { zh: '退回', en: 'rejected' },
};

const statusNames: Record<TransferStatus, Refusal> = {
  requested: { zh: '已申请', en: 'requested' },
  approved: { zh: '已批准', en: 'approved' },
  accepted: { zh: '已接收', en: 'accepted' },
  done: { zh: '已完成', en: 'done' },
  rejected: { zh: '已退回', en: 'rejected' },
};

/** The move a step makes from a status, or why it cannot be made. */
export function transferMove(status: TransferStatus, step: TransferStep): TransferMove | Refusal {
  const move = moves[status][step];
  if (move) return move;
  return {
    zh: `转接状态为“${statusNames[status].zh}”，不能${stepNames[step].zh}`,
    en: `A transfer that is ${statusNames[status].en} cannot be ${stepNames[step].en}`,
  };
}

export function isRefusal(value: TransferMove | Refusal): value is Refusal {
  return 'zh' in value;
}

/** Requested or approved: the member has a transfer under way and may not start another. */
export function isOpenTransfer(status: TransferStatus): boolean {
  return status === 'requested' || status === 'approved';
}

/** Only an open mobile branch hosts members: that is the unit that keeps their relation. */
export function hostRefusal(unit: { kind: OrgUnitKind; closedOn: string | null }): Refusal | null {
  if (unit.kind !== 'mobile_branch') return { zh: '党员只能由流动党员党支部管理', en: 'Members are hosted by a mobile branch only' };
  if (unit.closedOn) return { zh: '该支部已撤销', en: 'That branch is closed' };
  return null;
}

export const openTransferRefusal: Refusal = { zh: '该党员已有一项未完成的组织关系转接', en: 'This member already has a transfer under way' };
export const secretaryTakenRefusal: Refusal = { zh: '该支部已有在任书记，请先结束其任期', en: 'The branch already has a secretary; end that term first' };

export function transferRequestRefusal(input: { fromUnitId: number; toUnit: { id: number; kind: OrgUnitKind; closedOn: string | null }; hasOpenTransfer: boolean }): Refusal | null {
  if (input.hasOpenTransfer) return openTransferRefusal;
  if (input.toUnit.id === input.fromUnitId) return { zh: '转入支部与当前支部相同', en: 'The member is already hosted by that branch' };
  return hostRefusal(input.toUnit);
}

/**
 * Where a role may be held: branch roles in the member's own branch, group leader in a group of it
 * (`unitPath` under the branch path).
 */
export function roleRefusal(input: {
  role: MemberRoleKind;
  unit: { kind: OrgUnitKind; path: string; closedOn: string | null };
  branchPath: string;
  openSameRole: boolean;
  heldByAnother: boolean;
}): Refusal | null {
  const { role, unit } = input;
  if (unit.closedOn) return { zh: '该组织已撤销', en: 'That unit is closed' };
  if (role === 'group_leader') {
    if (unit.kind !== 'group' || !unit.path.startsWith(input.branchPath)) return { zh: '党小组组长须在本支部的党小组任职', en: 'A group leader leads a group of the member’s own branch' };
  } else if (unit.path !== input.branchPath) {
    return { zh: '支部职务须在党员所在支部任职', en: 'Branch roles are held in the member’s own branch' };
  }
  if (input.openSameRole) return { zh: '该党员已担任此职务', en: 'The member already holds this role there' };
  // One secretary per branch at a time; the previous one's term must end first.
  if (role === 'secretary' && input.heldByAnother) return secretaryTakenRefusal;
  return null;
}

export function roleEndRefusal(role: { fromDate: string; toDate: string | null }, toDate: string): Refusal | null {
  if (role.toDate) return { zh: '该任职已经结束', en: 'This term has already ended' };
  if (toDate < role.fromDate) return { zh: '结束日期早于开始日期', en: 'The end date is before the start date' };
  return null;
}
