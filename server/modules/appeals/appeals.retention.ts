// PIPL retention: once an appeal has been closed longer than the retention period, what could identify
// its filer goes — the link to the worker, caller details, exact place, photos, the filer's own
// notifications, and long digit runs (phone and ID numbers) in its texts. What the appeal was about,
// its category, platform, city and timeline stay, so figures and key problems keep their history.
// The audit log keeps its rows: it is append-only by design and answers to its own retention rule.
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { dataFolderOf } from '../../config.js';
import { recordAudit } from '../../core/audit.js';
import { type BlobStore, diskBlobStore } from '../../core/blob-store.js';
import type { Database } from '../../db/tables.js';

const BATCH = 200;

export function appealPhotoStore(config: { databaseUrl: string }): BlobStore {
  return diskBlobStore(join(dataFolderOf(config.databaseUrl), 'uploads'));
}

/** Phone numbers, ID numbers and other runs of seven or more digits (spaces and dashes allowed). */
export function redactNumbers(text: string): string {
  return text.replace(/(?:\d[\s-]?){6,}[\dXx]/g, '［已删除］');
}

const roundTo = (value: number | null, places: number) => (value === null ? null : Math.round(value * 10 ** places) / 10 ** places);

export async function anonymizeClosedAppeals(db: Kysely<Database>, options: { now: Date; retentionDays: number; photos: BlobStore | null }): Promise<number> {
  const cutoff = new Date(options.now.getTime() - options.retentionDays * 86_400_000).toISOString();
  const due = await db.selectFrom('appeals').select('id').where('anonymizedAt', 'is', null).where('closedAt', 'is not', null).where('closedAt', '<', cutoff).orderBy('closedAt').limit(BATCH).execute();
  let done = 0;
  for (const { id } of due) {
    const removedPhotos = await db.transaction().execute(async (trx) => {
      const appeal = await trx.selectFrom('appeals').selectAll().where('id', '=', id).where('anonymizedAt', 'is', null).executeTakeFirst();
      if (!appeal) return [];
      const filerUsers = appeal.workerId === null ? [] : (await trx.selectFrom('users').select('id').where('workerId', '=', appeal.workerId).execute()).map((u) => u.id);
      const photos = await trx.selectFrom('appealPhotos').select(['id', 'storageKey']).where('appealId', '=', id).execute();
      await trx
        .updateTable('appeals')
        .set({
          workerId: null,
          contactName: null,
          contactPhoneEnc: null,
          contactId: null,
          secretHash: null,
          address: null,
          lat: roundTo(appeal.lat, 2),
          lng: roundTo(appeal.lng, 2),
          description: redactNumbers(appeal.description),
          feedback: appeal.feedback === null ? null : redactNumbers(appeal.feedback),
          anonymizedAt: options.now.toISOString(),
        })
        .where('id', '=', id)
        .execute();
      const events = await trx.selectFrom('appealEvents').select(['id', 'body']).where('appealId', '=', id).where('body', 'is not', null).execute();
      for (const event of events) {
        const body = redactNumbers(event.body!);
        if (body !== event.body) await trx.updateTable('appealEvents').set({ body }).where('id', '=', event.id).execute();
      }
      if (filerUsers.length > 0) {
        await trx.updateTable('appealEvents').set({ actorUserId: null }).where('appealId', '=', id).where('actorUserId', 'in', filerUsers).execute();
        const notes = (await trx.selectFrom('notifications').select('id').where('appealId', '=', id).where('userId', 'in', filerUsers).execute()).map((n) => n.id);
        if (notes.length > 0) {
          await trx.deleteFrom('outbox').where('notificationId', 'in', notes).execute();
          await trx.deleteFrom('notifications').where('id', 'in', notes).execute();
        }
      }
      if (photos.length > 0) await trx.deleteFrom('appealPhotos').where('appealId', '=', id).execute();
      await recordAudit(trx, { actor: null, action: 'appeal.anonymized', entityType: 'appeal', entityId: id, detail: { retentionDays: options.retentionDays, photos: photos.length }, at: options.now });
      return photos.map((p) => p.storageKey);
    });
    // Files go after the commit: a crash in between leaves an unreferenced file, never a row without its file.
    for (const key of removedPhotos) await options.photos?.remove(key);
    done++;
  }
  return done;
}
