// The durable scheduler: every app process runs it, and the database makes sure each missed deadline
// escalates an appeal exactly once. The escalation event carries a breach key ("<level>:<clock>:<deadline>")
// under a unique index, written before the appeal moves and in the same transaction; a second process
// noticing the same breach fails on that index (or on the appeal's version) and rolls back. Nothing is
// kept in memory, so a restart simply picks up whatever is overdue.
import { sql } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { ConvoyDb } from '../../db/database.js';
import { isUniqueViolation } from '../../db/engine.js';
import { AppError } from '../../core/errors.js';
import type { BlobStore } from '../../core/blob-store.js';
import { purgeIdempotencyKeys } from '../../core/idempotency.js';
import { type PeriodicLog, runPeriodically } from '../../core/periodic.js';
import { anonymizeClosedAppeals } from './appeals.retention.js';
import { moveAppeal, updateIfUnchanged } from './appeals.handling.js';
import { notifyUnit } from './appeals.notify.js';
import { appendEvent, refreshDeadlines } from './appeals.operations.js';
import { type AppealRow, escalationTarget, findAppeal, lockAppeal } from './appeals.queries.js';
import { CONFIRMATION_WINDOW_DAYS, closedStatuses, nextLevel } from './appeals.rules.js';

const BATCH = 100;

/** Which clock ran out: the deadline equal to the appeal's earliest due time. */
export function breachOf(appeal: Pick<AppealRow, 'level' | 'dueAt' | 'acknowledgeBy' | 'nextUpdateBy' | 'resolveBy'>): { clock: 'acknowledge' | 'update' | 'resolve'; key: string } | null {
  if (appeal.dueAt === null) return null;
  const clock = appeal.acknowledgeBy === appeal.dueAt ? 'acknowledge' : appeal.nextUpdateBy === appeal.dueAt ? 'update' : 'resolve';
  return { clock, key: `${appeal.level}:${clock}:${appeal.dueAt}` };
}

const busy = (error: unknown) => error instanceof Error && String((error as Error & { code?: unknown }).code).startsWith('SQLITE_BUSY');
const lostRace = (error: unknown) => isUniqueViolation(error) || busy(error) || (error instanceof AppError && error.status === 409);

/** Escalates each appeal whose deadline passed, one level up; at the top, records the breach once. */
export async function escalateBreaches(db: ConvoyDb, now: Date): Promise<{ escalated: number; recorded: number }> {
  const at = now.toISOString();
  const closed = [...closedStatuses];
  const due = await db
    .selectFrom('appeals as a')
    .select(['a.id'])
    .where('a.dueAt', '<', at)
    .where('a.status', 'not in', closed)
    // At the top level a breach stays breached; once recorded it is not looked at again.
    .where((eb) => eb.not(eb.exists(eb.selectFrom('appealEvents as e').select('e.id').whereRef('e.appealId', '=', 'a.id').where('e.kind', '=', 'breached').where(sql<boolean>`e.created_at >= a.due_at`))))
    .orderBy('a.dueAt')
    .limit(BATCH)
    .execute();
  let escalated = 0;
  let recorded = 0;
  for (const { id } of due) {
    try {
      const outcome = await db.transaction().execute(async (trx) => {
        await lockAppeal(trx, id);
        const appeal = await findAppeal(trx, id);
        const breach = appeal ? breachOf(appeal) : null;
        if (!appeal || !breach || appeal.dueAt === null || appeal.dueAt >= at || closedStatuses.has(appeal.status)) return 'none';
        const level = nextLevel(appeal.level);
        const target = level ? await escalationTarget(trx, appeal.unitPath, level) : undefined;
        if (target) {
          await moveAppeal(trx, appeal, target, { kind: 'escalated', reason: null, actorUserId: null, breachKey: breach.key, now });
          return 'escalated';
        }
        await appendEvent(trx, { appealId: appeal.id, kind: 'breached', fromStatus: null, toStatus: null, visibility: 'internal', body: breach.clock, unitId: appeal.unitId, level: appeal.level, actorUserId: null, breachKey: breach.key, createdAt: at });
        await notifyUnit(trx, appeal.unitId, appeal, 'appeal.breached', { zh: '已超过办理时限，且没有更高一级可以上报，请尽快办理。', en: 'The deadline has passed and there is no higher level; please act on it now.' }, now);
        return 'recorded';
      });
      if (outcome === 'escalated') escalated++;
      if (outcome === 'recorded') recorded++;
    } catch (error) {
      // Another process got there first; its escalation stands.
      if (!lostRace(error)) throw error;
    }
  }
  return { escalated, recorded };
}

/** Answers the worker neither confirmed nor reopened within 7 days count as confirmed. */
export async function autoConfirm(db: ConvoyDb, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - CONFIRMATION_WINDOW_DAYS * 86_400_000).toISOString();
  const rows = await db.selectFrom('appeals').select('id').where('status', 'in', ['resolved', 'partly_resolved']).where('answeredAt', '<=', cutoff).orderBy('answeredAt').limit(BATCH).execute();
  let confirmed = 0;
  for (const { id } of rows) {
    try {
      await db.transaction().execute(async (trx) => {
        await lockAppeal(trx, id);
        const appeal = await findAppeal(trx, id);
        if (!appeal || (appeal.status !== 'resolved' && appeal.status !== 'partly_resolved') || appeal.answeredAt === null || appeal.answeredAt > cutoff) return;
        const at = now.toISOString();
        await updateIfUnchanged(trx, appeal, { status: 'confirmed', closedAt: at }, now);
        await appendEvent(trx, { appealId: appeal.id, kind: 'status', fromStatus: appeal.status, toStatus: 'confirmed', visibility: 'public', body: null, unitId: null, level: appeal.level, actorUserId: null, breachKey: `auto-confirm:${appeal.answeredAt}`, createdAt: at });
        await refreshDeadlines(trx, appeal.id, now);
        confirmed++;
      });
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
  }
  return confirmed;
}

export type RetentionOptions = { retentionDays: number; photos: BlobStore | null };

export async function schedulerTick(db: ConvoyDb, now: Date, retention?: RetentionOptions) {
  const breaches = await escalateBreaches(db, now);
  const confirmed = await autoConfirm(db, now);
  const purged = await purgeIdempotencyKeys(db, now);
  const anonymized = retention ? await anonymizeClosedAppeals(db, { now, ...retention }) : 0;
  return { ...breaches, confirmed, purged, anonymized };
}

export function createAppealScheduler(options: { db: ConvoyDb; clock: Clock; log: PeriodicLog; retention?: RetentionOptions; intervalMs?: number }) {
  return runPeriodically({ name: 'appeal scheduler', intervalMs: options.intervalMs ?? 60_000, log: options.log, run: () => schedulerTick(options.db, options.clock.now(), options.retention) });
}
