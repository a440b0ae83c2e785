// The nearest-station search: a static kd-tree (kdbush) over every station that is not closed, searched
// great-circle by geokdbush with the filters applied inside the search, so "the 10 nearest with a
// toilet, open now" never drops results the way filtering a fixed top-10 afterwards would.
import { around } from 'geokdbush';
import KDBush from 'kdbush';
import { type OpenState, distanceKm, isOpenAt, openStateSpan } from './stations.rules.js';
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
/** A hit by its position in the index, for reading the station and its memoized open state. */
export type NearestItem = { item: number; distanceKm: number };

const serviceBit = new Map(stationServices.map((s, i) => [s, 1 << i]));
export const serviceMask = (services: readonly StationService[]) => services.reduce((mask, s) => mask | (serviceBit.get(s) ?? 0), 0);

/** The filters besides services (which the index tests as bit masks, the brute-force scan as lists). */
function passesStatusKindAndHours(station: IndexedStation, query: NearestQuery, isOpen: (at: Date) => boolean): boolean {
  if (station.status === 'closed') return false;
  if (query.kind !== undefined && station.kind !== query.kind) return false;
  if (query.openAt && (station.status !== 'active' || !isOpen(query.openAt))) return false;
  return true;
}

/** Nearest first; equal distances by id, so every process and a brute-force scan answer alike. */
const byDistanceThenId = (a: NearestHit, b: NearestHit) => a.distanceKm - b.distanceKm || a.id - b.id;

/** An open state and the instants it holds for, [from, until). */
export type OpenSpan = { readonly from: number; readonly until: number; readonly state: OpenState };

/**
 * The stations that are not closed, in the order loaded, with a kd-tree over them. It also keeps what the
 * answers need per station (the station as loaded, its open state while it holds), so a search and its
 * answer touch no database; it is immutable otherwise, and a write replaces the whole index.
 */
export class StationIndex<S extends IndexedStation = IndexedStation> {
  readonly stations: readonly S[];
  private readonly masks: Int32Array;
  private readonly tree: KDBush | null;
  private readonly itemById: Map<number, number>;
  // Open state per station with the span it holds for: recomputed only when a search's instant leaves it.
  private readonly openSpans: (OpenSpan | undefined)[];

  constructor(stations: readonly S[]) {
    this.stations = stations.filter((s) => s.status !== 'closed');
    this.masks = Int32Array.from(this.stations, (s) => serviceMask(s.services));
    this.itemById = new Map(this.stations.map((s, item) => [s.id, item]));
    this.openSpans = new Array<OpenSpan | undefined>(this.stations.length);
    // kdbush cannot hold zero points; an empty index simply answers nothing.
    if (this.stations.length === 0) {
      this.tree = null;
      return;
    }
    // Leaves of 16 (kdbush's default is 64): a search for a handful of stations then pushes far fewer
    // points through geokdbush's queue (about a third less time per search over 20,000 stations).
    const tree = new KDBush(this.stations.length, 16);
    for (const s of this.stations) tree.add(s.lng, s.lat);
    this.tree = tree.finish();
  }

  get size(): number {
    return this.stations.length;
  }

  /** Position of a station in the index; undefined when it is closed or unknown. */
  itemOf(id: number): number | undefined {
    return this.itemById.get(id);
  }

  /** The same answer as openState(hours, status, at) (stations.rules.ts), computed once per span. */
  openStateAt(item: number, at: Date): OpenState {
    return this.openSpanAt(item, at).state;
  }

  openSpanAt(item: number, at: Date): OpenSpan {
    const t = at.getTime();
    const span = this.openSpans[item];
    if (span && span.from <= t && t < span.until) return span;
    const station = this.stations[item] as S;
    const { state, until } = openStateSpan(station.hours, station.status, at);
    const fresh = { from: t, until, state };
    this.openSpans[item] = fresh;
    return fresh;
  }

  nearest(query: NearestQuery): NearestHit[] {
    return this.nearestItems(query).map(({ item, distanceKm }) => ({ id: (this.stations[item] as S).id, distanceKm }));
  }

