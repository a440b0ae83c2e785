// Who hears about an appeal: the unit holding it (its secretaries and admins) and, unless the appeal is
// anonymous, the worker who filed it. Written inside the change's transaction; delivery happens later.
import type { Transaction } from 'kysely';
import type { Bilingual } from '../../core/i18n.js';
import type { Database } from '../../db/tables.js';
import { enqueueNotifications, unitRecipientUsers } from '../notifications/notifications.operations.js';
import { categoryNames } from './appeals.schema.js';
import type { AppealRow } from './appeals.queries.js';

type Trx = Transaction<Database>;

export async function notifyUnit(trx: Trx, unitId: number, appeal: Pick<AppealRow, 'id' | 'category'>, kind: string, body: Bilingual, now: Date): Promise<void> {
  // Read with their language and address, so enqueueing needs no second look-up.
  const users = await unitRecipientUsers(trx, unitId);
  const category = categoryNames[appeal.category];
  const title = { zh: `诉求 #${appeal.id}（${category.zh}）`, en: `Appeal #${appeal.id} (${category.en})` };
  await enqueueNotifications(trx, users.map((user) => ({ userId: user.id, kind, appealId: appeal.id, title, body })), now, { recipients: users });
}

export async function notifyFiler(trx: Trx, appeal: Pick<AppealRow, 'id' | 'category' | 'workerId'>, kind: string, body: Bilingual, now: Date): Promise<void> {
  if (appeal.workerId === null) return;
  const users = await trx.selectFrom('users').select('id').where('workerId', '=', appeal.workerId).where('disabledAt', 'is', null).execute();
  const category = categoryNames[appeal.category];
  const title = { zh: `您的诉求 #${appeal.id}（${category.zh}）`, en: `Your appeal #${appeal.id} (${category.en})` };
  await enqueueNotifications(trx, users.map((u) => ({ userId: u.id, kind, appealId: appeal.id, title, body })), now);
}
