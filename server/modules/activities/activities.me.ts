// The worker's (or member's) side of activities: what I may join and what I joined, signing up and
// cancelling, and checking in with the code shown at the venue. A Fastify plugin registered by
// activities.routes.ts under the same prefix.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../core/actor.js';
import type { AppDeps } from '../../core/deps.js';
import { invalid } from '../../core/errors.js';
import { localeOf } from '../../core/i18n.js';
import { decodeCursor, pageOf, toPage } from '../../core/paging.js';
import { cancelSignUp, checkInView, onceEvenIfRacing, selfCheckIn, signUp } from './activities.participation.js';
import { availableTo, identityOf, myParticipations, placesOf, waitlistPosition } from './activities.queries.js';
import { boundingBox, distanceKm } from './activities.rules.js';
import { activitySchema, availableQuerySchema, checkInBodySchema, checkInResultSchema, idParamsSchema, myActivitiesQuerySchema, signupResultSchema } from './activities.schema.js';
import { activityTokens } from './activities.tokens.js';
import { listViews } from './activities.views.js';

const tags = ['activities (worker)'];
const DAY_MS = 86_400_000;

export const activityParticipation: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;
  const tokens = activityTokens(deps.config.secret);
  const meta = (request: FastifyRequest) => ({ now: clock.now(), ip: request.ip });
  const locale = (request: FastifyRequest) => localeOf(request.headers['accept-language']);

  app.get(
    '/me/activities',
    { schema: { tags, summary: 'My activities: what I signed up for (or walked in to), upcoming soonest first or past newest first', querystring: myActivitiesQuerySchema, response: { 200: pageOf(activitySchema) } } },
    async (request) => {
      const actor = requireActor(request);
      const q = request.query;
      const now = clock.now();
      const cursor = decodeCursor(q.cursor, ['timestamp', 'id']);
      const who = await identityOf(db, actor.userId);
      const rows = await myParticipations(db, who, { when: q.when, now: now.toISOString(), after: cursor ? { startsAt: String(cursor[0]), id: Number(cursor[1]) } : null, limit: q.limit });
      const page = toPage(rows, q.limit, (r) => [r.startsAt, r.id]);
      return { items: await listViews(db, page.items, actor, locale(request), { mine: (row) => row, now }), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/me/activities/available',
    {
      schema: {
        tags,
        summary: 'Activities I may sign up for (my platform and city, the units serving me, my branch’s meetings if I am a member), soonest first; with lat/lng only those near me',
        querystring: availableQuerySchema,
        response: { 200: pageOf(activitySchema) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const q = request.query;
      const now = clock.now();
      const cursor = decodeCursor(q.cursor, ['timestamp', 'id']);
      const near = q.lat !== undefined && q.lng !== undefined ? { lat: q.lat, lng: q.lng } : null;
      const who = await identityOf(db, actor.userId);
      const rows = await availableTo(db, who, {
        from: q.from ? new Date(q.from).toISOString() : now.toISOString(),
        to: q.to ? new Date(q.to).toISOString() : new Date(now.getTime() + 60 * DAY_MS).toISOString(),
        kind: q.kind,
        stationId: q.stationId,
        box: near ? boundingBox(near, q.radiusKm) : undefined,
        after: cursor ? { startsAt: String(cursor[0]), id: Number(cursor[1]) } : null,
        limit: q.limit,
      });
      const page = toPage(rows, q.limit, (r) => [r.startsAt, r.id]);
      const distances = new Map<number, number>();
      if (near) for (const r of page.items) if (r.lat !== null && r.lng !== null) distances.set(r.id, Math.round(distanceKm(near, { lat: r.lat, lng: r.lng }) * 10) / 10);
      // The caller's own place in each, so the phone shows "signed up" instead of offering it again.
      const places = await placesOf(db, who, page.items.map((r) => r.id));
      const mine = (row: { id: number }) => {
        const p = places.get(row.id);
        return p ? { participantStatus: p.status, queueNumber: p.queueNumber, signedUpAt: p.signedUpAt, checkedInAt: p.checkedInAt } : null;
      };
      return { items: await listViews(db, page.items, actor, locale(request), { distances, mine, now }), nextCursor: page.nextCursor };
    },
  );

  const signupView = async (result: Awaited<ReturnType<typeof signUp>>['participant']) => ({
    activityId: result.activityId,
    status: result.status,
    waitlistPosition: await waitlistPosition(db, result),
    signedUpAt: result.signedUpAt,
  });

  app.post(
    '/activities/:id/sign-up',
    {
      schema: {
        tags,
        summary: 'Sign up: a seat while seats remain, else the waitlist (moved up automatically when someone cancels). Membership never decides an open activity.',
        params: idParamsSchema,
        response: { 201: signupResultSchema, 200: signupResultSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const result = await onceEvenIfRacing(() => db.transaction().execute((trx) => signUp(trx, actor, request.params.id, meta(request))));
      return reply.code(result.created ? 201 : 200).send(await signupView(result.participant));
    },
  );

  app.delete(
    '/activities/:id/sign-up',
    { schema: { tags, summary: 'Cancel my sign-up; the first on the waitlist gets the seat', params: idParamsSchema, response: { 200: signupResultSchema } } },
    async (request) => {
      const actor = requireActor(request);
      const participant = await db.transaction().execute((trx) => cancelSignUp(trx, actor, request.params.id, meta(request)));
      return signupView(participant);
    },
  );

  app.post(
    '/activities/:id/check-in',
    {
      schema: {
        tags,
        summary: 'Check myself in with the code shown at the venue, from 2 h before the start to the end; once per person (a repeat answers 200)',
        params: idParamsSchema,
        body: checkInBodySchema,
        response: { 201: checkInResultSchema, 200: checkInResultSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { id } = request.params;
      if (!tokens.checkInMatches(id, request.body.token)) {
        throw invalid('token', { zh: '签到码与该活动不符，请扫描活动现场的二维码', en: 'this code does not belong to this activity; scan the QR code shown at the venue' });
      }
      const result = await onceEvenIfRacing(() => db.transaction().execute((trx) => selfCheckIn(trx, actor, id, meta(request))));
      return reply.code(result.already ? 200 : 201).send(checkInView(id, result));
    },
  );
};
