// The nearby answer, made from the index alone, as UTF-8 JSON bytes: a station's view but its open state
// is serialized and encoded once per index (the first time a search returns it); each answer copies those
// bytes and writes the open state (kept per station while it holds) and the distance beside them. No row
// is read, no object tree is built and no text is encoded per request — a 10 KB answer of Chinese names
// encoded anew each time cost more CPU than the search itself (issue 6). The bytes are exactly what
// serializing nearbyResultSchema's object would give (the tests compare).
import type { FastifyReply } from 'fastify';
import type { NearestItem, StationIndex } from './stations.index.js';
import type { Station } from './stations.queries.js';
import type { OpenState } from './stations.rules.js';
import { stationStaticView } from './stations.views.js';

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
