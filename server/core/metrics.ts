import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Counts an answer and its time where Fastify's hooks do not see it (core/fast-path.ts). */
export type AnswerMetrics = { observe: (method: string, route: string, status: number, seconds: number) => void };

// One registry per app instance, so tests that build several apps do not collide on metric names.
export function registerMetrics(app: FastifyInstance): AnswerMetrics & { registry: Registry } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'convoy_http_requests_total',
    help: 'HTTP requests answered, by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'convoy_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // The series of one (method, route, status), bound once: prom-client otherwise hashes the label object
  // of both metrics on every request (issue 6). The key set is the label set, so it is just as bounded.
  type Series = { count: () => void; time: (seconds: number) => void };
  const seriesByKey = new Map<string, Series>();
  const seriesOf = (method: string, route: string, status: number): Series => {
    const key = `${method} ${status} ${route}`;
    let series = seriesByKey.get(key);
    if (!series) {
      const counted = requests.labels({ method, route, status: String(status) });
      const timed = latency.labels({ method, route });
      series = { count: () => counted.inc(), time: (seconds) => timed.observe(seconds) };
      seriesByKey.set(key, series);
    }
    return series;
  };
  const observe = (method: string, route: string, status: number, seconds: number) => {
    const series = seriesOf(method, route, status);
    series.count();
    series.time(seconds);
  };
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, not the raw URL, so ids do not explode the label set.
    observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  return { registry, observe };
}
