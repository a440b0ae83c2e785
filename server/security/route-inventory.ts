// Every route the real app registers, as the authorization matrix must cover it: taken from Fastify's
// onRoute hook while the app is built, so a route added anywhere appears here without anyone listing it.
import type { RouteOptions } from 'fastify';
import { buildApp } from '../app.js';
import type { AppDeps } from '../core/deps.js';

export type RegisteredRoute = {
  method: string;
  /** The path as registered, with Fastify's :params. */
  path: string;
  /** Answers without a session (config.access 'public', or outside /api where no session is asked for). */
  public: boolean;
};

export const routeKey = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

/** Routes the matrix leaves out, each with the reason; anything else registered must have a row. */
export const excludedRoutes: { pattern: RegExp; label: string; reason: string }[] = [
  { pattern: /^HEAD /, label: 'HEAD *', reason: 'Fastify answers HEAD with the GET handler of the same path (exposeHeadRoutes): the GET row covers it.' },
  { pattern: /^(GET|HEAD) \/docs(\/.*)?$/, label: 'GET /docs, /docs/*', reason: 'The OpenAPI document and Swagger UI assets: public by design, no data, no session.' },
];

export const isExcluded = (key: string) => excludedRoutes.some((e) => e.pattern.test(key));

/** Builds the app once more (not started) and lists what it registered; excluded routes are dropped. */
export async function registeredRoutes(deps: AppDeps): Promise<RegisteredRoute[]> {
  const seen: RegisteredRoute[] = [];
  const app = await buildApp(deps, {
    logger: false,
    webRoot: '/nonexistent',
    onRoute: (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const access = (route.config as { access?: string } | undefined)?.access;
      for (const method of methods) {
        seen.push({ method, path: route.url, public: access === 'public' || !route.url.startsWith('/api/') });
      }
    },
  });
  await app.close();
  const unique = new Map(seen.map((r) => [routeKey(r), r]));
  return [...unique.values()].filter((r) => !isExcluded(routeKey(r))).sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
