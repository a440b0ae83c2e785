import { z } from 'zod';
import { MAX_ROW_ID } from '../../core/ids.js';
import { calendarDateSchema, calendarMonthSchema } from '../../core/calendar.schema.js';
import { latitude, longitude, queryLatitude, queryLongitude } from '../../core/coordinates.js';

// Service stations: the words (kinds, services), the shape of opening hours, and what the API takes and
// gives. Positions are WGS-84 unless a field says otherwise.
export const stationKinds = ['driver_home', 'outdoor_worker_station', 'union_station', 'partner_shop', 'community_centre'] as const;

export const stationKindNames: Record<(typeof stationKinds)[number], { zh: string; en: string }> = {
  driver_home: { zh: '司机之家', en: 'Driver home' },
  outdoor_worker_station: { zh: '户外劳动者服务站', en: 'Outdoor-worker station' },
  union_station: { zh: '工会驿站', en: 'Trade-union station' },
  partner_shop: { zh: '爱心合作商户', en: 'Partner shop' },
  community_centre: { zh: '社区服务中心', en: 'Community service centre' },
};

export const stationServices = [
  'rest_seats',
  'hot_water',
  'microwave',
  'phone_charging',
  'ebike_battery',
  'ev_charging',
  'toilet',
  'truck_parking',
  'first_aid_kit',
  'aed',
  'wifi',
  'shower',
] as const;

export const stationServiceNames: Record<(typeof stationServices)[number], { zh: string; en: string }> = {
  rest_seats: { zh: '休息座椅', en: 'Rest seats' },
  hot_water: { zh: '饮用水/热水', en: 'Drinking and hot water' },
  microwave: { zh: '微波炉', en: 'Microwave' },
  phone_charging: { zh: '手机充电', en: 'Phone charging' },
  ebike_battery: { zh: '电动车换电/充电', en: 'E-bike battery swap and charging' },
  ev_charging: { zh: '汽车充电桩', en: 'EV charging' },
  toilet: { zh: '卫生间', en: 'Toilet' },
  truck_parking: { zh: '货车停车', en: 'Truck parking' },
  first_aid_kit: { zh: '急救药箱', en: 'First-aid kit' },
  aed: { zh: 'AED 除颤仪', en: 'AED' },
  wifi: { zh: '无线网络', en: 'Wi-Fi' },
  shower: { zh: '淋浴', en: 'Showers' },
};

export const stationStatuses = ['active', 'suspended', 'closed'] as const;

export const stationKindSchema = z.enum(stationKinds);
export const stationServiceSchema = z.enum(stationServices);
export const stationStatusSchema = z.enum(stationStatuses);
export type StationKindCode = z.infer<typeof stationKindSchema>;
export type StationService = z.infer<typeof stationServiceSchema>;
export type StationStatusCode = z.infer<typeof stationStatusSchema>;

// Opening hours. A range whose closing time is not after its opening time runs past midnight into the
// next day (22:00–06:00); 00:00–24:00 is a whole day. Times are China time (Asia/Shanghai).
const clockTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM, 00:00–24:00');
export const timeRangeSchema = z
  .strictObject({ opens: clockTime, closes: clockTime })
  .refine((r) => r.opens !== '24:00', { message: 'a range cannot open at 24:00', path: ['opens'] })
  .refine((r) => r.opens !== r.closes, { message: 'opens and closes must differ (00:00–24:00 is a whole day)', path: ['closes'] });
const dayRanges = z.array(timeRangeSchema).max(6).default([]);
export const weeklyHoursSchema = z.strictObject({ mon: dayRanges, tue: dayRanges, wed: dayRanges, thu: dayRanges, fri: dayRanges, sat: dayRanges, sun: dayRanges });
export const hoursExceptionSchema = z
  .strictObject({
    from: calendarDateSchema,
    to: calendarDateSchema,
    ranges: z.array(timeRangeSchema).max(6).describe('The hours on those days; empty: closed all day (a holiday, a temporary closure)'),
    note: z.string().trim().max(100).optional(),
  })
  .refine((e) => e.from <= e.to, { message: 'from must not be after to', path: ['to'] });
export const openingHoursSchema = z.strictObject({
  weekly: weeklyHoursSchema,
  exceptions: z.array(hoursExceptionSchema).max(100).default([]).describe('Dated days that differ from the week; the shortest matching span wins'),
});
export type TimeRange = z.infer<typeof timeRangeSchema>;
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;
export type HoursException = z.infer<typeof hoursExceptionSchema>;
export type OpeningHours = z.infer<typeof openingHoursSchema>;

