import type { Kysely } from 'kysely';
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

/**
 * Appends one row to the audit log. Call it inside the transaction of the write it describes, so the
 * change and its record land together or not at all.
 */
export async function recordAudit(db: Kysely<Database>, input: AuditInput): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      at: input.at.toISOString(),
      userId: input.actor?.userId ?? null,
      username: input.actor?.username ?? input.username ?? null,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId === undefined || input.entityId === null ? null : String(input.entityId),
      ip: input.ip ?? null,
      detail: input.detail ? JSON.stringify(input.detail) : null,
    })
    .execute();
}
