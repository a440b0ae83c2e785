import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CSRF_COOKIE, loadActor, requireActor, SESSION_COOKIE } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import type { AppDeps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { passwordProblem } from '../../core/password-policy.js';
import { decoyHash, hashPassword, verifyPassword, verifyPasswordWhileWanted } from '../../core/passwords.js';
import { invalid } from '../../core/errors.js';
import { lockoutMs } from './auth.rules.js';
import type { Actor } from '../../core/scope.js';
import { changePasswordBodySchema, createTokenBodySchema, localeBodySchema, loginBodySchema, type Me, meSchema, tokenSchema } from './auth.schema.js';
import { endSession, endSessionById, findUserByUsername, startSession } from './auth.queries.js';

const LOGIN_ATTEMPTS_PER_MINUTE = 20;

function meOf(actor: Actor): Me {
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    locale: actor.locale,
    grants: actor.grants.map((g) => ({ role: g.role, unitId: g.unitId, unitName: g.unitName ?? null })),
    csrfToken: actor.csrfToken,
  };
}

export const authRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock, config } = deps;
  const cookieOptions = { path: '/', sameSite: 'lax' as const, secure: config.cookieSecure };

  app.post(
    '/auth/login',
    {
      config: {
        access: 'public',
        rateLimit: {
          max: LOGIN_ATTEMPTS_PER_MINUTE,
          timeWindow: 60_000,
          errorResponseBuilder: (_request, context) => {
            const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
            return new AppError(429, 'RATE_LIMITED', { seconds }, [], { 'retry-after': String(seconds) });
          },
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; sets an HttpOnly session cookie',
        body: loginBodySchema,
        response: { 200: meSchema },
      },
    },
    async (request, reply) => {
      const now = clock.now();
      const { username, password } = request.body;
      const user = await findUserByUsername(db, username);
      if (user?.lockedUntil && Date.parse(user.lockedUntil) > now.getTime()) {
        const seconds = Math.ceil((Date.parse(user.lockedUntil) - now.getTime()) / 1000);
        await recordAudit(db, { actor: null, username, action: 'auth.login_locked', entityType: 'user', entityId: user.id, ip: request.ip, at: now });
        throw new AppError(429, 'ACCOUNT_LOCKED', { seconds }, [], { 'retry-after': String(seconds) });
      }
      const ok = await verifyPasswordWhileWanted(password, user?.passwordHash ?? decoyHash, () => !request.raw.socket.destroyed);
      // The client has gone while the login waited for a hashing slot: nobody to answer, nothing decided.
      if (ok === null) return reply.hijack();
      if (!user || !ok || user.disabledAt) {
        if (user && !ok) {
          const failures = user.failedLogins + 1;
          const lockMs = lockoutMs(failures);
          await db.updateTable('users').set({ failedLogins: failures, lockedUntil: lockMs > 0 ? new Date(now.getTime() + lockMs).toISOString() : null }).where('id', '=', user.id).execute();
        }
        await recordAudit(db, { actor: null, username, action: 'auth.login_failed', entityType: 'user', entityId: user?.id ?? null, ip: request.ip, at: now });
        throw new AppError(401, 'LOGIN_FAILED');
      }
      if (user.failedLogins > 0) await db.updateTable('users').set({ failedLogins: 0, lockedUntil: null }).where('id', '=', user.id).execute();
      // Rotation: a session cookie presented at login is ended, never reused.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await endSession(db, previous);
      const session = await startSession(
        db,
        { userId: user.id, kind: 'cookie', ip: request.ip, userAgent: request.headers['user-agent'], ttlMs: config.sessionTtlMs },
        now,
      );
      await recordAudit(db, { actor: null, username: user.username, action: 'auth.login', entityType: 'user', entityId: user.id, ip: request.ip, at: now });
      const expires = new Date(session.expiresAt);
      void reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions, httpOnly: true, expires });
      void reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...cookieOptions, httpOnly: false, expires });
      const actor = await loadActor(db, session.token, now, config.sessionIdleMs);
      if (!actor) throw new Error('A session just started could not be loaded');
      return meOf(actor);
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the current session', response: { 204: z.null().describe('No content') } } },
    async (request, reply) => {
      const actor = requireActor(request);
      await endSessionById(db, actor.sessionId);
      await recordAudit(db, { actor, action: 'auth.logout', entityType: 'user', entityId: actor.userId, ip: request.ip, at: clock.now() });
      void reply.clearCookie(SESSION_COOKIE, cookieOptions).clearCookie(CSRF_COOKIE, cookieOptions);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    { schema: { tags: ['auth'], summary: 'The logged-in user, their role grants and CSRF token', response: { 200: meSchema } } },
    async (request) => meOf(requireActor(request)),
  );

  app.put(
    '/auth/me/locale',
    { schema: { tags: ['auth'], summary: 'Remember the interface language of the logged-in user', body: localeBodySchema, response: { 200: meSchema } } },
    async (request) => {
      const actor = requireActor(request);
      await db.updateTable('users').set({ locale: request.body.locale, updatedAt: clock.now().toISOString() }).where('id', '=', actor.userId).execute();
      return meOf({ ...actor, locale: request.body.locale });
    },
  );

  app.post(
    '/auth/me/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change my password; every other session and token of mine ends, and this session is renewed',
        body: changePasswordBodySchema,
        response: { 200: meSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const now = clock.now();
      const user = await db.selectFrom('users').select(['passwordHash', 'username', 'displayName']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
      if (!(await verifyPassword(request.body.currentPassword, user.passwordHash))) {
        throw invalid('body.currentPassword', { zh: '当前密码不对', en: 'the current password is wrong' });
      }
      const problem = passwordProblem(request.body.newPassword, [user.username, user.displayName]);
      if (problem) throw invalid('body.newPassword', problem);
      const passwordHash = await hashPassword(request.body.newPassword);
      const session = await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ passwordHash, failedLogins: 0, lockedUntil: null, updatedAt: now.toISOString() }).where('id', '=', actor.userId).execute();
        // Whoever else held a session or token with the old password loses it, this browser included: it gets a new one.
        await trx.deleteFrom('sessions').where('userId', '=', actor.userId).execute();
        await recordAudit(trx, { actor, action: 'auth.password_changed', entityType: 'user', entityId: actor.userId, ip: request.ip, at: now });
        return startSession(trx, { userId: actor.userId, kind: 'cookie', ip: request.ip, userAgent: request.headers['user-agent'], ttlMs: config.sessionTtlMs }, now);
      });
      const expires = new Date(session.expiresAt);
      void reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions, httpOnly: true, expires });
      void reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...cookieOptions, httpOnly: false, expires });
      const renewed = await loadActor(db, session.token, now, config.sessionIdleMs);
      if (!renewed) throw new Error('A session just started could not be loaded');
      return meOf(renewed);
    },
  );

  app.post(
    '/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a bearer token for an API client, acting as the logged-in user',
        body: createTokenBodySchema,
        response: { 201: tokenSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const now = clock.now();
      const { name, expiresInDays } = request.body;
      const session = await startSession(db, { userId: actor.userId, kind: 'bearer', name, ip: request.ip, ttlMs: expiresInDays * 86_400_000 }, now);
      await recordAudit(db, { actor, action: 'auth.token_created', entityType: 'user', entityId: actor.userId, ip: request.ip, detail: { name }, at: now });
      return reply.code(201).send({ token: session.token, name, expiresAt: session.expiresAt });
    },
  );
};
