import { z } from 'zod';
import { MAX_ROW_ID } from '../../core/ids.js';
import { calendarDateSchema } from '../../core/calendar.schema.js';

export const orgUnitKindSchema = z.enum(['industry_committee', 'platform_committee', 'secondary_committee', 'mobile_branch', 'group']);
export type OrgUnitKindCode = z.infer<typeof orgUnitKindSchema>;

// A calendar date, not only its shape: 9696-73-92 or year 0000 reached PostgreSQL's date column and failed there (500).
const dateSchema = calendarDateSchema;
const cityCodeSchema = z.string().regex(/^\d{6}$/, 'six-digit GB/T 2260 code');
const nameSchema = z.string().trim().min(1).max(100);
const reasonSchema = z.string().trim().min(1).max(500);

export const unitIdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID) });

export const platformRefSchema = z.object({ id: z.number().int(), code: z.string(), name: z.string(), nameEn: z.string(), workType: z.string() });
export const cityRefSchema = z.object({ code: z.string(), name: z.string(), nameEn: z.string().nullable(), province: z.string().nullable() });

export const orgUnitSummarySchema = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  name: z.string(),
  kind: orgUnitKindSchema,
  depth: z.number().int(),
  platformId: z.number().int().nullable(),
  cityCode: z.string().nullable(),
  establishedOn: z.string().nullable(),
  closedOn: z.string().nullable(),
  childCount: z.number().int().describe('Open units directly beneath'),
});

export const orgUnitEventSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  at: z.string(),
  actorUserId: z.number().int().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

export const orgUnitDetailSchema = orgUnitSummarySchema.extend({
  closeReason: z.string().nullable(),
  mergedIntoId: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  platform: platformRefSchema.nullable(),
  city: cityRefSchema.nullable(),
  ancestors: z.array(z.object({ id: z.number().int(), name: z.string(), kind: orgUnitKindSchema })).describe('From the root down to the parent'),
  counts: z.object({
    descendants: z.number().int().describe('Open units anywhere beneath'),
    byKind: z.record(z.string(), z.number().int()),
  }),
  history: z.array(orgUnitEventSchema),
  allowedChildKinds: z.array(orgUnitKindSchema),
  permissions: z
    .object({ write: z.boolean(), restructure: z.boolean() })
    .describe('What the viewer may do: write = create beneath, rename, edit; restructure = move, merge, split, close'),
});

export const listOrgUnitsQuerySchema = z.strictObject({
  q: z.string().trim().max(100).optional().describe('Part of a unit name'),
  parentId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional().describe('Only the units directly beneath this one'),
  rootsOnly: z.enum(['true', 'false']).optional().describe('Only the top units of your scope'),
  kind: orgUnitKindSchema.optional(),
  platformId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional(),
  cityCode: cityCodeSchema.optional(),
  includeClosed: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const createOrgUnitBodySchema = z.strictObject({
  parentId: z.number().int().positive().max(MAX_ROW_ID).nullable(),
  name: nameSchema,
  kind: orgUnitKindSchema,
  platformId: z.number().int().positive().max(MAX_ROW_ID).nullable().optional(),
  cityCode: cityCodeSchema.nullable().optional(),
  establishedOn: dateSchema.nullable().optional(),
});

export const updateOrgUnitBodySchema = z.strictObject({
  name: nameSchema.optional(),
  platformId: z.number().int().positive().max(MAX_ROW_ID).nullable().optional(),
  cityCode: cityCodeSchema.nullable().optional(),
  establishedOn: dateSchema.nullable().optional(),
});

export const moveOrgUnitBodySchema = z.strictObject({ parentId: z.number().int().positive().max(MAX_ROW_ID) });

export const mergeOrgUnitBodySchema = z.strictObject({
  sourceId: z.number().int().positive().max(MAX_ROW_ID).describe('The unit that is merged away and closed'),
  targetId: z.number().int().positive().max(MAX_ROW_ID).describe('The unit that receives everything beneath the source'),
  reason: reasonSchema.optional(),
});

export const splitOrgUnitBodySchema = z.strictObject({
  name: nameSchema.describe('Name of the new unit, created beside the one being split'),
  childIds: z.array(z.number().int().positive().max(MAX_ROW_ID)).max(1000).describe('Units directly beneath that move to the new unit'),
  establishedOn: dateSchema.optional(),
});

export const closeOrgUnitBodySchema = z.strictObject({ closedOn: dateSchema, reason: reasonSchema });

export const platformSchema = platformRefSchema;

export type OrgUnitSummary = z.infer<typeof orgUnitSummarySchema>;
export type OrgUnitDetail = z.infer<typeof orgUnitDetailSchema>;

export const branchDirectoryQuerySchema = z.strictObject({
  q: z.string().trim().max(100).optional().describe('Part of the branch name'),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z.string().max(500).optional(),
});

export const branchDirectoryItemSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  platformId: z.number().int().nullable(),
  cityCode: z.string().nullable(),
});
