import type { Generated } from 'kysely';

// ISO-8601 UTC and YYYY-MM-DD, as in tables.ts (not imported from there: tables.ts composes this file).
type Timestamp = string;
type DateOnly = string;

export type StationKind = 'driver_home' | 'outdoor_worker_station' | 'union_station' | 'partner_shop' | 'community_centre';
/** active: serving by its hours; suspended: shut until further notice (shown, never "open"); closed: for good. */
export type StationStatus = 'active' | 'suspended' | 'closed';

export interface StationsTable {
  id: Generated<number>;
  name: string;
  kind: StationKind;
  /** The org unit that runs it (and whose scope may edit it); null only for stations kept by system admins. */
  unitId: number | null;
  /** The partner that runs it day to day (a shop, a district trade union), when not the unit itself. */
  operatorName: string | null;
  platformId: number | null;
  cityCode: string | null;
  address: string;
  /** WGS-84; GCJ-02 for Chinese map apps is derived on the way out, never stored. */
  lat: number;
  lng: number;
  /** JSON array of service codes (stations.schema.ts). */
  services: string;
  /** JSON OpeningHours: weekly ranges and dated exceptions, read in Asia/Shanghai. */
  hours: string;
  capacity: number | null;
  contactPhone: string | null;
  description: string | null;
  status: StationStatus;
  statusNote: string | null;
  closedAt: Timestamp | null;
  createdBy: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface StationVisitsTable {
  id: Generated<number>;
  stationId: number;
  workerId: number;
  /** The worker's account that scanned; null for visits recorded before accounts (seeded history). */
  userId: number | null;
  /** The unit running the station at the time: person-times count for the unit that served them. */
  unitId: number | null;
  /** The day and month in China (UTC+8): one visit per worker, station and day. */
  visitedOn: DateOnly;
  month: string;
  visitedAt: Timestamp;
}

export interface StationRatingsTable {
  stationId: number;
  workerId: number;
  stars: number;
  comment: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface StationPhotosTable {
  id: Generated<number>;
  stationId: number;
  storageKey: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdBy: number | null;
  createdAt: Timestamp;
}

/** Which appeals were problem reports about which station (no filer: anonymous reports stay anonymous). */
export interface StationProblemsTable {
  appealId: number;
  stationId: number;
  createdAt: Timestamp;
}

// Tables of the stations module (composed into Database in tables.ts).
export interface StationTables {
  stations: StationsTable;
  stationVisits: StationVisitsTable;
  stationRatings: StationRatingsTable;
  stationPhotos: StationPhotosTable;
  stationProblems: StationProblemsTable;
}
