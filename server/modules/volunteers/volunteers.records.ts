// Service records: a volunteer logs their hours (or the leader or staff log them for someone on the
// roster); the leader or staff verify or reject them, never their own; staff may revoke a verified one.
import { recordAudit } from '../../core/audit.js';
import type { AppDeps } from '../../core/deps.js';
import { invalid, notFound } from '../../core/errors.js';
import { decodeCursor, pageOf, toPage } from '../../core/paging.js';
import { scopePaths } from '../../core/scope.js';
import type { ServiceStatus } from '../../db/tables-volunteers.js';
import { isUniqueViolation } from '../../db/engine.js';
import { type Meta, type VolunteersApp, decide, metaOf, ruleViolation, tags, teamOr404 } from './volunteers.http.js';
import { type Db, type RecordRow, activeEntryOf, decideRecord, descriptionHashOf, findRecord, listDecidableRecords, listRecords, viewerOf } from './volunteers.queries.js';
import { teamVisibleTo } from './volunteers.roster.js';
import { hoursOf, hoursRefusal, mayIdentify, namesOnly, normalizeDescription, refusals, revokeAccess, rosterReadAccess, rosterWriteAccess, serviceDateRefusal, toHalfHours, verifyAccess } from './volunteers.rules.js';
import { createRecordBodySchema, idParamsSchema, listRecordsQuerySchema, queueItemSchema, queueQuerySchema, rejectBodySchema, serviceRecordSchema, type ServiceRecordView } from './volunteers.schema.js';

const recordNotFound = () => notFound('service_record');

export function recordViewOf(row: RecordRow): ServiceRecordView {
  return {
    id: row.id,
    teamId: row.teamId,
    workerId: row.workerId,
    memberId: row.memberId,
    name: row.name,
    serviceDate: row.serviceDate,
    hours: hoursOf(row.halfHours),
    description: row.description,
    status: row.status,
    rejectReason: row.rejectReason,
    verifiedAt: row.verifiedAt,
    createdAt: row.createdAt,
  };
}

async function recordOr404(db: Db, id: number): Promise<RecordRow> {
  const record = await findRecord(db, id);
  if (!record) throw recordNotFound();
  return record;
}

type Decision = { to: ServiceStatus; from: ServiceStatus; action: string; reason: string | null };

/** One decision on a record, compare-and-set on its status, audited in the same transaction. */
async function applyDecision(db: Db, record: RecordRow, d: Decision, meta: Meta): Promise<ServiceRecordView> {
  if (record.status !== d.from) throw ruleViolation(d.from === 'pending' ? refusals.notPending : refusals.notVerified);
  const done = await db.transaction().execute(async (trx) => {
    if (!(await decideRecord(trx, record.id, d.from, d.to, meta.actor.userId, d.reason, meta.now))) return false;
    await recordAudit(trx, { actor: meta.actor, action: d.action, entityType: 'service_record', entityId: record.id, ip: meta.ip, detail: { teamId: record.teamId, hours: hoursOf(record.halfHours), ...(d.reason ? { reason: d.reason } : {}) }, at: meta.now });
    return true;
  });
  if (!done) throw ruleViolation(d.from === 'pending' ? refusals.notPending : refusals.notVerified);
  return recordViewOf(await recordOr404(db, record.id));
}

