import { z } from 'zod';
import { MAX_ROW_ID } from '../../core/ids.js';
import { calendarDateSchema, instantSchema } from '../../core/calendar.schema.js';
import { latitude, longitude } from '../../core/coordinates.js';

// The taxonomy of appeals. The code is also the Open311 `service_code`.
export const appealCategories = [
  'income_fees',
  'dispatch_algorithm',
  'account_penalties',
  'safety',
  'traffic_parking',
  'rest_facilities',
  'insurance_injury',
  'contracts_labour',
  'customer_disputes',
  'health',
  'other',
] as const;

export const categoryNames: Record<(typeof appealCategories)[number], { zh: string; en: string }> = {
  income_fees: { zh: '收入与抽成', en: 'Income and fees' },
  dispatch_algorithm: { zh: '派单与算法', en: 'Dispatch and algorithm' },
  account_penalties: { zh: '账号处罚与封禁', en: 'Account penalties and bans' },
  safety: { zh: '人身安全', en: 'Safety' },
  traffic_parking: { zh: '交通与停车', en: 'Traffic and parking' },
  rest_facilities: { zh: '休息与设施', en: 'Rest and facilities' },
  insurance_injury: { zh: '保险与工伤', en: 'Insurance and injury' },
  contracts_labour: { zh: '合同与劳动关系', en: 'Contracts and labour relations' },
  customer_disputes: { zh: '与顾客纠纷', en: 'Disputes with customers' },
  health: { zh: '身体健康', en: 'Health' },
  other: { zh: '其他', en: 'Other' },
};

export const appealStatuses = [
  'submitted',
  'acknowledged',
  'in_progress',
  'waiting_on_worker',
  'resolved',
  'partly_resolved',
  'confirmed',
  'reopened',
  'referred',
  'rejected',
  'merged',
] as const;

export const appealLevels = ['branch', 'platform_committee', 'industry_committee'] as const;

export const appealCategorySchema = z.enum(appealCategories);
export const appealStatusSchema = z.enum(appealStatuses);
export const appealLevelSchema = z.enum(appealLevels);
export const contactPreferenceSchema = z.enum(['in_app', 'phone', 'none']);
export const appealChannelSchema = z.enum(['app', 'member', 'phone', 'open311']);

export const idParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID) });
export const codeParamsSchema = z.object({ code: z.string().trim().toUpperCase().regex(/^[A-Z0-9-]{6,20}$/, 'tracking code') });
export const photoParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID), photoId: z.coerce.number().int().positive().max(MAX_ROW_ID) });

export const createAppealBodySchema = z
  .strictObject({
    category: appealCategorySchema.describe('Taxonomy code; the same as the Open311 service_code'),
    description: z.string().trim().min(5).max(4000),
    anonymous: z.boolean().default(false).describe('When true nothing about the filer is stored; a tracking code and secret are returned'),
    lat: latitude.optional(),
    lng: longitude.optional(),
    address: z.string().trim().max(300).optional(),
    platformId: z.number().int().positive().max(MAX_ROW_ID).optional().describe('Defaults from the worker’s record'),
    cityCode: z.string().regex(/^\d{6}$/, 'GB/T 2260 code').optional().describe('Defaults from the worker’s record'),
    contactPreference: contactPreferenceSchema.default('in_app'),
    workerId: z.number().int().positive().max(MAX_ROW_ID).optional().describe('Filing for a worker: a member from a contact, or staff recording a call'),
    contactId: z.number().int().positive().max(MAX_ROW_ID).optional().describe('The liaison contact-log entry this demand was raised in'),
    contactName: z.string().trim().max(60).optional().describe('Caller’s name when there is no worker record (phone calls)'),
    contactPhone: z.string().trim().max(30).optional(),
    unitId: z.number().int().positive().max(MAX_ROW_ID).optional().describe('Staff recording a call: the unit that takes it (one where they handle appeals); default: routed like any appeal'),
  })
  .refine((b) => (b.lat === undefined) === (b.lng === undefined), { message: 'lat and lng go together', path: ['lng'] });

/** Where someone without an account can send an appeal: platforms with a unit that receives appeals, and their cities. */
export const appealPlacesSchema = z.object({
  platforms: z.array(
    z.object({
      id: z.number().int(),
      code: z.string(),
      name: z.string(),
      nameEn: z.string(),
      cityCodes: z.array(z.string()).describe('Cities where one of its units sits'),
      anyCity: z.boolean().describe('It has a platform committee, which takes appeals from cities without a unit of their own'),
    }),
  ),
  cities: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string().nullable(), province: z.string().nullable() })),
});

export const createdAppealSchema = z.object({
  id: z.number().int(),
  trackingCode: z.string().nullable().describe('Only for anonymous appeals'),
  secret: z.string().nullable().describe('Only for anonymous appeals: with the code it lets the filer follow, confirm or reopen'),
  status: appealStatusSchema,
  unitName: z.string(),
  expectedBy: z.string().nullable(),
});

