// Who may do what where: every role but system_admin is granted on an org unit and reaches only that
// unit's subtree. One function decides; outside the subtree the answer is "out of scope" (a 404).
import type { Role } from '../db/tables.js';

export type Action =
  | 'org.read'
  | 'org.write'
  | 'org.restructure'
  | 'audit.read'
  | 'user.manage'
  | 'person.read'
  | 'person.write'
  | 'person.unmask'
  | 'appeal.read'
  | 'appeal.handle'
  | 'appeal.figures';

export type Grant = { role: Role; unitId: number | null; unitPath: string | null; unitName?: string | null };

export type Actor = {
  userId: number;
  username: string;
  displayName: string;
  locale: string;
  grants: Grant[];
  sessionId: string;
  sessionKind: 'cookie' | 'bearer';
  csrfToken: string;
  /** The user's own worker and member records, as read with the session (absent for actors made elsewhere). */
  workerId?: number | null;
  memberId?: number | null;
};

export const roles: readonly Role[] = ['system_admin', 'org_admin', 'branch_secretary', 'member', 'worker', 'analyst'];

export const permissions: Record<Role, readonly Action[]> = {
  system_admin: ['org.read', 'org.write', 'org.restructure', 'audit.read', 'user.manage', 'person.read', 'person.write', 'person.unmask', 'appeal.read', 'appeal.handle', 'appeal.figures'],
  // Those who serve workers in person (admins, secretaries) may see and call them; every unmask is audited.
  // Org admins also manage who holds which role inside their subtree (users.routes.ts).
  org_admin: ['org.read', 'org.write', 'org.restructure', 'user.manage', 'person.read', 'person.write', 'person.unmask', 'appeal.read', 'appeal.handle', 'appeal.figures'],
  branch_secretary: ['org.read', 'org.write', 'org.restructure', 'person.read', 'person.write', 'person.unmask', 'appeal.read', 'appeal.handle', 'appeal.figures'],
  member: ['org.read'],
  worker: ['org.read'],
  // Analysts see structure and aggregates, never a person's record.
  analyst: ['org.read', 'appeal.figures'],
};

// Restructuring (move, merge, split, close) changes where a unit sits, so it is decided by whoever
// holds a grant above the unit: a secretary may close a group of their branch but not the branch.
const needsGrantAbove: ReadonlySet<Action> = new Set(['org.restructure']);

export type Decision = 'allowed' | 'out_of_scope' | 'forbidden';

export function isSystemAdmin(actor: Actor): boolean {
  return actor.grants.some((g) => g.role === 'system_admin');
}

export function covers(grantPath: string, targetPath: string, strictly = false): boolean {
  return targetPath.startsWith(grantPath) && (!strictly || targetPath !== grantPath);
}

/**
 * Decides whether an actor may perform an action on a unit (given by its materialized path), or on
 * the whole system when `unitPath` is null.
 */
export function authorize(actor: Actor, action: Action, unitPath: string | null): Decision {
  if (isSystemAdmin(actor)) return 'allowed';
  if (unitPath === null) {
    return actor.grants.length > 0 ? 'forbidden' : 'out_of_scope';
  }
  const reaching = actor.grants.filter((g) => g.unitPath !== null && covers(g.unitPath, unitPath));
  if (reaching.length === 0) return 'out_of_scope';
  const strictly = needsGrantAbove.has(action);
  const allowed = reaching.some(
    (g) => permissions[g.role].includes(action) && g.unitPath !== null && covers(g.unitPath, unitPath, strictly),
  );
  return allowed ? 'allowed' : 'forbidden';
}

/** The subtrees an actor reaches for an action, or 'all' for system admins; empty means none. */
export function scopePaths(actor: Actor, action: Action): string[] | 'all' {
  if (isSystemAdmin(actor)) return 'all';
  const paths = actor.grants
    .filter((g) => g.unitPath !== null && permissions[g.role].includes(action))
    .map((g) => g.unitPath as string)
    .sort();
  // Drop paths already inside another granted subtree, so a list query scans each range once.
  return paths.filter((p, i) => !paths.slice(0, i).some((q) => covers(q, p)));
}
