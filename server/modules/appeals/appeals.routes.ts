import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import type { AppDeps } from '../../core/deps.js';
import { localeOf } from '../../core/i18n.js';
import { decodeCursor, pageOf, toPage } from '../../core/paging.js';
import { authorize, scopePaths } from '../../core/scope.js';
import { fieldCodec } from '../../core/sensitive.js';
import { unitInScope } from '../org/org.scope.js';
import { appealFor, assignAppeals, escalateAppeal, replyToAppeal, transferAppeal, transitionAppeal } from './appeals.handling.js';
import { type InboxRow, listAppeals } from './appeals.inbox.js';
import { handlersAt, slaPolicyFor } from './appeals.queries.js';
import {
  appealCategories,
  appealDetailSchema,
  appealListItemSchema,
  assignBodySchema,
  assignResultSchema,
  categoryListSchema,
  categoryNames,
  escalateBodySchema,
  idParamsSchema,
  listAppealsQuerySchema,
  putSlaPolicyBodySchema,
  replyBodySchema,
  slaPolicyQuerySchema,
  slaPolicySchema,
  transferBodySchema,
  transitionBodySchema,
} from './appeals.schema.js';
import { deadlinesOf, handlerView } from './appeals.views.js';

const tags = ['appeals'];
// How far back a duplicate may have been filed: the same complaint a month ago is likely the same problem.
const SIMILAR_WINDOW_DAYS = 30;

function listItemOf(r: InboxRow, now: Date) {
  return {
    id: r.id,
    category: r.category,
    summary: r.descriptionStart.length > 80 ? `${r.descriptionStart.slice(0, 80)}…` : r.descriptionStart,
    status: r.status,
    level: r.level,
    unitId: r.unitId,
    unitName: r.unitName,
    platformName: r.platformName,
    cityCode: r.cityCode,
    anonymous: r.anonymous === 1,
    assigneeName: r.assigneeName,
    createdAt: r.createdAt,
    deadlines: deadlinesOf(r, now),
  };
}

