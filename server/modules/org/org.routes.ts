import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../core/actor.js';
import { contextOf as contextWith } from '../../core/context.js';
import type { AppDeps } from '../../core/deps.js';
import { forbidden } from '../../core/errors.js';
import { decodeCursor, pageOf, toPage } from '../../core/paging.js';
import { scopePaths } from '../../core/scope.js';
import { listPlatforms, listUnits } from './org.queries.js';
import { closeUnit, createUnit, loadUnitFor, mergeUnits, moveUnit, splitUnit, unitDetail, updateUnit } from './org.operations.js';
import {
  branchDirectoryItemSchema,
  branchDirectoryQuerySchema,
  closeOrgUnitBodySchema,
  createOrgUnitBodySchema,
  listOrgUnitsQuerySchema,
  mergeOrgUnitBodySchema,
  moveOrgUnitBodySchema,
  orgUnitDetailSchema,
  orgUnitSummarySchema,
  platformSchema,
  splitOrgUnitBodySchema,
  unitIdParamsSchema,
  updateOrgUnitBodySchema,
} from './org.schema.js';

const tags = ['org'];

export const orgRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;
  const contextOf = (request: FastifyRequest) => contextWith(request, clock);

  app.get(
    '/org-units',
    {
      schema: {
        tags,
        summary: 'Organization units in your scope: search by name, children of a unit, or your top units',
        querystring: listOrgUnitsQuerySchema,
        response: { 200: pageOf(orgUnitSummarySchema) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const query = request.query;
      const scope = scopePaths(actor, 'org.read');
      const cursor = decodeCursor(query.cursor, ['text', 'id']);
      let rootIds: number[] | 'parentless' | undefined;
      if (query.rootsOnly === 'true') {
        rootIds = scope === 'all' ? 'parentless' : scope.map((p) => Number(p.split('/').at(-2)));
      }
      const rows = await listUnits(db, {
        scope,
        q: query.q || undefined,
        parentId: query.parentId,
        rootIds,
        kind: query.kind,
        platformId: query.platformId,
        cityCode: query.cityCode,
        includeClosed: query.includeClosed === 'true',
        after: cursor ? { name: String(cursor[0]), id: Number(cursor[1]) } : null,
        limit: query.limit,
      });
      return toPage(rows, query.limit, (r) => [r.name, r.id]);
    },
  );

  app.get(
    '/org-units/branch-directory',
    {
      schema: {
        tags,
        summary: 'Open mobile branches anywhere, by name — the receiving side a transfer of relation may name (names only)',
        querystring: branchDirectoryQuerySchema,
        response: { 200: pageOf(branchDirectoryItemSchema) },
      },
    },
    async (request) => {
      // A member may move to any branch in the country, so those who handle transfers may look up any
      // branch's name; the directory shows nothing beyond what a public sign would.
      const actor = requireActor(request);
      if (scopePaths(actor, 'person.write').length === 0) throw forbidden('person.write');
      const { q, limit, cursor } = request.query;
      const after = decodeCursor(cursor, ['text', 'id']);
      const rows = await listUnits(db, {
        scope: 'all',
        q: q || undefined,
        kind: 'mobile_branch',
        includeClosed: false,
        after: after ? { name: String(after[0]), id: Number(after[1]) } : null,
        limit,
      });
      const page = toPage(rows, limit, (r) => [r.name, r.id]);
      return { items: page.items.map(({ id, name, platformId, cityCode }) => ({ id, name, platformId, cityCode })), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/org-units/:id',
    { schema: { tags, summary: 'One unit with its parent chain, counts beneath and history', params: unitIdParamsSchema, response: { 200: orgUnitDetailSchema } } },
    async (request) => {
      const unit = await loadUnitFor(db, requireActor(request), request.params.id, 'org.read');
      return unitDetail(db, unit, requireActor(request));
    },
  );

  app.post(
    '/org-units',
    { schema: { tags, summary: 'Create a unit under a parent in your scope', body: createOrgUnitBodySchema, response: { 201: orgUnitDetailSchema } } },
    async (request, reply) => {
      const unit = await createUnit(db, contextOf(request), request.body);
      return reply.code(201).send(await unitDetail(db, unit, requireActor(request)));
    },
  );

  app.patch(
    '/org-units/:id',
    {
      schema: { tags, summary: 'Rename a unit or change its platform, city or founding date', params: unitIdParamsSchema, body: updateOrgUnitBodySchema, response: { 200: orgUnitDetailSchema } },
    },
    async (request) => unitDetail(db, await updateUnit(db, contextOf(request), request.params.id, request.body), requireActor(request)),
  );

  app.post(
    '/org-units/:id/move',
    {
      schema: { tags, summary: 'Move a unit, with everything beneath it, under another parent', params: unitIdParamsSchema, body: moveOrgUnitBodySchema, response: { 200: orgUnitDetailSchema } },
    },
    async (request) => unitDetail(db, await moveUnit(db, contextOf(request), request.params.id, request.body.parentId), requireActor(request)),
  );

  app.post(
    '/org-units/merge',
    {
      schema: {
        tags,
        summary: 'Merge one unit into another of the same kind: everything beneath moves, the source is closed',
        body: mergeOrgUnitBodySchema,
        response: { 200: orgUnitDetailSchema },
      },
    },
    async (request) => unitDetail(db, await mergeUnits(db, contextOf(request), request.body), requireActor(request)),
  );

  app.post(
    '/org-units/:id/split',
    {
      schema: {
        tags,
        summary: 'Split a unit: create a new one beside it and move the chosen sub-units to it',
        params: unitIdParamsSchema,
        body: splitOrgUnitBodySchema,
        response: { 201: orgUnitDetailSchema },
      },
    },
    async (request, reply) => {
      const created = await splitUnit(db, contextOf(request), request.params.id, request.body);
      return reply.code(201).send(await unitDetail(db, created, requireActor(request)));
    },
  );

  app.post(
    '/org-units/:id/close',
    {
      schema: { tags, summary: 'Close a unit with a date and a reason; it stays in the history', params: unitIdParamsSchema, body: closeOrgUnitBodySchema, response: { 200: orgUnitDetailSchema } },
    },
    async (request) => unitDetail(db, await closeUnit(db, contextOf(request), request.params.id, request.body), requireActor(request)),
  );

  app.get(
    '/platforms',
    { schema: { tags, summary: 'The platforms Convoy knows', response: { 200: pageOf(platformSchema) } } },
    // Platforms are public facts, not personal data: every logged-in user may list them.
    async () => ({ items: await listPlatforms(db), nextCursor: null }),
  );
};
