import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { guard } from '../../core/actor.js';
import type { AppDeps } from '../../core/deps.js';
import { decodeCursor, pageOf, toPage } from '../../core/paging.js';
import { listAuditEntries } from './audit.queries.js';
import { auditEntrySchema, listAuditQuerySchema } from './audit.schema.js';

export const auditRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db }) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The append-only audit log, newest first (system admins)',
        querystring: listAuditQuerySchema,
        response: { 200: pageOf(auditEntrySchema) },
      },
    },
    async (request) => {
      guard(request, 'audit.read', null, 'audit_entry');
      const { cursor, ...filter } = request.query;
      const before = decodeCursor(cursor, ['id'])?.[0];
      const rows = await listAuditEntries(db, { ...filter, beforeId: typeof before === 'number' ? before : null });
      return toPage(rows, filter.limit, (r) => [r.id]);
    },
  );
};
