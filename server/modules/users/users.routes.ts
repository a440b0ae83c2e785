// Who holds which role where. System admins manage everyone; an org admin manages the grants inside
// their own subtree. A change to a person's grants ends every session and token they hold, so a
// privilege taken away never lingers in an open browser or an API client, and a new one is used only
// from a fresh login. Nobody changes their own grants. Every change is audited.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ensureAllowed } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import { contextOf } from '../../core/context.js';
import type { AppDeps } from '../../core/deps.js';
import { conflict, forbidden, notFound } from '../../core/errors.js';
import { decodeCursor, pageOf, toPage } from '../../core/paging.js';
import { isSystemAdmin, scopePaths } from '../../core/scope.js';
import { findUnit } from '../org/org.queries.js';
import { endSessionsOf, loadManagedUser, mayManage, needsSomeScope, notYourself, viewOf } from './users.access.js';
import { grantsOf, listManagedUsers } from './users.queries.js';
import { addGrantBodySchema, grantChangeSchema, grantParamsSchema, listUsersQuerySchema, managedUserSchema, userIdParamsSchema } from './users.schema.js';

const tags = ['users'];

export const usersRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;

  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'Users you manage (with a grant in your subtree; everyone for system admins), in id order, with the grants you may change',
        querystring: listUsersQuerySchema,
        response: { 200: pageOf(managedUserSchema) },
      },
    },
    async (request) => {
      const { actor } = contextOf(request, clock);
      needsSomeScope(actor);
      const cursor = decodeCursor(request.query.cursor, ['id']);
      const rows = await listManagedUsers(db, { scope: scopePaths(actor, 'user.manage'), q: request.query.q, afterId: cursor ? Number(cursor[0]) : null, limit: request.query.limit });
      const page = toPage(rows, request.query.limit, (r) => [r.id]);
      const grants = await grantsOf(db, page.items.map((u) => u.id));
      return { items: await Promise.all(page.items.map((u) => viewOf(db, actor, u, clock.now(), grants))), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/users/:id/grants',
    {
      schema: {
        tags,
        summary: 'Grant a role on a unit (system_admin: no unit, by system admins only); every session and token of the user ends',
        params: userIdParamsSchema,
        body: addGrantBodySchema,
        response: { 201: grantChangeSchema },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request, clock);
      needsSomeScope(ctx.actor);
      const user = await loadManagedUser(db, ctx.actor, request.params.id);
      if (user.id === ctx.actor.userId) throw notYourself();
      const { role, unitId } = request.body;
      if (role === 'system_admin' && !isSystemAdmin(ctx.actor)) throw forbidden('user.manage');
      if (unitId !== null) {
        const unit = await findUnit(db, unitId);
        if (!unit) throw notFound('org_unit');
        ensureAllowed(ctx.actor, 'user.manage', unit.path);
        if (unit.closedOn) throw conflict({ zh: `“${unit.name}”已撤销，不能再授予角色`, en: `"${unit.name}" is closed; no role can be granted on it` });
      }
      const sessionsEnded = await db.transaction().execute(async (trx) => {
        const same = await trx.selectFrom('roleGrants').select('id').where('userId', '=', user.id).where('role', '=', role).where((eb) => (unitId === null ? eb('unitId', 'is', null) : eb('unitId', '=', unitId))).executeTakeFirst();
        if (same) throw conflict({ zh: '该用户已有这个角色', en: 'The user already holds this role there' });
        const grant = await trx.insertInto('roleGrants').values({ userId: user.id, role, unitId, createdAt: ctx.now.toISOString() }).returning('id').executeTakeFirstOrThrow();
        const ended = await endSessionsOf(trx, user.id);
        await recordAudit(trx, { actor: ctx.actor, action: 'user.grant_added', entityType: 'user', entityId: user.id, ip: ctx.ip, at: ctx.now, detail: { grantId: grant.id, role, unitId, sessionsEnded: ended } });
        return ended;
      });
      return reply.code(201).send({ user: await viewOf(db, ctx.actor, user, ctx.now), sessionsEnded });
    },
  );

  app.delete(
    '/users/:id/grants/:grantId',
    {
      schema: {
        tags,
        summary: 'Revoke a grant; every session and token of the user ends',
        params: grantParamsSchema,
        response: { 200: grantChangeSchema },
      },
    },
    async (request) => {
      const ctx = contextOf(request, clock);
      needsSomeScope(ctx.actor);
      const user = await loadManagedUser(db, ctx.actor, request.params.id);
      const grant = (await grantsOf(db, [user.id])).find((g) => g.id === request.params.grantId);
      // A grant outside the actor's reach is answered as missing, like any record out of scope.
      if (!grant || !mayManage(ctx.actor, grant)) throw notFound('role_grant');
      if (user.id === ctx.actor.userId) throw notYourself();
      const sessionsEnded = await db.transaction().execute(async (trx) => {
        const removed = await trx.deleteFrom('roleGrants').where('id', '=', grant.id).where('userId', '=', user.id).executeTakeFirst();
        if (Number(removed.numDeletedRows) === 0) throw notFound('role_grant');
        const ended = await endSessionsOf(trx, user.id);
        await recordAudit(trx, { actor: ctx.actor, action: 'user.grant_revoked', entityType: 'user', entityId: user.id, ip: ctx.ip, at: ctx.now, detail: { grantId: grant.id, role: grant.role, unitId: grant.unitId, sessionsEnded: ended } });
        return ended;
      });
      return { user: await viewOf(db, ctx.actor, user, ctx.now), sessionsEnded };
    },
  );
};
