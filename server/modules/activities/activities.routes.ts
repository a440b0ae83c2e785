// Activities under /api/v1: organizing (org.write on the organizing unit), lists and details, taking
// part (the worker or member themself), check-in, attendance figures, and the iCalendar feeds.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { ensureAllowed, requireActor } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import type { AppDeps } from '../../core/deps.js';
import { notFound } from '../../core/errors.js';
import { localeOf } from '../../core/i18n.js';
import { decodeCursor, pageOf, toPage } from '../../core/paging.js';
import { authorize, scopePaths } from '../../core/scope.js';
import { findUnit } from '../org/org.queries.js';
import { unitInScope } from '../org/org.scope.js';
import { attendanceFigures } from './activities.attendance.js';
import { activityFeeds } from './activities.feeds.js';
import { activityParticipation } from './activities.me.js';
import { cancelActivity, createActivity, organizedActivity, updateActivity } from './activities.operations.js';
import { checkInView, eligible, onceEvenIfRacing, organizerCheckIn } from './activities.participation.js';
import { findActivity, identityOf, listActivities, listParticipants } from './activities.queries.js';
import { chinaMonthRange, outcomeOf } from './activities.rules.js';
import {
  activitySchema,
  attendanceQuerySchema,
  attendanceSchema,
  attendeeParamsSchema,
  cancelActivityBodySchema,
  checkInLinkSchema,
  checkInResultSchema,
  createActivityBodySchema,
  idParamsSchema,
  listActivitiesQuerySchema,
  memberAttendeeParamsSchema,
  participantSchema,
  participantsQuerySchema,
  updateActivityBodySchema,
} from './activities.schema.js';
import { activityTokens } from './activities.tokens.js';
import { detailFor, listViews } from './activities.views.js';

const tags = ['activities'];

