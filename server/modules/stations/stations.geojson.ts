// The map layer: GeoJSON of the stations that are not closed, serialized once per index and per span of
// open states instead of per request. The body, its gzip (made once, on the first request that accepts
// it) and a strong ETag (a hash of the body) are kept in memory; a client revalidating with
// If-None-Match gets 304. A write builds a new index, which starts with no layers.
import { type Encoded, etagOf, gzipOnce } from '../../core/content-coding.js';
import type { StationIndex } from './stations.index.js';
import type { Station } from './stations.queries.js';
import type { StationService } from './stations.schema.js';
import { featureCollectionOf } from './stations.views.js';

export type MapLayerFilter = { kind?: string; cityCode?: string; services?: readonly StationService[]; openNow: boolean };

export type MapLayer = {
  identity: Encoded;
  gzipped: () => Promise<Encoded>;
  /** The open states in the body hold from `from` until `until` (ms since the epoch). */
  from: number;
  until: number;
};

type Kept = MapLayer & { bytes: number };

// Filtered layers (a kind, a city, services) are kept too, within a budget beside the whole layer: the
// oldest go first. The whole layer of 20,000 stations is about 10 MB, its gzip a tenth of it.
const FILTERED_BUDGET_BYTES = 32 * 1024 * 1024;
const WHOLE = '|||false';

const layersByIndex = new WeakMap<StationIndex<Station>, Map<string, Kept>>();

const keyOf = (f: MapLayerFilter) => `${f.kind ?? ''}|${f.cityCode ?? ''}|${[...(f.services ?? [])].sort().join(',')}|${f.openNow}`;

function buildLayer(index: StationIndex<Station>, filter: MapLayerFilter, now: Date): Kept {
  const chosen: Station[] = [];
  let until = Infinity;
  index.stations.forEach((station, item) => {
    if (filter.kind !== undefined && station.kind !== filter.kind) return;
    if (filter.cityCode !== undefined && station.cityCode !== filter.cityCode) return;
    if (filter.services && !filter.services.every((s) => station.services.includes(s))) return;
    // Every candidate's span bounds the layer: a station closed now that opens changes an openNow layer too.
    const span = index.openSpanAt(item, now);
    until = Math.min(until, span.until);
    if (!filter.openNow || span.state.openNow) chosen.push(station);
  });
  const body = Buffer.from(JSON.stringify(featureCollectionOf(chosen, (s) => index.openStateAt(index.itemOf(s.id) as number, now))));
  const identity = { body, etag: etagOf(body) };
  const layer: Kept = {
    identity,
    from: now.getTime(),
    until,
    bytes: body.length,
    gzipped: gzipOnce(identity, (bytes) => (layer.bytes += bytes)),
  };
  return layer;
}

/** The layer for a filter at an instant, from memory while the index and every open state in it hold. */
export function mapLayer(index: StationIndex<Station>, filter: MapLayerFilter, now: Date): MapLayer {
  let layers = layersByIndex.get(index);
  if (!layers) {
    layers = new Map();
    layersByIndex.set(index, layers);
  }
  const key = keyOf(filter);
  const t = now.getTime();
  const kept = layers.get(key);
  if (kept && kept.from <= t && t < kept.until) return kept;
  const layer = buildLayer(index, filter, now);
  layers.delete(key);
  layers.set(key, layer);
  let filteredBytes = 0;
  for (const [k, l] of [...layers].reverse()) {
    if (k === WHOLE) continue;
    filteredBytes += l.bytes;
    if (filteredBytes > FILTERED_BUDGET_BYTES && k !== key) layers.delete(k);
  }
  return layer;
}
