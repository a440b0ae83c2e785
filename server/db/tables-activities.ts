import type { Generated } from 'kysely';

// ISO-8601 UTC, as in tables.ts (not imported from there: tables.ts composes this file).
type Timestamp = string;

export type ActivityKind = 'health_check' | 'training' | 'themed_day' | 'film_screening' | 'volunteer_service' | 'care_visit' | 'branch_meeting';
/** Who may sign up: workers of a platform and city, workers served by the organizing unit's subtree, or its members (branch meetings only). */
export type ActivityAudience = 'platform_city' | 'branch' | 'members_only';
export type ActivityStatus = 'scheduled' | 'cancelled';
export type ParticipantStatus = 'confirmed' | 'waitlisted' | 'cancelled' | 'walk_in';
export type CheckInMethod = 'self_scan' | 'organizer';

export interface ActivitiesTable {
  id: Generated<number>;
  kind: ActivityKind;
  title: string;
  description: string | null;
  unitId: number;
  /** No foreign key yet: stations land in a parallel change (see the migration). */
  stationId: number | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  startsAt: Timestamp;
  endsAt: Timestamp;
  capacity: number | null;
  audience: ActivityAudience;
  audiencePlatformId: number | null;
  audienceCityCode: string | null;
  signupOpensAt: Timestamp | null;
  signupClosesAt: Timestamp | null;
  status: ActivityStatus;
  cancelReason: string | null;
  cancelledAt: Timestamp | null;
  version: Generated<number>;
  createdBy: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface ActivityParticipantsTable {
  id: Generated<number>;
  activityId: number;
  workerId: number | null;
  memberId: number | null;
  userId: number | null;
  status: ParticipantStatus;
  /** Place in the line of this activity: the waitlist moves up in this order. */
  queueNumber: number;
  signedUpAt: Timestamp;
  cancelledAt: Timestamp | null;
  promotedAt: Timestamp | null;
  remindedAt: Timestamp | null;
  checkedInAt: Timestamp | null;
  checkInMethod: CheckInMethod | null;
  checkedInBy: number | null;
}

/**
 * A counter per table, bumped by database triggers on every change a cache depends on (migration
 * 2026-12-05T1200-change-stamps): 'activities' (any value of a row) and 'org_units' (path or name).
 */
export interface ChangeStampsTable {
  name: 'activities' | 'org_units';
  stamp: number;
}

export interface ActivityTables {
  activities: ActivitiesTable;
  activityParticipants: ActivityParticipantsTable;
  changeStamps: ChangeStampsTable;
}
