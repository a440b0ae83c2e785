import { z } from 'zod';
import { MAX_ROW_ID } from '../../core/ids.js';

// What Convoy holds about one person, one list of flat rows per kind: the JSON export as is, and one
// sheet per kind in the XLSX export.
export const personalDataKinds = [
  'account',
  'roles',
  'worker',
  'consentHistory',
  'member',
  'memberRoles',
  'memberTransfers',
  'memberDeclarations',
  'appeals',
  'appealTimeline',
  'liaisonContacts',
  'activities',
  'stationVisits',
  'stationRatings',
  'volunteerTeams',
  'serviceRecords',
  'vanguardPosts',
  'gridRoles',
  'notifications',
  'deletionRequests',
] as const;

export type PersonalDataKind = (typeof personalDataKinds)[number];

const cellSchema = z.union([z.string(), z.number(), z.null()]);
export type Cell = z.infer<typeof cellSchema>;
export type DataRow = Record<string, Cell>;

export const personalDataSchema = z.object({
  generatedAt: z.string(),
  notice: z.object({ zh: z.string(), en: z.string() }),
  data: z.object(Object.fromEntries(personalDataKinds.map((k) => [k, z.array(z.record(z.string(), cellSchema))])) as Record<PersonalDataKind, z.ZodArray<z.ZodRecord<z.ZodString, typeof cellSchema>>>),
});
export type PersonalData = z.infer<typeof personalDataSchema>;

export const deletionStatusSchema = z.enum(['requested', 'carried_out', 'rejected', 'withdrawn']);

export const requestDeletionBodySchema = z.strictObject({
  reason: z.string().trim().max(500).optional().describe('Optional: why, in the person’s words (removed once carried out)'),
});

export const deletionRequestSchema = z.object({
  id: z.number().int(),
  status: deletionStatusSchema,
  reason: z.string().nullable(),
  requestedAt: z.string(),
  dueAt: z.string().describe('Staff answer by then (DELETION_ANSWER_DAYS, 15 days by default)'),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
export type DeletionRequestView = z.infer<typeof deletionRequestSchema>;

export const createdDeletionRequestSchema = deletionRequestSchema.extend({
  receipt: z.string().describe('Shown once: with it the outcome can be looked up after the account is gone (POST /privacy/deletion-receipts)'),
});

export const receiptBodySchema = z.strictObject({ receipt: z.string().trim().min(10).max(100) });

export const idParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID) });

export const listDeletionRequestsQuerySchema = z.strictObject({
  status: deletionStatusSchema.optional(),
});

export const staffDeletionRequestSchema = deletionRequestSchema.extend({
  workerId: z.number().int().nullable(),
  personName: z.string().nullable().describe('The worker’s name, or the account’s display name'),
  unitName: z.string().nullable(),
  username: z.string(),
  overdue: z.boolean().describe('Still waiting after its due date'),
  escalatedAt: z.string().nullable().describe('When the scheduler escalated it for being overdue'),
  escalatedToUnitName: z.string().nullable().describe('The unit it was escalated to; null with escalatedAt set: the system administrators'),
});
export type StaffDeletionRequest = z.infer<typeof staffDeletionRequestSchema>;

export const carryOutBodySchema = z.strictObject({ note: z.string().trim().max(1000).optional() });
export const rejectBodySchema = z.strictObject({ reason: z.string().trim().min(2).max(1000).describe('Which law or open matter requires keeping the data; the person sees it') });

export const deletionOutcomeSchema = z.object({
  anonymized: z.record(z.string(), z.number().int()).describe('Rows changed per kind'),
  kept: z.array(z.string()).describe('What is kept, and why, by kind'),
});
export type DeletionOutcome = z.infer<typeof deletionOutcomeSchema>;

export const decidedDeletionRequestSchema = staffDeletionRequestSchema.extend({ outcome: deletionOutcomeSchema.nullable() });

/** What the receipt shows, also after the account is gone: the state, the answer and, once carried out, what went and what stayed. */
export const receiptStatusSchema = deletionRequestSchema.pick({ status: true, requestedAt: true, dueAt: true, decidedAt: true, decisionNote: true }).extend({
  escalatedAt: z.string().nullable().describe('When it was escalated to the unit above for being overdue'),
  outcome: deletionOutcomeSchema.nullable(),
});
export type ReceiptStatus = z.infer<typeof receiptStatusSchema>;
