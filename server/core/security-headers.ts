// The hardening headers of every answer (content security policy, nosniff, frame and referrer rules …),
// from helmet's own defaults and our policy. They do not depend on the request (no CSP nonces here), yet
// @fastify/helmet 13 builds helmet's middleware and parses the policy anew for every request — a tenth of
// a small answer's CPU in the bench's profile (issue 6) — so they are worked out once, at start-up.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

export function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const collect = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, collect as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error('helmet refused the security header options');
  return headers;
}

// Fastify keeps a reply's headers in a plain object of its own, made empty for every reply, under this
// symbol (lib/symbols.js). reply.headers() adds the ~12 names one by one (each lowercased, then added to a
// fresh object that turns into a slow dictionary): ~5 µs of a small answer's CPU in the bench's profile
// (issue 6). When the reply holds no header yet, a copy of the frozen set in its place is the same headers
// in the same order for a fraction of that; anything else (an unknown Fastify, a header already set) takes
// the public way.
const REPLY_HEADERS = 'fastify.reply.headers';

type HeaderSlot = { slot: symbol } | null;

function headerSlotOf(reply: object): HeaderSlot {
  const slot = Object.getOwnPropertySymbols(reply).find((symbol) => symbol.description === REPLY_HEADERS);
  if (!slot) return null;
  const held = (reply as Record<symbol, unknown>)[slot];
  return held !== null && typeof held === 'object' && Object.getPrototypeOf(held) === Object.prototype ? { slot } : null;
}

function holdsNoHeader(headers: object): boolean {
  for (const _name in headers) return false;
  return true;
}

/** Registers the hook and gives back the headers it writes (core/fast-path.ts writes them too). */
export function registerSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers = Object.freeze(securityHeaders(options));
  let headerSlot: HeaderSlot | undefined;
  app.addHook('onRequest', (_request, reply, done) => {
    // Looked for once: null (not found) stays null, so a Fastify without the slot takes the public way at once.
    if (headerSlot === undefined) headerSlot = headerSlotOf(reply);
    const own = headerSlot ? (reply as unknown as Record<symbol, Record<string, unknown>>)[headerSlot.slot] : undefined;
    if (headerSlot && own && holdsNoHeader(own)) (reply as unknown as Record<symbol, Record<string, unknown>>)[headerSlot.slot] = { ...headers };
    else reply.headers(headers);
    done();
  });
  return headers;
}
