import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../core/deps.js';
import { decodeCursor, toPage } from '../../core/paging.js';
import { divisionPageSchema, listDivisionsQuerySchema } from './divisions.schema.js';
import { searchCities } from './divisions.rules.js';

export const divisionRoutes: FastifyPluginAsyncZod<AppDeps> = async (app) => {
  app.get(
    '/divisions',
    {
      schema: {
        tags: ['divisions'],
        summary: 'Cities of China by GB/T 2260 code, for pickers',
        querystring: listDivisionsQuerySchema,
        response: { 200: divisionPageSchema },
      },
    },
    async (request) => {
      const { q, limit, cursor } = request.query;
      const after = decodeCursor(cursor, ['text'])?.[0];
      const rows = searchCities(q, limit, after === undefined || after === null ? undefined : String(after));
      const page = toPage(rows, limit, (c) => [c.code]);
      return { items: page.items.map((c) => ({ code: c.code, name: c.name, nameEn: c.nameEn, province: c.province })), nextCursor: page.nextCursor };
    },
  );
};
