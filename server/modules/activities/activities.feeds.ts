// iCalendar feeds: a unit's whole subtree (for those with org.read, or anyone holding its secret link,
// since calendar apps cannot log in) and a person's own sign-ups (secret link only). A Fastify plugin
// registered by activities.routes.ts under the same prefix.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ensureAllowed, requireActor } from '../../core/actor.js';
import type { AppDeps } from '../../core/deps.js';
import { notFound } from '../../core/errors.js';
import { unitInScope } from '../org/org.scope.js';
import { acceptsGzip, noneMatch } from '../../core/content-coding.js';
import { contentHashOf, FEED_DAYS_AFTER, FEED_DAYS_BEFORE, feedStamps, feedUnitLookup, feedWindow, unitFeedCache } from './activities.feed-cache.js';
import { buildFeed } from './activities.ics.js';
import { feedOfPerson, feedOfSubtree, identityOf } from './activities.queries.js';
import { feedLinkSchema, feedQuerySchema } from './activities.schema.js';
import { activityTokens } from './activities.tokens.js';
import { MAX_ROW_ID } from '../../core/ids.js';

const tags = ['activities (calendar)'];
const DAY_MS = 86_400_000;
const HISTORY_DAYS = 90;
// Bounds one feed's size (a calendar app's import limits too); a province's window holds ~1,500 at 1m workers.
const MAX_EVENTS = 2000;
const unitParams = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID) });
// Calendar apps poll every few minutes to hours; the limit is per address and generous for that.
const feedLimit = { rateLimit: { max: 60, timeWindow: '1 minute' } };

function sendCalendar(reply: FastifyReply, name: string, body: string | Buffer) {
  return reply
    .type('text/calendar; charset=utf-8')
    .header('content-disposition', `inline; filename="${name}.ics"`)
    .header('cache-control', 'private, max-age=300')
    .send(body);
}

const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

export const activityFeeds: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;
  const tokens = activityTokens(deps.config.secret);
  const since = () => new Date(clock.now().getTime() - HISTORY_DAYS * DAY_MS).toISOString();
  const unitFeeds = unitFeedCache();
  const feedUnit = feedUnitLookup(db);

  app.get(
    '/units/:id/activities.ics',
    {
      config: { access: 'public', ...feedLimit },
      schema: {
        tags,
        summary: 'iCalendar feed of a unit’s subtree: with a session holding org.read, or ?token= from the feed link',
        description:
          `The activities of the unit and every unit beneath it that start from ${FEED_DAYS_BEFORE} days before today to ${FEED_DAYS_AFTER} days after ` +
          `(China days; the window moves at midnight in China), cancelled ones as STATUS:CANCELLED, at most ${MAX_EVENTS} by start time. ` +
          'Subscribed calendars drop events that leave the feed, so older activities disappear from them after a month. ' +
          'The answer carries a strong ETag that changes exactly when the feed does (an activity created, edited or cancelled, a unit ' +
          'moved or renamed, the day turning); send it back in If-None-Match to get 304 Not Modified without a body.',
        params: unitParams,
        querystring: feedQuerySchema,
      },
    },
    async (request, reply) => {
      // Read before the unit and its rows: a change committed meanwhile makes the next request rebuild.
      const stamps = await feedStamps(db);
      const unit = await feedUnit(request.params.id, stamps.orgUnits);
      const token = request.query.token;
      if (token !== undefined) {
        // A wrong token says nothing about whether the unit exists.
        if (!unit || !tokens.unitFeedMatches(unit.id, token)) throw notFound('org_unit');
      } else {
        const actor = requireActor(request);
        if (!unit) throw notFound('org_unit');
        ensureAllowed(actor, 'org.read', unit.path);
      }
      const window = feedWindow(clock.now());
      const feed = await unitFeeds.get(unit.id, `${window.day}|${stamps.key}`, async () => {
        const name = `${unit.name} · 活动`;
        const rows = await feedOfSubtree(db, unit.path, window, MAX_EVENTS);
        return { contentHash: contentHashOf(name, rows), write: () => Buffer.from(buildFeed(name, rows)) };
      });
      const encoded = acceptsGzip(request.headers['accept-encoding']) ? await feed.gzipped() : feed;
      void reply.header('etag', encoded.etag).header('vary', 'Accept-Encoding');
      if (noneMatch(request.headers['if-none-match'], encoded.etag)) return reply.code(304).header('cache-control', 'private, max-age=300').send();
      if (encoded !== feed) void reply.header('content-encoding', 'gzip');
      return sendCalendar(reply, `unit-${unit.id}-activities`, encoded.body);
    },
  );

  app.get(
    '/units/:id/activities/feed-link',
    { schema: { tags, summary: 'The secret subscription link of a unit’s feed, for those with org.read (whoever holds the link reads the feed)', params: unitParams, response: { 200: feedLinkSchema } } },
    async (request) => {
      const unit = await unitInScope(db, requireActor(request), request.params.id, 'org.read');
      const path = `/api/v1/units/${unit.id}/activities.ics?token=${tokens.unitFeed(unit.id)}`;
      return { path, url: `${originOf(request)}${path}` };
    },
  );

  app.get(
    '/me/activities.ics',
    {
      config: { access: 'public', ...feedLimit },
      schema: { tags, summary: 'iCalendar feed of my sign-ups (waitlisted ones TENTATIVE, cancelled activities CANCELLED), by the secret link from /me/activities/feed-link', querystring: feedQuerySchema },
    },
    async (request, reply) => {
      const token = request.query.token;
      const userId = token === undefined ? null : tokens.userOfFeedToken(token);
      if (userId === null) throw notFound('user');
      const user = await db.selectFrom('users').select(['id', 'disabledAt']).where('id', '=', userId).executeTakeFirst();
      if (!user || user.disabledAt !== null) throw notFound('user');
      const rows = await feedOfPerson(db, await identityOf(db, user.id), since(), MAX_EVENTS);
      return sendCalendar(reply, 'my-activities', buildFeed('我的活动 · My activities', rows));
    },
  );

  app.get(
    '/me/activities/feed-link',
    { schema: { tags, summary: 'My secret calendar subscription link', response: { 200: feedLinkSchema } } },
    async (request) => {
      const actor = requireActor(request);
      const path = `/api/v1/me/activities.ics?token=${tokens.userFeed(actor.userId)}`;
      return { path, url: `${originOf(request)}${path}` };
    },
  );
};
