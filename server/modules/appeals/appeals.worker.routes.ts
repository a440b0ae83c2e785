// The worker's side: filing (logged in or anonymous), their own appeals, following an anonymous one by
// tracking code and secret, replying, confirming or reopening, and photos.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import { newBlobKey, sniffImageType } from '../../core/blob-store.js';
import type { AppDeps } from '../../core/deps.js';
import { AppError, notFound } from '../../core/errors.js';
import { IDEMPOTENCY_HEADER, validIdempotencyKey } from '../../core/idempotency.js';
import { authorize, type Actor } from '../../core/scope.js';
import { pageOf } from '../../core/paging.js';
import { divisionOf } from '../divisions/divisions.rules.js';
import { giveFeedback, workerReply } from './appeals.handling.js';
import { appealPhotoStore } from './appeals.retention.js';
import { listAppeals } from './appeals.inbox.js';
import { fileAppeal, secretHashOf } from './appeals.operations.js';
import { type AppealRow, findAppeal, findAppealByCode, receivingPlaces } from './appeals.queries.js';
import {
  appealPlacesSchema,
  codeParamsSchema,
  createAppealBodySchema,
  createdAppealSchema,
  feedbackBodySchema,
  idParamsSchema,
  myAppealItemSchema,
  photoParamsSchema,
  photoQuerySchema,
  photoSchema,
  publicAppealSchema,
  trackFeedbackBodySchema,
  trackQuerySchema,
  trackReplyBodySchema,
  workerReplyBodySchema,
} from './appeals.schema.js';
import { expectedByOf, feedbackOpen, publicView } from './appeals.views.js';

const tags = ['appeals (worker)'];
const MAX_PHOTOS = 5;
const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const SECRET_HEADER = 'x-appeal-secret';

