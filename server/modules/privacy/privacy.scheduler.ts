// PIPL asks for a timely answer to a deletion request: one that staff leave undone past its due date is
// escalated once — to the nearest unit above the person's serving unit that has staff, or to the system
// administrators when there is none — through the notification outbox, with an audit row. "Once" is a
// compare-and-set on escalated_at in the transaction that writes the notifications, so any number of
// processes ticking at once escalate each request exactly once.
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../../core/audit.js';
import type { Clock } from '../../core/clock.js';
import { chinaTime } from '../../core/clock.js';
import { type PeriodicLog, runPeriodically } from '../../core/periodic.js';
import type { ConvoyDb } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import { enqueueNotifications, unitRecipients } from '../notifications/notifications.operations.js';
import { ancestorIdsOf } from '../org/org.rules.js';

type Db = Kysely<Database> | Transaction<Database>;

const BATCH = 100;
export const DELETION_OVERDUE_KIND = 'privacy.deletion_overdue';

const busy = (error: unknown) => error instanceof Error && String((error as Error & { code?: unknown }).code).startsWith('SQLITE_BUSY');

/** Enabled system administrators: they answer for people no unit serves, and for the top of the tree. */
async function systemAdmins(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('roleGrants')
    .innerJoin('users', 'users.id', 'roleGrants.userId')
    .select('users.id')
    .distinct()
    .where('roleGrants.role', '=', 'system_admin')
    .where('users.disabledAt', 'is', null)
    .orderBy('users.id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Who an overdue request goes to: the nearest open unit above the serving unit with someone to answer
 * for it; else (no serving unit, or nobody above it) the system administrators.
 */
export async function deletionEscalationTarget(db: Db, servingUnitPath: string | null): Promise<{ unitId: number | null; recipients: number[] }> {
  if (servingUnitPath !== null) {
    const ancestors = ancestorIdsOf(servingUnitPath).reverse();
    const open = ancestors.length === 0 ? [] : await db.selectFrom('orgUnits').select('id').where('id', 'in', ancestors).where('closedOn', 'is', null).execute();
    const openIds = new Set(open.map((u) => u.id));
    for (const unitId of ancestors) {
      if (!openIds.has(unitId)) continue;
      const recipients = await unitRecipients(db, unitId);
      if (recipients.length > 0) return { unitId, recipients };
    }
  }
  return { unitId: null, recipients: await systemAdmins(db) };
}

/** Escalates every deletion request still waiting after its due date, once each; returns how many. */
export async function escalateOverdueDeletionRequests(db: ConvoyDb, now: Date): Promise<number> {
  const at = now.toISOString();
  const due = await db
    .selectFrom('deletionRequests as d')
    .leftJoin('workers as w', 'w.id', 'd.workerId')
    .select(['d.id', 'd.dueAt', 'w.unitId', 'w.unitPath'])
    .where('d.status', '=', 'requested')
    .where('d.dueAt', '<', at)
    .where('d.escalatedAt', 'is', null)
    .orderBy('d.dueAt')
    .orderBy('d.id')
    .limit(BATCH)
    .execute();
  let escalated = 0;
  for (const request of due) {
    try {
      const done = await db.transaction().execute(async (trx) => {
        const target = await deletionEscalationTarget(trx, request.unitPath);
        // Whoever sets escalated_at first escalates; a second process finds it set and writes nothing.
        const claimed = await trx
          .updateTable('deletionRequests')
          .set({ escalatedAt: at, escalatedToUnitId: target.unitId })
          .where('id', '=', request.id)
          .where('status', '=', 'requested')
          .where('escalatedAt', 'is', null)
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) return false;
        // The serving unit hears it too: the request is still theirs to answer. No name in the text: it may leave by email.
        const serving = request.unitId === null ? [] : await unitRecipients(trx, request.unitId);
        const title = { zh: `删除个人信息申请 #${request.id} 已逾期`, en: `Deletion request #${request.id} is overdue` };
        const body = {
          zh: `该申请应于 ${chinaTime(request.dueAt)} 前答复，至今未处理，已上报${target.unitId === null ? '系统管理员' : '上级组织'}。请尽快办理或说明拒绝理由。`,
          en: `It was due by ${chinaTime(request.dueAt)} (China time) and is still waiting; it has been escalated to ${target.unitId === null ? 'the system administrators' : 'the unit above'}. Please carry it out or refuse it with a reason.`,
        };
        const recipients = [...new Set([...target.recipients, ...serving])];
        await enqueueNotifications(trx, recipients.map((userId) => ({ userId, kind: DELETION_OVERDUE_KIND, appealId: null, title, body })), now);
        await recordAudit(trx, { actor: null, action: 'privacy.deletion_escalated', entityType: 'deletion_request', entityId: request.id, at: now, detail: { dueAt: request.dueAt, escalatedToUnitId: target.unitId, notified: recipients.length } });
        return true;
      });
      if (done) escalated++;
    } catch (error) {
      // Another process holds SQLite's write lock: the next tick sees what is left.
      if (!busy(error)) throw error;
    }
  }
  return escalated;
}

/** Escalates overdue deletion requests every minute (by default) in this process. */
export function createPrivacyScheduler(options: { db: ConvoyDb; clock: Clock; log: PeriodicLog; intervalMs?: number }) {
  return runPeriodically({
    name: 'privacy scheduler',
    intervalMs: options.intervalMs ?? 60_000,
    log: options.log,
    run: async () => ({ deletionRequestsEscalated: await escalateOverdueDeletionRequests(options.db, options.clock.now()) }),
  });
}
