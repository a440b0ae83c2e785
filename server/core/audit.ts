import type { Kysely } from 'kysely';
import { preparedStatement } from '../db/prepared.js';
import type { Database } from '../db/tables.js';
import type { Actor } from './scope.js';

export type AuditInput = {
  actor: Actor | null;
  action: string;
  entityType: string;
  entityId?: string | number | null;
  ip?: string | null;
  detail?: Record<string, unknown> | null;
  at: Date;
  /** For events before an actor exists, such as a failed login. */
  username?: string | null;
};

type AuditRow = { at: string; userId: number | null; username: string | null; action: string; entityType: string; entityId: string | null; ip: string | null; detail: string | null };

// Every write appends one of these: built and compiled once (db/prepared.ts).
const insertAuditRow = preparedStatement(['at', 'userId', 'username', 'action', 'entityType', 'entityId', 'ip', 'detail'], (db, row: AuditRow) => db.insertInto('auditLog').values(row));

/**
 * Appends one row to the audit log. Call it inside the transaction of the write it describes, so the
 * change and its record land together or not at all.
 */
export async function recordAudit(db: Kysely<Database>, input: AuditInput): Promise<void> {
  await insertAuditRow(db, {
    at: input.at.toISOString(),
    userId: input.actor?.userId ?? null,
    username: input.actor?.username ?? input.username ?? null,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId === undefined || input.entityId === null ? null : String(input.entityId),
    ip: input.ip ?? null,
    detail: input.detail ? JSON.stringify(input.detail) : null,
  });
}