export function registerRecordRoutes(app: VolunteersApp, deps: AppDeps): void {
  const { db } = deps;

  app.post(
    '/volunteer-teams/:id/service-records',
    {
      schema: {
        tags,
        summary: 'Log hours of service: one’s own, or (the leader, staff) someone’s on the roster. Starts pending.',
        params: idParamsSchema,
        body: createRecordBodySchema,
        response: { 201: serviceRecordSchema },
      },
    },
    async (request, reply) => {
      const meta = metaOf(request, deps);
      const viewer = await viewerOf(db, meta.actor);
      const team = await teamOr404(db, request.params.id);
      const body = request.body;
      const forSomeoneElse = body.workerId !== undefined || body.memberId !== undefined;
      if (forSomeoneElse) decide(rosterWriteAccess(viewer, team), () => notFound('volunteer_team'), 'org.write');
      const person = forSomeoneElse ? { workerId: body.workerId ?? null, memberId: body.memberId ?? null } : viewer;
      const entry = await activeEntryOf(db, team.id, person);
      if (!entry) {
        if (!forSomeoneElse && !teamVisibleTo(viewer, team)) throw notFound('volunteer_team');
        throw ruleViolation(team.closedOn ? refusals.teamClosed : refusals.notOnRoster);
      }
      const hoursProblem = hoursRefusal(body.hours);
      if (hoursProblem) throw invalid('body.hours', hoursProblem);
      const dateProblem = serviceDateRefusal(body.serviceDate, meta.today, team);
      if (dateProblem) throw invalid('body.serviceDate', dateProblem);
      if (entry.joinedOn > body.serviceDate) throw invalid('body.serviceDate', { zh: '早于此人加入服务队的日期', en: 'is before this person joined the team' });
      // The record names the person as the roster does, whichever of their records the request used.
      const description = normalizeDescription(body.description);
      const id = await db
        .transaction()
        .execute(async (trx) => {
          const at = meta.now.toISOString();
          const row = await trx
            .insertInto('serviceRecords')
            .values({
              teamId: team.id,
              workerId: entry.workerId,
              memberId: entry.memberId,
              serviceDate: body.serviceDate,
              halfHours: toHalfHours(body.hours),
              description,
              descriptionHash: descriptionHashOf(description),
              status: 'pending',
              rejectReason: null,
              verifiedBy: null,
              verifiedAt: null,
              createdBy: meta.actor.userId,
              createdAt: at,
              updatedAt: at,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await recordAudit(trx, { actor: meta.actor, action: 'service_record.create', entityType: 'service_record', entityId: row.id, ip: meta.ip, detail: { teamId: team.id, serviceDate: body.serviceDate, hours: body.hours }, at: meta.now });
          return row.id;
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? ruleViolation(refusals.duplicateRecord) : error;
        });
      const view = recordViewOf(await recordOr404(db, id));
      return reply.code(201).send(forSomeoneElse && !mayIdentify(viewer, team) ? namesOnly(view) : view);
    },
  );

  app.get(
    '/volunteer-teams/:id/service-records',
    {
      schema: {
        tags,
        summary: 'A team’s service records, newest first (the leader, staff who read people; audited)',
        params: idParamsSchema,
        querystring: listRecordsQuerySchema,
        response: { 200: pageOf(serviceRecordSchema) },
      },
    },
    async (request) => {
      const meta = metaOf(request, deps);
      const viewer = await viewerOf(db, meta.actor);
      const team = await teamOr404(db, request.params.id);
      decide(rosterReadAccess(viewer, team), () => notFound('volunteer_team'), 'person.read');
      const q = request.query;
      const cursor = decodeCursor(q.cursor, ['id']);
      const rows = await listRecords(db, { teamId: team.id, status: q.status, beforeId: cursor ? Number(cursor[0]) : null, limit: q.limit });
      const page = toPage(rows, q.limit, (r) => [r.id]);
      await recordAudit(db, { actor: meta.actor, action: 'service_record.list_read', entityType: 'volunteer_team', entityId: team.id, ip: meta.ip, detail: { status: q.status ?? null, records: page.items.length }, at: meta.now });
      const views = page.items.map(recordViewOf);
      return { items: mayIdentify(viewer, team) ? views : views.map(namesOnly), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/service-records',
    {
      schema: {
        tags,
        summary: 'Pending records awaiting my decision: of the teams I lead and the units I manage, never my own (audited)',
        querystring: queueQuerySchema,
        response: { 200: pageOf(queueItemSchema) },
      },
    },
    async (request) => {
      const meta = metaOf(request, deps);
      const viewer = await viewerOf(db, meta.actor);
      const q = request.query;
      const cursor = decodeCursor(q.cursor, ['id']);
      const rows = await listDecidableRecords(db, { viewer, scope: scopePaths(meta.actor, 'org.write'), afterId: cursor ? Number(cursor[0]) : null, limit: q.limit });
      const page = toPage(rows, q.limit, (r) => [r.id]);
      if (page.items.length > 0) {
        await recordAudit(db, { actor: meta.actor, action: 'service_record.queue_read', entityType: 'service_record', entityId: null, ip: meta.ip, detail: { records: page.items.length }, at: meta.now });
      }
      // A leader who is not staff sees names, not who is a worker and who a member.
      const items = page.items.map((r) => {
        const view = { ...recordViewOf(r), teamName: r.teamName, unitName: r.unitName };
        return mayIdentify(viewer, r) ? view : namesOnly(view);
      });
      return { items, nextCursor: page.nextCursor };
    },
  );

  const verifyOrReject = (to: 'verified' | 'rejected') => async (meta: Meta, id: number, reason: string | null) => {
    const viewer = await viewerOf(db, meta.actor);
    const record = await recordOr404(db, id);
    const decision = verifyAccess(viewer, record, record);
    if (decision === 'own_record') throw ruleViolation(refusals.ownRecord, 403);
    decide(decision, recordNotFound, 'org.write');
    const view = await applyDecision(db, record, { from: 'pending', to, action: to === 'verified' ? 'service_record.verify' : 'service_record.reject', reason }, meta);
    return mayIdentify(viewer, record) ? view : namesOnly(view);
  };
  const verify = verifyOrReject('verified');
  const reject = verifyOrReject('rejected');

  app.post(
    '/service-records/:id/verify',
    { schema: { tags, summary: 'Verify a pending record (the team’s leader or staff; not one’s own). Verified is final.', params: idParamsSchema, response: { 200: serviceRecordSchema } } },
    async (request) => verify(metaOf(request, deps), request.params.id, null),
  );

  app.post(
    '/service-records/:id/reject',
    { schema: { tags, summary: 'Reject a pending record with a reason (the team’s leader or staff)', params: idParamsSchema, body: rejectBodySchema, response: { 200: serviceRecordSchema } } },
    async (request) => reject(metaOf(request, deps), request.params.id, request.body.reason),
  );

  app.post(
    '/service-records/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke a verified record with a reason (staff who manage the team’s unit): it leaves the ledger; negative hours are never logged',
        params: idParamsSchema,
        body: rejectBodySchema,
        response: { 200: serviceRecordSchema },
      },
    },
    async (request) => {
      const meta = metaOf(request, deps);
      const viewer = await viewerOf(db, meta.actor);
      const record = await recordOr404(db, request.params.id);
      decide(revokeAccess(viewer, record), recordNotFound, 'org.write');
      return applyDecision(db, record, { from: 'verified', to: 'rejected', action: 'service_record.revoke', reason: request.body.reason }, meta);
    },
  );
}
