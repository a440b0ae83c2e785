// A person's own data (PIPL): export it whole (JSON, XLSX), ask for its deletion and follow the request,
// also after the account is gone; staff over the person's serving unit carry requests out or refuse them.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordAudit } from '../../core/audit.js';
import { contextOf as contextWith } from '../../core/context.js';
import type { AppDeps } from '../../core/deps.js';
import { conflict, forbidden, notFound } from '../../core/errors.js';
import { decodeCursor, pageOf, pageQuerySchema, toPage } from '../../core/paging.js';
import { authorize, isSystemAdmin, scopePaths } from '../../core/scope.js';
import { fieldCodec } from '../../core/sensitive.js';
import { isUniqueViolation } from '../../db/engine.js';
import { appealPhotoStore } from '../appeals/appeals.retention.js';
import { XLSX_MIME } from '../imports/imports.files.js';
import { erasePerson } from './privacy.erasure.js';
import { auditExport, collectPersonalData, personalDataWorkbook, personOf } from './privacy.export.js';
import { findStaffRequest, listStaffRequests, requestsOfUser, type StaffRequestRow } from './privacy.queries.js';
import {
  carryOutBodySchema,
  createdDeletionRequestSchema,
  decidedDeletionRequestSchema,
  type DeletionOutcome,
  deletionRequestSchema,
  idParamsSchema,
  listDeletionRequestsQuerySchema,
  personalDataSchema,
  receiptBodySchema,
  receiptStatusSchema,
  rejectBodySchema,
  requestDeletionBodySchema,
  staffDeletionRequestSchema,
  type StaffDeletionRequest,
} from './privacy.schema.js';

const tags = ['privacy'];
const receiptHashOf = (receipt: string) => createHash('sha256').update(receipt).digest('hex');

function staffViewOf(row: StaffRequestRow, now: Date): StaffDeletionRequest {
  return {
    id: row.id,
    status: row.status,
    reason: row.reason,
    requestedAt: row.requestedAt,
    dueAt: row.dueAt,
    decidedAt: row.decidedAt,
    decisionNote: row.decisionNote,
    workerId: row.workerId,
    personName: row.workerName ?? row.displayName,
    unitName: row.unitName,
    username: row.username,
    overdue: row.status === 'requested' && row.dueAt < now.toISOString(),
    escalatedAt: row.escalatedAt,
    escalatedToUnitName: row.escalatedToUnitName,
  };
}

const outcomeOf = (row: StaffRequestRow): DeletionOutcome | null => (row.outcome ? (JSON.parse(row.outcome) as DeletionOutcome) : null);

