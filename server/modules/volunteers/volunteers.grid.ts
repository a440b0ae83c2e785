// Community grid roles (网格员): a worker serving in a community's grid governance. Staff who manage the
// worker's unit record them; the list names workers, so it is for those who read people (audited).
import { recordAudit } from '../../core/audit.js';
import type { AppDeps } from '../../core/deps.js';
import { invalid } from '../../core/errors.js';
import { decodeCursor, pageOf, toPage } from '../../core/paging.js';
import { authorize } from '../../core/scope.js';
import { isUniqueViolation } from '../../db/engine.js';
import { divisionOf, isDivisionCode } from '../divisions/divisions.rules.js';
import { type VolunteersApp, decide, gridRoleNotFound, metaOf, notAfterToday, ruleViolation, tags, unitFor, workerFor } from './volunteers.http.js';
import { type GridRoleRow, findGridRole, listGridRoles } from './volunteers.queries.js';
import { periodsOverlap, refusals } from './volunteers.rules.js';
import { createGridRoleBodySchema, endGridRoleBodySchema, gridRoleSchema, type GridRoleView, idParamsSchema, listGridRolesQuerySchema } from './volunteers.schema.js';

export function gridRoleViewOf(row: GridRoleRow): GridRoleView {
  return {
    id: row.id,
    workerId: row.workerId,
    name: row.name,
    unitId: row.unitId,
    communityName: row.communityName,
    cityCode: row.cityCode,
    cityName: divisionOf(row.cityCode)?.name ?? null,
    gridName: row.gridName,
    gridNumber: row.gridNumber,
    roleTitle: row.roleTitle,
    fromDate: row.fromDate,
    toDate: row.toDate,
    endReason: row.endReason,
  };
}

export function registerGridRoutes(app: VolunteersApp, deps: AppDeps): void {
  const { db } = deps;

  app.post(
    '/grid-roles',
    { schema: { tags, summary: 'Record a worker serving as a community grid member (staff who manage the unit)', body: createGridRoleBodySchema, response: { 201: gridRoleSchema } } },
    async (request, reply) => {
      const meta = metaOf(request, deps);
      const body = request.body;
      const worker = await workerFor(db, meta.actor, body.workerId);
      const unitId = body.unitId ?? worker.unitId;
      if (unitId === null) throw invalid('body.unitId', { zh: '此劳动者没有服务组织，请指定组织', en: 'this worker has no serving unit; name one' });
      const unit = await unitFor(db, meta.actor, unitId, 'org.write', { open: true });
      if (!isDivisionCode(body.cityCode)) throw invalid('body.cityCode', { zh: '不是有效的行政区划代码（GB/T 2260）', en: 'is not a GB/T 2260 division code' });
      notAfterToday('body.fromDate', body.fromDate, meta.today);
      const next = { from: body.fromDate, to: body.toDate ?? null };
      const same = await db
        .selectFrom('gridRoles')
        .select(['fromDate as from', 'toDate as to'])
        .where('workerId', '=', worker.id)
        .where('cityCode', '=', body.cityCode)
        .where('communityName', '=', body.communityName)
        .where('gridName', '=', body.gridName)
        .execute();
      if (same.some((p) => periodsOverlap(p, next))) throw ruleViolation(refusals.gridOverlap);
      const id = await db
        .transaction()
        .execute(async (trx) => {
          const at = meta.now.toISOString();
          const row = await trx
            .insertInto('gridRoles')
            .values({
              workerId: worker.id,
              unitId: unit.id,
              unitPath: unit.path,
              communityName: body.communityName,
              cityCode: body.cityCode,
              gridName: body.gridName,
              gridNumber: body.gridNumber ?? null,
              roleTitle: body.roleTitle,
              fromDate: next.from,
              toDate: next.to,
              endReason: null,
              createdBy: meta.actor.userId,
              createdAt: at,
              updatedAt: at,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await recordAudit(trx, { actor: meta.actor, action: 'grid_role.create', entityType: 'worker', entityId: worker.id, ip: meta.ip, detail: { gridRoleId: row.id, unitId: unit.id, cityCode: body.cityCode, roleTitle: body.roleTitle }, at: meta.now });
          return row.id;
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? ruleViolation(refusals.gridOverlap) : error;
        });
      return reply.code(201).send(gridRoleViewOf((await findGridRole(db, id)) as GridRoleRow));
    },
  );

  app.post(
    '/grid-roles/:id/end',
    { schema: { tags, summary: 'End a grid role (staff who manage its unit)', params: idParamsSchema, body: endGridRoleBodySchema, response: { 200: gridRoleSchema } } },
    async (request) => {
      const meta = metaOf(request, deps);
      const role = await findGridRole(db, request.params.id);
      if (!role) throw gridRoleNotFound();
      decide(authorize(meta.actor, 'org.write', role.unitPath), gridRoleNotFound, 'org.write');
      const toDate = request.body.toDate ?? meta.today;
      notAfterToday('body.toDate', toDate, meta.today);
      if (role.toDate !== null && role.toDate <= toDate) throw ruleViolation(refusals.gridEnded);
      if (toDate < role.fromDate) throw invalid('body.toDate', refusals.endBeforeStart);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('gridRoles').set({ toDate, endReason: request.body.reason ?? null, updatedAt: meta.now.toISOString() }).where('id', '=', role.id).execute();
        await recordAudit(trx, { actor: meta.actor, action: 'grid_role.end', entityType: 'worker', entityId: role.workerId, ip: meta.ip, detail: { gridRoleId: role.id, toDate }, at: meta.now });
      });
      return gridRoleViewOf((await findGridRole(db, role.id)) as GridRoleRow);
    },
  );

  app.get(
    '/grid-roles',
    { schema: { tags, summary: 'Grid roles of a unit’s subtree, with workers’ names (those who read people; audited)', querystring: listGridRolesQuerySchema, response: { 200: pageOf(gridRoleSchema) } } },
    async (request) => {
      const meta = metaOf(request, deps);
      const q = request.query;
      const unit = await unitFor(db, meta.actor, q.unitId, 'person.read');
      const cursor = decodeCursor(q.cursor, ['id']);
      const rows = await listGridRoles(db, { unitPath: unit.path, active: q.active, today: meta.today, afterId: cursor ? Number(cursor[0]) : null, limit: q.limit });
      const page = toPage(rows, q.limit, (r) => [r.id]);
      await recordAudit(db, { actor: meta.actor, action: 'grid_role.list_read', entityType: 'org_unit', entityId: unit.id, ip: meta.ip, detail: { rows: page.items.length }, at: meta.now });
      return { items: page.items.map(gridRoleViewOf), nextCursor: page.nextCursor };
    },
  );
}
