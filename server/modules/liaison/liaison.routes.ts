import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ensureAllowed, requireActor } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import { chinaDate } from '../../core/clock.js';
import type { AppDeps } from '../../core/deps.js';
import { conflict, notFound } from '../../core/errors.js';
import { decodeCursor, pageOf, toPage } from '../../core/paging.js';
import type { Actor } from '../../core/scope.js';
import { fieldCodec, maskedPhoneOf } from '../../core/sensitive.js';
import { unitInScope } from '../org/org.scope.js';
import { findWorker } from '../workers/workers.queries.js';
import { coverageFromCounts } from './liaison.coverage.js';
import { findAssignment, findMember, liaisonBoard, listContacts, memberLoads, unassignedWorkers, workersOfMember } from './liaison.queries.js';
import { CONTACT_WINDOW_DAYS, isOverdue, planAutoAssignment, share } from './liaison.rules.js';
import {
  assignBodySchema,
  autoAssignBodySchema,
  autoAssignResultSchema,
  boardItemSchema,
  boardQuerySchema,
  contactSchema,
  coverageSchema,
  createContactBodySchema,
  listContactsQuerySchema,
  liaisonWorkerSchema,
  memberIdParamsSchema,
  unitQuerySchema,
  workerIdParamsSchema,
} from './liaison.schema.js';

const tags = ['liaison'];