export const coordinateSystemSchema = z.enum(['wgs84', 'gcj02']).default('wgs84').describe('gcj02: the coordinates come from a Chinese map app (AMap, Tencent) and are converted to WGS-84');

const phone = z.string().trim().regex(/^[0-9+\-() ]{5,30}$/, 'a telephone number');
const stationFields = {
  name: z.string().trim().min(2).max(80),
  kind: stationKindSchema,
  unitId: z.number().int().positive().max(MAX_ROW_ID).nullable().optional().describe('The org unit that runs it; only system admins may leave it empty'),
  operatorName: z.string().trim().min(2).max(80).nullable().optional().describe('The partner that runs it (a shop, a district trade union)'),
  platformId: z.number().int().positive().max(MAX_ROW_ID).nullable().optional(),
  cityCode: z.string().regex(/^\d{6}$/, 'GB/T 2260 code').nullable().optional(),
  address: z.string().trim().min(2).max(200),
  lat: latitude,
  lng: longitude,
  coordinateSystem: coordinateSystemSchema,
  services: z.array(stationServiceSchema).max(stationServices.length).default([]),
  hours: openingHoursSchema,
  capacity: z.number().int().min(0).max(10_000).nullable().optional(),
  contactPhone: phone.nullable().optional(),
  description: z.string().trim().max(1000).nullable().optional(),
};

export const createStationBodySchema = z
  .strictObject({ ...stationFields, status: z.enum(['active', 'suspended']).default('active'), statusNote: z.string().trim().max(200).nullable().optional() })
  .refine((b) => (b.unitId ?? null) !== null || (b.operatorName ?? null) !== null, { message: 'a station is run by a unit or a partner', path: ['operatorName'] });

export const updateStationBodySchema = z
  .strictObject({
    name: stationFields.name.optional(),
    kind: stationKindSchema.optional(),
    unitId: stationFields.unitId,
    operatorName: stationFields.operatorName,
    platformId: stationFields.platformId,
    cityCode: stationFields.cityCode,
    address: stationFields.address.optional(),
    lat: stationFields.lat.optional(),
    lng: stationFields.lng.optional(),
    coordinateSystem: coordinateSystemSchema,
    services: z.array(stationServiceSchema).max(stationServices.length).optional(),
    hours: openingHoursSchema.optional(),
    capacity: stationFields.capacity,
    contactPhone: stationFields.contactPhone,
    description: stationFields.description,
    status: z.enum(['active', 'suspended']).optional().describe('Closing for good is POST /stations/{id}/close'),
    statusNote: z.string().trim().max(200).nullable().optional(),
  })
  .refine((b) => (b.lat === undefined) === (b.lng === undefined), { message: 'lat and lng go together', path: ['lng'] });

export const closeStationBodySchema = z.strictObject({ reason: z.string().trim().min(2).max(200) });

export const idParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID) });
export const photoParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID), photoId: z.coerce.number().int().positive().max(MAX_ROW_ID) });

const flag = z.enum(['true', 'false']).optional();
const serviceList = z
  .string()
  .regex(/^[a-z_]+(,[a-z_]+)*$/)
  .transform((s, ctx) => {
    const codes = s.split(',');
    for (const code of codes) if (!(stationServices as readonly string[]).includes(code)) ctx.addIssue({ code: 'custom', message: `unknown service ${code}` });
    return codes as StationService[];
  })
  .optional()
  .describe('Comma-separated service codes; a station must offer all of them');

