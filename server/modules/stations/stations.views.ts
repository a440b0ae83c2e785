// How a station leaves the API: WGS-84 as stored, GCJ-02 beside it for Chinese map apps, whether it is
// open now, ready-made links that open AMap or Baidu Maps on the spot, and the GeoJSON form for GIS tools.
import gcoord from 'gcoord';
import type { Station } from './stations.queries.js';
import { type OpenState, openState } from './stations.rules.js';
import type { StationView } from './stations.schema.js';

// Links say where they come from: Baidu asks every caller for a src, AMap recommends one.
const SOURCE = 'webapp.convoy.stations';

/** WGS-84 → GCJ-02 by gcoord (the offset is not a formula to retype by hand). Outside China it is the identity. */
export function toGcj02(lat: number, lng: number): { lat: number; lng: number } {
  const [gLng, gLat] = gcoord.transform<[number, number]>([lng, lat], gcoord.WGS84, gcoord.GCJ02);
  return { lat: round6(gLat), lng: round6(gLng) };
}

/** WGS-84 → BD-09, Baidu's own system (GCJ-02 shifted once more), by gcoord. */
export function toBd09(lat: number, lng: number): { lat: number; lng: number } {
  const [bLng, bLat] = gcoord.transform<[number, number]>([lng, lat], gcoord.WGS84, gcoord.BD09);
  return { lat: round6(bLat), lng: round6(bLng) };
}

/** GCJ-02 (a position picked on AMap or Tencent Maps) → WGS-84 for storing. */
export function fromGcj02(lat: number, lng: number): { lat: number; lng: number } {
  const [wLng, wLat] = gcoord.transform<[number, number]>([lng, lat], gcoord.GCJ02, gcoord.WGS84);
  return { lat: round7(wLat), lng: round7(wLng) };
}

// Six decimals are 0.1 m: more only repeats the conversion's own noise (RFC 7946 §11.2 suggests six).
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

/**
 * Marker links, each in the app's own system: GCJ-02 for AMap (coordinate=gaode), BD-09 for Baidu
 * (coord_type=bd09ll), so neither app has to convert and a link copied elsewhere still points right.
 */
export function navigationLinks(name: string, address: string, gcj: { lat: number; lng: number }, bd: { lat: number; lng: number }) {
  const amap = new URL('https://uri.amap.com/marker');
  amap.search = new URLSearchParams({ position: `${gcj.lng},${gcj.lat}`, name, src: SOURCE, coordinate: 'gaode', callnative: '1' }).toString();
  const baidu = new URL('https://api.map.baidu.com/marker');
  baidu.search = new URLSearchParams({ location: `${bd.lat},${bd.lng}`, title: name, content: address, output: 'html', coord_type: 'bd09ll', src: SOURCE }).toString();
  return { amap: amap.toString(), baidu: baidu.toString() };
}

/** Everything of a station's view but whether it is open: what stays the same until the station changes. */
export function stationStaticView(station: Station): Omit<StationView, keyof OpenState> {
  const gcj02 = toGcj02(station.lat, station.lng);
  const bd09 = toBd09(station.lat, station.lng);
  return {
    id: station.id,
    name: station.name,
    kind: station.kind,
    status: station.status,
    statusNote: station.statusNote,
    unitId: station.unitId,
    unitName: station.unitName,
    operatorName: station.operatorName,
    platformId: station.platformId,
    cityCode: station.cityCode,
    address: station.address,
    location: { lat: station.lat, lng: station.lng },
    gcj02,
    bd09,
    services: station.services,
    hours: station.hours,
    capacity: station.capacity,
    contactPhone: station.contactPhone,
    description: station.description,
    navigation: navigationLinks(station.name, station.address, gcj02, bd09),
    updatedAt: station.updatedAt,
  };
}

export function stationView(station: Station, now: Date): StationView {
  return { ...stationStaticView(station), ...openState(station.hours, station.status, now) };
}

/**
 * An RFC 7946 FeatureCollection: WGS-84 [longitude, latitude] (the RFC allows no other system, so no
 * "crs" member), each Feature's id the station id, as in the nearby answers. Whether each is open comes
 * from the caller (the index keeps it per station while it holds).
 */
export function featureCollectionOf<S extends Station>(stations: readonly S[], openStateOf: (station: S) => OpenState) {
  return {
    type: 'FeatureCollection' as const,
    features: stations.map((s) => ({
      type: 'Feature' as const,
      id: s.id,
      geometry: { type: 'Point' as const, coordinates: [round6(s.lng), round6(s.lat)] },
      properties: {
        name: s.name,
        kind: s.kind,
        status: s.status,
        services: s.services,
        ...openStateOf(s),
        address: s.address,
        operatorName: s.operatorName,
        unitName: s.unitName,
        cityCode: s.cityCode,
        capacity: s.capacity,
        contactPhone: s.contactPhone,
      },
    })),
  };
}
