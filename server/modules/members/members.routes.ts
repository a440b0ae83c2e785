import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../core/actor.js';
import { contextOf as contextWith } from '../../core/context.js';
import type { AppDeps } from '../../core/deps.js';
import { decodeCursor, pageOf, toPage } from '../../core/paging.js';
import { scopePaths } from '../../core/scope.js';
import { fieldCodec } from '../../core/sensitive.js';
import { requestedSubtree } from '../org/org.operations.js';
import { declarationItemOf, declareMembership, myDeclaration, rejectDeclaration, verifyDeclaration } from './member-declarations.operations.js';
import { addRole, endRole } from './member-roles.operations.js';
import { decideTransfer, loadTransferFor, requestTransfer, transferItemOf } from './member-transfers.operations.js';
import { createMember, listItemOf, loadMemberFor, memberDetail, updateMember } from './members.operations.js';
import { listDeclarations, listMembers, listTransfers } from './members.queries.js';
import {
  addRoleBodySchema,
  createMemberBodySchema,
  declarationItemSchema,
  declareBodySchema,
  endRoleBodySchema,
  idParamsSchema,
  listDeclarationsQuerySchema,
  listMembersQuerySchema,
  listTransfersQuerySchema,
  memberDetailQuerySchema,
  memberDetailSchema,
  memberListItemSchema,
  rejectBodySchema,
  requestTransferBodySchema,
  roleParamsSchema,
  transferItemSchema,
  updateMemberBodySchema,
  verifyDeclarationBodySchema,
} from './members.schema.js';

const tags = ['members'];
const transferTags = ['member transfers'];
const declarationTags = ['member declarations'];

