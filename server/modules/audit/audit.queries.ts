import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.js';

export type AuditFilter = {
  action?: string;
  entityType?: string;
  entityId?: string;
  username?: string;
  from?: string;
  to?: string;
  beforeId: number | null;
  limit: number;
};

/** Newest first; the id orders entries as they were appended. */
export async function listAuditEntries(db: Kysely<Database>, f: AuditFilter) {
  let query = db.selectFrom('auditLog').selectAll();
  if (f.action) query = query.where('action', '=', f.action);
  if (f.entityType) query = query.where('entityType', '=', f.entityType);
  if (f.entityId) query = query.where('entityId', '=', f.entityId);
  if (f.username) query = query.where('username', '=', f.username);
  if (f.from) query = query.where('at', '>=', new Date(f.from).toISOString());
  if (f.to) query = query.where('at', '<', new Date(f.to).toISOString());
  if (f.beforeId !== null) query = query.where('id', '<', f.beforeId);
  const rows = await query.orderBy('id', 'desc').limit(f.limit + 1).execute();
  return rows.map((r) => ({ ...r, detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null }));
}
