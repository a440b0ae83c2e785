import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../core/actor.js';
import { contextOf as contextWith } from '../../core/context.js';
import type { AppDeps } from '../../core/deps.js';
import { notFound } from '../../core/errors.js';
import { decodeCursor, pageOf, toPage } from '../../core/paging.js';
import { scopePaths } from '../../core/scope.js';
import { fieldCodec } from '../../core/sensitive.js';
import { requestedSubtree } from '../org/org.operations.js';
import { createWorker, listItemOf, loadWorkerFor, recordConsent, updateWorker, withdrawConsent, workerDetail } from './workers.operations.js';
import { listWorkers } from './workers.queries.js';
import {
  consentBodySchema,
  createWorkerBodySchema,
  listWorkersQuerySchema,
  updateWorkerBodySchema,
  workerDetailQuerySchema,
  workerDetailSchema,
  workerIdParamsSchema,
  workerListItemSchema,
} from './workers.schema.js';

const tags = ['workers'];

export const workerRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;
  const codec = fieldCodec(deps.config);
  const contextOf = (request: FastifyRequest) => contextWith(request, clock);

  app.get(
    '/workers',
    {
      schema: {
        tags,
        summary: 'Workers in your scope, in pinyin order; search by a name fragment (even one or two characters) or the phone’s last four digits',
        querystring: listWorkersQuerySchema,
        response: { 200: pageOf(workerListItemSchema) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const query = request.query;
      const subtree = await requestedSubtree(db, actor, 'person.read', query.unitId);
      const scope = scopePaths(actor, 'person.read');
      const cursor = decodeCursor(query.cursor, ['text', 'id']);
      const rows = await listWorkers(db, {
        scope,
        subtree,
        q: query.q,
        platformId: query.platformId,
        cityCode: query.cityCode,
        status: query.status,
        after: cursor ? { nameSort: String(cursor[0]), id: Number(cursor[1]) } : null,
        limit: query.limit,
      });
      const page = toPage(rows, query.limit, (r) => [r.nameSort, r.id]);
      return { items: page.items.map((row) => listItemOf(row, codec)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/workers/:id',
    {
      schema: {
        tags,
        summary: 'One worker; every read is audited, and ?unmask=true shows the full phone to those allowed',
        params: workerIdParamsSchema,
        querystring: workerDetailQuerySchema,
        response: { 200: workerDetailSchema },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const worker = await loadWorkerFor(db, ctx, request.params.id, 'person.read');
      return workerDetail(db, codec, ctx, worker, request.query.unmask === 'true');
    },
  );

  app.get(
    '/me/worker',
    { schema: { tags, summary: 'The logged-in worker’s own record, with the full phone number', response: { 200: workerDetailSchema } } },
    async (request) => {
      const ctx = contextOf(request);
      const own = await db.selectFrom('workers').select('id').where('userId', '=', ctx.actor.userId).executeTakeFirst();
      if (!own) throw notFound('worker');
      return workerDetail(db, codec, ctx, await loadWorkerFor(db, ctx, own.id, 'person.read'), true);
    },
  );

  app.post(
    '/workers',
    { schema: { tags, summary: 'Record a worker; the phone is stored encrypted', body: createWorkerBodySchema, response: { 201: workerDetailSchema } } },
    async (request, reply) => {
      const ctx = contextOf(request);
      const worker = await createWorker(db, codec, ctx, request.body);
      return reply.code(201).send(await workerDetail(db, codec, ctx, worker, false, false));
    },
  );

  app.patch(
    '/workers/:id',
    { schema: { tags, summary: 'Change a worker’s record', params: workerIdParamsSchema, body: updateWorkerBodySchema, response: { 200: workerDetailSchema } } },
    async (request) => {
      const ctx = contextOf(request);
      return workerDetail(db, codec, ctx, await updateWorker(db, codec, ctx, request.params.id, request.body), false, false);
    },
  );

  app.post(
    '/workers/:id/consent',
    {
      schema: { tags, summary: 'Record the worker’s consent to the privacy notice (by the worker, or by staff from paper)', params: workerIdParamsSchema, body: consentBodySchema, response: { 200: workerDetailSchema } },
    },
    async (request) => {
      const ctx = contextOf(request);
      return workerDetail(db, codec, ctx, await recordConsent(db, ctx, request.params.id, request.body), false, false);
    },
  );

  app.post(
    '/workers/:id/consent/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw consent: the record is kept only as the law requires and disappears from every list',
        params: workerIdParamsSchema,
        response: { 204: z.null().describe('No content') },
      },
    },
    async (request, reply) => {
      await withdrawConsent(db, contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
