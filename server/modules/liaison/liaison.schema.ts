import { z } from 'zod';
import { MAX_ROW_ID } from '../../core/ids.js';
import { calendarDateSchema } from '../../core/calendar.schema.js';

// A calendar date, not only its shape: 2026-02-30 or year 0000 reached PostgreSQL's date column and failed there (500).
const dateSchema = calendarDateSchema;
export const contactChannelSchema = z.enum(['visit', 'phone', 'wechat', 'station']);

export const unitQuerySchema = z.strictObject({ unitId: z.coerce.number().int().positive().max(MAX_ROW_ID) });

export const boardQuerySchema = z.strictObject({
  unitId: z.coerce.number().int().positive().max(MAX_ROW_ID),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const boardItemSchema = z.object({
  memberId: z.number().int(),
  name: z.string(),
  unitId: z.number().int(),
  unitName: z.string().describe('The branch or group that hosts the member: a board over a committee spans many'),
  target: z.number().int(),
  assigned: z.number().int(),
  overdue: z.number().int().describe('Assigned workers not contacted in the last 30 days'),
  lastContactOn: z.string().nullable(),
});

export const memberIdParamsSchema = z.object({ memberId: z.coerce.number().int().positive().max(MAX_ROW_ID) });
export const workerIdParamsSchema = z.object({ workerId: z.coerce.number().int().positive().max(MAX_ROW_ID) });

export const liaisonWorkerSchema = z.object({
  workerId: z.number().int(),
  name: z.string(),
  phone: z.string(),
  assignedAt: z.string(),
  lastContactOn: z.string().nullable(),
  overdue: z.boolean(),
});

export const assignBodySchema = z.strictObject({ memberId: z.number().int().positive().max(MAX_ROW_ID) });

export const autoAssignBodySchema = z.strictObject({ unitId: z.number().int().positive().max(MAX_ROW_ID) });
export const autoAssignResultSchema = z.object({ assigned: z.number().int(), leftUnassigned: z.number().int() });

export const createContactBodySchema = z.strictObject({
  workerId: z.number().int().positive().max(MAX_ROW_ID),
  memberId: z.number().int().positive().max(MAX_ROW_ID).optional().describe('The liaison who made contact; by default the worker’s liaison'),
  contactedOn: dateSchema,
  channel: contactChannelSchema,
  notes: z.string().trim().max(2000).optional(),
  demandsRaised: z.string().trim().max(2000).optional().describe('What the worker asked for; the appeals module turns these into appeals'),
});

export const contactSchema = z.object({
  id: z.number().int(),
  memberId: z.number().int(),
  memberName: z.string(),
  workerId: z.number().int(),
  workerName: z.string(),
  contactedOn: z.string(),
  channel: contactChannelSchema,
  notes: z.string().nullable(),
  demandsRaised: z.string().nullable(),
  createdAt: z.string(),
});

export const listContactsQuerySchema = z.strictObject({
  workerId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional(),
  memberId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const coverageSchema = z.object({
  unitId: z.number().int(),
  workers: z.number().int().describe('Active workers served beneath the unit'),
  withLiaison: z.number().int(),
  contactedLast30Days: z.number().int(),
  shareWithLiaison: z.number(),
  shareContactedLast30Days: z.number(),
  members: z.number().int(),
  membersOverTarget: z.number().int(),
  membersUnderTarget: z.number().int(),
});
