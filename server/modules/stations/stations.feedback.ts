// What workers say about a station: a 1–5 rating (one per worker, changed by rating again) and problem
// reports, which become appeals in the category "rest and facilities" through the appeals module.
import { z } from 'zod';
import { ensureAllowed, requireActor } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import { conflict } from '../../core/errors.js';
import { IDEMPOTENCY_HEADER, validIdempotencyKey } from '../../core/idempotency.js';
import { fileAppeal } from '../appeals/appeals.operations.js';
import { type StationsApp, type StationsContext, stationOr404, tags, workerIdOrForbidden } from './stations.http.js';
import { ratingSummaryOf } from './stations.queries.js';
import { idParamsSchema, problemBodySchema, problemResultSchema, ratingBodySchema, ratingListSchema, ratingResultSchema } from './stations.schema.js';

export function registerFeedbackRoutes(app: StationsApp, ctx: StationsContext): void {
  const { db, clock } = ctx;

  app.post(
    '/stations/:id/ratings',
    { schema: { tags, summary: 'Rate a station 1–5 with an optional comment (workers); rating again replaces your earlier rating', params: idParamsSchema, body: ratingBodySchema, response: { 200: ratingResultSchema } } },
    async (request) => {
      const actor = requireActor(request);
      const station = await stationOr404(ctx, request.params.id);
      if (station.status === 'closed') throw conflict({ zh: '该站点已关闭', en: 'This station is closed' });
      const workerId = await workerIdOrForbidden(ctx, actor, 'station.rate');
      const now = clock.now();
      const at = now.toISOString();
      const { stars } = request.body;
      const comment = request.body.comment ?? null;
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('stationRatings')
          .values({ stationId: station.id, workerId, stars, comment, createdAt: at, updatedAt: at })
          .onConflict((oc) => oc.columns(['stationId', 'workerId']).doUpdateSet({ stars, comment, updatedAt: at }))
          .execute();
        await recordAudit(trx, { actor, action: 'station.rate', entityType: 'station', entityId: station.id, ip: request.ip, detail: { stars }, at: now });
      });
      return { stars, comment, rating: await ratingSummaryOf(db, station.id) };
    },
  );

  app.get(
    '/stations/:id/ratings',
    { schema: { tags, summary: 'Ratings and comments of a station, without who gave them (org.read on its unit)', params: idParamsSchema, querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }), response: { 200: ratingListSchema } } },
    async (request) => {
      const station = await stationOr404(ctx, request.params.id);
      ensureAllowed(requireActor(request), 'org.read', station.unitPath, 'station');
      const items = await db.selectFrom('stationRatings').select(['stars', 'comment', 'updatedAt']).where('stationId', '=', station.id).orderBy('updatedAt', 'desc').limit(request.query.limit).execute();
      return { rating: await ratingSummaryOf(db, station.id), items };
    },
  );

  app.post(
    '/stations/:id/problems',
    {
      schema: {
        tags,
        summary: 'Report a problem at a station: files an appeal (rest and facilities) with the station’s name and place. Send an Idempotency-Key so a retry files once.',
        params: idParamsSchema,
        body: problemBodySchema,
        response: { 201: problemResultSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const station = await stationOr404(ctx, request.params.id);
      const { anonymous } = request.body;
      const input = {
        category: 'rest_facilities' as const,
        description: `【${station.name}】${request.body.description}`,
        anonymous,
        lat: station.lat,
        lng: station.lng,
        address: station.address,
        ...(station.cityCode ? { cityCode: station.cityCode } : {}),
        // A platform's driver home is that platform's matter; elsewhere the worker's own platform is.
        ...(station.platformId !== null ? { platformId: station.platformId } : {}),
        contactPreference: anonymous ? ('none' as const) : ('in_app' as const),
      };
      const key = validIdempotencyKey(request.headers[IDEMPOTENCY_HEADER]);
      const created = await fileAppeal(ctx, actor, input, { ip: request.ip, idempotencyKey: key === undefined ? undefined : `station-problem:${station.id}:${key}` });
      // The appeal and its audit row are written by the appeals module in its own transaction; the link
      // to the station follows (and is idempotent), so a replayed filing does not link twice.
      await db.transaction().execute(async (trx) => {
        const linked = await trx.selectFrom('stationProblems').select('appealId').where('appealId', '=', created.id).executeTakeFirst();
        if (linked) return;
        await trx.insertInto('stationProblems').values({ appealId: created.id, stationId: station.id, createdAt: clock.now().toISOString() }).execute();
        // An anonymous report's audit row names no one, as the appeal's own does not.
        await recordAudit(trx, { actor: anonymous ? null : actor, action: 'station.problem', entityType: 'station', entityId: station.id, ip: anonymous ? null : request.ip, detail: { appealId: created.id }, at: clock.now() });
      });
      return reply.code(201).send({ appealId: created.id, trackingCode: created.trackingCode, secret: created.secret, unitName: created.unitName, expectedBy: created.expectedBy });
    },
  );
}
