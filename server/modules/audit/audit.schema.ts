import { z } from 'zod';
import { instantSchema } from '../../core/calendar.schema.js';

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.number().int().nullable(),
  username: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  ip: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});

export const listAuditQuerySchema = z.strictObject({
  action: z.string().trim().max(100).optional(),
  entityType: z.string().trim().max(100).optional(),
  entityId: z.string().trim().max(100).optional(),
  username: z.string().trim().max(64).optional(),
  from: instantSchema.optional().describe('Entries at or after this instant'),
  to: instantSchema.optional().describe('Entries before this instant'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
