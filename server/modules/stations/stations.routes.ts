// Stations: the nearest search, the map layer (GeoJSON), lists and details, and the writes of those who
// run them. Stations are public facilities, so nearby, GeoJSON and detail answer without a session.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../core/actor.js';
import { acceptsGzip, noneMatch } from '../../core/content-coding.js';
import type { AppDeps } from '../../core/deps.js';
import type { FastFront } from '../../core/fast-path.js';
import { sharedLimit } from '../../core/shared-rate-limit.js';
import { notFound } from '../../core/errors.js';
import { decodeCursor, encodeCursor, pageOf } from '../../core/paging.js';
import { authorize } from '../../core/scope.js';
import { findUnit } from '../org/org.queries.js';
import { registerFeedbackRoutes } from './stations.feedback.js';
import { type StationsContext, stationOr404, tags } from './stations.http.js';
import { liveStationIndex } from './stations.index.js';
import { registerPhotoRoutes } from './stations.photos.js';
import { mapLayer } from './stations.geojson.js';
import { nearbyAnswer, nearbyFastAnswer, sendJsonText } from './stations.nearby.js';
import { type Station, listStations, loadIndexedStations, photosOf, ratingSummaryOf, stationsByIds, stationsStamp, workerIdOfUser } from './stations.queries.js';
import {
  closeStationBodySchema,
  createStationBodySchema,
  geojsonQuerySchema,
  idParamsSchema,
  listStationsQuerySchema,
  nearbyQuerySchema,
  type NearbyResult,
  nearbyResultSchema,
  stationDetailSchema,
  stationViewSchema,
  updateStationBodySchema,
} from './stations.schema.js';
import { stationView } from './stations.views.js';
import { registerVisitRoutes } from './stations.visits.js';
import { closeStation, createStation, updateStation } from './stations.writes.js';

// How stale another process's writes may be in this process's nearby answers and map layer.
const INDEX_CHECK_MS = 5_000;
const MAP_MAX_AGE_S = 60;
// Public reads are cheap but unauthenticated: a generous per-address limit keeps scrapers polite.
const publicLimit = { rateLimit: { max: 120, timeWindow: '1 minute' } };