/** Members, their roles, transfers of relation and self-declarations: one plugin for app.ts to register. */
export const memberRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;
  const codec = fieldCodec(deps.config);
  const contextOf = (request: FastifyRequest) => contextWith(request, clock);

  app.get(
    '/members',
    {
      schema: {
        tags,
        summary: 'Members in your scope, in pinyin order; search by a name fragment (even one or two characters) or the phone’s last four digits',
        querystring: listMembersQuerySchema,
        response: { 200: pageOf(memberListItemSchema) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const query = request.query;
      const subtree = await requestedSubtree(db, actor, 'person.read', query.unitId);
      const cursor = decodeCursor(query.cursor, ['text', 'id']);
      const rows = await listMembers(db, {
        scope: scopePaths(actor, 'person.read'),
        subtree,
        q: query.q,
        status: query.status,
        isMobile: query.isMobile === undefined ? undefined : query.isMobile === 'true',
        after: cursor ? { nameSort: String(cursor[0]), id: Number(cursor[1]) } : null,
        limit: query.limit,
      });
      const page = toPage(rows, query.limit, (r) => [r.nameSort, r.id]);
      return { items: page.items.map((row) => listItemOf(row, codec)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/members/:id',
    {
      schema: {
        tags,
        summary: 'One member with roles and transfer history; every read is audited, and ?unmask=true shows phone and ID number to those allowed',
        params: idParamsSchema,
        querystring: memberDetailQuerySchema,
        response: { 200: memberDetailSchema },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const member = await loadMemberFor(db, ctx, request.params.id, 'person.read');
      return memberDetail(db, codec, ctx, member, request.query.unmask === 'true');
    },
  );

  app.post(
    '/members',
    { schema: { tags, summary: 'Record a member hosted by a mobile branch; phone and ID number are stored encrypted', body: createMemberBodySchema, response: { 201: memberDetailSchema } } },
    async (request, reply) => {
      const ctx = contextOf(request);
      const member = await createMember(db, codec, ctx, request.body);
      return reply.code(201).send(await memberDetail(db, codec, ctx, member, false, false));
    },
  );

  app.patch(
    '/members/:id',
    { schema: { tags, summary: 'Change a member’s record (the host branch changes only by a transfer)', params: idParamsSchema, body: updateMemberBodySchema, response: { 200: memberDetailSchema } } },
    async (request) => {
      const ctx = contextOf(request);
      return memberDetail(db, codec, ctx, await updateMember(db, codec, ctx, request.params.id, request.body), false, false);
    },
  );

  app.post(
    '/members/:id/roles',
    { schema: { tags, summary: 'Start a term in a branch role (one open secretary per branch)', params: idParamsSchema, body: addRoleBodySchema, response: { 201: memberDetailSchema } } },
    async (request, reply) => {
      const ctx = contextOf(request);
      await addRole(db, ctx, request.params.id, request.body);
      const member = await loadMemberFor(db, ctx, request.params.id, 'person.read');
      return reply.code(201).send(await memberDetail(db, codec, ctx, member, false, false));
    },
  );

  app.post(
    '/members/:id/roles/:roleId/end',
    { schema: { tags, summary: 'End a term in a role; the history keeps it', params: roleParamsSchema, body: endRoleBodySchema, response: { 200: memberDetailSchema } } },
    async (request) => {
      const ctx = contextOf(request);
      await endRole(db, ctx, request.params.id, request.params.roleId, request.body.toDate);
      const member = await loadMemberFor(db, ctx, request.params.id, 'person.read');
      return memberDetail(db, codec, ctx, member, false, false);
    },
  );


  // Transfers of relation (组织关系转接)

  app.get(
    '/member-transfers',
    {
      schema: {
        tags: transferTags,
        summary: 'Transfers of relation leaving (outgoing) or arriving at (incoming) the units in your scope, newest first',
        querystring: listTransfersQuerySchema,
        response: { 200: pageOf(transferItemSchema) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const query = request.query;
      const cursor = decodeCursor(query.cursor, ['id']);
      const rows = await listTransfers(db, {
        scope: scopePaths(actor, 'person.read'),
        direction: query.direction,
        status: query.status,
        afterId: cursor ? Number(cursor[0]) : null,
        limit: query.limit,
      });
      const page = toPage(rows, query.limit, (r) => [r.id]);
      return { items: page.items.map((row) => transferItemOf(row, codec)), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/member-transfers',
    { schema: { tags: transferTags, summary: 'The sending branch requests a transfer of a member’s relation to another mobile branch', body: requestTransferBodySchema, response: { 201: transferItemSchema } } },
    async (request, reply) => reply.code(201).send(await requestTransfer(db, codec, contextOf(request), request.body)),
  );

  app.get(
    '/member-transfers/:id',
    { schema: { tags: transferTags, summary: 'One transfer, for either side of it', params: idParamsSchema, response: { 200: transferItemSchema } } },
    async (request) => transferItemOf(await loadTransferFor(db, contextOf(request), request.params.id), codec),
  );

  app.post(
    '/member-transfers/:id/approve',
    { schema: { tags: transferTags, summary: 'The sending branch approves a requested transfer', params: idParamsSchema, response: { 200: transferItemSchema } } },
    async (request) => decideTransfer(db, codec, contextOf(request), request.params.id, 'approve'),
  );

  app.post(
    '/member-transfers/:id/accept',
    { schema: { tags: transferTags, summary: 'The receiving branch accepts an approved transfer; the member moves to it at once', params: idParamsSchema, response: { 200: transferItemSchema } } },
    async (request) => decideTransfer(db, codec, contextOf(request), request.params.id, 'accept'),
  );

  app.post(
    '/member-transfers/:id/reject',
    {
      schema: { tags: transferTags, summary: 'Reject a transfer with a reason: the sending side while requested, the receiving side once approved', params: idParamsSchema, body: rejectBodySchema, response: { 200: transferItemSchema } },
    },
    async (request) => decideTransfer(db, codec, contextOf(request), request.params.id, 'reject', request.body.reason),
  );

  // Self-declaration and verification (摸排)

  app.post(
    '/me/member-declaration',
    { schema: { tags: declarationTags, summary: 'A logged-in worker declares membership; it goes to the mobile branch of their platform and city', body: declareBodySchema, response: { 201: declarationItemSchema } } },
    async (request, reply) => reply.code(201).send(declarationItemOf(await declareMembership(db, codec, contextOf(request), request.body), codec)),
  );

  app.get(
    '/me/member-declaration',
    { schema: { tags: declarationTags, summary: 'The logged-in worker’s latest declaration and its outcome', response: { 200: declarationItemSchema } } },
    async (request) => declarationItemOf(await myDeclaration(db, contextOf(request)), codec),
  );

  app.get(
    '/member-declarations',
    { schema: { tags: declarationTags, summary: 'Declarations routed to the branches in your scope, oldest first', querystring: listDeclarationsQuerySchema, response: { 200: pageOf(declarationItemSchema) } } },
    async (request) => {
      const query = request.query;
      const cursor = decodeCursor(query.cursor, ['id']);
      const rows = await listDeclarations(db, { scope: scopePaths(requireActor(request), 'person.read'), status: query.status, afterId: cursor ? Number(cursor[0]) : null, limit: query.limit });
      const page = toPage(rows, query.limit, (r) => [r.id]);
      return { items: page.items.map((row) => declarationItemOf(row, codec)), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/member-declarations/:id/verify',
    { schema: { tags: declarationTags, summary: 'Verify a declaration: creates the member, linked to the worker', params: idParamsSchema, body: verifyDeclarationBodySchema, response: { 200: declarationItemSchema } } },
    async (request) => declarationItemOf(await verifyDeclaration(db, codec, contextOf(request), request.params.id, request.body), codec),
  );

  app.post(
    '/member-declarations/:id/reject',
    { schema: { tags: declarationTags, summary: 'Reject a declaration with a reason the worker sees', params: idParamsSchema, body: rejectBodySchema, response: { 200: declarationItemSchema } } },
    async (request) => declarationItemOf(await rejectDeclaration(db, codec, contextOf(request), request.params.id, request.body.reason), codec),
  );
};
