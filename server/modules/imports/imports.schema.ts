import { z } from 'zod';
import { MAX_ROW_ID } from '../../core/ids.js';

export const importFieldSchema = z.enum(['name', 'phone', 'platform', 'platformWorkerId', 'workType', 'vehicle', 'city', 'status']);

export const createImportQuerySchema = z.strictObject({
  fileName: z.string().trim().min(1).max(200).describe('The uploaded file’s name; .csv or .xlsx decides the format when the Content-Type does not'),
  dryRun: z.enum(['true', 'false']).default('false').describe('Validate every row and count what would happen, writing nothing'),
  mapping: z
    .string()
    .max(2000)
    .optional()
    .describe('JSON object field → column header, for headers the Chinese/English aliases do not recognize, e.g. {"phone":"联系方式"}'),
});

export const importIdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID) });

export const importJobSchema = z.object({
  id: z.number().int(),
  kind: z.enum(['workers', 'members']),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  dryRun: z.boolean(),
  mapping: z.record(z.string(), z.string()).describe('Field → column header found in the file'),
  rowsDone: z.number().int(),
  rowsTotal: z.number().int().nullable().describe('Known once the whole file has been read'),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  rowsPerSecond: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export const listImportsQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(20) });

export const exportWorkersQuerySchema = z.strictObject({
  q: z.string().trim().max(50).optional(),
  unitId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional(),
  platformId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional(),
  cityCode: z.string().regex(/^\d{6}$/).optional(),
  status: z.enum(['active', 'inactive']).optional(),
  unmask: z.enum(['true', 'false']).optional().describe('Full phone numbers (needs person.unmask; audited)'),
});

export type ImportJobView = z.infer<typeof importJobSchema>;
export type ImportField = z.infer<typeof importFieldSchema>;

export const exportMembersQuerySchema = z.strictObject({
  q: z.string().trim().max(50).optional(),
  unitId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional(),
  status: z.enum(['probationary', 'full']).optional(),
  isMobile: z.enum(['true', 'false']).optional(),
  unmask: z.enum(['true', 'false']).optional().describe('Full phone and ID numbers (needs person.unmask; audited)'),
});
