import type { Generated } from 'kysely';

// ISO-8601 UTC, as in tables.ts (not imported from there: tables.ts composes this file).
type Timestamp = string;

export type AppealStatus =
  | 'submitted'
  | 'acknowledged'
  | 'in_progress'
  | 'waiting_on_worker'
  | 'resolved'
  | 'partly_resolved'
  | 'confirmed'
  | 'reopened'
  | 'referred'
  | 'rejected'
  | 'merged';

export type AppealLevel = 'branch' | 'platform_committee' | 'industry_committee';

export type AppealCategory =
  | 'income_fees'
  | 'dispatch_algorithm'
  | 'account_penalties'
  | 'safety'
  | 'traffic_parking'
  | 'rest_facilities'
  | 'insurance_injury'
  | 'contracts_labour'
  | 'customer_disputes'
  | 'health'
  | 'other';

export type AppealChannel = 'app' | 'member' | 'phone' | 'open311';
export type ContactPreference = 'in_app' | 'phone' | 'none';

export interface AppealsTable {
  id: Generated<number>;
  category: AppealCategory;
  description: string;
  platformId: number | null;
  cityCode: string | null;
  lat: number | null;
  lng: number | null;
  address: string | null;
  contactPreference: ContactPreference;
  anonymous: number;
  /** Null for anonymous appeals: nothing leads back to the filer. */
  workerId: number | null;
  trackingCode: string | null;
  secretHash: string | null;
  channel: AppealChannel;
  recordedBy: number | null;
  contactId: number | null;
  contactName: string | null;
  contactPhoneEnc: string | null;
  status: AppealStatus;
  level: AppealLevel;
  unitId: number;
  unitPath: string;
  originUnitId: number;
  originUnitPath: string;
  assigneeUserId: number | null;
  receivedAt: Timestamp;
  acknowledgedAt: Timestamp | null;
  lastPublicReplyAt: Timestamp | null;
  answeredAt: Timestamp | null;
  closedAt: Timestamp | null;
  acknowledgeBy: Timestamp | null;
  nextUpdateBy: Timestamp | null;
  resolveBy: Timestamp | null;
  dueAt: Timestamp | null;
  acknowledgedOnTime: number | null;
  resolvedOnTime: number | null;
  delayReason: string | null;
  referredTo: string | null;
  rejectReason: string | null;
  mergedIntoId: number | null;
  rating: number | null;
  feedback: string | null;
  reopenCount: Generated<number>;
  /** When its personal details were removed, once closed longer than the retention period. */
  anonymizedAt: Timestamp | null;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  /** What the appeal adds to appeal_figure_counts, as last counted (null: counted nowhere yet). */
  figuresCounted: string | null;
}

export type AppealEventKind =
  | 'submitted'
  | 'status'
  | 'reply'
  | 'note'
  | 'escalated'
  | 'transferred'
  | 'assigned'
  | 'merged'
  | 'photo'
  | 'rated'
  | 'breached';

export interface AppealEventsTable {
  id: Generated<number>;
  appealId: number;
  kind: AppealEventKind;
  fromStatus: AppealStatus | null;
  toStatus: AppealStatus | null;
  visibility: 'public' | 'internal';
  body: string | null;
  unitId: number | null;
  level: AppealLevel | null;
  actorUserId: number | null;
  breachKey: string | null;
  createdAt: Timestamp;
}

export interface AppealPhotosTable {
  id: Generated<number>;
  appealId: number;
  storageKey: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: Timestamp;
}

export interface SlaPoliciesTable {
  id: Generated<number>;
  unitId: number | null;
  category: AppealCategory | null;
  acknowledgeHours: number;
  updateHours: number;
  resolveHours: number;
  updatedAt: Timestamp;
  updatedBy: number | null;
}

export interface IdempotencyKeysTable {
  keyHash: string;
  requestHash: string;
  statusCode: number;
  /** JSON of the first answer, returned again to every retry. */
  response: string;
  createdAt: Timestamp;
}

export interface NotificationsTable {
  id: Generated<number>;
  userId: number;
  kind: string;
  appealId: number | null;
  title: string;
  body: string;
  createdAt: Timestamp;
  readAt: Timestamp | null;
}

export type OutboxChannel = 'email' | 'sms' | 'wechat';
export type OutboxStatus = 'pending' | 'delivered' | 'failed';

export interface OutboxTable {
  id: Generated<number>;
  notificationId: number;
  channel: OutboxChannel;
  status: OutboxStatus;
  attempts: Generated<number>;
  nextAttemptAt: Timestamp;
  lockedUntil: Timestamp | null;
  lastError: string | null;
  createdAt: Timestamp;
  deliveredAt: Timestamp | null;
}

/** One row per unit that sees an appeal (ancestors-or-self of where it is held and where it started). */
export interface AppealReachTable {
  appealId: number;
  unitId: number;
  /** A copy of appeals.due_at, so a unit's inbox walks one index in order. */
  dueAt: Timestamp | null;
  /** A copy of appeals.created_at (never changes), so a unit's open-overdue count reads that index alone. */
  createdAt: Timestamp | null;
}

/** Appeal figures per unit, China-time day of filing, category, measure and value (appeals.figure-counts.ts). */
export interface AppealFigureCountsTable {
  unitId: number;
  day: string;
  category: string;
  measure: 'filed' | 'ack_ok' | 'res_ok' | 'rating' | 'ack_h10' | 'res_h10';
  value: number;
  n: number;
}

/** The busiest units' appeal figures in hour, day and week blocks (appeals.figure-blocks.rules.ts). */
export interface AppealFigureBlocksTable {
  unitId: number;
  /** 'changes' (span 0, block 0, value 0): a top-level committee's change counter per category, not a figure. */
  measure: 'filed' | 'ack_ok' | 'res_ok' | 'rating' | 'ack_t' | 'ack_h' | 'ack_c' | 'res_t' | 'res_h' | 'res_c' | 'changes';
  /** 1 hour, 2 China day, 3 ISO week (0: the change counters); block: its index since 1970 (China time). */
  span: number;
  block: number;
  category: string;
  value: number;
  n: number;
}

export interface AppealTables {
  appeals: AppealsTable;
  appealReach: AppealReachTable;
  appealFigureCounts: AppealFigureCountsTable;
  appealFigureBlocks: AppealFigureBlocksTable;
  appealEvents: AppealEventsTable;
  appealPhotos: AppealPhotosTable;
  slaPolicies: SlaPoliciesTable;
  idempotencyKeys: IdempotencyKeysTable;
  notifications: NotificationsTable;
  outbox: OutboxTable;
}