export const privacyRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;
  const codec = fieldCodec(deps.config);
  const photos = appealPhotoStore(deps.config);
  const contextOf = (request: FastifyRequest) => contextWith(request, clock);
  // PIPL asks for a timely answer: DELETION_ANSWER_DAYS (15 by default), shown to the person, sorted on by
  // staff, and escalated by the scheduler once past (privacy.scheduler.ts).
  const answerWithinMs = deps.config.deletionAnswerDays * 86_400_000;

  app.get(
    '/me/data.json',
    { schema: { tags: [...tags, 'me'], summary: 'Everything Convoy holds about me, as JSON (audited)', response: { 200: personalDataSchema } } },
    async (request, reply) => {
      const ctx = contextOf(request);
      const data = await collectPersonalData(db, codec, ctx);
      await auditExport(db, ctx, 'json', data);
      return reply.header('content-disposition', `attachment; filename="convoy-my-data-${data.generatedAt.slice(0, 10)}.json"`).send(data);
    },
  );

  app.get(
    '/me/data.xlsx',
    { schema: { tags: [...tags, 'me'], summary: 'Everything Convoy holds about me, as XLSX with one sheet per kind (audited)' } },
    async (request, reply) => {
      const ctx = contextOf(request);
      const data = await collectPersonalData(db, codec, ctx);
      const file = await personalDataWorkbook(data);
      await auditExport(db, ctx, 'xlsx', data);
      return reply.type(XLSX_MIME).header('content-disposition', `attachment; filename="convoy-my-data-${data.generatedAt.slice(0, 10)}.xlsx"`).send(file);
    },
  );

  app.get(
    '/me/deletion-requests',
    { schema: { tags: [...tags, 'me'], summary: 'My deletion requests and their status, newest first', response: { 200: pageOf(deletionRequestSchema) } } },
    async (request) => ({ items: await requestsOfUser(db, contextOf(request).actor.userId), nextCursor: null }),
  );

  app.post(
    '/me/deletion-requests',
    {
      schema: {
        tags: [...tags, 'me'],
        summary: 'Ask for my personal data to be deleted; staff over my serving unit answer within DELETION_ANSWER_DAYS (15 by default). Keep the receipt: the account closes when it is carried out',
        body: requestDeletionBodySchema,
        response: { 201: createdDeletionRequestSchema },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const { workerId } = await personOf(db, ctx.actor.userId);
      const receipt = randomBytes(18).toString('base64url');
      const requestedAt = ctx.now.toISOString();
      const dueAt = new Date(ctx.now.getTime() + answerWithinMs).toISOString();
      try {
        const created = await db.transaction().execute(async (trx) => {
          const open = await trx.selectFrom('deletionRequests').select('id').where('userId', '=', ctx.actor.userId).where('status', '=', 'requested').executeTakeFirst();
          if (open) throw alreadyOpen();
          const row = await trx
            .insertInto('deletionRequests')
            .values({ userId: ctx.actor.userId, workerId, status: 'requested', reason: request.body.reason || null, receiptHash: receiptHashOf(receipt), requestedAt, dueAt })
            .returning(['id', 'status', 'reason', 'requestedAt', 'dueAt', 'decidedAt', 'decisionNote'])
            .executeTakeFirstOrThrow();
          await recordAudit(trx, { actor: ctx.actor, action: 'privacy.deletion_requested', entityType: 'deletion_request', entityId: row.id, ip: ctx.ip, at: ctx.now, detail: { workerId } });
          return row;
        });
        return reply.code(201).send({ ...created, receipt });
      } catch (error) {
        // Two requests at once meet at the one-open-request index.
        if (isUniqueViolation(error)) throw alreadyOpen();
        throw error;
      }
    },
  );

  app.post(
    '/me/deletion-requests/:id/withdraw',
    { schema: { tags: [...tags, 'me'], summary: 'Withdraw my deletion request while it waits', params: idParamsSchema, response: { 200: deletionRequestSchema } } },
    async (request) => {
      const ctx = contextOf(request);
      return db.transaction().execute(async (trx) => {
        const changed = await trx
          .updateTable('deletionRequests')
          .set({ status: 'withdrawn', decidedAt: ctx.now.toISOString() })
          .where('id', '=', request.params.id)
          .where('userId', '=', ctx.actor.userId)
          .where('status', '=', 'requested')
          .executeTakeFirst();
        const row = await trx.selectFrom('deletionRequests').select(['id', 'status', 'reason', 'requestedAt', 'dueAt', 'decidedAt', 'decisionNote', 'userId']).where('id', '=', request.params.id).executeTakeFirst();
        if (!row || row.userId !== ctx.actor.userId) throw notFound('deletion_request');
        if (Number(changed.numUpdatedRows) === 0) throw alreadyDecided();
        await recordAudit(trx, { actor: ctx.actor, action: 'privacy.deletion_withdrawn', entityType: 'deletion_request', entityId: row.id, ip: ctx.ip, at: ctx.now });
        const { userId: _owner, ...view } = row;
        return view;
      });
    },
  );

  // The receipt travels in the body, not the address: addresses end up in logs and browser histories.
  app.post(
    '/privacy/deletion-receipts',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { tags, summary: 'The status of a deletion request by its receipt (works after the account is closed)', body: receiptBodySchema, response: { 200: receiptStatusSchema } },
    },
    async (request) => {
      const row = await db
        .selectFrom('deletionRequests')
        .select(['status', 'requestedAt', 'dueAt', 'decidedAt', 'decisionNote', 'escalatedAt', 'outcome'])
        .where('receiptHash', '=', receiptHashOf(request.body.receipt))
        .executeTakeFirst();
      if (!row) throw notFound('deletion_request');
      return { ...row, outcome: row.outcome ? (JSON.parse(row.outcome) as DeletionOutcome) : null };
    },
  );

  app.get(
    '/deletion-requests',
    {
      schema: {
        tags,
        summary: 'Deletion requests of the workers you serve (person.write), by due date (overdue first); system admins also see those of people no unit serves',
        querystring: listDeletionRequestsQuerySchema.extend(pageQuerySchema),
        response: { 200: pageOf(staffDeletionRequestSchema) },
      },
    },
    async (request) => {
      const { actor, now } = contextOf(request);
      const scope = scopePaths(actor, 'person.write');
      if (scope !== 'all' && scope.length === 0) throw forbidden('person.write');
      const cursor = decodeCursor(request.query.cursor, ['timestamp', 'id']);
      const rows = await listStaffRequests(db, { scope, status: request.query.status, after: cursor ? { dueAt: cursor[0], id: cursor[1] } : null, limit: request.query.limit });
      const page = toPage(rows, request.query.limit, (r) => [r.dueAt, r.id]);
      return { items: page.items.map((row) => staffViewOf(row, now)), nextCursor: page.nextCursor };
    },
  );

  /** Loads a request the actor may decide: out of scope it does not exist; one's own is never one's to decide. */
  async function decidable(request: FastifyRequest, id: number) {
    const ctx = contextOf(request);
    const row = await findStaffRequest(db, id);
    if (!row) throw notFound('deletion_request');
    if (!isSystemAdmin(ctx.actor)) {
      const decision = row.unitPath === null ? 'out_of_scope' : authorize(ctx.actor, 'person.write', row.unitPath);
      if (decision === 'out_of_scope' || (decision === 'forbidden' && authorize(ctx.actor, 'person.read', row.unitPath) !== 'allowed')) throw notFound('deletion_request');
      if (decision === 'forbidden') throw forbidden('person.write');
    }
    if (row.userId === ctx.actor.userId) throw conflict({ zh: '不能由本人处理自己的删除申请', en: 'You cannot decide your own deletion request' });
    if (row.status !== 'requested') throw alreadyDecided();
    return { ctx, row };
  }

  app.post(
    '/deletion-requests/:id/carry-out',
    {
      schema: {
        tags,
        summary: 'Carry out a deletion request: the person’s details are anonymized and the account closed, in one transaction (audited)',
        params: idParamsSchema,
        body: carryOutBodySchema,
        response: { 200: decidedDeletionRequestSchema },
      },
    },
    async (request) => {
      const { ctx, row } = await decidable(request, request.params.id);
      const { workerId, userId } = row;
      const removed = await db.transaction().execute(async (trx) => {
        // Compare-and-set: of two staff pressing at once, one carries it out and the other gets a 409.
        const claimed = await trx.updateTable('deletionRequests').set({ decidedAt: ctx.now.toISOString(), decisionNote: request.body.note || null }).where('id', '=', row.id).where('status', '=', 'requested').where('decidedAt', 'is', null).executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) throw alreadyDecided();
        const { memberId } = await personOf(trx, userId);
        return erasePerson(trx, codec, ctx, { id: row.id, userId, workerId }, memberId);
      });
      // Files go after the commit: a crash in between leaves an unreferenced file, never a row without its file.
      for (const key of removed.photoKeys) await photos.remove(key);
      const after = (await findStaffRequest(db, row.id))!;
      return { ...staffViewOf(after, ctx.now), outcome: outcomeOf(after) };
    },
  );

  app.post(
    '/deletion-requests/:id/reject',
    {
      schema: {
        tags,
        summary: 'Refuse a deletion request, saying which law or open matter requires keeping the data; the person sees the reason',
        params: idParamsSchema,
        body: rejectBodySchema,
        response: { 200: decidedDeletionRequestSchema },
      },
    },
    async (request) => {
      const { ctx, row } = await decidable(request, request.params.id);
      await db.transaction().execute(async (trx) => {
        const changed = await trx
          .updateTable('deletionRequests')
          .set({ status: 'rejected', decidedAt: ctx.now.toISOString(), decidedBy: ctx.actor.userId, decisionNote: request.body.reason })
          .where('id', '=', row.id)
          .where('status', '=', 'requested')
          .executeTakeFirst();
        if (Number(changed.numUpdatedRows) === 0) throw alreadyDecided();
        await recordAudit(trx, { actor: ctx.actor, action: 'privacy.deletion_rejected', entityType: 'deletion_request', entityId: row.id, ip: ctx.ip, at: ctx.now });
      });
      const after = (await findStaffRequest(db, row.id))!;
      return { ...staffViewOf(after, ctx.now), outcome: null };
    },
  );
};

const alreadyOpen = () => conflict({ zh: '您已有一份删除申请正在处理', en: 'You already have a deletion request waiting' });
const alreadyDecided = () => conflict({ zh: '这份申请已处理或已撤回', en: 'This request has already been decided or withdrawn' });
