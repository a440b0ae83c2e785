import { z } from 'zod';
import { MAX_ROW_ID } from '../../core/ids.js';
import { calendarMonthSchema, instantSchema } from '../../core/calendar.schema.js';
import { latitude, longitude, queryLatitude, queryLongitude, radiusKm } from '../../core/coordinates.js';

// Activities (活动): what a unit organizes for the workers it serves, and who takes part.
export const activityKinds = ['health_check', 'training', 'themed_day', 'film_screening', 'volunteer_service', 'care_visit', 'branch_meeting'] as const;

export const activityKindNames: Record<(typeof activityKinds)[number], { zh: string; en: string }> = {
  health_check: { zh: '健康体检', en: 'Health check' },
  training: { zh: '培训赋能', en: 'Training / empowerment meeting' },
  themed_day: { zh: '主题日', en: 'Themed day' },
  film_screening: { zh: '电影放映', en: 'Film screening' },
  volunteer_service: { zh: '志愿服务', en: 'Volunteer service' },
  care_visit: { zh: '走访慰问', en: 'Care visit' },
  branch_meeting: { zh: '支部组织生活', en: 'Branch meeting' },
};

export const activityAudiences = ['platform_city', 'branch', 'members_only'] as const;
export const participantStatuses = ['confirmed', 'waitlisted', 'cancelled', 'walk_in'] as const;
export const outcomes = ['attended', 'no_show', 'expected', 'waitlisted', 'cancelled'] as const;

export const activityKindSchema = z.enum(activityKinds);
export const activityAudienceSchema = z
  .enum(activityAudiences)
  .describe('platform_city: workers of a platform and city (either may be empty for any); branch: workers the organizing unit’s subtree serves; members_only: its members, for branch meetings only');
export const activityStatusSchema = z.enum(['scheduled', 'cancelled']);
export const participantStatusSchema = z.enum(participantStatuses);

const instant = instantSchema;
const cityCode = z.string().regex(/^\d{6}$/, 'GB/T 2260 code');

export const idParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID) });
export const attendeeParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID), workerId: z.coerce.number().int().positive().max(MAX_ROW_ID) });
export const memberAttendeeParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID), memberId: z.coerce.number().int().positive().max(MAX_ROW_ID) });

const placeFields = {
  stationId: z.number().int().positive().max(MAX_ROW_ID).nullable().optional().describe('Held at a station (see /stations) that is not closed; its address and position fill in those left empty'),
  address: z.string().trim().min(2).max(300).nullable().optional(),
  lat: latitude.nullable().optional(),
  lng: longitude.nullable().optional(),
};

export const createActivityBodySchema = z.strictObject({
  unitId: z.number().int().positive().max(MAX_ROW_ID).describe('The organizing unit; requires org.write there'),
  kind: activityKindSchema,
  title: z.string().trim().min(2).max(120),
  description: z.string().trim().max(4000).nullable().optional(),
  ...placeFields,
  startsAt: instant,
  endsAt: instant,
  capacity: z.number().int().min(1).max(100_000).nullable().optional().describe('Empty: no limit'),
  audience: activityAudienceSchema.default('platform_city'),
  audiencePlatformId: z.number().int().positive().max(MAX_ROW_ID).nullable().optional().describe('platform_city: defaults to the unit’s platform; null for any'),
  audienceCityCode: cityCode.nullable().optional().describe('platform_city: defaults to the unit’s city; a province or city code covers what lies within'),
  signupOpensAt: instant.nullable().optional().describe('Empty: open now'),
  signupClosesAt: instant.nullable().optional().describe('Empty: closes at the start'),
});

export const updateActivityBodySchema = z.strictObject({
  version: z.number().int().positive().max(MAX_ROW_ID).optional().describe('The version you read; 409 if someone changed it since'),
  kind: activityKindSchema.optional(),
  title: z.string().trim().min(2).max(120).optional(),
  description: z.string().trim().max(4000).nullable().optional(),
  ...placeFields,
  startsAt: instant.optional(),
  endsAt: instant.optional(),
  capacity: z.number().int().min(1).max(100_000).nullable().optional(),
  audience: activityAudienceSchema.optional(),
  audiencePlatformId: z.number().int().positive().max(MAX_ROW_ID).nullable().optional(),
  audienceCityCode: cityCode.nullable().optional(),
  signupOpensAt: instant.nullable().optional(),
  signupClosesAt: instant.nullable().optional(),
});

export const cancelActivityBodySchema = z.strictObject({ reason: z.string().trim().min(2).max(500) });

const countsSchema = z.object({ confirmed: z.number().int(), waitlisted: z.number().int(), checkedIn: z.number().int() });

export const mySignupSchema = z.object({
  status: participantStatusSchema,
  waitlistPosition: z.number().int().nullable(),
  signedUpAt: z.string(),
  checkedInAt: z.string().nullable(),
  outcome: z.enum(outcomes),
});

