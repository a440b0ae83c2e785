import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { registerActorHook } from './core/actor.js';
import type { AppDeps } from './core/deps.js';
import { AppError } from './core/errors.js';
import { type FastFront, FastPaths } from './core/fast-path.js';
import { registerMetrics } from './core/metrics.js';
import { registerSecurityHeaders } from './core/security-headers.js';
import { answerFrameworkError, registerProblemHandler, sendProblem } from './core/problem.js';
import { lazyRequestLogger } from './core/request-logger.js';
import { requestValidatorCompiler } from './core/request-validation.js';
import { activitiesRoutes } from './modules/activities/activities.routes.js';
import { appealInsightRoutes } from './modules/appeals/appeals.insights.routes.js';
import { appealRoutes } from './modules/appeals/appeals.routes.js';
import { appealWorkerRoutes } from './modules/appeals/appeals.worker.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { divisionRoutes } from './modules/divisions/divisions.routes.js';
import { exportRoutes } from './modules/imports/exports.routes.js';
import { importRoutes } from './modules/imports/imports.routes.js';
import { threadedImportJobRunner } from './modules/imports/imports.thread-runner.js';
import { importJobRunner } from './modules/imports/imports.workers.js';
import { liaisonRoutes } from './modules/liaison/liaison.routes.js';
import { memberRoutes } from './modules/members/members.routes.js';
import { notificationRoutes } from './modules/notifications/notifications.routes.js';
import { open311Routes } from './modules/open311/open311.routes.js';
import { orgRoutes } from './modules/org/org.routes.js';
import { privacyRoutes } from './modules/privacy/privacy.routes.js';
import { stationsRoutes } from './modules/stations/stations.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { userAccountRoutes } from './modules/users/users.accounts.routes.js';
import { volunteersRoutes } from './modules/volunteers/volunteers.routes.js';
import { workerRoutes } from './modules/workers/workers.routes.js';

// Scripts only from our own origin, no framing, no plugins. Ant Design writes its styles into <style>
// elements at run time (CSS-in-JS), so inline styles are allowed; photos previewed before upload are
// blob: URLs.
const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

// A query string can hold personal data (a name or phone fragment searched for, a tracking secret), so
// logs keep the path and the names of the parameters, never their values. Tracking codes are cut from
// paths, and appeal routes are logged without the caller's address: with the time of a filing, an
// address could point at an anonymous filer.
export function requestForLog(request: { method: string; url: string; id?: string; ip?: string }) {
  const [rawPath = '', query] = request.url.split('?', 2);
  const path = rawPath.replace(/\/track\/[^/]+/, '/track/…');
  const keys = query ? [...new URLSearchParams(query).keys()] : [];
  const url = keys.length > 0 ? `${path}?${keys.map((k) => `${k}=…`).join('&')}` : path;
  const anonymousRoute = path.startsWith('/api/v1/appeals') || path.startsWith('/api/v1/me/appeals');
  return { id: request.id, method: request.method, url, ...(anonymousRoute ? {} : { remoteAddress: request.ip }) };
}

export type BuildOptions = {
  logger?: boolean;
  /** Where log lines go instead of stdout (tests read them back). */
  logStream?: { write: (line: string) => void };
  /** Folder of the built web app; served at / when it exists. */
  webRoot?: string;
  /** Told of every route as it is registered (the authorization matrix lists them). */
  onRoute?: (route: RouteOptions) => void;
  /** false: every request takes Fastify's request path (tests compare the answers of both ways). */
  fastPaths?: boolean;
};

