import { z } from 'zod';
import { MAX_ROW_ID } from '../../core/ids.js';

export const workTypeSchema = z.enum(['ride_hailing', 'freight', 'delivery', 'courier', 'other']);
export const vehicleSchema = z.enum(['car', 'van', 'light_truck', 'medium_truck', 'heavy_truck', 'e_bike', 'none']);
export const workerStatusSchema = z.enum(['active', 'inactive']);
export const consentChannelSchema = z.enum(['mobile_page', 'paper', 'import', 'station', 'phone']);

const cityCodeSchema = z.string().regex(/^\d{6}$/, 'six-digit GB/T 2260 code');
const phoneSchema = z.string().trim().min(11).max(20).describe('Mainland mobile number, e.g. 13812345678');

export const workerIdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID) });

export const workerListItemSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  phone: z.string().describe('Masked, like 138****5678'),
  platformId: z.number().int(),
  platformWorkerId: z.string(),
  workType: workTypeSchema,
  vehicle: vehicleSchema,
  cityCode: z.string(),
  unitId: z.number().int().nullable(),
  status: workerStatusSchema,
});

export const consentSchema = z.object({
  version: z.string().nullable(),
  purpose: z.string().nullable(),
  at: z.string().nullable(),
  channel: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
});

export const workerDetailSchema = workerListItemSchema.extend({
  phoneUnmasked: z.boolean().describe('True when `phone` is the full number (audited)'),
  unitName: z.string().nullable(),
  platformName: z.string(),
  cityName: z.string().nullable(),
  memberId: z.number().int().nullable(),
  consent: consentSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const listWorkersQuerySchema = z.strictObject({
  q: z.string().trim().max(50).optional().describe('Part of a name (one or more characters) or the last four digits of the phone'),
  unitId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional().describe('Only workers served by this unit or units beneath it'),
  platformId: z.coerce.number().int().positive().max(MAX_ROW_ID).optional(),
  cityCode: cityCodeSchema.optional(),
  status: workerStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const workerDetailQuerySchema = z.strictObject({
  unmask: z.enum(['true', 'false']).optional().describe('Show the full phone number (needs the permission; audited)'),
});

export const createWorkerBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(50),
  phone: phoneSchema,
  platformId: z.number().int().positive().max(MAX_ROW_ID),
  platformWorkerId: z.string().trim().min(1).max(64),
  workType: workTypeSchema,
  vehicle: vehicleSchema,
  cityCode: cityCodeSchema,
  unitId: z.number().int().positive().max(MAX_ROW_ID).optional().describe('The serving unit; by default the first open mobile branch of the platform in the city'),
  status: workerStatusSchema.default('active'),
});

export const updateWorkerBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(50).optional(),
  phone: phoneSchema.optional(),
  workType: workTypeSchema.optional(),
  vehicle: vehicleSchema.optional(),
  cityCode: cityCodeSchema.optional(),
  unitId: z.number().int().positive().max(MAX_ROW_ID).optional(),
  status: workerStatusSchema.optional(),
});

export const consentBodySchema = z.strictObject({
  version: z.string().trim().min(1).max(40).describe('Version of the privacy notice the worker agreed to'),
  purpose: z.string().trim().min(1).max(500),
  channel: consentChannelSchema,
});

export type WorkerListItem = z.infer<typeof workerListItemSchema>;
export type WorkerDetail = z.infer<typeof workerDetailSchema>;
export type CreateWorkerInput = z.infer<typeof createWorkerBodySchema>;
export type UpdateWorkerInput = z.infer<typeof updateWorkerBodySchema>;
