// The nearby answer, made from the index alone, as JSON text: a station's view but its open state is
// serialized once per index (the first time a search returns it); each answer splices in the open state
// (kept per station while it holds) and the distance. No row is read and no object tree is built per
// request; the text is exactly what serializing nearbyResultSchema's object would give (the tests compare).
import type { FastifyReply } from 'fastify';
import type { NearestItem, StationIndex } from './stations.index.js';
import type { Station } from './stations.queries.js';
import type { OpenState } from './stations.rules.js';
import { stationStaticView } from './stations.views.js';

// Per index: a write builds a new index, so the text of a changed station can never outlive it.
const viewHeads = new WeakMap<StationIndex<Station>, (string | undefined)[]>();

/** The station's view without the open state, as JSON without its closing brace. */
function viewHeadOf(index: StationIndex<Station>, item: number): string {
  let heads = viewHeads.get(index);
  if (!heads) {
    heads = new Array<string | undefined>(index.size);
    viewHeads.set(index, heads);
  }
  let head = heads[item];
  if (head === undefined) {
    head = JSON.stringify(stationStaticView(index.stations[item] as Station)).slice(0, -1);
    heads[item] = head;
  }
  return head;
}

const openStateJson = (state: OpenState) => `"openNow":${state.openNow},"nextChange":${state.nextChange === null ? 'null' : `"${state.nextChange}"`}`;

export function nearbyAnswerJson(index: StationIndex<Station>, hits: readonly NearestItem[], now: Date): string {
  let items = '';
  for (const hit of hits) {
    if (items !== '') items += ',';
    items += `${viewHeadOf(index, hit.item)},${openStateJson(index.openStateAt(hit.item, now))},"distanceMetres":${Math.round(hit.distanceKm * 1000)}}`;
  }
  return `{"items":[${items}],"evaluatedAt":"${now.toISOString()}"}`;
}

/**
 * Sends JSON text as the route's declared answer. Fastify passes a string with a JSON content type
 * through untouched, so the route keeps its response schema for the OpenAPI document while skipping the
 * schema check and serialization of an object; the type says which document the text holds.
 */
export function sendJsonText<T>(reply: FastifyReply, json: string): T {
  void reply.type('application/json; charset=utf-8').send(json);
  return reply as unknown as T;
}
