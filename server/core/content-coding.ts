// Content coding of answers that are built once and kept in memory (the map layer, calendar feeds): the
// gzip is made once, on the first request that accepts it, and served to every later one with its own
// strong ETag (a different representation needs a different tag, RFC 9110 §8.8.3).
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

export type Encoded = { body: Buffer; etag: string };

/** A strong ETag of a body: the first 32 characters of its SHA-256, base64url, quoted. */
export function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** If-None-Match (RFC 9110 13.1.2) uses the weak comparison: W/"x" matches "x"; * matches any. */
export function noneMatch(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const list = (Array.isArray(header) ? header.join(',') : header).split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  return list.includes('*') || list.includes(etag);
}

/** Whether Accept-Encoding allows gzip: named (or x-gzip, or "*") with a weight above zero; a named coding outranks "*". */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  const weights = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [coding = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    weights.set(coding, q === undefined ? 1 : Number(q.slice(2)));
  }
  const weight = weights.get('gzip') ?? weights.get('x-gzip') ?? weights.get('*');
  return weight !== undefined && weight > 0;
}

/**
 * The gzip of a kept body, made on first use in the thread pool and then kept. Level 9: it is made once and
 * sent many times, and every answer's bytes cross the socket (the map layer of 20,000 stations: 804 KB
 * instead of 866 KB at the default level). `made` is told its size, for a cache's byte budget.
 */
export function gzipOnce(identity: Encoded, made?: (bytes: number) => void): () => Promise<Encoded> {
  let pending: Promise<Encoded> | null = null;
  return () =>
    (pending ??= gzipAsync(identity.body, { level: constants.Z_BEST_COMPRESSION, memLevel: 9 }).then(
      (body) => {
        made?.(body.length);
        return { body, etag: `${identity.etag.slice(0, -1)}-gzip"` };
      },
      (error: unknown) => {
        // Not kept: the next request tries again.
        pending = null;
        throw error;
      },
    ));
}