export const appealRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;
  const codec = fieldCodec(deps.config);

  // What every handler route answers with: the appeal as this handler may see it now.
  const detailAfter = async (request: { ip: string }, id: number, actor: ReturnType<typeof requireActor>) => {
    const appeal = await db.transaction().execute((trx) => appealFor(trx, actor, id, 'read'));
    return handlerView(db, appeal, actor, codec, clock.now(), request.ip);
  };

  app.get(
    '/appeal-categories',
    { config: { access: 'public' }, schema: { tags, summary: 'The appeal taxonomy (codes are also Open311 service codes)', response: { 200: categoryListSchema } } },
    async (request) => {
      const locale = localeOf(request.headers['accept-language']);
      return { items: appealCategories.map((code) => ({ code, name: locale === 'en' ? categoryNames[code].en : categoryNames[code].zh, nameZh: categoryNames[code].zh, nameEn: categoryNames[code].en })) };
    },
  );

  app.get(
    '/appeals',
    { schema: { tags, summary: 'Inbox: appeals in scope, soonest deadline first', querystring: listAppealsQuerySchema, response: { 200: pageOf(appealListItemSchema) } } },
    async (request) => {
      const actor = requireActor(request);
      const q = request.query;
      let scope = scopePaths(actor, 'appeal.read');
      if (q.unitId !== undefined) scope = [(await unitInScope(db, actor, q.unitId, 'appeal.read')).path];
      const cursor = decodeCursor(q.cursor, ['flag', 'optionalTimestamp', 'id']);
      const now = clock.now();
      const rows = await listAppeals(db, {
        scope,
        category: q.category,
        status: q.status,
        level: q.level,
        overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
        assigneeUserId: q.assignedToMe === 'true' ? actor.userId : undefined,
        now: now.toISOString(),
        after: cursor ? { hasNoDue: Number(cursor[0]), dueAt: cursor[1] === null ? null : String(cursor[1]), id: Number(cursor[2]) } : null,
        limit: q.limit,
      });
      const page = toPage(rows, q.limit, (r) => [Number(r.hasNoDue), r.dueAt, r.id]);
      return { items: page.items.map((r) => listItemOf(r, now)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/appeals/:id/similar',
    {
      schema: {
        tags,
        summary: 'Possible duplicates to merge into: open appeals of the same category, platform and city from the 30 days before it on, that this handler handles',
        params: idParamsSchema,
        response: { 200: z.object({ items: z.array(appealListItemSchema) }) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const appeal = await db.transaction().execute((trx) => appealFor(trx, actor, request.params.id, 'handle'));
      const now = clock.now();
      const rows = await listAppeals(db, {
        scope: scopePaths(actor, 'appeal.handle'),
        category: appeal.category,
        status: 'open',
        platformId: appeal.platformId,
        cityCode: appeal.cityCode,
        createdSince: new Date(Date.parse(appeal.createdAt) - SIMILAR_WINDOW_DAYS * 86_400_000).toISOString(),
        excludeId: appeal.id,
        now: now.toISOString(),
        after: null,
        limit: 50,
      });
      // Merging needs the right to handle the target where it is held now, not only where it started.
      const mergeable = rows.filter((r) => authorize(actor, 'appeal.handle', r.unitPath) === 'allowed').slice(0, 20);
      return { items: mergeable.map((r) => listItemOf(r, now)) };
    },
  );

  app.get(
    '/appeals/:id',
    { schema: { tags, summary: 'An appeal with its whole timeline (internal notes included)', params: idParamsSchema, response: { 200: appealDetailSchema } } },
    async (request) => detailAfter(request, request.params.id, requireActor(request)),
  );

  app.post(
    '/appeals/:id/transitions',
    { schema: { tags, summary: 'Move an appeal along its status machine (409 when the move is not allowed)', params: idParamsSchema, body: transitionBodySchema, response: { 200: appealDetailSchema } } },
    async (request) => {
      const actor = requireActor(request);
      await db.transaction().execute((trx) => transitionAppeal(trx, actor, request.params.id, request.body, clock.now(), request.ip));
      return detailAfter(request, request.params.id, actor);
    },
  );

  app.post(
    '/appeals/:id/replies',
    { schema: { tags, summary: 'A public reply (the worker sees it) or an internal note', params: idParamsSchema, body: replyBodySchema, response: { 200: appealDetailSchema } } },
    async (request) => {
      const actor = requireActor(request);
      await db.transaction().execute((trx) => replyToAppeal(trx, actor, request.params.id, request.body, clock.now(), request.ip));
      return detailAfter(request, request.params.id, actor);
    },
  );

  app.post(
    '/appeals/:id/escalate',
    { schema: { tags, summary: 'Pass the appeal up one level (branch → platform committee → industry committee)', params: idParamsSchema, body: escalateBodySchema, response: { 200: appealDetailSchema } } },
    async (request) => {
      const actor = requireActor(request);
      await db.transaction().execute((trx) => escalateAppeal(trx, actor, request.params.id, request.body.reason, clock.now(), request.ip));
      return detailAfter(request, request.params.id, actor);
    },
  );

  app.post(
    '/appeals/:id/transfer',
    { schema: { tags, summary: 'Hand the appeal to another unit; its SLA clocks start again there', params: idParamsSchema, body: transferBodySchema, response: { 200: appealDetailSchema } } },
    async (request) => {
      const actor = requireActor(request);
      await db.transaction().execute((trx) => transferAppeal(trx, actor, request.params.id, request.body, clock.now(), request.ip));
      return detailAfter(request, request.params.id, actor);
    },
  );

  app.post(
    '/appeals/assign',
    { schema: { tags, summary: 'Give appeals to a handler (bulk); null takes them back', body: assignBodySchema, response: { 200: assignResultSchema } } },
    async (request) => {
      const actor = requireActor(request);
      const assigned = await db.transaction().execute((trx) => assignAppeals(trx, actor, request.body.ids, request.body.assigneeUserId, clock.now(), request.ip));
      return { assigned };
    },
  );

  app.get(
    '/appeal-handlers',
    {
      schema: {
        tags,
        summary: 'Who may be given appeals held at a unit (for assignment)',
        querystring: slaPolicyQuerySchema,
        response: { 200: z.object({ items: z.array(z.object({ userId: z.number().int(), displayName: z.string(), unitName: z.string() })) }) },
      },
    },
    async (request) => {
      const unit = await unitInScope(db, requireActor(request), request.query.unitId, 'appeal.handle');
      const rows = await handlersAt(db, unit.path);
      const seen = new Set<number>();
      return { items: rows.filter((r) => !seen.has(r.userId) && seen.add(r.userId)) };
    },
  );

  app.get(
    '/sla-policies',
    { schema: { tags, summary: 'The SLA policy in force at a unit, per category', querystring: slaPolicyQuerySchema, response: { 200: z.object({ items: z.array(slaPolicySchema) }) } } },
    async (request) => {
      const unit = await unitInScope(db, requireActor(request), request.query.unitId, 'appeal.read');
      const items = await Promise.all(
        appealCategories.map(async (category) => ({ unitId: unit.id, category, ...(await slaPolicyFor(db, unit.path, category)) })),
      );
      return { items };
    },
  );

  app.put(
    '/sla-policies',
    { schema: { tags, summary: 'Set a unit’s SLA for one category (or all, with category null); applies to appeals it receives from now on', body: putSlaPolicyBodySchema, response: { 200: slaPolicySchema } } },
    async (request) => {
      const actor = requireActor(request);
      const { unitId, category, ...hours } = request.body;
      await unitInScope(db, actor, unitId, 'appeal.handle');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        let existing = trx.selectFrom('slaPolicies').select('id').where('unitId', '=', unitId);
        existing = category === null ? existing.where('category', 'is', null) : existing.where('category', '=', category);
        const row = await existing.executeTakeFirst();
        if (row) await trx.updateTable('slaPolicies').set({ ...hours, updatedAt: now.toISOString(), updatedBy: actor.userId }).where('id', '=', row.id).execute();
        else await trx.insertInto('slaPolicies').values({ unitId, category, ...hours, updatedAt: now.toISOString(), updatedBy: actor.userId }).execute();
        await recordAudit(trx, { actor, action: 'sla_policy.set', entityType: 'org_unit', entityId: unitId, ip: request.ip, detail: { category, ...hours }, at: now });
      });
      return { unitId, category, ...hours };
    },
  );
};
