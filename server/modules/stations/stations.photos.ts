// Photos of a station, uploaded by those who run it (org.write on its unit) and shown to everyone: the
// same blob store and content sniffing as appeal photos, so only real JPEG, PNG or WebP is kept.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ensureAllowed, requireActor } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import { diskBlobStore, newBlobKey, sniffImageType } from '../../core/blob-store.js';
import { AppError, conflict, notFound } from '../../core/errors.js';
import { dataFolderOf } from '../../config.js';
import { type StationsApp, type StationsContext, stationOr404, tags } from './stations.http.js';
import { photoParamsSchema, photoSchema } from './stations.schema.js';

const MAX_PHOTOS = 10;
const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export async function registerPhotoRoutes(app: StationsApp, ctx: StationsContext): Promise<void> {
  const { db, clock } = ctx;
  const photos = diskBlobStore(join(dataFolderOf(ctx.config.databaseUrl), 'uploads'));
  const urlOf = (stationId: number, photoId: number) => `/api/v1/stations/${stationId}/photos/${photoId}`;

  // Raw image bodies are parsed only inside this child plugin; the rest of the API stays JSON-only.
  await app.register(async (plugin) => {
    const uploads = plugin.withTypeProvider<ZodTypeProvider>();
    uploads.addContentTypeParser(['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES }, (_request, body, done) => done(null, body));
    uploads.post(
      '/stations/:id/photos',
      { schema: { tags, summary: 'Add a photo (JPEG, PNG or WebP by content, ≤ 5 MB, ≤ 10 per station); org.write on its unit', params: photoParamsSchema.pick({ id: true }), response: { 201: photoSchema } } },
      async (request, reply) => {
        const actor = requireActor(request);
        const station = await stationOr404(ctx, request.params.id);
        ensureAllowed(actor, 'org.write', station.unitPath, 'station');
        const bytes = request.body;
        const contentType = Buffer.isBuffer(bytes) ? sniffImageType(bytes) : null;
        if (!Buffer.isBuffer(bytes) || contentType === null) throw new AppError(415, 'UNSUPPORTED_PHOTO');
        const key = newBlobKey('station-photos');
        await photos.put(key, bytes);
        const now = clock.now();
        try {
          const photo = await db.transaction().execute(async (trx) => {
            const count = await trx.selectFrom('stationPhotos').select((eb) => eb.fn.countAll<number>().as('n')).where('stationId', '=', station.id).executeTakeFirstOrThrow();
            if (Number(count.n) >= MAX_PHOTOS) throw conflict({ zh: `每个站点最多 ${MAX_PHOTOS} 张照片`, en: `A station has at most ${MAX_PHOTOS} photos` });
            const sha256 = createHash('sha256').update(bytes).digest('hex');
            const row = await trx
              .insertInto('stationPhotos')
              .values({ stationId: station.id, storageKey: key, contentType, sizeBytes: bytes.length, sha256, createdBy: actor.userId, createdAt: now.toISOString() })
              .returning(['id', 'contentType', 'sizeBytes', 'createdAt'])
              .executeTakeFirstOrThrow();
            await recordAudit(trx, { actor, action: 'station.photo_add', entityType: 'station', entityId: station.id, ip: request.ip, detail: { photoId: row.id, sizeBytes: bytes.length }, at: now });
            return row;
          });
          return reply.code(201).send({ ...photo, url: urlOf(station.id, photo.id) });
        } catch (error) {
          // The file is stored before the row; a refused or failed row must not leave it behind.
          await photos.remove(key);
          throw error;
        }
      },
    );
  });

  app.get(
    '/stations/:id/photos/:photoId',
    { config: { access: 'public', rateLimit: { max: 300, timeWindow: '1 minute' } }, schema: { tags, summary: 'A photo of a station', params: photoParamsSchema } },
    async (request, reply) => {
      const photo = await db.selectFrom('stationPhotos').select(['storageKey', 'contentType']).where('id', '=', request.params.photoId).where('stationId', '=', request.params.id).executeTakeFirst();
      const bytes = photo ? await photos.get(photo.storageKey) : null;
      if (!photo || !bytes) throw notFound('station');
      return reply.header('content-type', photo.contentType).header('cache-control', 'public, max-age=86400').header('x-content-type-options', 'nosniff').send(bytes);
    },
  );

  app.delete(
    '/stations/:id/photos/:photoId',
    { schema: { tags, summary: 'Remove a photo; org.write on the station’s unit', params: photoParamsSchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const station = await stationOr404(ctx, request.params.id);
      ensureAllowed(actor, 'org.write', station.unitPath, 'station');
      const now = clock.now();
      const key = await db.transaction().execute(async (trx) => {
        const photo = await trx.selectFrom('stationPhotos').select(['id', 'storageKey']).where('id', '=', request.params.photoId).where('stationId', '=', station.id).executeTakeFirst();
        if (!photo) throw notFound('station');
        await trx.deleteFrom('stationPhotos').where('id', '=', photo.id).execute();
        await recordAudit(trx, { actor, action: 'station.photo_remove', entityType: 'station', entityId: station.id, ip: request.ip, detail: { photoId: photo.id }, at: now });
        return photo.storageKey;
      });
      // The row goes first: a file left behind by a crash is only waste, a row without its file is a broken image.
      await photos.remove(key);
      return reply.code(204).send();
    },
  );
}
