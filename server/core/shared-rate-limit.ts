// The per-address limit of a route that also has a fast answer (core/fast-path.ts): one count for both ways.
// @fastify/rate-limit's route option gives each route a store of its own, out of the fast answer's reach, so
// such a route takes this hook instead, over a store the plugin makes for it (createRateLimit: the same fixed
// window, the same bounded table of addresses), and answers with the plugin's headers.
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type LimitVerdict = { max: number; remaining: number; ttl: number; ttlInSeconds: number; isExceeded: boolean };

export type SharedLimit = {
  /** Counts a request the fast answer takes; `handOn` it when the general way answers after all. */
  count: (request: IncomingMessage) => Promise<LimitVerdict>;
  /** The verdict goes with the request, so the route's hook does not count it a second time. */
  handOn: (request: IncomingMessage, verdict: LimitVerdict) => void;
  /** The headers of an answer within the limit, in the plugin's order. */
  headers: (verdict: LimitVerdict) => Record<string, string>;
  /** The route's onRequest hook. */
  hook: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
};

const counted = Symbol('convoy.rateLimitVerdict');
type Marked = IncomingMessage & { [counted]?: LimitVerdict };

export function sharedLimit(app: FastifyInstance, options: { max: number; timeWindow: string }): SharedLimit {
  const limit = app.createRateLimit(options);
  const verdictOf = async (request: FastifyRequest): Promise<LimitVerdict> => {
    const result = await limit(request);
    // Only an allow list, which this limit has none of, lets a request through uncounted.
    if (result.isAllowed) throw new Error('a shared limit has no allow list');
    return result;
  };
  const headers = (verdict: LimitVerdict) => ({
    'x-ratelimit-limit': String(verdict.max),
    'x-ratelimit-remaining': String(verdict.remaining),
    'x-ratelimit-reset': String(verdict.ttlInSeconds),
  });
  return {
    // The key is the address, as request.ip gives it without a trusted proxy; the plugin reads no more of a request.
    count: (request) => verdictOf({ ip: request.socket.remoteAddress, routeOptions: { config: {} } } as unknown as FastifyRequest),
    handOn: (request, verdict) => {
      (request as Marked)[counted] = verdict;
    },
    headers,
    hook: async (request, reply) => {
      const verdict = (request.raw as Marked)[counted] ?? (await verdictOf(request));
      void reply.headers(headers(verdict));
      // The problem handler answers 429 RATE_LIMITED with the wait (retry-after, and in the text in both languages).
      if (verdict.isExceeded) throw Object.assign(new Error('rate limit exceeded'), { statusCode: 429, ttl: verdict.ttl });
    },
  };
}