function secretMatches(appeal: AppealRow, secret: string | undefined): boolean {
  if (!secret || appeal.secretHash === null) return false;
  const given = Buffer.from(secretHashOf(secret), 'hex');
  const stored = Buffer.from(appeal.secretHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export const appealWorkerRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;
  const photos = appealPhotoStore(deps.config);
  // Following an anonymous appeal needs no account, so it is throttled instead.
  // Keyed by account when there is one: many drivers share a mobile carrier's address.
  const publicLimit = { rateLimit: { max: 30, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => (request.actor ? `user:${request.actor.userId}` : request.ip) } };

  async function workerIdOf(actor: Actor): Promise<number | null> {
    const user = await db.selectFrom('users').select('workerId').where('id', '=', actor.userId).executeTakeFirst();
    return user?.workerId ?? null;
  }

  async function ownAppeal(request: FastifyRequest, id: number): Promise<{ appeal: AppealRow; actor: Actor }> {
    const actor = requireActor(request);
    const workerId = await workerIdOf(actor);
    const appeal = await findAppeal(db, id);
    if (!appeal || workerId === null || appeal.workerId !== workerId) throw notFound('appeal');
    return { appeal, actor };
  }

  async function trackedAppeal(code: string, secret: string | undefined, needSecret: boolean): Promise<AppealRow> {
    const appeal = await findAppealByCode(db, code);
    if (!appeal || (needSecret && !secretMatches(appeal, secret))) throw notFound('appeal');
    return appeal;
  }

  app.post(
    '/appeals',
    {
      config: { access: 'public', ...publicLimit },
      schema: {
        tags,
        summary: 'File an appeal. Without a session only anonymous filing is possible. Send an Idempotency-Key header so that retries never make two appeals.',
        headers: z.object({ [IDEMPOTENCY_HEADER]: z.string().optional() }).passthrough(),
        body: createAppealBodySchema,
        response: { 201: createdAppealSchema, 200: createdAppealSchema },
      },
    },
    async (request, reply) => {
      const key = validIdempotencyKey(request.headers[IDEMPOTENCY_HEADER]);
      const { replayed, ...created } = await fileAppeal(deps, request.actor, request.body, { ip: request.ip, idempotencyKey: key });
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/appeal-places',
    {
      config: { access: 'public', ...publicLimit },
      schema: { tags, summary: 'Platforms and cities Convoy takes appeals for, so that someone without an account can name theirs', response: { 200: appealPlacesSchema } },
    },
    async () => {
      const rows = await receivingPlaces(db);
      const platforms = new Map<number, { id: number; code: string; name: string; nameEn: string; cityCodes: string[]; anyCity: boolean }>();
      for (const r of rows) {
        const platform = platforms.get(r.id) ?? { id: r.id, code: r.code, name: r.name, nameEn: r.nameEn, cityCodes: [], anyCity: false };
        if (r.kind === 'platform_committee') platform.anyCity = true;
        if (r.cityCode !== null && divisionOf(r.cityCode) && !platform.cityCodes.includes(r.cityCode)) platform.cityCodes.push(r.cityCode);
        platforms.set(r.id, platform);
      }
      const codes = [...new Set([...platforms.values()].flatMap((p) => p.cityCodes))].sort();
      const cities = codes.flatMap((code) => {
        const city = divisionOf(code);
        return city ? [{ code, name: city.name, nameEn: city.nameEn || null, province: city.province || null }] : [];
      });
      return { platforms: [...platforms.values()], cities };
    },
  );

  app.get(
    '/me/appeals',
    { schema: { tags, summary: 'My appeals (those I filed under my name)', response: { 200: pageOf(myAppealItemSchema) } } },
    async (request) => {
      const workerId = await workerIdOf(requireActor(request));
      if (workerId === null) return { items: [], nextCursor: null };
      const now = clock.now();
      const rows = await listAppeals(db, { scope: 'all', workerId, now: now.toISOString(), after: null, limit: 200 });
      // Everything a list row needs is on the appeal row itself: no timeline or photo reads per item.
      const items = rows.slice(0, 200).map((r) => ({ id: r.id, category: r.category, summary: r.descriptionStart.slice(0, 80), status: r.status, holder: r.unitName, expectedBy: expectedByOf(r), canGiveFeedback: feedbackOpen(r, now), createdAt: r.createdAt, updatedAt: r.updatedAt }));
      return { items: items.sort((a, b) => b.id - a.id), nextCursor: null };
    },
  );

  app.get(
    '/me/appeals/:id',
    { schema: { tags, summary: 'One of my appeals with the public timeline', params: idParamsSchema, response: { 200: publicAppealSchema } } },
    async (request) => publicView(db, (await ownAppeal(request, request.params.id)).appeal, { canAct: true, now: clock.now() }),
  );

  app.post(
    '/me/appeals/:id/feedback',
    { schema: { tags, summary: 'Confirm (with a 1–5 rating) or reopen an answered appeal within 7 days', params: idParamsSchema, body: feedbackBodySchema, response: { 200: publicAppealSchema } } },
    async (request) => {
      const { appeal, actor } = await ownAppeal(request, request.params.id);
      const updated = await db.transaction().execute((trx) => giveFeedback(trx, appeal, request.body, actor, clock.now()));
      return publicView(db, updated, { canAct: true, now: clock.now() });
    },
  );

  app.post(
    '/me/appeals/:id/replies',
    { schema: { tags, summary: 'Add information; an appeal waiting on me goes back to work', params: idParamsSchema, body: workerReplyBodySchema, response: { 200: publicAppealSchema } } },
    async (request) => {
      const { appeal, actor } = await ownAppeal(request, request.params.id);
      const updated = await db.transaction().execute((trx) => workerReply(trx, appeal, request.body.body, actor, clock.now()));
      return publicView(db, updated, { canAct: true, now: clock.now() });
    },
  );

  app.get(
    '/appeals/track/:code',
    { config: { access: 'public', ...publicLimit }, schema: { tags, summary: 'Follow an anonymous appeal by its tracking code (with the secret, also act on it)', params: codeParamsSchema, querystring: trackQuerySchema, response: { 200: publicAppealSchema } } },
    async (request) => {
      const appeal = await trackedAppeal(request.params.code, request.query.secret, false);
      return publicView(db, appeal, { canAct: secretMatches(appeal, request.query.secret), now: clock.now() });
    },
  );

  app.post(
    '/appeals/track/:code/feedback',
    { config: { access: 'public', ...publicLimit }, schema: { tags, summary: 'Confirm or reopen an anonymous appeal (needs its secret)', params: codeParamsSchema, body: trackFeedbackBodySchema, response: { 200: publicAppealSchema } } },
    async (request) => {
      const { secret, ...feedback } = request.body;
      const appeal = await trackedAppeal(request.params.code, secret, true);
      const updated = await db.transaction().execute((trx) => giveFeedback(trx, appeal, feedback, null, clock.now()));
      return publicView(db, updated, { canAct: true, now: clock.now() });
    },
  );

  app.post(
    '/appeals/track/:code/replies',
    { config: { access: 'public', ...publicLimit }, schema: { tags, summary: 'Add information to an anonymous appeal (needs its secret)', params: codeParamsSchema, body: trackReplyBodySchema, response: { 200: publicAppealSchema } } },
    async (request) => {
      const appeal = await trackedAppeal(request.params.code, request.body.secret, true);
      const updated = await db.transaction().execute((trx) => workerReply(trx, appeal, request.body.body, null, clock.now()));
      return publicView(db, updated, { canAct: true, now: clock.now() });
    },
  );

  // Who may touch an appeal's photos: its filer (by account or by secret), whoever recorded it for
  // them, and, for reading, the handlers in scope.
  async function photoAccess(request: FastifyRequest, appeal: AppealRow, secret: string | undefined, write: boolean): Promise<boolean> {
    if (secretMatches(appeal, secret)) return true;
    const actor = request.actor;
    if (!actor) return false;
    if (appeal.recordedBy === actor.userId) return true;
    if (appeal.workerId !== null && (await workerIdOf(actor)) === appeal.workerId) return true;
    if (write) return false;
    return [appeal.unitPath, appeal.originUnitPath].some((path) => authorize(actor, 'appeal.read', path) === 'allowed');
  }

  await app.register(async (plugin) => {
    const uploads = plugin.withTypeProvider<ZodTypeProvider>();
    uploads.addContentTypeParser(['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES }, (_request, body, done) => done(null, body));
    uploads.post(
      '/appeals/:id/photos',
      {
        config: { access: 'public', ...publicLimit },
        schema: { tags, summary: 'Attach a photo (JPEG, PNG or WebP by content, ≤ 5 MB, ≤ 5 per appeal). Anonymous filers send X-Appeal-Secret.', params: idParamsSchema, response: { 201: photoSchema } },
      },
      async (request, reply) => {
        const appeal = await findAppeal(db, request.params.id);
        const secret = request.headers[SECRET_HEADER];
        if (!appeal || !(await photoAccess(request, appeal, typeof secret === 'string' ? secret : undefined, true))) throw notFound('appeal');
        const bytes = request.body;
        const contentType = Buffer.isBuffer(bytes) ? sniffImageType(bytes) : null;
        if (!Buffer.isBuffer(bytes) || contentType === null) throw new AppError(415, 'UNSUPPORTED_PHOTO');
        const key = newBlobKey('appeal-photos');
        await photos.put(key, bytes);
        const at = clock.now().toISOString();
        try {
          const photo = await db.transaction().execute(async (trx) => {
            const count = await trx.selectFrom('appealPhotos').select((eb) => eb.fn.countAll<number>().as('n')).where('appealId', '=', appeal.id).executeTakeFirstOrThrow();
            if (Number(count.n) >= MAX_PHOTOS) throw new AppError(409, 'UNSUPPORTED_PHOTO');
            const sha256 = createHash('sha256').update(bytes).digest('hex');
            const row = await trx.insertInto('appealPhotos').values({ appealId: appeal.id, storageKey: key, contentType, sizeBytes: bytes.length, sha256, createdAt: at }).returning(['id', 'contentType', 'sizeBytes', 'createdAt']).executeTakeFirstOrThrow();
            await trx.insertInto('appealEvents').values({ appealId: appeal.id, kind: 'photo', fromStatus: null, toStatus: null, visibility: 'public', body: null, unitId: null, level: null, actorUserId: appeal.anonymous ? null : (request.actor?.userId ?? null), breachKey: null, createdAt: at }).execute();
            await recordAudit(trx, { actor: appeal.anonymous ? null : request.actor, action: 'appeal.photo', entityType: 'appeal', entityId: appeal.id, ip: appeal.anonymous ? null : request.ip, detail: { photoId: row.id, sizeBytes: bytes.length }, at: clock.now() });
            return row;
          });
          return reply.code(201).send(photo);
        } catch (error) {
          // The file is stored before the row; a refused or failed row must not leave it behind.
          await photos.remove(key);
          throw error;
        }
      },
    );
  });

  app.get(
    '/appeals/:id/photos/:photoId',
    { config: { access: 'public', ...publicLimit }, schema: { tags, summary: 'A photo of an appeal (the filer passes ?secret= for anonymous appeals)', params: photoParamsSchema, querystring: photoQuerySchema } },
    async (request, reply) => {
      const appeal = await findAppeal(db, request.params.id);
      if (!appeal || !(await photoAccess(request, appeal, request.query.secret, false))) throw notFound('appeal_photo');
      const photo = await db.selectFrom('appealPhotos').selectAll().where('id', '=', request.params.photoId).where('appealId', '=', appeal.id).executeTakeFirst();
      const bytes = photo ? await photos.get(photo.storageKey) : null;
      if (!photo || !bytes) throw notFound('appeal_photo');
      return reply.header('content-type', photo.contentType).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(bytes);
    },
  );
};