export const activitySchema = z.object({
  id: z.number().int(),
  kind: activityKindSchema,
  kindName: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  unitId: z.number().int(),
  unitName: z.string(),
  stationId: z.number().int().nullable(),
  stationName: z.string().nullable().describe('The station it is held at, when it is held at one'),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int().nullable(),
  seatsLeft: z.number().int().nullable().describe('Null when unlimited'),
  audience: activityAudienceSchema,
  audiencePlatformId: z.number().int().nullable(),
  audienceCityCode: z.string().nullable(),
  signupOpensAt: z.string().nullable(),
  signupClosesAt: z.string().describe('The start unless set otherwise'),
  status: activityStatusSchema,
  cancelReason: z.string().nullable(),
  version: z.number().int(),
  counts: countsSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  distanceKm: z.number().nullable().describe('Only in "near me" lists'),
  mySignup: mySignupSchema.nullable().describe('The caller’s own sign-up, when the caller is a worker or member'),
  canOrganize: z.boolean(),
});

export const listActivitiesQuerySchema = z.strictObject({
  unitId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional().describe('A subtree; default everything the caller reaches'),
  from: instant.optional().describe('Activities starting at or after this instant'),
  to: instant.optional().describe('Activities starting before this instant'),
  kind: activityKindSchema.optional(),
  status: activityStatusSchema.optional(),
  stationId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional().describe('Only those held at this station'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const availableQuerySchema = z.strictObject({
  from: instant.optional().describe('Default now'),
  to: instant.optional().describe('Default 60 days ahead'),
  kind: activityKindSchema.optional(),
  stationId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional().describe('Only those held at this station'),
  lat: queryLatitude.optional(),
  lng: queryLongitude.optional(),
  radiusKm: radiusKm.default(20).describe('With lat and lng: only activities with a position this near'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const myActivitiesQuerySchema = z.strictObject({
  when: z.enum(['upcoming', 'past', 'all']).default('upcoming'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const signupResultSchema = z.object({
  activityId: z.number().int(),
  status: participantStatusSchema,
  waitlistPosition: z.number().int().nullable(),
  signedUpAt: z.string(),
});

export const participantSchema = z.object({
  id: z.number().int(),
  person: z.object({ kind: z.enum(['worker', 'member']), id: z.number().int(), name: z.string(), phoneTail: z.string() }),
  status: participantStatusSchema,
  waitlistPosition: z.number().int().nullable(),
  signedUpAt: z.string(),
  cancelledAt: z.string().nullable(),
  promotedAt: z.string().nullable(),
  checkedInAt: z.string().nullable(),
  checkInMethod: z.enum(['self_scan', 'organizer']).nullable(),
  outcome: z.enum(outcomes),
});

export const participantsQuerySchema = z.strictObject({
  status: participantStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: z.string().max(500).optional(),
});

export const checkInBodySchema = z.strictObject({ token: z.string().min(8).max(100).describe('From the QR code shown at the venue') });

export const checkInLinkSchema = z.object({
  path: z.string().describe('The worker’s check-in page, relative to this server'),
  url: z.string().describe('Absolute, as this request reached the server: what the QR code encodes'),
  token: z.string(),
});

export const checkInResultSchema = z.object({
  activityId: z.number().int(),
  participantId: z.number().int(),
  checkedInAt: z.string(),
  method: z.enum(['self_scan', 'organizer']),
  walkIn: z.boolean().describe('Checked in without a confirmed sign-up'),
  alreadyCheckedIn: z.boolean(),
});

export const attendanceQuerySchema = z.strictObject({
  unitId: z.coerce.number().int().positive().max(MAX_ROW_ID),
  month: calendarMonthSchema.describe('A calendar month in China time'),
});

const figuresSchema = z.object({
  activitiesHeld: z.number().int().describe('Not cancelled, starting in the month'),
  activitiesCancelled: z.number().int(),
  signUps: z.number().int().describe('Confirmed sign-ups of the activities held'),
  waitlisted: z.number().int().describe('Still on the waitlist'),
  attended: z.number().int().describe('Person-times: check-ins, walk-ins included'),
  walkIns: z.number().int(),
  noShows: z.number().int().describe('Confirmed, not checked in, activity over'),
});

export const attendanceSchema = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  month: z.string(),
  from: z.string(),
  to: z.string(),
  totals: figuresSchema,
  byKind: z.array(figuresSchema.extend({ kind: activityKindSchema })),
});

export const feedLinkSchema = z.object({
  path: z.string().describe('Relative to this server'),
  url: z.string().describe('Absolute, as this request reached the server; paste it into a calendar app'),
});

export const feedQuerySchema = z.strictObject({ token: z.string().min(8).max(200).optional() });

export type CreateActivityBody = z.infer<typeof createActivityBodySchema>;
export type UpdateActivityBody = z.infer<typeof updateActivityBodySchema>;
export type ActivityView = z.infer<typeof activitySchema>;
export type ParticipantView = z.infer<typeof participantSchema>;
