// A few public reads are answered in front of Fastify: the nearby stations, which phones ask for again and
// again and which is answered from memory. Fastify's request path (routing, the hooks every route runs,
// validation, the reply's hooks) costs several times the search itself: in issue 6's measurements the app's
// /healthz answered at half a bare Fastify's rate and nearby at a sixth.
//
// A fast answer does what the general path would do for the request it takes, and takes only requests whose
// answer it knows to be the same: everything else goes the general way, where the route answers it as
// before. Here: a request that carries credentials (its session is loaded and kept alive there), a body,
// a method other than GET, a server that is closing or a log level that writes a line for every request.
// The routes add their own conditions (a query they take apart themselves, a limit reached), and their
// tests compare both ways' answers byte for byte.
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { FastifyServerFactoryHandler } from 'fastify';
import type { AnswerMetrics } from './metrics.js';

/** Answers the request and says true, or says false having written nothing. */
export type FastAnswer = (request: IncomingMessage, response: ServerResponse, query: string) => boolean | Promise<boolean>;

/** What a route needs to answer in front of Fastify as Fastify's hooks would: where to add it, their headers and counts. */
export type FastFront = { paths: FastPaths; securityHeaders: Readonly<Record<string, string>>; metrics: AnswerMetrics };

type FastifyServerOptions = { http?: object; keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number; maxRequestsPerSocket?: number };

export class FastPaths {
  readonly #answers = new Map<string, FastAnswer>();
  // Closed until the app opens it (not while every request is logged) and again once it closes.
  #open = false;

  /** `path` is the full path, without the query. */
  add(path: string, answer: FastAnswer): void {
    if (this.#answers.has(path)) throw new Error(`a fast answer for ${path} is already there`);
    this.#answers.set(path, answer);
  }

  /** From now on the fast answers take what they can. */
  open(): void {
    this.#open = true;
  }

  /** From now on every request goes the general way (Fastify answers 503 while it closes). */
  close(): void {
    this.#open = false;
  }

  /** Fastify's serverFactory: the HTTP server Fastify would make itself, with the fast answers in front. */
  readonly serverFactory = (handler: FastifyServerFactoryHandler, options: FastifyServerOptions): Server => {
    const server = createServer(options.http ?? {}, (request, response) => this.#dispatch(request, response, handler));
    // As Fastify sets up a server of its own (lib/server.js).
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    server.setTimeout(options.connectionTimeout ?? 0);
    if (options.maxRequestsPerSocket !== undefined && options.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };

  #dispatch(request: IncomingMessage, response: ServerResponse, handler: FastifyServerFactoryHandler): void {
    const url = request.url ?? '';
    const mark = url.indexOf('?');
    const answer = this.#takes(request) ? this.#answers.get(mark < 0 ? url : url.slice(0, mark)) : undefined;
    if (!answer) return handler(request, response);
    let answered: boolean | Promise<boolean>;
    try {
      answered = answer(request, response, mark < 0 ? '' : url.slice(mark + 1));
    } catch {
      // The general way answers it: the same error, logged and answered as problem+json.
      answered = false;
    }
    // An answer that failed after it began writing cannot be handed on: a second answer would only add an
    // error about headers already sent. The client sees the connection end early, as with any failed write.
    const handOn = () => {
      if (response.headersSent) response.destroy();
      else handler(request, response);
    };
    if (answered === true) return;
    if (answered === false) return handOn();
    answered.then((done) => {
      if (!done) handOn();
    }, handOn);
  }

  /** Whether any fast answer may take this request, whatever its path. */
  #takes(request: IncomingMessage): boolean {
    if (!this.#open || request.method !== 'GET') return false;
    const headers = request.headers;
    if (headers.cookie !== undefined || headers.authorization !== undefined) return false;
    return headers['content-length'] === undefined && headers['transfer-encoding'] === undefined;
  }
}

/**
 * A query of name=value pairs of plain ASCII (letters, digits, `_ . , -`): what the query parser would make
 * of it, a value per name or a list for a repeated name. Anything else (escapes, `+`, a pair without `=`
 * or a name, an empty pair) is undefined: the general way parses it.
 */
export function plainQuery(query: string): Record<string, string | string[]> | undefined {
  if (!/^[A-Za-z0-9_.,=&-]*$/.test(query)) return undefined;
  const parsed: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  if (query === '') return parsed;
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals <= 0 || pair.indexOf('=', equals + 1) >= 0) return undefined;
    const name = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    const held = parsed[name];
    parsed[name] = held === undefined ? value : Array.isArray(held) ? [...held, value] : [held, value];
  }
  return parsed;
}

/** Writes a 200 JSON answer: the headers in the order given, then the body's type and length, as Fastify does. */
export function writeJsonAnswer(response: ServerResponse, headers: OutgoingHttpHeaders, body: Buffer): void {
  response.writeHead(200, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) });
  response.end(body);
}
