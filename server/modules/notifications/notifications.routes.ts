import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../core/actor.js';
import type { AppDeps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { decodeCursor, toPage } from '../../core/paging.js';
import { countUnread, listOwnNotifications, markAllRead, markRead } from './notifications.queries.js';
import { listNotificationsQuerySchema, notificationIdParamsSchema, notificationPageSchema, notificationSchema, readAllResultSchema } from './notifications.schema.js';

const tags = ['notifications'];

// Another user's notification answers exactly as a missing one, so ids reveal nothing.
const notificationNotFound = () => new AppError(404, 'NOT_FOUND', { entity: { zh: '通知', en: 'notification' } });

// Marking read is not audited: it changes only the reader's own inbox, like choosing a language.
export const notificationRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;

  app.get(
    '/notifications',
    { schema: { tags, summary: 'The caller’s own notifications, newest first, with the unread count', querystring: listNotificationsQuerySchema, response: { 200: notificationPageSchema } } },
    async (request) => {
      const actor = requireActor(request);
      const { limit, unread } = request.query;
      const cursor = decodeCursor(request.query.cursor, ['id']);
      const rows = await listOwnNotifications(db, actor.userId, { unreadOnly: unread === 'true', beforeId: cursor ? Number(cursor[0]) : null, limit });
      const page = toPage(rows, limit, (row) => [row.id]);
      return { ...page, unreadCount: await countUnread(db, actor.userId) };
    },
  );

  app.post(
    '/notifications/:id/read',
    { schema: { tags, summary: 'Mark one of the caller’s notifications read', params: notificationIdParamsSchema, response: { 200: notificationSchema } } },
    async (request) => {
      const actor = requireActor(request);
      const notification = await markRead(db, actor.userId, request.params.id, clock.now());
      if (!notification) throw notificationNotFound();
      return notification;
    },
  );

  app.post(
    '/notifications/read-all',
    { schema: { tags, summary: 'Mark all of the caller’s notifications read', response: { 200: readAllResultSchema } } },
    async (request) => ({ marked: await markAllRead(db, requireActor(request).userId, clock.now()) }),
  );
};
