// Writing notifications: called inside other modules' write transactions, so a notification lands with
// the change it tells of, or not at all. Nothing here sends: delivery reads the outbox afterwards.
import type { Kysely, Transaction } from 'kysely';
import type { Bilingual } from '../../core/i18n.js';
import type { OutboxChannel } from '../../db/tables-appeals.js';
import type { Database } from '../../db/tables.js';
import { channelsFor, textFor } from './notifications.rules.js';

type Db = Kysely<Database> | Transaction<Database>;

export type NotificationItem = { userId: number; kind: string; appealId: number | null; title: Bilingual; body: Bilingual };

// Why email rows are written whenever a user has an address, whether or not SMTP is configured: the
// callers run inside a transaction and know nothing of the configuration, and the outbox is the honest
// record. Without an email adapter the delivery worker marks such rows failed with "no adapter" at once
// (one try, no retries), so nothing is silently dropped and nothing is retried forever.
export const DEFAULT_EXTRA_CHANNELS: readonly OutboxChannel[] = ['email'];

/**
 * One in-app notification per item, in the recipient's language, and one outbox row per extra channel
 * that reaches them (by default email, for users with an address). The same user, kind and appeal twice
 * in one call is written once: a user holding grants on both levels of an escalation hears of it once.
 */
export async function enqueueNotifications(
  db: Db,
  items: NotificationItem[],
  now: Date,
  options: { channels?: readonly OutboxChannel[] } = {},
): Promise<void> {
  if (items.length === 0) return;
  const asked = options.channels ?? DEFAULT_EXTRA_CHANNELS;
  const userIds = [...new Set(items.map((item) => item.userId))];
  const users = await db.selectFrom('users').select(['id', 'locale', 'email', 'disabledAt']).where('id', 'in', userIds).execute();
  const byId = new Map(users.map((user) => [user.id, user]));
  const at = now.toISOString();
  const seen = new Set<string>();
  for (const item of items) {
    const key = `${item.userId}\u0000${item.kind}\u0000${item.appealId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const user = byId.get(item.userId);
    if (!user) throw new Error(`Notification for user ${item.userId}, who does not exist`);
    // One row at a time: a multi-row INSERT … RETURNING does not promise its rows in VALUES order on
    // PostgreSQL, and the outbox rows must point at the right notification. Recipients are a handful.
    const { id } = await db
      .insertInto('notifications')
      .values({ userId: user.id, kind: item.kind, appealId: item.appealId, title: textFor(user.locale, item.title), body: textFor(user.locale, item.body), createdAt: at, readAt: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const channels = channelsFor(user, asked);
    if (channels.length === 0) continue;
    await db
      .insertInto('outbox')
      .values(channels.map((channel) => ({ notificationId: id, channel, status: 'pending' as const, nextAttemptAt: at, lockedUntil: null, lastError: null, createdAt: at, deliveredAt: null })))
      .execute();
  }
}

/** Users who answer for a unit: its branch secretaries and org admins granted exactly there, still enabled. */
export async function unitRecipients(db: Db, unitId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('roleGrants')
    .innerJoin('users', 'users.id', 'roleGrants.userId')
    .select('users.id')
    .distinct()
    .where('roleGrants.unitId', '=', unitId)
    .where('roleGrants.role', 'in', ['branch_secretary', 'org_admin'])
    .where('users.disabledAt', 'is', null)
    .orderBy('users.id')
    .execute();
  return rows.map((row) => row.id);
}
