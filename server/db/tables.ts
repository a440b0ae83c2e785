import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ActivityTables } from './tables-activities.js';
import type { AppealTables } from './tables-appeals.js';
import type { PrivacyTables } from './tables-privacy.js';
import type { StationTables } from './tables-stations.js';
import type { VolunteerTables } from './tables-volunteers.js';

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
  /** Set when the user is a worker or member: their own record on the phone pages. */
  workerId: number | null;
  memberId: number | null;
  passwordHash: string;
  displayName: string;
  locale: string;
  email: string | null;
  /** Failed logins in a row; reset by a successful one. */
  failedLogins: Generated<number>;
  lockedUntil: Timestamp | null;
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

export type WorkerStatus = 'active' | 'inactive';
export type Vehicle = 'car' | 'van' | 'light_truck' | 'medium_truck' | 'heavy_truck' | 'e_bike' | 'none';

export interface WorkersTable {
  id: Generated<number>;
  name: string;
  nameSort: string;
  phoneEnc: string;
  phoneHash: string;
  phoneTail: string;
  platformId: number;
  platformWorkerId: string;
  workType: WorkType;
  vehicle: Vehicle;
  cityCode: string;
  unitId: number | null;
  /** Copy of the serving unit's path, kept in step by org moves: scope filters without a join. */
  unitPath: string | null;
  status: WorkerStatus;
  userId: number | null;
  consentVersion: string | null;
  consentPurpose: string | null;
  consentAt: Timestamp | null;
  consentChannel: string | null;
  consentWithdrawnAt: Timestamp | null;
  /** When the person's details were removed at their own request (PIPL deletion). */
  anonymizedAt: Generated<Timestamp | null>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export type MemberStatus = 'probationary' | 'full';
export type MobilityType = 'within_city' | 'within_province' | 'across_provinces';
export type MemberRoleKind = 'secretary' | 'deputy_secretary' | 'committee_member' | 'group_leader';

export interface MembersTable {
  id: Generated<number>;
  name: string;
  nameSort: string;
  gender: 'male' | 'female';
  birthYear: number;
  phoneEnc: string;
  phoneHash: string;
  phoneTail: string;
  idCardEnc: string;
  idCardHash: string;
  /** Encrypted (sensitive.ts envelope) YYYY-MM-DD: membership details are stored only encrypted. */
  joinDate: string;
  status: MemberStatus;
  unitId: number;
  unitPath: string;
  /** 0 or 1: booleans are integers on both engines. */
  isMobile: number;
  /** Encrypted. */
  homeOrgText: string | null;
  homeUnitId: number | null;
  mobilityType: MobilityType | null;
  /** Encrypted. */
  mobilityReason: string | null;
  workerId: number | null;
  liaisonTarget: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface MemberRolesTable {
  id: Generated<number>;
  memberId: number;
  unitId: number;
  role: MemberRoleKind;
  fromDate: DateOnly;
  toDate: DateOnly | null;
}

export type TransferStatus = 'requested' | 'approved' | 'accepted' | 'done' | 'rejected';

export interface MemberTransfersTable {
  id: Generated<number>;
  memberId: number;
  fromUnitId: number;
  toUnitId: number;
  status: TransferStatus;
  /** Encrypted, like the reject reason. */
  reason: string;
  rejectReason: string | null;
  requestedAt: Timestamp;
  requestedBy: number | null;
  approvedAt: Timestamp | null;
  approvedBy: number | null;
  acceptedAt: Timestamp | null;
  acceptedBy: number | null;
  doneAt: Timestamp | null;
  rejectedAt: Timestamp | null;
  rejectedBy: number | null;
}

export type DeclarationStatus = 'pending' | 'verified' | 'rejected';

export interface MemberDeclarationsTable {
  id: Generated<number>;
  workerId: number;
  unitId: number | null;
  unitPath: string | null;
  /** Encrypted, like the join date (a YYYY-MM-DD) and the decision reason. */
  homeOrgText: string;
  joinDate: string;
  status: DeclarationStatus;
  decisionReason: string | null;
  decidedAt: Timestamp | null;
  decidedBy: number | null;
  memberId: number | null;
  createdAt: Timestamp;
}

export interface LiaisonAssignmentsTable {
  workerId: number;
  memberId: number;
  assignedAt: Timestamp;
  assignedBy: number | null;
}

export type ContactChannel = 'visit' | 'phone' | 'wechat' | 'station';

export interface LiaisonContactsTable {
  id: Generated<number>;
  memberId: number;
  workerId: number;
  contactedOn: DateOnly;
  channel: ContactChannel;
  notes: string | null;
  /** Demands the worker raised; the appeals module turns them into appeals. */
  demandsRaised: string | null;
  createdAt: Timestamp;
  createdBy: number | null;
}

export type ImportJobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ImportJobsTable {
  id: Generated<number>;
  kind: 'workers' | 'members';
  status: ImportJobStatus;
  fileName: string;
  filePath: string;
  format: 'csv' | 'xlsx';
  /** JSON: target field → source column header. */
  mapping: string;
  dryRun: number;
  unitId: number | null;
  rowsTotal: number | null;
  rowsDone: number;
  createdCount: number;
  updatedCount: number;
  unchangedCount: number;
  rejectedCount: number;
  errorReportPath: string | null;
  error: string | null;
  createdBy: number;
  createdAt: Timestamp;
  startedAt: Timestamp | null;
  heartbeatAt: Timestamp | null;
  finishedAt: Timestamp | null;
}

export interface ImportJobErrorsTable {
  id: Generated<number>;
  jobId: number;
  rowNumber: number;
  field: string | null;
  message: string;
}

/** The n-grams of a person's name and phone tail, each beside the pinyin sort key: a search walks one gram in list order. */
export interface SearchGramsTable {
  gram: string;
  /** The first id of the person's unit path ('' for none): the key's second column, so a committee's rows lie together. */
  root: string;
  sortKey: string;
  personId: number;
  /** A copy of the person's unit_path (triggers keep it), so a scoped walk skips other subtrees' rows. */
  unitPath: string | null;
}

/** Liaison coverage of a unit's whole subtree, kept by triggers (liaison.coverage-triggers.ts). */
export interface LiaisonUnitCountsTable {
  unitId: number;
  workers: number;
  withLiaison: number;
  members: number;
  overTarget: number;
  underTarget: number;
}

/** Per unit and China day: the counted workers of its subtree whose last contact was that day. */
export interface LiaisonContactDaysTable {
  unitId: number;
  day: DateOnly;
  n: number;
}

export interface Database extends AppealTables, StationTables, ActivityTables, VolunteerTables, PrivacyTables {
  platforms: PlatformsTable;
  orgUnits: OrgUnitsTable;
  orgUnitEvents: OrgUnitEventsTable;
  users: UsersTable;
  roleGrants: RoleGrantsTable;
  sessions: SessionsTable;
  auditLog: AuditLogTable;
  workers: WorkersTable;
  members: MembersTable;
  workersGrams: SearchGramsTable;
  membersGrams: SearchGramsTable;
  memberRoles: MemberRolesTable;
  memberTransfers: MemberTransfersTable;
  memberDeclarations: MemberDeclarationsTable;
  liaisonAssignments: LiaisonAssignmentsTable;
  liaisonContacts: LiaisonContactsTable;
  liaisonUnitCounts: LiaisonUnitCountsTable;
  liaisonContactDays: LiaisonContactDaysTable;
  importJobs: ImportJobsTable;
  importJobErrors: ImportJobErrorsTable;
}

export type Platform = Selectable<PlatformsTable>;
export type OrgUnit = Selectable<OrgUnitsTable>;
export type NewOrgUnit = Insertable<OrgUnitsTable>;
export type OrgUnitUpdate = Updateable<OrgUnitsTable>;
export type User = Selectable<UsersTable>;
export type RoleGrant = Selectable<RoleGrantsTable>;
export type Session = Selectable<SessionsTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type Worker = Selectable<WorkersTable>;
export type Member = Selectable<MembersTable>;
