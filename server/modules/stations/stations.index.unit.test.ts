import { describe, expect, it } from 'vitest';
import { type IndexedStation, type NearestQuery, StationIndex, bruteForceNearest, liveStationIndex } from './stations.index.js';
import { type OpeningHours, type StationService, stationKinds, stationServices } from './stations.schema.js';

// A seeded generator: a failing case must be the same case on the next run.
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const cities = [
  { lat: 30.6598, lng: 104.0657, spreadKm: 25 }, // Chengdu
  { lat: 22.5431, lng: 114.0579, spreadKm: 30 }, // Shenzhen
  { lat: 23.1291, lng: 113.2644, spreadKm: 30 }, // Guangzhou
  { lat: 28.8717, lng: 105.4423, spreadKm: 10 }, // Luzhou
  { lat: 45.8038, lng: 126.5349, spreadKm: 20 }, // Harbin: higher latitude, narrower longitude degrees
];
const kmPerDegree = 111.195;

const hoursPatterns: OpeningHours[] = [
  { weekly: { mon: [{ opens: '00:00', closes: '24:00' }], tue: [{ opens: '00:00', closes: '24:00' }], wed: [{ opens: '00:00', closes: '24:00' }], thu: [{ opens: '00:00', closes: '24:00' }], fri: [{ opens: '00:00', closes: '24:00' }], sat: [{ opens: '00:00', closes: '24:00' }], sun: [{ opens: '00:00', closes: '24:00' }] }, exceptions: [] },
  { weekly: { mon: [{ opens: '08:00', closes: '20:00' }], tue: [{ opens: '08:00', closes: '20:00' }], wed: [{ opens: '08:00', closes: '20:00' }], thu: [{ opens: '08:00', closes: '20:00' }], fri: [{ opens: '08:00', closes: '20:00' }], sat: [], sun: [] }, exceptions: [] },
  { weekly: { mon: [{ opens: '22:00', closes: '06:00' }], tue: [{ opens: '22:00', closes: '06:00' }], wed: [{ opens: '22:00', closes: '06:00' }], thu: [{ opens: '22:00', closes: '06:00' }], fri: [{ opens: '22:00', closes: '06:00' }], sat: [{ opens: '22:00', closes: '06:00' }], sun: [{ opens: '22:00', closes: '06:00' }] }, exceptions: [{ from: '2026-11-25', to: '2026-11-26', ranges: [] }] },
];

function randomStations(count: number, seed: number): IndexedStation[] {
  const rnd = lcg(seed);
  const stations: IndexedStation[] = [];
  for (let id = 1; id <= count; id++) {
    let lat: number;
    let lng: number;
    const roll = rnd();
    const previous = stations[Math.floor(rnd() * stations.length)];
    if (roll < 0.02 && previous) {
      // Same spot as another station (two stations in one building): distance ties, settled by id.
      lat = previous.lat;
      lng = previous.lng;
    } else if (roll < 0.85) {
      const city = cities[Math.floor(rnd() * cities.length)]!;
      const km = city.spreadKm * Math.sqrt(rnd());
      const angle = rnd() * 2 * Math.PI;
      lat = city.lat + (km * Math.sin(angle)) / kmPerDegree;
      lng = city.lng + (km * Math.cos(angle)) / (kmPerDegree * Math.cos((city.lat * Math.PI) / 180));
    } else {
      // Countryside across China, between the cities.
      lat = 20 + rnd() * 25;
      lng = 98 + rnd() * 27;
    }
    const services = stationServices.filter(() => rnd() < 0.35);
    const status = rnd() < 0.05 ? 'closed' : rnd() < 0.05 ? 'suspended' : 'active';
    stations.push({ id, lat, lng, kind: stationKinds[Math.floor(rnd() * stationKinds.length)]!, status, services, hours: hoursPatterns[Math.floor(rnd() * hoursPatterns.length)]! });
  }
  return stations;
}