const deadlineSchema = z.object({
  acknowledgeBy: z.string().nullable(),
  nextUpdateBy: z.string().nullable(),
  resolveBy: z.string().nullable(),
  dueAt: z.string().nullable(),
  paused: z.boolean(),
  overdue: z.boolean(),
});

export const listAppealsQuerySchema = z.strictObject({
  unitId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional().describe('A subtree; default everything in the caller’s scope'),
  category: appealCategorySchema.optional(),
  status: z.union([appealStatusSchema, z.literal('open'), z.literal('closed')]).optional(),
  level: appealLevelSchema.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  assignedToMe: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const appealListItemSchema = z.object({
  id: z.number().int(),
  category: appealCategorySchema,
  summary: z.string(),
  status: appealStatusSchema,
  level: appealLevelSchema,
  unitId: z.number().int(),
  unitName: z.string(),
  platformName: z.string().nullable(),
  cityCode: z.string().nullable(),
  anonymous: z.boolean(),
  assigneeName: z.string().nullable(),
  createdAt: z.string(),
  deadlines: deadlineSchema,
});

export const appealEventSchema = z.object({
  id: z.number().int(),
  kind: z.enum(['submitted', 'status', 'reply', 'note', 'escalated', 'transferred', 'assigned', 'merged', 'photo', 'rated', 'breached']),
  fromStatus: appealStatusSchema.nullable(),
  toStatus: appealStatusSchema.nullable(),
  visibility: z.enum(['public', 'internal']),
  body: z.string().nullable(),
  unitName: z.string().nullable(),
  level: appealLevelSchema.nullable(),
  actorName: z.string().nullable().describe('Handlers only; the worker sees the unit'),
  automatic: z.boolean().describe('Done by the scheduler: escalation on a missed deadline, or confirmation after 7 days'),
  createdAt: z.string(),
});

export const photoSchema = z.object({ id: z.number().int(), contentType: z.string(), sizeBytes: z.number().int(), createdAt: z.string() });

/** What the worker sees: never internal notes, never who handled it by name. */
export const publicAppealSchema = z.object({
  id: z.number().int(),
  trackingCode: z.string().nullable(),
  category: appealCategorySchema,
  description: z.string(),
  status: appealStatusSchema,
  level: appealLevelSchema,
  holder: z.string().describe('The unit holding the appeal now'),
  expectedBy: z.string().nullable().describe('When an answer is due'),
  delayReason: z.string().nullable(),
  delayKind: z
    .enum(['waiting_on_worker', 'overdue', 'escalated', 'referred'])
    .nullable()
    .describe('Why an answer may take longer, for a plain sentence on the worker’s page'),
  referredTo: z.string().nullable(),
  rejectReason: z.string().nullable(),
  mergedIntoId: z.number().int().nullable(),
  rating: z.number().int().nullable(),
  canGiveFeedback: z.boolean(),
  feedbackUntil: z.string().nullable(),
  address: z.string().nullable(),
  createdAt: z.string(),
  photos: z.array(photoSchema),
  timeline: z.array(appealEventSchema),
});

export const appealDetailSchema = publicAppealSchema.extend({
  platformId: z.number().int().nullable(),
  platformName: z.string().nullable(),
  cityCode: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  anonymous: z.boolean(),
  channel: appealChannelSchema,
  contactPreference: contactPreferenceSchema,
  filer: z
    .object({ workerId: z.number().int().nullable(), name: z.string().nullable(), phone: z.string().nullable() })
    .nullable()
    .describe('Null for anonymous appeals; the phone is masked'),
  unitId: z.number().int(),
  originUnitId: z.number().int(),
  assigneeUserId: z.number().int().nullable(),
  assigneeName: z.string().nullable(),
  deadlines: deadlineSchema,
  allowedTransitions: z.array(appealStatusSchema),
  canEscalate: z.boolean(),
  version: z.number().int(),
  reopenCount: z.number().int(),
  feedback: z.string().nullable(),
});

export const transitionBodySchema = z.strictObject({
  to: appealStatusSchema,
  reason: z.string().trim().max(2000).optional().describe('Shown to the worker: required for rejected, waiting_on_worker and referred'),
  referredTo: z.string().trim().max(200).optional().describe('Who outside Convoy is responsible, for referred'),
  mergedIntoId: z.number().int().positive().max(MAX_ROW_ID).optional().describe('For merged'),
  version: z.number().int().positive().max(MAX_ROW_ID).optional().describe('The version read; a stale one is refused with 409'),
});

export const replyBodySchema = z.strictObject({
  body: z.string().trim().min(1).max(4000),
  visibility: z.enum(['public', 'internal']),
});

export const escalateBodySchema = z.strictObject({ reason: z.string().trim().min(2).max(2000) });
export const transferBodySchema = z.strictObject({ unitId: z.number().int().positive().max(MAX_ROW_ID), reason: z.string().trim().min(2).max(2000) });
export const assignBodySchema = z.strictObject({ ids: z.array(z.number().int().positive().max(MAX_ROW_ID)).min(1).max(200), assigneeUserId: z.number().int().positive().max(MAX_ROW_ID).nullable() });
export const assignResultSchema = z.object({ assigned: z.number().int() });

export const feedbackBodySchema = z
  .strictObject({
    action: z.enum(['confirm', 'reopen']),
    rating: z.number().int().min(1).max(5).optional(),
    comment: z.string().trim().max(2000).optional(),
  })
  .refine((b) => b.action === 'reopen' || b.rating !== undefined, { message: 'rating 1–5', path: ['rating'] })
  .refine((b) => b.action === 'confirm' || (b.comment?.length ?? 0) > 0, { message: 'say what is still wrong', path: ['comment'] });

export const trackQuerySchema = z.strictObject({ secret: z.string().max(100).optional() });
export const trackFeedbackBodySchema = z.strictObject({
  secret: z.string().min(10).max(100),
  action: z.enum(['confirm', 'reopen']),
  rating: z.number().int().min(1).max(5).optional(),
  comment: z.string().trim().max(2000).optional(),
});

export const categoryListSchema = z.object({
  items: z.array(z.object({ code: appealCategorySchema, name: z.string(), nameZh: z.string(), nameEn: z.string() })),
});

export const slaPolicySchema = z.object({
  unitId: z.number().int().nullable(),
  category: appealCategorySchema.nullable(),
  acknowledgeHours: z.number().int().min(1).max(24 * 30),
  updateHours: z.number().int().min(1).max(24 * 30),
  resolveHours: z.number().int().min(1).max(24 * 90),
});
export const slaPolicyQuerySchema = z.strictObject({ unitId: z.coerce.number().int().positive().max(MAX_ROW_ID) });
export const putSlaPolicyBodySchema = z.strictObject({
  unitId: z.number().int().positive().max(MAX_ROW_ID),
  category: appealCategorySchema.nullable(),
  acknowledgeHours: z.number().int().min(1).max(24 * 30),
  updateHours: z.number().int().min(1).max(24 * 30),
  resolveHours: z.number().int().min(1).max(24 * 90),
});

export const myAppealItemSchema = z.object({
  id: z.number().int(),
  category: appealCategorySchema,
  summary: z.string(),
  status: appealStatusSchema,
  holder: z.string(),
  expectedBy: z.string().nullable(),
  canGiveFeedback: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const workerReplyBodySchema = z.strictObject({ body: z.string().trim().min(1).max(4000) });
export const trackReplyBodySchema = z.strictObject({ secret: z.string().min(10).max(100), body: z.string().trim().min(1).max(4000) });
export const photoQuerySchema = z.strictObject({ secret: z.string().max(100).optional() });

export const figuresQuerySchema = z.strictObject({
  unitId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional().describe('A subtree; system admins may leave it out for everything'),
  from: instantSchema.optional().describe('Default: 12 weeks ago'),
  to: instantSchema.optional().describe('Default: now'),
});

export const figuresSchema = z.object({
  from: z.string(),
  to: z.string(),
  weeks: z.array(z.string()).describe('Mondays (China time) of the weeks covered'),
  volume: z.array(z.object({ week: z.string(), category: appealCategorySchema, count: z.number().int() })),
  total: z.number().int(),
  medianHoursToAcknowledge: z.number().nullable(),
  medianHoursToResolve: z.number().nullable(),
  acknowledgedOnTimeShare: z.number().nullable(),
  resolvedOnTimeShare: z.number().nullable(),
  satisfaction: z.object({ average: z.number().nullable(), ratings: z.array(z.object({ stars: z.number().int(), count: z.number().int() })) }),
  openOverdue: z.number().int(),
});

export const clustersQuerySchema = z.strictObject({
  unitId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional(),
  minCount: z.coerce.number().int().min(2).max(1000).default(3),
});

export const clusterSchema = z.object({
  category: appealCategorySchema,
  platformId: z.number().int().nullable(),
  platformName: z.string().nullable(),
  cityCode: z.string().nullable(),
  week: z.string(),
  count: z.number().int(),
  overdue: z.number().int(),
  oldestCreatedAt: z.string(),
  appealIds: z.array(z.number().int()).describe('Up to 200, oldest first'),
});

export const answerClusterBodySchema = z.strictObject({
  unitId: z.number().int().positive().max(MAX_ROW_ID),
  category: appealCategorySchema,
  platformId: z.number().int().positive().max(MAX_ROW_ID).nullable(),
  cityCode: z.string().regex(/^\d{6}$/).nullable(),
  week: calendarDateSchema.describe('The Monday (China time) that names the week'),
  body: z.string().trim().min(5).max(4000).describe('One public answer, sent to every worker in the cluster'),
  resolve: z.boolean().default(false).describe('Also mark each appeal resolved with this answer'),
});

export const answerClusterResultSchema = z.object({ answered: z.number().int(), resolved: z.number().int(), skipped: z.number().int() });
