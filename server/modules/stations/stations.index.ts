// The nearest-station search: a static kd-tree (kdbush) over every station that is not closed, searched
// great-circle by geokdbush with the filters applied inside the search, so "the 10 nearest with a
// toilet, open now" never drops results the way filtering a fixed top-10 afterwards would.
import { around } from 'geokdbush';
import KDBush from 'kdbush';
import { distanceKm, isOpenAt } from './stations.rules.js';
import { type OpeningHours, type StationService, type StationStatusCode, stationServices } from './stations.schema.js';

export type IndexedStation = {
  id: number;
  lat: number;
  lng: number;
  kind: string;
  status: StationStatusCode;
  services: readonly StationService[];
  hours: OpeningHours;
};

export type NearestQuery = {
  lat: number;
  lng: number;
  limit: number;
  radiusKm?: number;
  /** The station must offer every one of these. */
  services?: readonly StationService[];
  kind?: string;
  /** Only stations open at this instant (active and within their hours). */
  openAt?: Date;
};

export type NearestHit = { id: number; distanceKm: number };

const serviceBit = new Map(stationServices.map((s, i) => [s, 1 << i]));
export const serviceMask = (services: readonly StationService[]) => services.reduce((mask, s) => mask | (serviceBit.get(s) ?? 0), 0);

/** The filters besides services (which the index tests as bit masks, the brute-force scan as lists). */
function passesStatusKindAndHours(station: IndexedStation, query: NearestQuery): boolean {
  if (station.status === 'closed') return false;
  if (query.kind !== undefined && station.kind !== query.kind) return false;
  if (query.openAt && (station.status !== 'active' || !isOpenAt(station.hours, query.openAt))) return false;
  return true;
}

/** Nearest first; equal distances by id, so every process and a brute-force scan answer alike. */
const byDistanceThenId = (a: NearestHit, b: NearestHit) => a.distanceKm - b.distanceKm || a.id - b.id;

export class StationIndex {
  private readonly stations: IndexedStation[];
  private readonly masks: Int32Array;
  private readonly tree: KDBush | null;

  constructor(stations: readonly IndexedStation[]) {
    this.stations = stations.filter((s) => s.status !== 'closed');
    this.masks = Int32Array.from(this.stations, (s) => serviceMask(s.services));
    // kdbush cannot hold zero points; an empty index simply answers nothing.
    if (this.stations.length === 0) {
      this.tree = null;
      return;
    }
    const tree = new KDBush(this.stations.length);
    for (const s of this.stations) tree.add(s.lng, s.lat);
    this.tree = tree.finish();
  }

  get size(): number {
    return this.stations.length;
  }

  nearest(query: NearestQuery): NearestHit[] {
    const tree = this.tree;
    if (!tree || query.limit <= 0) return [];
    const mask = serviceMask(query.services ?? []);
    const radiusKm = query.radiusKm ?? Infinity;
    const accept = (item: number) => ((this.masks[item] ?? 0) & mask) === mask && passesStatusKindAndHours(this.stations[item] as IndexedStation, query);
    // geokdbush orders by the same haversine terms as distanceKm, but it breaks ties arbitrarily: fetch a
    // few more than asked and widen until the farthest fetched is clearly beyond the last one kept, so a
    // tie straddling the cut-off is settled by id, as the brute-force scan settles it.
    let want = query.limit + 8;
    for (;;) {
      const items = around(tree, query.lng, query.lat, want, radiusKm === Infinity ? Infinity : radiusKm * (1 + 1e-9), accept);
      const hits = items
        .map((item) => {
          const s = this.stations[item] as IndexedStation;
          return { id: s.id, distanceKm: distanceKm(query.lat, query.lng, s.lat, s.lng) };
        })
        .filter((h) => h.distanceKm <= radiusKm)
        .sort(byDistanceThenId);
      const kept = hits.slice(0, query.limit);
      const last = kept[kept.length - 1];
      const farthest = hits[hits.length - 1];
      const exhausted = items.length < want;
      if (exhausted || !last || !farthest || farthest.distanceKm > last.distanceKm * (1 + 1e-12) + 1e-12) return kept;
      want *= 2;
    }
  }
}

/** The answer a full scan gives: the reference the index is tested against. */
export function bruteForceNearest(stations: readonly IndexedStation[], query: NearestQuery): NearestHit[] {
  const radiusKm = query.radiusKm ?? Infinity;
  const wanted = query.services ?? [];
  // The best `limit` so far, kept sorted: the same order as sorting every hit, without sorting 20,000.
  const best: NearestHit[] = [];
  for (const s of stations) {
    if (!wanted.every((service) => s.services.includes(service)) || !passesStatusKindAndHours(s, query)) continue;
    const hit = { id: s.id, distanceKm: distanceKm(query.lat, query.lng, s.lat, s.lng) };
    if (hit.distanceKm > radiusKm) continue;
    const last = best[best.length - 1];
    if (best.length >= query.limit && last && byDistanceThenId(hit, last) >= 0) continue;
    let at = best.length;
    while (at > 0 && byDistanceThenId(hit, best[at - 1] as NearestHit) < 0) at--;
    best.splice(at, 0, hit);
    if (best.length > query.limit) best.pop();
  }
  return best;
}

export type IndexSource = {
  /** A cheap fingerprint of the stations table (count and latest update): unchanged means no rebuild. */
  stamp: () => Promise<string>;
  load: () => Promise<IndexedStation[]>;
};

/**
 * The index one server process keeps. A write in this process rebuilds it before answering (kdbush is
 * static; 20,000 points rebuild in a few milliseconds). Writes by other processes are noticed by the
 * stamp, compared at most every `checkEveryMs` before a search, so they show within seconds without a
 * message bus.
 */
export function liveStationIndex(source: IndexSource, options: { now: () => number; checkEveryMs: number }) {
  let index = new StationIndex([]);
  let stamp: string | null = null;
  let checkedAt = -Infinity;
  let rebuilding: Promise<void> | null = null;

  // The stamp is read before the rows: a write landing between the two is in the index and makes the
  // next stamp differ, which costs one extra rebuild, never a missed station.
  const rebuild = (): Promise<void> => {
    rebuilding ??= (async () => {
      try {
        const fresh = await source.stamp();
        const rows = await source.load();
        index = new StationIndex(rows);
        stamp = fresh;
        checkedAt = options.now();
      } finally {
        rebuilding = null;
      }
    })();
    return rebuilding;
  };

  return {
    /** Rebuild now: after a write in this process, and at start. */
    refresh: async () => {
      // A rebuild already running may have read the rows before this write; wait for it, then rebuild.
      if (rebuilding) await rebuilding.catch(() => undefined);
      await rebuild();
    },
    /** The index, rebuilt first when the table changed in another process since the last look. */
    current: async (): Promise<StationIndex> => {
      if (rebuilding) await rebuilding;
      else if (options.now() - checkedAt >= options.checkEveryMs) {
        checkedAt = options.now();
        if ((await source.stamp()) !== stamp) await rebuild();
      }
      return index;
    },
  };
}
export type LiveStationIndex = ReturnType<typeof liveStationIndex>;