export async function buildApp(deps: AppDeps, options: BuildOptions = {}): Promise<FastifyInstance> {
  // Answers in front of Fastify (core/fast-path.ts).
  const fastPaths = new FastPaths();
  const app = Fastify({
    serverFactory: fastPaths.serverFactory,
    logger:
      options.logger === false
        ? false
        : {
            level: deps.config.logLevel,
            redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-appeal-secret"]', 'req.headers["idempotency-key"]'],
            serializers: { req: requestForLog },
            ...(options.logStream ? { stream: options.logStream } : {}),
          },
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    // A request's child logger is made only when it logs (core/request-logger.ts).
    childLoggerFactory: lazyRequestLogger,
    ajv: { customOptions: { removeAdditional: false } },
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();

  // Not while every request is logged (LOG_LEVEL info or below): only Fastify's path writes those lines.
  const logger = app.log as typeof app.log & { isLevelEnabled?: (level: string) => boolean };
  if (options.fastPaths !== false && !(logger.isLevelEnabled?.('info') ?? false)) fastPaths.open();

  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  // zod plus one check of every string a client sends for control characters (core/request-validation.ts).
  app.setValidatorCompiler(requestValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandler(app);

  const securityHeaders = registerSecurityHeaders(app, { contentSecurityPolicy: { directives: contentSecurityPolicy } });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  const metrics = registerMetrics(app);
  const front: FastFront = { paths: fastPaths, securityHeaders, metrics };
  app.addHook('preClose', () => fastPaths.close());
  registerActorHook(app, { db: deps.db, now: deps.clock.now, idleMs: deps.config.sessionIdleMs });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Convoy API',
        description: 'Convoy (同行): organizing and serving platform gig workers. Errors are RFC 9457 problem+json.',
        version: '1.0.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'convoy_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // Swagger UI sends its own policy (it loads a validator badge image and fonts from elsewhere).
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' }, staticCSP: true });

  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.db);
      return { status: 'ok', database: deps.engine };
    } catch (error) {
      app.log.error({ err: error }, 'database not ready');
      return reply.code(503).type('application/problem+json').send({ type: 'about:blank', title: 'Database unavailable', status: 503, detail: 'The database does not answer.' });
    }
  });

  // Import jobs run in the background of this process (on a SQLite file, on a thread of their own); a job
  // left running by a crash is resumed.
  const importThread = deps.importThread;
  const threaded = importThread ? threadedImportJobRunner({ db: deps.db, config: deps.config, clock: deps.clock, ...importThread }, app.log) : null;
  const importJobs = threaded ?? importJobRunner(deps, app.log);
  app.decorate('importJobs', importJobs);
  app.addHook('onReady', async () => importJobs.start());
  app.addHook('onClose', async () => {
    await importJobs.stop();
    await threaded?.close();
  });

  await app.register(
    async (api) => {
      await api.register(authRoutes, deps);
      await api.register(orgRoutes, deps);
      await api.register(auditRoutes, deps);
      await api.register(divisionRoutes, deps);
      await api.register(workerRoutes, deps);
      await api.register(importRoutes, { ...deps, jobs: importJobs });
      await api.register(exportRoutes, deps);
      await api.register(memberRoutes, deps);
      await api.register(liaisonRoutes, deps);
      await api.register(appealRoutes, deps);
      await api.register(appealWorkerRoutes, deps);
      await api.register(appealInsightRoutes, deps);
      await api.register(stationsRoutes, { ...deps, front });
      await api.register(activitiesRoutes, deps);
      await api.register(volunteersRoutes, deps);
      await api.register(notificationRoutes, deps);
      await api.register(privacyRoutes, deps);
      await api.register(usersRoutes, deps);
      await api.register(userAccountRoutes, deps);
    },
    { prefix: '/api/v1' },
  );
  // Open311 GeoReport v2 for third-party apps: public reads and keyed filing, outside /api.
  await app.register(open311Routes, { ...deps, prefix: '/open311/v2' });

  const webRoot = options.webRoot ?? resolve('web/dist');
  const hasWeb = existsSync(resolve(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
    // The web app routes on the client: any page address answers with index.html.
    if (hasWeb && wantsPage) return reply.type('text/html').sendFile('index.html');
    return sendProblem(reply, new AppError(404, 'ROUTE_NOT_FOUND', { method: request.method, url: request.url.split('?')[0] }));
  });

  return app;
}