function randomQueries(count: number, seed: number): NearestQuery[] {
  const rnd = lcg(seed);
  const queries: NearestQuery[] = [];
  for (let i = 0; i < count; i++) {
    const city = cities[i % cities.length]!;
    const place = rnd();
    let lat: number;
    let lng: number;
    if (place < 0.4) {
      // On the edge of a city's cloud of stations, or just outside it: most neighbours lie to one side.
      const km = city.spreadKm * (0.9 + rnd() * 0.3);
      const angle = rnd() * 2 * Math.PI;
      lat = city.lat + (km * Math.sin(angle)) / kmPerDegree;
      lng = city.lng + (km * Math.cos(angle)) / (kmPerDegree * Math.cos((city.lat * Math.PI) / 180));
    } else if (place < 0.8) {
      lat = city.lat + (rnd() - 0.5) * 0.2;
      lng = city.lng + (rnd() - 0.5) * 0.2;
    } else {
      lat = 18 + rnd() * 30;
      lng = 95 + rnd() * 33;
    }
    const services: StationService[] = rnd() < 0.6 ? stationServices.filter(() => rnd() < 0.12) : [];
    queries.push({
      lat,
      lng,
      limit: [1, 5, 10, 20, 50][Math.floor(rnd() * 5)]!,
      services,
      ...(rnd() < 0.3 ? { radiusKm: [0.5, 2, 5, 50][Math.floor(rnd() * 4)]! } : {}),
      ...(rnd() < 0.2 ? { kind: stationKinds[Math.floor(rnd() * stationKinds.length)]! } : {}),
      ...(rnd() < 0.3 ? { openAt: new Date(Date.UTC(2026, 10, 24 + Math.floor(rnd() * 4), Math.floor(rnd() * 24), Math.floor(rnd() * 60))) } : {}),
    });
  }
  return queries;
}

describe('the nearest-station index', () => {
  const stations = randomStations(20_000, 20261125);
  const index = new StationIndex(stations);

  it('answers 600 queries exactly as a brute-force scan of 20,000 stations does: same ids, same order, same distances', () => {
    let nonEmpty = 0;
    for (const query of randomQueries(600, 42)) {
      const expected = bruteForceNearest(stations, query);
      expect(index.nearest(query), JSON.stringify({ ...query, openAt: query.openAt?.toISOString() })).toEqual(expected);
      if (expected.length > 0) nonEmpty += 1;
    }
    // The comparison means something only if most queries found stations.
    expect(nonEmpty).toBeGreaterThan(450);
  }, 60_000);

  it('orders stations at the same spot by id, also where the tie straddles the limit', () => {
    const spot = { lat: 30.5, lng: 104.5 };
    const same: IndexedStation[] = [9, 3, 7, 1, 5].map((id) => ({ id, ...spot, kind: 'union_station', status: 'active', services: [], hours: hoursPatterns[0]! }));
    const small = new StationIndex([...same, { ...same[0]!, id: 2, lat: 30.6 }]);
    expect(small.nearest({ ...spot, limit: 3 }).map((h) => h.id)).toEqual([1, 3, 5]);
    expect(small.nearest({ ...spot, limit: 6 }).map((h) => h.id)).toEqual([1, 3, 5, 7, 9, 2]);
  });

  it('leaves closed stations out and answers an empty index with nothing', () => {
    expect(index.size).toBe(stations.filter((s) => s.status !== 'closed').length);
    expect(new StationIndex([]).nearest({ lat: 30, lng: 104, limit: 5 })).toEqual([]);
  });
});

describe('the live index of one process', () => {
  const station = (id: number, lat = 30.6, lng = 104.0): IndexedStation => ({ id, lat, lng, kind: 'union_station', status: 'active', services: [], hours: hoursPatterns[0]! });

  it('rebuilds at once after a refresh, and notices another process’s write by the stamp within the check interval', async () => {
    let rows = [station(1)];
    let stamp = 'a';
    let loads = 0;
    let now = 0;
    const live = liveStationIndex({ stamp: async () => stamp, load: async () => (loads++, rows) }, { now: () => now, checkEveryMs: 5_000 });
    await live.refresh();
    expect((await live.current()).size).toBe(1);

    // Another process adds a station: not seen until the interval has passed, then seen.
    rows = [station(1), station(2)];
    stamp = 'b';
    now = 4_000;
    expect((await live.current()).size).toBe(1);
    now = 5_001;
    expect((await live.current()).size).toBe(2);

    // Unchanged stamp: no reload.
    const before = loads;
    now = 20_000;
    await live.current();
    expect(loads).toBe(before);

    // A write in this process: refreshed before the answer, whatever the interval.
    rows = [station(1), station(2), station(3)];
    stamp = 'c';
    await live.refresh();
    expect((await live.current()).nearest({ lat: 30.6, lng: 104, limit: 5 }).map((h) => h.id)).toEqual([1, 2, 3]);
  });
});
