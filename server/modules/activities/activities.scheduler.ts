// Reminders the day before: every confirmed sign-up hears once, through the notification outbox, when
// its activity is less than a day away. "Once" is a compare-and-set on reminded_at in the transaction
// that writes the notification, so any number of processes ticking at once send each reminder once.
import type { Clock } from '../../core/clock.js';
import { recordAudit } from '../../core/audit.js';
import type { ConvoyDb } from '../../db/database.js';
import { notifyParticipants } from './activities.notify.js';
import { type PeriodicLog, runPeriodically } from '../../core/periodic.js';

const DAY_MS = 86_400_000;
const BATCH = 200;

const busy = (error: unknown) => error instanceof Error && String((error as Error & { code?: unknown }).code).startsWith('SQLITE_BUSY');

/**
 * Enqueues one reminder per confirmed sign-up (by an account) whose activity starts within the next
 * 24 hours and has not been reminded. Returns how many were sent.
 */
export async function remindTomorrow(db: ConvoyDb, now: Date): Promise<number> {
  const at = now.toISOString();
  const horizon = new Date(now.getTime() + DAY_MS).toISOString();
  let sent = 0;
  for (;;) {
    const due = await db
      .selectFrom('activityParticipants as p')
      .innerJoin('activities as a', 'a.id', 'p.activityId')
      .select(['p.id', 'p.userId', 'a.id as activityId', 'a.title', 'a.startsAt', 'a.address', 'a.stationId'])
      .where('a.status', '=', 'scheduled')
      .where('a.startsAt', '>', at)
      .where('a.startsAt', '<=', horizon)
      .where('p.status', '=', 'confirmed')
      .where('p.remindedAt', 'is', null)
      .where('p.userId', 'is not', null)
      .orderBy('p.id')
      .limit(BATCH)
      .execute();
    if (due.length === 0) return sent;
    let sentNow = 0;
    try {
      sentNow = await db.transaction().execute(async (trx) => {
        let count = 0;
        for (const row of due) {
          // Whoever sets reminded_at first sends; a second process finds the row taken and moves on.
          const claimed = await trx.updateTable('activityParticipants').set({ remindedAt: at }).where('id', '=', row.id).where('remindedAt', 'is', null).where('status', '=', 'confirmed').executeTakeFirst();
          if (Number(claimed.numUpdatedRows) !== 1) continue;
          await notifyParticipants(trx, [row.userId], 'activity.reminder', row, now);
          count++;
        }
        if (count > 0) await recordAudit(trx, { actor: null, action: 'activity.remind', entityType: 'activity', entityId: null, at: now, detail: { reminders: count } });
        return count;
      });
    } catch (error) {
      // Another process holds the write lock on SQLite: its batch stands, the next tick sees what is left.
      if (busy(error)) return sent;
      throw error;
    }
    sent += sentNow;
    // A batch another process took entirely: what is left is also theirs; stop rather than spin.
    if (sentNow === 0 || due.length < BATCH) return sent;
  }
}

/** Sends the reminders that are due every minute (by default) in this process. */
export function createActivityScheduler(options: { db: ConvoyDb; clock: Clock; log: PeriodicLog; intervalMs?: number }) {
  return runPeriodically({ name: 'activity scheduler', intervalMs: options.intervalMs ?? 60_000, log: options.log, run: async () => ({ reminded: await remindTomorrow(options.db, options.clock.now()) }) });
}