export const stationsRoutes: FastifyPluginAsyncZod<AppDeps & { front?: FastFront }> = async (app, deps) => {
  const { db, clock } = deps;
  // One index per app instance, built now and rebuilt after every write this process makes.
  const index = liveStationIndex<Station>({ stamp: () => stationsStamp(db), load: () => loadIndexedStations(db) }, { now: () => clock.now().getTime(), checkEveryMs: INDEX_CHECK_MS });
  await index.refresh();
  const ctx: StationsContext = { ...deps, index };

  // One count per address for both ways a nearby search is answered (core/shared-rate-limit.ts).
  const nearbyLimit = sharedLimit(app, publicLimit.rateLimit);
  app.get(
    '/stations/nearby',
    {
      config: { access: 'public' },
      onRequest: nearbyLimit.hook,
      schema: { tags, summary: 'The nearest stations by great-circle distance, with filters, distance in metres and whether each is open now (China time)', querystring: nearbyQuerySchema, response: { 200: nearbyResultSchema } },
    },
    // Answered from memory: the index holds every write of this process once it has committed, and
    // another process's within INDEX_CHECK_MS (its stamp).
    async (request, reply) => sendJsonText<NearbyResult>(reply, nearbyAnswer(await index.current(), request.query, clock.now())),
  );
  // The same search in front of Fastify's request path, for the plain queries phones send (stations.nearby.ts).
  if (deps.front) {
    const route = `${app.prefix}/stations/nearby`;
    deps.front.paths.add(route, nearbyFastAnswer({ route, index, now: () => clock.now(), limit: nearbyLimit, front: deps.front }));
  }

  app.get(
    '/stations.geojson',
    {
      config: { access: 'public', ...publicLimit },
      schema: {
        tags,
        summary: 'Every station that is not closed as an RFC 7946 FeatureCollection (application/geo+json, WGS-84); Feature ids are station ids. Strong ETag (If-None-Match answers 304), gzip when accepted',
        querystring: geojsonQuerySchema,
      },
    },
    async (request, reply) => {
      const q = request.query;
      const now = clock.now();
      const layer = mapLayer(await index.current(), { kind: q.kind, cityCode: q.cityCode, services: q.service, openNow: q.openNow === 'true' }, now);
      const encoded = acceptsGzip(request.headers['accept-encoding']) ? await layer.gzipped() : layer.identity;
      // A map may reuse its copy for a minute, or until an open state in it changes if sooner, then asks again.
      const maxAge = Math.max(0, Math.min(MAP_MAX_AGE_S, Math.floor((layer.until - now.getTime()) / 1000)));
      void reply.header('etag', encoded.etag).header('cache-control', `public, max-age=${maxAge}, must-revalidate`).header('vary', 'Accept-Encoding');
      if (noneMatch(request.headers['if-none-match'], encoded.etag)) return reply.code(304).send();
      if (encoded !== layer.identity) void reply.header('content-encoding', 'gzip');
      return reply.type('application/geo+json; charset=utf-8').send(encoded.body);
    },
  );

  app.get(
    '/stations',
    { schema: { tags, summary: 'Stations, by id, with filters (any logged-in user: stations are public facilities)', querystring: listStationsQuerySchema, response: { 200: pageOf(stationViewSchema) } } },
    async (request) => {
      requireActor(request);
      const q = request.query;
      let unitPath: string | undefined;
      if (q.unitId !== undefined) {
        const unit = await findUnit(db, q.unitId);
        if (!unit) throw notFound('org_unit');
        unitPath = unit.path;
      }
      const after = decodeCursor(q.cursor, ['id']);
      const rows = await listStations(db, { unitPath, kind: q.kind, status: q.status, cityCode: q.cityCode, services: q.service, q: q.q, afterId: after ? Number(after[0]) : undefined, limit: q.limit + 1 });
      const now = clock.now();
      const items = rows.slice(0, q.limit).map((s) => stationView(s, now));
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null };
    },
  );

  app.get(
    '/stations/:id',
    { config: { access: 'public', ...publicLimit }, schema: { tags, summary: 'A station with its rating, photos and, for a logged-in worker, their own rating', params: idParamsSchema, response: { 200: stationDetailSchema } } },
    async (request) => {
      const station = await stationOr404(deps, request.params.id);
      const actor = request.actor;
      const workerId = actor ? await workerIdOfUser(db, actor.userId) : null;
      const mine = workerId === null ? undefined : await db.selectFrom('stationRatings').select(['stars', 'comment']).where('stationId', '=', station.id).where('workerId', '=', workerId).executeTakeFirst();
      const photos = await photosOf(db, station.id);
      return {
        ...stationView(station, clock.now()),
        closedAt: station.closedAt,
        rating: await ratingSummaryOf(db, station.id),
        myRating: mine ?? null,
        photos: photos.map((p) => ({ id: p.id, url: `/api/v1/stations/${station.id}/photos/${p.id}`, contentType: p.contentType })),
        canEdit: actor !== null && station.status !== 'closed' && authorize(actor, 'org.write', station.unitPath) === 'allowed',
        createdAt: station.createdAt,
      };
    },
  );

  const meta = (request: FastifyRequest) => ({ actor: requireActor(request), ip: request.ip, now: clock.now() });
  const afterWrite = async (id: number) => {
    await index.refresh();
    const [station] = await stationsByIds(db, [id]);
    if (!station) throw notFound('station');
    return stationView(station, clock.now());
  };

  app.post(
    '/stations',
    { schema: { tags, summary: 'Add a station (org.write on the running unit; system admins may leave the unit empty)', body: createStationBodySchema, response: { 201: stationViewSchema } } },
    async (request, reply) => {
      const id = await createStation(db, request.body, meta(request));
      return reply.code(201).send(await afterWrite(id));
    },
  );

  app.patch(
    '/stations/:id',
    { schema: { tags, summary: 'Change a station (org.write on its unit, and on the new unit when it moves)', params: idParamsSchema, body: updateStationBodySchema, response: { 200: stationViewSchema } } },
    async (request) => {
      await updateStation(db, request.params.id, request.body, meta(request));
      return afterWrite(request.params.id);
    },
  );

  app.post(
    '/stations/:id/close',
    { schema: { tags, summary: 'Close a station for good (it stays on record, off the map and the nearby search)', params: idParamsSchema, body: closeStationBodySchema, response: { 200: stationViewSchema } } },
    async (request) => {
      await closeStation(db, request.params.id, request.body, meta(request));
      return afterWrite(request.params.id);
    },
  );

  registerVisitRoutes(app, ctx);
  registerFeedbackRoutes(app, ctx);
  await registerPhotoRoutes(app, ctx);
};
