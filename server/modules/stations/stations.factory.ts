// Stations for tests: a request body with sensible defaults, and a row written straight to the database
// (as another server process would), bypassing this process's index.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { OpeningHours, StationKindCode, StationService } from './stations.schema.js';

const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export function dailyHours(opens: string, closes: string): OpeningHours {
  return { weekly: Object.fromEntries(days.map((d) => [d, [{ opens, closes }]])) as OpeningHours['weekly'], exceptions: [] };
}

export const allDay = () => dailyHours('00:00', '24:00');

let serial = 0;

export type StationBody = {
  name: string;
  kind: StationKindCode;
  unitId?: number | null;
  operatorName?: string | null;
  address: string;
  lat: number;
  lng: number;
  services: StationService[];
  hours: OpeningHours;
  capacity?: number | null;
  contactPhone?: string | null;
  description?: string | null;
  cityCode?: string | null;
  platformId?: number | null;
  coordinateSystem?: 'wgs84' | 'gcj02';
};

/** A body for POST /stations near Chengdu's Tianfu Square unless told otherwise. */
export function stationBody(overrides: Partial<StationBody> = {}): StationBody {
  serial += 1;
  return {
    name: `户外劳动者服务站（测试${serial}）`,
    kind: 'outdoor_worker_station',
    address: `成都市锦江区测试路${serial}号`,
    lat: 30.6574,
    lng: 104.0658,
    services: ['rest_seats', 'hot_water', 'toilet'],
    hours: dailyHours('08:00', '20:00'),
    capacity: 12,
    contactPhone: '028-86000000',
    ...overrides,
  };
}

/** A row written directly, as a write by another process would land. */
export async function insertStationRow(db: Kysely<Database>, overrides: Partial<StationBody> & { updatedAt?: string } = {}): Promise<number> {
  const body = stationBody(overrides);
  const at = overrides.updatedAt ?? new Date().toISOString();
  const row = await db
    .insertInto('stations')
    .values({
      name: body.name,
      kind: body.kind,
      unitId: body.unitId ?? null,
      operatorName: body.operatorName ?? '测试合作方',
      platformId: body.platformId ?? null,
      cityCode: body.cityCode ?? '510100',
      address: body.address,
      lat: body.lat,
      lng: body.lng,
      services: JSON.stringify(body.services),
      hours: JSON.stringify(body.hours),
      capacity: body.capacity ?? null,
      contactPhone: body.contactPhone ?? null,
      description: null,
      status: 'active',
      statusNote: null,
      closedAt: null,
      createdBy: null,
      createdAt: at,
      updatedAt: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
