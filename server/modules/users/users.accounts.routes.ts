// The account as a whole: disable and enable it, lift a lockout, reset a lost password. Each acts on one
// login that may hold grants in many places, so an org admin may do it only when every grant of the
// user lies in their subtree (users.access.ts). Disabling and resetting end every session and token
// of the user in the same transaction; lifting a lockout changes no privilege and ends none.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordAudit } from '../../core/audit.js';
import { contextOf } from '../../core/context.js';
import type { AppDeps } from '../../core/deps.js';
import { conflict } from '../../core/errors.js';
import { hashPassword } from '../../core/passwords.js';
import { endSessionsOf, loadWhollyManagedUser, needsSomeScope, viewOf } from './users.access.js';
import { findUser } from './users.queries.js';
import { temporaryPassword } from './users.rules.js';
import { accountChangeSchema, disableBodySchema, passwordResetSchema, userIdParamsSchema } from './users.schema.js';

const tags = ['users'];

export const userAccountRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;

  /** The user as it is after the change, seen by the actor. */
  const changed = async (actor: Parameters<typeof viewOf>[1], id: number, now: Date) => {
    const user = await findUser(db, id);
    if (!user) throw new Error(`user ${id} vanished inside its own change`);
    return viewOf(db, actor, user, now);
  };

  app.post(
    '/users/:id/disable',
    {
      schema: {
        tags,
        summary: 'Disable an account: it can no longer log in, and every session and token of the user ends',
        params: userIdParamsSchema,
        body: disableBodySchema,
        response: { 200: accountChangeSchema },
      },
    },
    async (request) => {
      const ctx = contextOf(request, clock);
      needsSomeScope(ctx.actor);
      const user = await loadWhollyManagedUser(db, ctx.actor, request.params.id);
      if (user.disabledAt !== null) throw conflict({ zh: '该账号已停用', en: 'The account is already disabled' });
      const sessionsEnded = await db.transaction().execute(async (trx) => {
        const at = ctx.now.toISOString();
        // Compare-and-set: two admins disabling at once record one change, not two.
        const updated = await trx.updateTable('users').set({ disabledAt: at, updatedAt: at }).where('id', '=', user.id).where('disabledAt', 'is', null).executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) throw conflict({ zh: '该账号已停用', en: 'The account is already disabled' });
        const ended = await endSessionsOf(trx, user.id);
        await recordAudit(trx, { actor: ctx.actor, action: 'user.disabled', entityType: 'user', entityId: user.id, ip: ctx.ip, at: ctx.now, detail: { reason: request.body.reason, sessionsEnded: ended } });
        return ended;
      });
      return { user: await changed(ctx.actor, user.id, ctx.now), sessionsEnded };
    },
  );

  app.post(
    '/users/:id/enable',
    {
      schema: {
        tags,
        summary: 'Enable a disabled account again; the user logs in afresh with their password',
        params: userIdParamsSchema,
        response: { 200: accountChangeSchema },
      },
    },
    async (request) => {
      const ctx = contextOf(request, clock);
      needsSomeScope(ctx.actor);
      const user = await loadWhollyManagedUser(db, ctx.actor, request.params.id);
      if (user.disabledAt === null) throw conflict({ zh: '该账号未停用', en: 'The account is not disabled' });
      // An erased person's account (privacy.erasure.ts) has no name and no password left to come back to.
      if (user.username.startsWith('erased-')) throw conflict({ zh: '该账号已按本人要求删除个人信息，不能再启用', en: 'This account was erased at its owner’s request and cannot be enabled again' });
      const sessionsEnded = await db.transaction().execute(async (trx) => {
        const at = ctx.now.toISOString();
        // Old failures do not lock the returning user out on their first try.
        const updated = await trx.updateTable('users').set({ disabledAt: null, failedLogins: 0, lockedUntil: null, updatedAt: at }).where('id', '=', user.id).where('disabledAt', 'is not', null).executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) throw conflict({ zh: '该账号未停用', en: 'The account is not disabled' });
        // A disabled account holds no sessions; ending them again keeps "a status change ends sessions" true.
        const ended = await endSessionsOf(trx, user.id);
        await recordAudit(trx, { actor: ctx.actor, action: 'user.enabled', entityType: 'user', entityId: user.id, ip: ctx.ip, at: ctx.now, detail: { sessionsEnded: ended } });
        return ended;
      });
      return { user: await changed(ctx.actor, user.id, ctx.now), sessionsEnded };
    },
  );

  app.post(
    '/users/:id/unlock',
    {
      schema: {
        tags,
        summary: 'Lift a lockout after wrong passwords, so the user may try again at once',
        params: userIdParamsSchema,
        response: { 200: accountChangeSchema },
      },
    },
    async (request) => {
      const ctx = contextOf(request, clock);
      needsSomeScope(ctx.actor);
      const user = await loadWhollyManagedUser(db, ctx.actor, request.params.id);
      if (user.failedLogins === 0 && user.lockedUntil === null) throw conflict({ zh: '该账号未被锁定', en: 'The account is not locked' });
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ failedLogins: 0, lockedUntil: null, updatedAt: ctx.now.toISOString() }).where('id', '=', user.id).execute();
        await recordAudit(trx, { actor: ctx.actor, action: 'user.unlocked', entityType: 'user', entityId: user.id, ip: ctx.ip, at: ctx.now, detail: { failedLogins: user.failedLogins } });
      });
      return { user: await changed(ctx.actor, user.id, ctx.now), sessionsEnded: 0 };
    },
  );

  app.post(
    '/users/:id/password-reset',
    {
      schema: {
        tags,
        summary: 'Replace a lost password with a temporary one, shown once; every session and token of the user ends and a lockout is lifted',
        params: userIdParamsSchema,
        response: { 200: passwordResetSchema },
      },
    },
    async (request) => {
      const ctx = contextOf(request, clock);
      needsSomeScope(ctx.actor);
      const user = await loadWhollyManagedUser(db, ctx.actor, request.params.id);
      if (user.disabledAt !== null) throw conflict({ zh: '账号已停用，请先启用再重置密码', en: 'The account is disabled; enable it before resetting the password' });
      const password = temporaryPassword([user.username, user.displayName]);
      const passwordHash = await hashPassword(password);
      const sessionsEnded = await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ passwordHash, failedLogins: 0, lockedUntil: null, updatedAt: ctx.now.toISOString() }).where('id', '=', user.id).execute();
        const ended = await endSessionsOf(trx, user.id);
        // The password itself is never recorded: whoever reads the audit log must not be able to log in.
        await recordAudit(trx, { actor: ctx.actor, action: 'user.password_reset', entityType: 'user', entityId: user.id, ip: ctx.ip, at: ctx.now, detail: { sessionsEnded: ended } });
        return ended;
      });
      return { user: await changed(ctx.actor, user.id, ctx.now), sessionsEnded, temporaryPassword: password };
    },
  );
};
