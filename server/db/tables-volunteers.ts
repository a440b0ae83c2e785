import type { Generated } from 'kysely';

// ISO-8601 UTC and YYYY-MM-DD, as in tables.ts (not imported from there: tables.ts composes this file).
type Timestamp = string;
type DateOnly = string;

export type TeamRole = 'leader' | 'volunteer';
export type ServiceStatus = 'pending' | 'verified' | 'rejected';
export type VanguardKind = 'safety' | 'service' | 'mutual_aid' | 'civility' | 'other';
/** 网格员 / 兼职网格员. */
export type GridRoleTitle = 'grid_member' | 'part_time_grid_member';

/** 志愿服务队: led by a member, open to every worker. */
export interface VolunteerTeamsTable {
  id: Generated<number>;
  unitId: number;
  /** Copy of the unit's path: scope filters without a join. */
  unitPath: string;
  name: string;
  description: string | null;
  leaderMemberId: number;
  foundedOn: DateOnly;
  closedOn: DateOnly | null;
  closeReason: string | null;
  createdBy: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** A stint on a team's roster: exactly one of workerId / memberId; history is kept (left_on). */
export interface VolunteerTeamMembersTable {
  id: Generated<number>;
  teamId: number;
  workerId: number | null;
  memberId: number | null;
  role: TeamRole;
  joinedOn: DateOnly;
  leftOn: DateOnly | null;
  addedBy: number | null;
  createdAt: Timestamp;
}

/** 先锋岗: a named duty of a unit; who holds it over time is in vanguard_post_terms. */
export interface VanguardPostsTable {
  id: Generated<number>;
  unitId: number;
  unitPath: string;
  title: string;
  kind: VanguardKind;
  duties: string;
  closedOn: DateOnly | null;
  createdBy: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface VanguardPostTermsTable {
  id: Generated<number>;
  postId: number;
  memberId: number;
  fromDate: DateOnly;
  toDate: DateOnly | null;
  endReason: string | null;
  createdBy: number | null;
  createdAt: Timestamp;
}

/** Hours of service a person logged for a team; counted in the ledger once verified. */
export interface ServiceRecordsTable {
  id: Generated<number>;
  teamId: number;
  workerId: number | null;
  memberId: number | null;
  serviceDate: DateOnly;
  /** Hours × 2: whole numbers sum exactly on both engines. */
  halfHours: number;
  description: string;
  /** SHA-256 of the normalized description: the same entry twice is refused by a unique index. */
  descriptionHash: string;
  status: ServiceStatus;
  rejectReason: string | null;
  verifiedBy: number | null;
  verifiedAt: Timestamp | null;
  createdBy: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** A worker serving as a member of a community's grid (网格员). */
export interface GridRolesTable {
  id: Generated<number>;
  workerId: number;
  unitId: number;
  unitPath: string;
  communityName: string;
  /** GB/T 2260 six-digit code of the city or district. */
  cityCode: string;
  gridName: string;
  gridNumber: string | null;
  roleTitle: GridRoleTitle;
  fromDate: DateOnly;
  toDate: DateOnly | null;
  endReason: string | null;
  createdBy: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

// Tables of the volunteers module (composed into Database in tables.ts).
export interface VolunteerTables {
  volunteerTeams: VolunteerTeamsTable;
  volunteerTeamMembers: VolunteerTeamMembersTable;
  vanguardPosts: VanguardPostsTable;
  vanguardPostTerms: VanguardPostTermsTable;
  serviceRecords: ServiceRecordsTable;
  gridRoles: GridRolesTable;
}
