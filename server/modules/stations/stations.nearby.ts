// The nearby answer, made from the index alone, as UTF-8 JSON bytes: a station's view but its open state
// is serialized and encoded once per index (the first time a search returns it); each answer copies those
// bytes and writes the open state (kept per station while it holds) and the distance beside them. No row
// is read, no object tree is built and no text is encoded per request — a 10 KB answer of Chinese names
// encoded anew each time cost more CPU than the search itself (issue 6). The bytes are exactly what
// serializing nearbyResultSchema's object would give (the tests compare).
import type { FastifyReply } from 'fastify';
import { type FastAnswer, type FastFront, plainQuery, writeJsonAnswer } from '../../core/fast-path.js';
import type { SharedLimit } from '../../core/shared-rate-limit.js';
import type { LiveStationIndex, NearestItem, StationIndex } from './stations.index.js';
import type { Station } from './stations.queries.js';
import type { OpenState } from './stations.rules.js';
import { type NearbyQuery, nearbyQuerySchema } from './stations.schema.js';
import { fromGcj02, stationStaticView } from './stations.views.js';

// Per index: a write builds a new index, so the bytes of a changed station can never outlive it.
const viewHeads = new WeakMap<StationIndex<Station>, (Buffer | undefined)[]>();

/** The station's view without the open state: JSON without its closing brace, UTF-8. */
function viewHeadOf(index: StationIndex<Station>, item: number): Buffer {
  let heads = viewHeads.get(index);
  if (!heads) {
    heads = new Array<Buffer | undefined>(index.size);
    viewHeads.set(index, heads);
  }
  let head = heads[item];
  if (head === undefined) {
    head = Buffer.from(JSON.stringify(stationStaticView(index.stations[item] as Station)).slice(0, -1));
    heads[item] = head;
  }
  return head;
}

const openStateJson = (state: OpenState) => `"openNow":${state.openNow},"nextChange":${state.nextChange === null ? 'null' : `"${state.nextChange}"`}`;

/**
 * The answer's bytes. Everything written around the cached heads is ASCII (booleans, numbers, ISO
 * instants), so its length in characters is its length in bytes.
 */
export function nearbyAnswerJson(index: StationIndex<Station>, hits: readonly NearestItem[], now: Date): Buffer {
  const heads: Buffer[] = [];
  const tails: string[] = [];
  let length = 0;
  for (const hit of hits) {
    const head = viewHeadOf(index, hit.item);
    const tail = `,${openStateJson(index.openStateAt(hit.item, now))},"distanceMetres":${Math.round(hit.distanceKm * 1000)}}`;
    heads.push(head);
    tails.push(tail);
    length += head.length + tail.length;
  }
  const opening = '{"items":[';
  const closing = `],"evaluatedAt":"${now.toISOString()}"}`;
  length += opening.length + closing.length + Math.max(0, hits.length - 1);
  const out = Buffer.allocUnsafe(length);
  let at = out.write(opening, 0, 'latin1');
  for (let i = 0; i < heads.length; i++) {
    if (i > 0) at = out.writeUInt8(0x2c, at); // ','
    at += (heads[i] as Buffer).copy(out, at);
    at += out.write(tails[i] as string, at, 'latin1');
  }
  out.write(closing, at, 'latin1');
  return out;
}

/**
 * Sends JSON (text or its UTF-8 bytes) as the route's declared answer. Fastify passes a string or a Buffer
 * with a JSON content type through untouched, so the route keeps its response schema for the OpenAPI
 * document while skipping the schema check and serialization of an object; the type says which document
 * the JSON holds.
 */
export function sendJsonText<T>(reply: FastifyReply, json: string | Buffer): T {
  void reply.type('application/json; charset=utf-8').send(json);
  return reply as unknown as T;
}

/** The answer to a valid query, from the index alone. */
export function nearbyAnswer(index: StationIndex<Station>, q: NearbyQuery, now: Date): Buffer {
  const at = q.coordinateSystem === 'gcj02' ? fromGcj02(q.lat, q.lng) : { lat: q.lat, lng: q.lng };
  const hits = index.nearestItems({ ...at, limit: q.limit, radiusKm: q.radiusKm, services: q.service, kind: q.kind, openAt: q.openNow === 'true' ? now : undefined });
  return nearbyAnswerJson(index, hits, now);
}

/**
 * The nearby search in front of Fastify (core/fast-path.ts), for a query of plain name=value pairs that the
 * route's schema accepts, within the address's limit, while the index is ready without a look at the
 * database. Anything else goes to the route, which answers it (an error as problem+json) as before.
 */
export function nearbyFastAnswer(options: { route: string; index: LiveStationIndex<Station>; now: () => Date; limit: SharedLimit; front: FastFront }): FastAnswer {
  const { route, index, now, limit, front } = options;
  return (request, response, query) => {
    const started = performance.now();
    const fields = plainQuery(query);
    const parsed = fields ? nearbyQuerySchema.safeParse(fields) : undefined;
    if (!parsed?.success) return false;
    return limit.count(request).then((verdict) => {
      limit.handOn(request, verdict);
      // Taken after the count's wait: a write that committed meanwhile is in it, or the route waits for it.
      const current = index.readyNow();
      if (verdict.isExceeded || !current) return false;
      writeJsonAnswer(response, { ...front.securityHeaders, ...limit.headers(verdict) }, nearbyAnswer(current, parsed.data, now()));
      front.metrics.observe('GET', route, 200, (performance.now() - started) / 1000);
      return true;
    });
  };
}
