import { z } from 'zod';
import { pageOf } from '../../core/paging.js';

export const divisionSchema = z.object({
  code: z.string().describe('GB/T 2260 six-digit code'),
  name: z.string(),
  nameEn: z.string().nullable(),
  province: z.string(),
});

export const listDivisionsQuerySchema = z.strictObject({
  q: z.string().trim().max(50).optional().describe('Part of a city name (Chinese or pinyin), or the start of its code'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(100).optional(),
});

export const divisionPageSchema = pageOf(divisionSchema);
