import type { Generated } from 'kysely';

// ISO-8601 UTC, as in tables.ts (not imported from there: tables.ts composes this file).
type Timestamp = string;

/** requested → carried_out | rejected (by staff) | withdrawn (by the person). */
export type DeletionRequestStatus = 'requested' | 'carried_out' | 'rejected' | 'withdrawn';

export interface DeletionRequestsTable {
  id: Generated<number>;
  userId: number;
  /** The person's worker record when the request was made; null for an account without one. */
  workerId: number | null;
  status: DeletionRequestStatus;
  /** The person's own words; removed when the request is carried out. */
  reason: string | null;
  receiptHash: string;
  requestedAt: Timestamp;
  dueAt: Timestamp;
  decidedAt: Timestamp | null;
  decidedBy: number | null;
  /** Why a request was refused (e.g. an open legal matter), or a note on how it was carried out. */
  decisionNote: string | null;
  /** JSON counts of what was anonymized and what was kept: no personal data. */
  outcome: string | null;
  /** When the scheduler escalated the request for being past its due date (once). */
  escalatedAt: Timestamp | null;
  /** The unit it was escalated to; null with escalatedAt set: the system administrators. */
  escalatedToUnitId: number | null;
}

export interface PrivacyTables {
  deletionRequests: DeletionRequestsTable;
}
