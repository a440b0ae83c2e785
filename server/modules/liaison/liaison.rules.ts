// Liaison (联系群众): each member keeps in touch with a number of ordinary workers of their own branch
// (a target, 10 by default); each worker has at most one liaison. Auto-assignment never reaches across
// branches, fills the least-loaded member first, and leaves a worker unassigned rather than overload.

export type MemberLoad = { memberId: number; branchId: number; target: number; assigned: number };
export type UnassignedWorker = { workerId: number; branchId: number };
export type Assignment = { workerId: number; memberId: number };

/**
 * Assigns workers to members of the same branch, always to the member with the most room left
 * (ties: fewest assigned, then lowest id), never beyond a member's target.
 */
export function planAutoAssignment(members: readonly MemberLoad[], workers: readonly UnassignedWorker[]): { assignments: Assignment[]; leftOver: number[] } {
  const byBranch = new Map<number, MemberLoad[]>();
  for (const m of members) {
    const list = byBranch.get(m.branchId) ?? [];
    list.push({ ...m });
    byBranch.set(m.branchId, list);
  }
  const assignments: Assignment[] = [];
  const leftOver: number[] = [];
  for (const worker of workers) {
    const candidates = byBranch.get(worker.branchId) ?? [];
    let best: MemberLoad | undefined;
    for (const m of candidates) {
      if (m.assigned >= m.target) continue;
      if (!best || m.target - m.assigned > best.target - best.assigned || (m.target - m.assigned === best.target - best.assigned && (m.assigned < best.assigned || (m.assigned === best.assigned && m.memberId < best.memberId)))) {
        best = m;
      }
    }
    if (!best) {
      leftOver.push(worker.workerId);
      continue;
    }
    best.assigned += 1;
    assignments.push({ workerId: worker.workerId, memberId: best.memberId });
  }
  return { assignments, leftOver };
}

export const CONTACT_WINDOW_DAYS = 30;

/** A worker is overdue when their liaison has not contacted them within the window. */
export function isOverdue(lastContactOn: string | null, today: string, windowDays = CONTACT_WINDOW_DAYS): boolean {
  if (!lastContactOn) return true;
  const days = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${lastContactOn}T00:00:00Z`)) / 86_400_000;
  return days > windowDays;
}

export function share(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000;
}
