import { z } from 'zod';

export const roleSchema = z.enum(['system_admin', 'org_admin', 'branch_secretary', 'member', 'worker', 'analyst']);

export const loginBodySchema = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const grantSchema = z.object({
  role: roleSchema,
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
});

export const meSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  locale: z.string(),
  grants: z.array(grantSchema),
  csrfToken: z.string().describe('Send this back in the X-CSRF-Token header on every write made with the session cookie.'),
});

export const changePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const createTokenBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(365).default(90),
});

export const tokenSchema = z.object({
  token: z.string().describe('Shown once. Send as "Authorization: Bearer <token>".'),
  name: z.string(),
  expiresAt: z.string(),
});

export const localeBodySchema = z.strictObject({ locale: z.enum(['zh-CN', 'en']) });

export type Me = z.infer<typeof meSchema>;
