import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { preparedStatement } from '../db/prepared.js';
import type { Database } from '../db/tables.js';
import { AppError, forbidden, notFound, unauthenticated } from './errors.js';
import { type Action, type Actor, type Grant, authorize } from './scope.js';

export const SESSION_COOKIE = 'convoy_session';
export const CSRF_COOKIE = 'convoy_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** 'public' API routes answer without a session; every other /api/ route requires one. */
    access?: 'public';
  }
}

export const newToken = () => randomBytes(32).toString('base64url');
export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

// lastSeenAt is refreshed at most this often, so reads do not each cost a write.
const TOUCH_INTERVAL_MS = 60_000;

// The session, its user and every grant in one statement (one row per grant, or one row with no grant):
// every authenticated request pays this, so it is one round trip, not two, compiled once (issue 6).
const sessionWithGrants = preparedStatement(['id'], (db, { id }: { id: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.userId')
    .leftJoin('roleGrants', 'roleGrants.userId', 'users.id')
    .leftJoin('orgUnits', 'orgUnits.id', 'roleGrants.unitId')
    .select([
      'sessions.kind',
      'sessions.csrfToken',
      'sessions.expiresAt',
      'sessions.lastSeenAt',
      'users.id as userId',
      'users.username',
      'users.displayName',
      'users.locale',
      'users.disabledAt',
      'users.workerId',
      'users.memberId',
      'roleGrants.role',
      'roleGrants.unitId',
      'orgUnits.path as unitPath',
      'orgUnits.name as unitName',
    ])
    .where('sessions.id', '=', id)
    .orderBy('roleGrants.id'));

export async function loadActor(
  db: Kysely<Database>,
  token: string,
  now: Date,
  idleMs: number,
): Promise<Actor | null> {
  const id = sessionIdOf(token);
  const { rows } = await sessionWithGrants(db, { id });
  const row = rows[0];
  if (!row || row.disabledAt) return null;
  const nowMs = now.getTime();
  const idleExpired = row.kind === 'cookie' && Date.parse(row.lastSeenAt) + idleMs < nowMs;
  if (Date.parse(row.expiresAt) <= nowMs || idleExpired) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  // Only cookie sessions expire when idle, so only they need lastSeenAt; touching a bearer token's row
  // was a durable write (an fsync on SQLite) on the first request of every minute of every API client.
  if (row.kind === 'cookie' && nowMs - Date.parse(row.lastSeenAt) > TOUCH_INTERVAL_MS) {
    await db.updateTable('sessions').set({ lastSeenAt: now.toISOString() }).where('id', '=', id).execute();
  }
  const grants: Grant[] = [];
  for (const r of rows) if (r.role !== null) grants.push({ role: r.role, unitId: r.unitId, unitPath: r.unitPath, unitName: r.unitName });
  return {
    userId: row.userId,
    username: row.username,
    displayName: row.displayName,
    locale: row.locale,
    grants,
    sessionId: id,
    sessionKind: row.kind,
    csrfToken: row.csrfToken,
    workerId: row.workerId,
    memberId: row.memberId,
  };
}

function tokenOf(request: FastifyRequest): { token: string; kind: 'cookie' | 'bearer' } | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return { token: header.slice(7).trim(), kind: 'bearer' };
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? { token: cookie, kind: 'cookie' } : null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Loads the actor of every request and enforces that non-public routes have one. Cookie sessions must
 * echo their CSRF token on writes; bearer tokens cannot be sent by a browser on its own, so they need not.
 */
export function registerActorHook(
  app: FastifyInstance,
  deps: { db: Kysely<Database>; now: () => Date; idleMs: number },
): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    const presented = tokenOf(request);
    if (presented) {
      const actor = await loadActor(deps.db, presented.token, deps.now(), deps.idleMs);
      if (actor && actor.sessionKind === presented.kind) request.actor = actor;
    }
    // Only the API needs a session; docs, health, metrics and the web app's files are public.
    const route = request.routeOptions.url;
    const isPublic = request.routeOptions.config?.access === 'public';
    const needsSession = route !== undefined && route.startsWith('/api/') && !isPublic;
    if (!request.actor) {
      if (needsSession) throw unauthenticated();
      return;
    }
    if (request.actor.sessionKind === 'cookie' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      const csrfOk = typeof sent === 'string' && sent === request.actor.csrfToken;
      if (needsSession && !csrfOk) throw new AppError(403, 'CSRF_FAILED');
      // A public write (login, anonymous filing) without the token is served as if no one were logged
      // in, so a forged cross-site request cannot act in the name of the session's owner.
      if (!csrfOk) request.actor = null;
    }
  });
}

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

/**
 * The check every route makes: out of scope is a 404 (no hint that the record exists), inside scope
 * but not permitted is a 403.
 */
export function ensureAllowed(actor: Actor, action: Action, unitPath: string | null, entity = 'org_unit'): Actor {
  const decision = authorize(actor, action, unitPath);
  if (decision === 'out_of_scope') throw notFound(entity);
  if (decision === 'forbidden') throw forbidden(action);
  return actor;
}

export function guard(request: FastifyRequest, action: Action, unitPath: string | null, entity = 'org_unit'): Actor {
  return ensureAllowed(requireActor(request), action, unitPath, entity);
}
