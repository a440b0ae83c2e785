import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

// Timestamps are ISO-8601 UTC strings and dates are YYYY-MM-DD strings on both engines
// (see database.ts for how PostgreSQL values are parsed into these shapes).
export type Timestamp = string;
export type DateOnly = string;

export type OrgUnitKind = 'industry_committee' | 'platform_committee' | 'secondary_committee' | 'mobile_branch' | 'group';
export type WorkType = 'ride_hailing' | 'freight' | 'delivery' | 'courier' | 'other';
export type Role = 'system_admin' | 'org_admin' | 'branch_secretary' | 'member' | 'worker' | 'analyst';

export interface PlatformsTable {
  id: Generated<number>;
  code: string;
  name: string;
  nameEn: string;
  workType: WorkType;
  createdAt: Timestamp;
}

export interface OrgUnitsTable {
  id: Generated<number>;
  parentId: number | null;
  /** Materialized path of ids, e.g. "/1/7/42/": a subtree is one index range scan. */
  path: string;
  depth: number;
  name: string;
  kind: OrgUnitKind;
  platformId: number | null;
  /** GB/T 2260 six-digit administrative division code. */
  cityCode: string | null;
  establishedOn: DateOnly | null;
  closedOn: DateOnly | null;
  closeReason: string | null;
  mergedIntoId: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export type OrgUnitEventKind = 'created' | 'renamed' | 'updated' | 'moved' | 'merged' | 'merged_into' | 'split' | 'split_from' | 'closed';

export interface OrgUnitEventsTable {
  id: Generated<number>;
  unitId: number;
  kind: OrgUnitEventKind;
  at: Timestamp;
  actorUserId: number | null;
  /** JSON text describing the change (old and new values, related unit ids). */
  detail: string;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  passwordHash: string;
  displayName: string;
  locale: string;
  disabledAt: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface RoleGrantsTable {
  id: Generated<number>;
  userId: number;
  role: Role;
  /** Null only for system_admin; every other role reaches this unit's subtree. */
  unitId: number | null;
  createdAt: Timestamp;
}

export type SessionKind = 'cookie' | 'bearer';

export interface SessionsTable {
  /** SHA-256 of the token: a leaked table does not leak usable tokens. */
  id: string;
  userId: number;
  kind: SessionKind;
  name: string | null;
  csrfToken: string;
  createdAt: Timestamp;
  lastSeenAt: Timestamp;
  expiresAt: Timestamp;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  userId: number | null;
  username: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  ip: string | null;
  /** JSON text; never holds secrets or unmasked personal data. */
  detail: string | null;
}

export interface Database {
  platforms: PlatformsTable;
  orgUnits: OrgUnitsTable;
  orgUnitEvents: OrgUnitEventsTable;
  users: UsersTable;
  roleGrants: RoleGrantsTable;
  sessions: SessionsTable;
  auditLog: AuditLogTable;
}

export type Platform = Selectable<PlatformsTable>;
export type OrgUnit = Selectable<OrgUnitsTable>;
export type NewOrgUnit = Insertable<OrgUnitsTable>;
export type OrgUnitUpdate = Updateable<OrgUnitsTable>;
export type User = Selectable<UsersTable>;
export type RoleGrant = Selectable<RoleGrantsTable>;
export type Session = Selectable<SessionsTable>;
export type AuditEntry = Selectable<AuditLogTable>;