export const liaisonRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;
  const codec = fieldCodec(deps.config);
  const sinceDate = () => chinaDate(new Date(clock.now().getTime() - CONTACT_WINDOW_DAYS * 86_400_000));

  // A member may act for their own workers; secretaries and admins for anyone in their scope.
  async function ownMemberId(actor: Actor): Promise<number | null> {
    const user = await db.selectFrom('users').select('memberId').where('id', '=', actor.userId).executeTakeFirst();
    return user?.memberId ?? null;
  }

  async function memberFor(request: FastifyRequest, memberId: number, action: 'person.read' | 'person.write') {
    const actor = requireActor(request);
    const member = await findMember(db, memberId);
    if (!member) throw notFound('member');
    if ((await ownMemberId(actor)) !== member.id) ensureAllowed(actor, action, member.unitPath, 'member');
    return member;
  }

  app.get(
    '/liaison/board',
    { schema: { tags, summary: 'Members beneath a unit: their workers, last contact, and who is overdue', querystring: boardQuerySchema, response: { 200: pageOf(boardItemSchema) } } },
    async (request) => {
      const unit = await unitInScope(db, requireActor(request), request.query.unitId, 'person.read');
      const cursor = decodeCursor(request.query.cursor, ['text', 'id']);
      const rows = await liaisonBoard(db, unit.path, sinceDate(), cursor ? { nameSort: String(cursor[0]), id: Number(cursor[1]) } : null, request.query.limit);
      const page = toPage(rows, request.query.limit, (r) => [r.nameSort, r.memberId]);
      return { items: page.items.map(({ nameSort: _sortKey, ...item }) => item), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/liaison/members/:memberId/workers',
    { schema: { tags, summary: 'The workers a member keeps in touch with', params: memberIdParamsSchema, response: { 200: z.object({ items: z.array(liaisonWorkerSchema) }) } } },
    async (request) => {
      const member = await memberFor(request, request.params.memberId, 'person.read');
      const today = chinaDate(clock.now());
      const rows = await workersOfMember(db, member.id);
      return {
        items: rows.map((r) => ({ workerId: r.workerId, name: r.name, phone: maskedPhoneOf(codec, r.phoneEnc), assignedAt: r.assignedAt, lastContactOn: r.lastContactOn, overdue: isOverdue(r.lastContactOn, today) })),
      };
    },
  );

  app.put(
    '/liaison/assignments/:workerId',
    { schema: { tags, summary: 'Make a member the liaison of a worker of the same branch (re-assigns)', params: workerIdParamsSchema, body: assignBodySchema, response: { 200: z.object({ workerId: z.number().int(), memberId: z.number().int() }) } } },
    async (request) => {
      const actor = requireActor(request);
      const worker = await findWorker(db, request.params.workerId);
      if (!worker || worker.consentWithdrawnAt || !worker.unitPath) throw notFound('worker');
      ensureAllowed(actor, 'person.write', worker.unitPath, 'worker');
      const member = await findMember(db, request.body.memberId);
      if (!member) throw notFound('member');
      ensureAllowed(actor, 'person.write', member.unitPath, 'member');
      if (member.unitId !== worker.unitId) {
        throw conflict({ zh: '联系人必须是劳动者所在支部的党员', en: 'A liaison must be a member of the worker’s own branch' });
      }
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('liaisonAssignments').where('workerId', '=', worker.id).execute();
        await trx.insertInto('liaisonAssignments').values({ workerId: worker.id, memberId: member.id, assignedAt: now.toISOString(), assignedBy: actor.userId }).execute();
        await recordAudit(trx, { actor, action: 'liaison.assign', entityType: 'worker', entityId: worker.id, ip: request.ip, at: now, detail: { memberId: member.id } });
      });
      return { workerId: worker.id, memberId: member.id };
    },
  );

  app.delete(
    '/liaison/assignments/:workerId',
    { schema: { tags, summary: 'Leave a worker without a liaison', params: workerIdParamsSchema, response: { 204: z.null().describe('No content') } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const worker = await findWorker(db, request.params.workerId);
      if (!worker || !worker.unitPath || !(await findAssignment(db, worker.id))) throw notFound('worker');
      ensureAllowed(actor, 'person.write', worker.unitPath, 'worker');
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('liaisonAssignments').where('workerId', '=', worker.id).execute();
        await recordAudit(trx, { actor, action: 'liaison.unassign', entityType: 'worker', entityId: worker.id, ip: request.ip, at: clock.now() });
      });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/liaison/auto-assign',
    { schema: { tags, summary: 'Give every unassigned worker beneath a unit a liaison of their own branch, balancing the load', body: autoAssignBodySchema, response: { 200: autoAssignResultSchema } } },
    async (request) => {
      const actor = requireActor(request);
      const unit = await unitInScope(db, actor, request.body.unitId, 'person.write');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const plan = planAutoAssignment(await memberLoads(trx, unit.path), await unassignedWorkers(trx, unit.path));
        const at = now.toISOString();
        for (let i = 0; i < plan.assignments.length; i += 500) {
          const batch = plan.assignments.slice(i, i + 500).map((a) => ({ ...a, assignedAt: at, assignedBy: actor.userId }));
          await trx.insertInto('liaisonAssignments').values(batch).execute();
        }
        await recordAudit(trx, { actor, action: 'liaison.auto_assign', entityType: 'org_unit', entityId: unit.id, ip: request.ip, at: now, detail: { assigned: plan.assignments.length, leftUnassigned: plan.leftOver.length } });
        return { assigned: plan.assignments.length, leftUnassigned: plan.leftOver.length };
      });
    },
  );

  app.post(
    '/liaison/contacts',
    { schema: { tags, summary: 'Log a contact with a worker, and the demands they raised', body: createContactBodySchema, response: { 201: contactSchema } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const body = request.body;
      const worker = await findWorker(db, body.workerId);
      if (!worker || worker.consentWithdrawnAt || !worker.unitPath) throw notFound('worker');
      const memberId = body.memberId ?? (await findAssignment(db, worker.id))?.memberId;
      if (!memberId) throw conflict({ zh: '该劳动者还没有联系人，请指定党员', en: 'This worker has no liaison yet: name the member who made contact' });
      const member = await memberFor(request, memberId, 'person.write');
      if ((await ownMemberId(actor)) !== member.id) ensureAllowed(actor, 'person.write', worker.unitPath, 'worker');
      else if (member.unitId !== worker.unitId) throw notFound('worker');
      const now = clock.now();
      const id = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('liaisonContacts')
          .values({ memberId: member.id, workerId: worker.id, contactedOn: body.contactedOn, channel: body.channel, notes: body.notes ?? null, demandsRaised: body.demandsRaised ?? null, createdAt: now.toISOString(), createdBy: actor.userId })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(trx, { actor, action: 'liaison.contact', entityType: 'worker', entityId: worker.id, ip: request.ip, at: now, detail: { memberId: member.id, channel: body.channel } });
        return row.id;
      });
      const [contact] = await listContacts(db, { workerId: worker.id, scopePath: null, beforeId: id + 1, limit: 1 });
      if (!contact) throw new Error(`contact ${id} vanished after insert`);
      return reply.code(201).send(contact);
    },
  );

  app.get(
    '/liaison/contacts',
    { schema: { tags, summary: 'Contact log, newest first, for a worker or a member in your scope', querystring: listContactsQuerySchema, response: { 200: pageOf(contactSchema) } } },
    async (request) => {
      const actor = requireActor(request);
      const { workerId, memberId, limit, cursor } = request.query;
      let scopePath: string | null = null;
      if (workerId) {
        const worker = await findWorker(db, workerId);
        if (!worker || !worker.unitPath) throw notFound('worker');
        ensureAllowed(actor, 'person.read', worker.unitPath, 'worker');
      } else if (memberId) {
        await memberFor(request, memberId, 'person.read');
      } else {
        const unit = actor.grants.find((g) => g.unitPath);
        ensureAllowed(actor, 'person.read', unit?.unitPath ?? null, 'worker');
        scopePath = unit?.unitPath ?? null;
      }
      const before = decodeCursor(cursor, ['id'])?.[0];
      const rows = await listContacts(db, { workerId, memberId, scopePath, beforeId: typeof before === 'number' ? before : null, limit });
      return toPage(rows, limit, (r) => [r.id]);
    },
  );

  app.get(
    '/liaison/coverage',
    { schema: { tags, summary: 'Coverage beneath a unit: share of workers with a liaison and contacted in 30 days, members over or under target', querystring: unitQuerySchema, response: { 200: coverageSchema } } },
    async (request) => {
      const unit = await unitInScope(db, requireActor(request), request.query.unitId, 'person.read');
      // From the counts the triggers keep: one row and the window's days, whatever the size of the subtree.
      const figures = await coverageFromCounts(db, unit.id, sinceDate());
      return { unitId: unit.id, ...figures, shareWithLiaison: share(figures.withLiaison, figures.workers), shareContactedLast30Days: share(figures.contactedLast30Days, figures.workers) };
    },
  );
};