  nearestItems(query: NearestQuery): NearestItem[] {
    const tree = this.tree;
    if (!tree || query.limit <= 0) return [];
    const mask = serviceMask(query.services ?? []);
    const radiusKm = query.radiusKm ?? Infinity;
    const accept = (item: number) => ((this.masks[item] ?? 0) & mask) === mask && passesStatusKindAndHours(this.stations[item] as S, query, (at) => this.openStateAt(item, at).openNow);
    // geokdbush orders by the same haversine terms as distanceKm, but it breaks ties arbitrarily: fetch one
    // more than asked and widen until the farthest fetched is clearly beyond the last one kept, so a tie
    // straddling the cut-off is settled by id, as the brute-force scan settles it (ties are rare: one
    // extra is almost always enough, and each extra costs queue work).
    let want = query.limit + 1;
    for (;;) {
      const items = around(tree, query.lng, query.lat, want, radiusKm === Infinity ? Infinity : radiusKm * (1 + 1e-9), accept);
      const hits = items
        .map((item) => {
          const s = this.stations[item] as S;
          return { item, id: s.id, distanceKm: distanceKm(query.lat, query.lng, s.lat, s.lng) };
        })
        .filter((h) => h.distanceKm <= radiusKm)
        .sort(byDistanceThenId);
      const kept = hits.slice(0, query.limit);
      const last = kept[kept.length - 1];
      const farthest = hits[hits.length - 1];
      const exhausted = items.length < want;
      if (exhausted || !last || !farthest || farthest.distanceKm > last.distanceKm * (1 + 1e-12) + 1e-12) return kept.map(({ item, distanceKm }) => ({ item, distanceKm }));
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
    if (!wanted.every((service) => s.services.includes(service)) || !passesStatusKindAndHours(s, query, (at) => isOpenAt(s.hours, at))) continue;
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

export type IndexSource<S extends IndexedStation = IndexedStation> = {
  /** A cheap fingerprint of the stations table (count and latest update): unchanged means no rebuild. */
  stamp: () => Promise<string>;
  load: () => Promise<S[]>;
};

/**
 * The index one server process keeps. A write in this process marks it stale the moment the write has
 * committed (`refresh`), and no search is answered from an index older than that write: the next one
 * waits for the rebuild (kdbush is static; 20,000 points rebuild in a few milliseconds, the rows take
 * longer). Writes by other processes are noticed by the stamp, compared at most every `checkEveryMs`
 * before a search, so they show within seconds without a message bus.
 */
export function liveStationIndex<S extends IndexedStation = IndexedStation>(source: IndexSource<S>, options: { now: () => number; checkEveryMs: number }) {
  let index = new StationIndex<S>([]);
  let stamp: string | null = null;
  let checkedAt = -Infinity;
  let rebuilding: Promise<void> | null = null;
  // Writes seen in this process, and how many of them the current index surely holds.
  let writes = 0;
  let writesInIndex = -1;

  // The stamp is read before the rows: a write landing between the two is in the index and makes the
  // next stamp differ, which costs one extra rebuild, never a missed station. A rebuild holds the writes
  // counted when it started: one started earlier may have read the rows before the latest write.
  const rebuild = (): Promise<void> => {
    rebuilding ??= (async () => {
      const holds = writes;
      try {
        const fresh = await source.stamp();
        const rows = await source.load();
        index = new StationIndex(rows);
        stamp = fresh;
        writesInIndex = holds;
        checkedAt = options.now();
      } finally {
        rebuilding = null;
      }
    })();
    return rebuilding;
  };
  const holdingEveryWrite = async (): Promise<void> => {
    while (writesInIndex < writes) await (rebuilding ?? rebuild());
  };

  return {
    /** After a write in this process has committed (and at start): the next search sees it. */
    refresh: async () => {
      writes += 1;
      await holdingEveryWrite();
    },
    /** The index, rebuilt first when a write of this process or (by the stamp) of another one is not in it. */
    current: async (): Promise<StationIndex<S>> => {
      if (writesInIndex < writes) await holdingEveryWrite();
      else if (rebuilding) await rebuilding;
      else if (options.now() - checkedAt >= options.checkEveryMs) {
        checkedAt = options.now();
        if ((await source.stamp()) !== stamp) await rebuild();
      }
      return index;
    },
    /**
     * The index when current() would answer it at once (no write of this process outside it, no rebuild
     * running, the stamp looked at within checkEveryMs); otherwise null, and current() is the way.
     */
    readyNow: (): StationIndex<S> | null => (writesInIndex >= writes && !rebuilding && options.now() - checkedAt < options.checkEveryMs ? index : null),
  };
}
export type LiveStationIndex<S extends IndexedStation = IndexedStation> = ReturnType<typeof liveStationIndex<S>>;