export const nearbyQuerySchema = z.strictObject({
  lat: queryLatitude,
  lng: queryLongitude,
  coordinateSystem: z.enum(['wgs84', 'gcj02']).default('wgs84').describe('gcj02 when the position comes from a Chinese map SDK'),
  service: serviceList,
  kind: stationKindSchema.optional(),
  openNow: flag.describe('true: only stations open at this moment (China time)'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  radiusKm: z.coerce.number().min(0.1).max(2000).default(50).describe('Search no farther than this (great-circle)'),
});

export type NearbyQuery = z.infer<typeof nearbyQuerySchema>;

export const listStationsQuerySchema = z.strictObject({
  unitId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional().describe('Stations run by this unit or any unit beneath it'),
  kind: stationKindSchema.optional(),
  status: stationStatusSchema.optional(),
  cityCode: z.string().regex(/^\d{6}$/).optional(),
  service: serviceList,
  q: z.string().trim().min(1).max(40).optional().describe('A fragment of the name or address'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const geojsonQuerySchema = z.strictObject({
  kind: stationKindSchema.optional(),
  service: serviceList,
  cityCode: z.string().regex(/^\d{6}$/).optional(),
  openNow: flag,
});

export const visitBodySchema = z.strictObject({ token: z.string().trim().min(8).max(64).describe('The t= parameter of the station’s QR code') });
export const ratingBodySchema = z.strictObject({ stars: z.number().int().min(1).max(5), comment: z.string().trim().max(500).nullable().optional() });
export const problemBodySchema = z.strictObject({
  description: z.string().trim().min(5).max(2000),
  anonymous: z.boolean().default(false).describe('When true nothing about the reporter is stored; keep the tracking code and secret'),
});
export const visitSummaryQuerySchema = z.strictObject({
  unitId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional().describe('Default: everything you may read'),
  month: calendarMonthSchema.optional().describe('Default: the last 12 months'),
  limit: z.coerce.number().int().min(1).max(200).default(20).describe('Stations in this page of byStation'),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous answer: the next page of byStation (the totals are the same on every page)'),
});

const position = z.object({ lat: z.number(), lng: z.number() });
export const stationViewSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: stationKindSchema,
  status: stationStatusSchema,
  statusNote: z.string().nullable(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  operatorName: z.string().nullable(),
  platformId: z.number().int().nullable(),
  cityCode: z.string().nullable(),
  address: z.string(),
  location: position.describe('WGS-84'),
  gcj02: position.describe('GCJ-02, for AMap, Tencent and other Chinese map apps'),
  bd09: position.describe('BD-09, for Baidu Maps'),
  services: z.array(stationServiceSchema),
  hours: openingHoursSchema,
  capacity: z.number().int().nullable(),
  contactPhone: z.string().nullable(),
  description: z.string().nullable(),
  openNow: z.boolean(),
  nextChange: z.string().nullable().describe('When it next opens or closes (UTC); null: no change within five weeks'),
  navigation: z.object({ amap: z.string(), baidu: z.string() }),
  updatedAt: z.string(),
});
export type StationView = z.infer<typeof stationViewSchema>;

export const nearbyItemSchema = stationViewSchema.extend({ distanceMetres: z.number().int() });
export const nearbyResultSchema = z.object({ items: z.array(nearbyItemSchema), evaluatedAt: z.string() });
export type NearbyResult = z.infer<typeof nearbyResultSchema>;

export const ratingSummarySchema = z.object({ average: z.number().nullable(), count: z.number().int() });
export const stationDetailSchema = stationViewSchema.extend({
  closedAt: z.string().nullable(),
  rating: ratingSummarySchema,
  myRating: z.object({ stars: z.number().int(), comment: z.string().nullable() }).nullable(),
  photos: z.array(z.object({ id: z.number().int(), url: z.string(), contentType: z.string() })),
  canEdit: z.boolean(),
  createdAt: z.string(),
});
export type StationDetail = z.infer<typeof stationDetailSchema>;

export const checkInLinkSchema = z.object({ url: z.string(), path: z.string(), token: z.string() });
export const visitSchema = z.object({ id: z.number().int(), stationId: z.number().int(), stationName: z.string(), visitedOn: z.string(), visitedAt: z.string(), alreadyCheckedIn: z.boolean() });
export const ratingResultSchema = z.object({ stars: z.number().int(), comment: z.string().nullable(), rating: ratingSummarySchema });
export const ratingListSchema = z.object({
  rating: ratingSummarySchema,
  items: z.array(z.object({ stars: z.number().int(), comment: z.string().nullable(), updatedAt: z.string() })).describe('Newest first, without who rated'),
});
export const problemResultSchema = z.object({
  appealId: z.number().int(),
  trackingCode: z.string().nullable(),
  secret: z.string().nullable().describe('Only for anonymous reports: with the code it lets the reporter follow the appeal'),
  unitName: z.string(),
  expectedBy: z.string().nullable(),
});
export const photoSchema = z.object({ id: z.number().int(), url: z.string(), contentType: z.string(), sizeBytes: z.number().int(), createdAt: z.string() });
export const visitSummarySchema = z.object({
  unitId: z.number().int().nullable(),
  months: z.array(z.string()),
  total: z.number().int().describe('Person-times: one per worker, station and day'),
  stationsVisited: z.number().int().describe('Stations with at least one visit in these months'),
  byMonth: z.array(z.object({ month: z.string(), visits: z.number().int(), workers: z.number().int().describe('Distinct workers that month') })),
  byStation: z
    .array(z.object({ stationId: z.number().int(), name: z.string(), unitId: z.number().int().nullable().describe('The unit running the station today'), visits: z.number().int() }))
    .describe('One page of the stations with visits: most person-times first, then the lower station id'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page of byStation; null on the last page'),
  cells: z.array(z.object({ stationId: z.number().int(), month: z.string(), visits: z.number().int() })).describe('Person-times per station and month, for the stations of this page'),
});
