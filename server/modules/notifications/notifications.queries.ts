// A user's own notifications: every query here is bound to one user id, so no one reads or marks
// another's. Newest first, paged by id over the (user_id, id) index.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.js';

type Db = Kysely<Database>;

const columns = ['id', 'kind', 'appealId', 'title', 'body', 'createdAt', 'readAt'] as const;

export async function listOwnNotifications(db: Db, userId: number, options: { unreadOnly: boolean; beforeId: number | null; limit: number }) {
  let query = db.selectFrom('notifications').select(columns).where('userId', '=', userId);
  if (options.unreadOnly) query = query.where('readAt', 'is', null);
  if (options.beforeId !== null) query = query.where('id', '<', options.beforeId);
  // One extra row tells whether another page follows.
  return query.orderBy('id', 'desc').limit(options.limit + 1).execute();
}

export async function countUnread(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one of the user's notifications read (keeping the first reading time); undefined when it is not theirs. */
export async function markRead(db: Db, userId: number, id: number, now: Date) {
  await db.updateTable('notifications').set({ readAt: now.toISOString() }).where('id', '=', id).where('userId', '=', userId).where('readAt', 'is', null).execute();
  return db.selectFrom('notifications').select(columns).where('id', '=', id).where('userId', '=', userId).executeTakeFirst();
}

export async function markAllRead(db: Db, userId: number, now: Date): Promise<number> {
  const result = await db.updateTable('notifications').set({ readAt: now.toISOString() }).where('userId', '=', userId).where('readAt', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