export const activitiesRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;
  const tokens = activityTokens(deps.config.secret);
  const meta = (request: FastifyRequest) => ({ now: clock.now(), ip: request.ip });
  const locale = (request: FastifyRequest) => localeOf(request.headers['accept-language']);

  app.get(
    '/activities',
    { schema: { tags, summary: 'Activities of a unit’s subtree (default: all the caller reaches) by start time', querystring: listActivitiesQuerySchema, response: { 200: pageOf(activitySchema) } } },
    async (request) => {
      const actor = requireActor(request);
      const q = request.query;
      let scope = scopePaths(actor, 'org.read');
      if (q.unitId !== undefined) scope = [(await unitInScope(db, actor, q.unitId, 'org.read')).path];
      const cursor = decodeCursor(q.cursor, ['timestamp', 'id']);
      const rows = await listActivities(db, {
        scope,
        from: q.from && new Date(q.from).toISOString(),
        to: q.to && new Date(q.to).toISOString(),
        kind: q.kind,
        status: q.status,
        stationId: q.stationId,
        after: cursor ? { startsAt: String(cursor[0]), id: Number(cursor[1]) } : null,
        limit: q.limit,
      });
      const page = toPage(rows, q.limit, (r) => [r.startsAt, r.id]);
      return { items: await listViews(db, page.items, actor, locale(request)), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/activities',
    { schema: { tags, summary: 'Organize an activity (org.write on the unit). members_only is for branch meetings only.', body: createActivityBodySchema, response: { 201: activitySchema } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const id = await db.transaction().execute((trx) => createActivity(trx, actor, request.body, meta(request)));
      const activity = await findActivity(db, id);
      if (!activity) throw notFound('activity');
      return reply.code(201).send(await detailFor(db, activity, actor, await identityOf(db, actor.userId), locale(request), clock.now()));
    },
  );

  app.get(
    '/activities/attendance',
    { schema: { tags, summary: 'Attendance per unit subtree and month (China time): activities held, sign-ups, person-times attended, no-shows', querystring: attendanceQuerySchema, response: { 200: attendanceSchema } } },
    async (request) => {
      const actor = requireActor(request);
      const unit = await findUnit(db, request.query.unitId);
      if (!unit) throw notFound('org_unit');
      ensureAllowed(actor, 'org.read', unit.path);
      const range = chinaMonthRange(request.query.month);
      const figures = await attendanceFigures(db, unit.path, range, clock.now());
      return { unitId: unit.id, unitName: unit.name, month: request.query.month, ...range, ...figures };
    },
  );

  app.get(
    '/activities/:id',
    { schema: { tags, summary: 'An activity: for those who reach its unit, and for anyone in its audience or signed up', params: idParamsSchema, response: { 200: activitySchema } } },
    async (request) => {
      const actor = requireActor(request);
      const activity = await findActivity(db, request.params.id);
      if (!activity) throw notFound('activity');
      const who = await identityOf(db, actor.userId);
      const view = await detailFor(db, activity, actor, who, locale(request), clock.now());
      const visible = authorize(actor, 'org.read', activity.unitPath) === 'allowed' || view.mySignup !== null || (activity.status === 'scheduled' && eligible(activity, who));
      if (!visible) throw notFound('activity');
      return view;
    },
  );

  const detailAfter = async (request: FastifyRequest, id: number) => {
    const actor = requireActor(request);
    const activity = await findActivity(db, id);
    if (!activity) throw notFound('activity');
    return detailFor(db, activity, actor, await identityOf(db, actor.userId), locale(request), clock.now());
  };

  app.patch(
    '/activities/:id',
    { schema: { tags, summary: 'Change an activity; its version (the iCalendar SEQUENCE) counts up; people signed up hear of new times or places', params: idParamsSchema, body: updateActivityBodySchema, response: { 200: activitySchema } } },
    async (request) => {
      const actor = requireActor(request);
      await db.transaction().execute((trx) => updateActivity(trx, actor, request.params.id, request.body, meta(request)));
      return detailAfter(request, request.params.id);
    },
  );

  app.post(
    '/activities/:id/cancel',
    { schema: { tags, summary: 'Cancel an activity (kept, and in the feeds as CANCELLED); everyone signed up is told', params: idParamsSchema, body: cancelActivityBodySchema, response: { 200: activitySchema } } },
    async (request) => {
      const actor = requireActor(request);
      await db.transaction().execute((trx) => cancelActivity(trx, actor, request.params.id, request.body.reason, meta(request)));
      return detailAfter(request, request.params.id);
    },
  );

  app.get(
    '/activities/:id/participants',
    { schema: { tags, summary: 'Sign-ups, waitlist and walk-ins with check-in status and outcome (organizers; the read is audited)', params: idParamsSchema, querystring: participantsQuerySchema, response: { 200: pageOf(participantSchema) } } },
    async (request) => {
      const actor = requireActor(request);
      const activity = await organizedActivity(db, actor, request.params.id);
      const q = request.query;
      const cursor = decodeCursor(q.cursor, ['id']);
      const rows = await listParticipants(db, activity.id, { status: q.status, afterId: cursor ? Number(cursor[0]) : null, limit: q.limit });
      const page = toPage(rows, q.limit, (r) => [r.id]);
      const now = clock.now();
      // Positions in line, computed once for the page from the whole waitlist.
      const line = (await listParticipants(db, activity.id, { status: 'waitlisted', afterId: null, limit: 100_000 })).sort((a, b) => a.queueNumber - b.queueNumber);
      const position = new Map(line.map((p, i) => [p.id, i + 1]));
      await recordAudit(db, { actor, action: 'activity.participants.read', entityType: 'activity', entityId: activity.id, ip: request.ip, at: now, detail: { count: page.items.length } });
      return {
        items: page.items.map((p) => ({
          id: p.id,
          person: { kind: p.workerId !== null ? ('worker' as const) : ('member' as const), id: p.workerId ?? p.memberId ?? 0, name: p.name ?? '', phoneTail: p.phoneTail ?? '' },
          status: p.status,
          waitlistPosition: position.get(p.id) ?? null,
          signedUpAt: p.signedUpAt,
          cancelledAt: p.cancelledAt,
          promotedAt: p.promotedAt,
          checkedInAt: p.checkedInAt,
          checkInMethod: p.checkInMethod,
          outcome: outcomeOf(p, activity, now),
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  // The worker's check-in page with the activity's token: what the QR code at the venue opens.
  const checkInLink = (request: FastifyRequest, activityId: number) => {
    const token = tokens.checkIn(activityId);
    const path = `/me/activities/${activityId}/check-in?token=${token}`;
    return { path, url: `${request.protocol}://${request.host}${path}`, token };
  };

  app.get(
    '/activities/:id/check-in-link',
    { schema: { tags, summary: 'The URL the check-in QR code encodes, for a printable page (organizers)', params: idParamsSchema, response: { 200: checkInLinkSchema } } },
    async (request) => checkInLink(request, (await organizedActivity(db, requireActor(request), request.params.id)).id),
  );

  app.get(
    '/activities/:id/qr.svg',
    { schema: { tags, summary: 'The check-in QR code to show at the venue (organizers): it opens the worker’s check-in page', params: idParamsSchema } },
    async (request, reply) => {
      const activity = await organizedActivity(db, requireActor(request), request.params.id);
      const target = checkInLink(request, activity.id).url;
      const svg = await QRCode.toString(target, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return reply.type('image/svg+xml').header('cache-control', 'private, no-store').send(svg);
    },
  );

  app.post(
    '/activities/:id/attendees/:workerId/check-in',
    { schema: { tags, summary: 'An organizer checks a worker in (picked from the list, or from their personal code); a repeat answers 200 with the first check-in', params: attendeeParamsSchema, response: { 200: checkInResultSchema, 201: checkInResultSchema } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { id, workerId } = request.params;
      const result = await onceEvenIfRacing(() =>
        db.transaction().execute(async (trx) => organizerCheckIn(trx, actor, await organizedActivity(trx, actor, id), { workerId }, meta(request))),
      );
      return reply.code(result.already ? 200 : 201).send(checkInView(id, result));
    },
  );

  app.post(
    '/activities/:id/members/:memberId/check-in',
    { schema: { tags, summary: 'An organizer checks a member in to a members-only branch meeting', params: memberAttendeeParamsSchema, response: { 200: checkInResultSchema, 201: checkInResultSchema } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { id, memberId } = request.params;
      const result = await onceEvenIfRacing(() =>
        db.transaction().execute(async (trx) => organizerCheckIn(trx, actor, await organizedActivity(trx, actor, id), { memberId }, meta(request))),
      );
      return reply.code(result.already ? 200 : 201).send(checkInView(id, result));
    },
  );

  // The worker's side and the calendar feeds, as plugins of their own inside this one (same prefix).
  await app.register(activityParticipation, deps);
  await app.register(activityFeeds, deps);
};
