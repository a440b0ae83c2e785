// Writing notifications: called inside other modules' write transactions, so a notification lands with
// the change it tells of, or not at all. Nothing here sends: delivery reads the outbox afterwards.
import type { Kysely, Transaction } from 'kysely';
import type { Bilingual } from '../../core/i18n.js';
import { preparedStatement } from '../../db/prepared.js';
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

export type Recipient = { id: number; locale: string; email: string | null; disabledAt: string | null };

// Seven columns a notification: 500 rows stay well under SQLite's bound-parameter limit.
const ROWS_PER_INSERT = 500;

/**
 * One in-app notification per item, in the recipient's language, and one outbox row per extra channel
 * that reaches them (by default email, for users with an address). The same user, kind and appeal twice
 * in one call is written once: a user holding grants on both levels of an escalation hears of it once.
 * `recipients` are the users already read by the caller (unitRecipientUsers), which saves the look-up.
 * Each kind of row goes in one multi-row INSERT (a filing's hot path, issue 6).
 */
export async function enqueueNotifications(
  db: Db,
  items: NotificationItem[],
  now: Date,
  options: { channels?: readonly OutboxChannel[]; recipients?: readonly Recipient[] } = {},
): Promise<void> {
  if (items.length === 0) return;
  const asked = options.channels ?? DEFAULT_EXTRA_CHANNELS;
  const userIds = [...new Set(items.map((item) => item.userId))];
  const users = options.recipients ?? (await db.selectFrom('users').select(['id', 'locale', 'email', 'disabledAt']).where('id', 'in', userIds).execute());
  const byId = new Map(users.map((user) => [user.id, user]));
  const at = now.toISOString();
  const keyOf = (n: { userId: number; kind: string; appealId: number | null }) => `${n.userId}\u0000${n.kind}\u0000${n.appealId ?? ''}`;
  const unique = new Map<string, NotificationItem>();
  for (const item of items) if (!unique.has(keyOf(item))) unique.set(keyOf(item), item);
  const rows = [...unique.values()].map((item) => {
    const user = byId.get(item.userId);
    if (!user) throw new Error(`Notification for user ${item.userId}, who does not exist`);
    return { userId: user.id, kind: item.kind, appealId: item.appealId, title: textFor(user.locale, item.title), body: textFor(user.locale, item.body), createdAt: at, readAt: null };
  });
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    // A multi-row INSERT … RETURNING does not promise its rows in VALUES order on PostgreSQL, so each
    // returned id finds its outbox rows by (user, kind, appeal), unique within the call.
    const written = await db
      .insertInto('notifications')
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .returning(['id', 'userId', 'kind', 'appealId'])
      .execute();
    const outbox = written.flatMap((notification) =>
      channelsFor(byId.get(notification.userId)!, asked).map((channel) => ({ notificationId: notification.id, channel, status: 'pending' as const, nextAttemptAt: at, lockedUntil: null, lastError: null, createdAt: at, deliveredAt: null })),
    );
    for (let j = 0; j < outbox.length; j += ROWS_PER_INSERT) await db.insertInto('outbox').values(outbox.slice(j, j + ROWS_PER_INSERT)).execute();
  }
}

/** Users who answer for a unit: its branch secretaries and org admins granted exactly there, still enabled. */
export async function unitRecipients(db: Db, unitId: number): Promise<number[]> {
  return (await unitRecipientUsers(db, unitId)).map((user) => user.id);
}

/** The same users with what a notification needs of them (language, address), for enqueueNotifications. */
// Read on every filing: built and compiled once (db/prepared.ts).
const recipientsAtUnit = preparedStatement(['unitId'], (db, { unitId }: { unitId: number }) =>
  db
    .selectFrom('roleGrants')
    .innerJoin('users', 'users.id', 'roleGrants.userId')
    .select(['users.id', 'users.locale', 'users.email', 'users.disabledAt'])
    .distinct()
    .where('roleGrants.unitId', '=', unitId)
    .where('roleGrants.role', 'in', ['branch_secretary', 'org_admin'])
    .where('users.disabledAt', 'is', null)
    .orderBy('users.id'),
);

export async function unitRecipientUsers(db: Db, unitId: number): Promise<Recipient[]> {
  return (await recipientsAtUnit(db, { unitId })).rows;
}
