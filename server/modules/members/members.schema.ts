import { z } from 'zod';
import { MAX_ROW_ID } from '../../core/ids.js';
import { calendarDateSchema } from '../../core/calendar.schema.js';

export const memberStatusSchema = z.enum(['probationary', 'full']);
export const genderSchema = z.enum(['male', 'female']);
export const mobilityTypeSchema = z.enum(['within_city', 'within_province', 'across_provinces']);
export const memberRoleSchema = z.enum(['secretary', 'deputy_secretary', 'committee_member', 'group_leader']);
export const transferStatusSchema = z.enum(['requested', 'approved', 'accepted', 'done', 'rejected']);
export const declarationStatusSchema = z.enum(['pending', 'verified', 'rejected']);

const dateSchema = calendarDateSchema;
const phoneSchema = z.string().trim().min(11).max(20).describe('Mainland mobile number, e.g. 13812345678');
const idCardSchema = z.string().trim().length(18).describe('18-character resident ID number (GB 11643), check character included');
const birthYearSchema = z.number().int().min(1920).max(2015);
const reasonSchema = z.string().trim().min(1).max(500);

export const idParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID) });
export const roleParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID), roleId: z.coerce.number().int().positive().max(MAX_ROW_ID) });

export const memberListItemSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  phone: z.string().describe('Masked, like 138****5678'),
  status: memberStatusSchema,
  joinDate: z.string(),
  unitId: z.number().int(),
  isMobile: z.boolean(),
});

export const memberRoleItemSchema = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string().nullable(),
  role: memberRoleSchema,
  fromDate: z.string(),
  toDate: z.string().nullable(),
});

export const transferItemSchema = z.object({
  id: z.number().int(),
  memberId: z.number().int(),
  memberName: z.string(),
  fromUnitId: z.number().int(),
  fromUnitName: z.string().nullable(),
  toUnitId: z.number().int(),
  toUnitName: z.string().nullable(),
  status: transferStatusSchema,
  reason: z.string(),
  rejectReason: z.string().nullable(),
  requestedAt: z.string(),
  approvedAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  rejectedAt: z.string().nullable(),
});

export const memberDetailSchema = memberListItemSchema.extend({
  gender: genderSchema,
  birthYear: z.number().int(),
  idCard: z.string().describe('Masked, like 510***********123X'),
  unmasked: z.boolean().describe('True when `phone` and `idCard` are shown in full (audited)'),
  unitName: z.string(),
  homeOrgText: z.string().nullable(),
  homeUnitId: z.number().int().nullable(),
  homeUnitName: z.string().nullable(),
  mobilityType: mobilityTypeSchema.nullable(),
  mobilityReason: z.string().nullable(),
  workerId: z.number().int().nullable(),
  roles: z.array(memberRoleItemSchema),
  transfers: z.array(transferItemSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const listMembersQuerySchema = z.strictObject({
  q: z.string().trim().max(50).optional().describe('Part of a name (one or more characters) or the last four digits of the phone'),
  unitId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional().describe('Only members hosted by this unit or units beneath it'),
  status: memberStatusSchema.optional(),
  isMobile: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const memberDetailQuerySchema = z.strictObject({
  unmask: z.enum(['true', 'false']).optional().describe('Show the full phone and ID number (needs the permission; audited)'),
});

const mobilityFields = {
  isMobile: z.boolean().optional(),
  homeOrgText: z.string().trim().min(1).max(200).nullable().optional().describe('Where the relation is registered, as written'),
  homeUnitId: z.number().int().positive().max(MAX_ROW_ID).nullable().optional().describe('The home unit, when it is in Convoy'),
  mobilityType: mobilityTypeSchema.nullable().optional(),
  mobilityReason: z.string().trim().max(500).nullable().optional(),
};

export const createMemberBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(50),
  gender: genderSchema,
  birthYear: birthYearSchema,
  phone: phoneSchema,
  idCard: idCardSchema,
  joinDate: dateSchema,
  status: memberStatusSchema,
  unitId: z.number().int().positive().max(MAX_ROW_ID).describe('The hosting mobile branch'),
  workerId: z.number().int().positive().max(MAX_ROW_ID).optional().describe('The worker record of the same person; found by phone when omitted'),
  ...mobilityFields,
});

export const updateMemberBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(50).optional(),
  gender: genderSchema.optional(),
  birthYear: birthYearSchema.optional(),
  phone: phoneSchema.optional(),
  idCard: idCardSchema.optional(),
  joinDate: dateSchema.optional(),
  status: memberStatusSchema.optional(),
  ...mobilityFields,
});

export const addRoleBodySchema = z.strictObject({ unitId: z.number().int().positive().max(MAX_ROW_ID), role: memberRoleSchema, fromDate: dateSchema });
export const endRoleBodySchema = z.strictObject({ toDate: dateSchema });

export const requestTransferBodySchema = z.strictObject({ memberId: z.number().int().positive().max(MAX_ROW_ID), toUnitId: z.number().int().positive().max(MAX_ROW_ID), reason: reasonSchema });
export const rejectBodySchema = z.strictObject({ reason: reasonSchema });
export const listTransfersQuerySchema = z.strictObject({
  direction: z.enum(['outgoing', 'incoming']).default('outgoing').describe('Leaving units in your scope, or arriving at them'),
  status: transferStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const declarationItemSchema = z.object({
  id: z.number().int(),
  workerId: z.number().int(),
  workerName: z.string(),
  phone: z.string().describe('Masked'),
  unitId: z.number().int().nullable(),
  homeOrgText: z.string(),
  joinDate: z.string(),
  status: declarationStatusSchema,
  decisionReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  memberId: z.number().int().nullable(),
  createdAt: z.string(),
});

export const declareBodySchema = z.strictObject({ homeOrgText: z.string().trim().min(1).max(200), joinDate: dateSchema });
export const listDeclarationsQuerySchema = z.strictObject({
  status: declarationStatusSchema.default('pending'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export const verifyDeclarationBodySchema = z.strictObject({
  gender: genderSchema,
  birthYear: birthYearSchema,
  idCard: idCardSchema,
  status: memberStatusSchema,
  mobilityType: mobilityTypeSchema.optional(),
  mobilityReason: z.string().trim().max(500).optional(),
});

export type MemberListItem = z.infer<typeof memberListItemSchema>;
export type MemberDetail = z.infer<typeof memberDetailSchema>;
export type CreateMemberInput = z.infer<typeof createMemberBodySchema>;
export type UpdateMemberInput = z.infer<typeof updateMemberBodySchema>;
export type TransferItem = z.infer<typeof transferItemSchema>;
export type DeclarationItem = z.infer<typeof declarationItemSchema>;
export type VerifyDeclarationInput = z.infer<typeof verifyDeclarationBodySchema>;
