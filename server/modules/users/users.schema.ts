import { z } from 'zod';
import { pageQuerySchema } from '../../core/paging.js';
import { roleSchema } from '../auth/auth.schema.js';
import { MAX_ROW_ID } from '../../core/ids.js';

export const userGrantSchema = z.object({
  id: z.number().int(),
  role: roleSchema,
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  createdAt: z.string(),
});
export type UserGrant = z.infer<typeof userGrantSchema>;

export const managedUserSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  disabled: z.boolean(),
  disabledAt: z.string().nullable(),
  lockedUntil: z.string().nullable().describe('Set while wrong passwords keep the account from logging in'),
  failedLogins: z.number().int().describe('Wrong passwords in a row since the last successful login'),
  grants: z.array(userGrantSchema).describe('For an org admin, only the grants inside their subtree'),
});
export type ManagedUser = z.infer<typeof managedUserSchema>;

export const listUsersQuerySchema = z.strictObject({
  q: z.string().trim().max(64).optional().describe('A fragment of the username or display name'),
  ...pageQuerySchema,
});

export const userIdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID) });
export const grantParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID), grantId: z.coerce.number().int().positive().max(MAX_ROW_ID) });

export const addGrantBodySchema = z
  .strictObject({
    role: roleSchema,
    unitId: z.number().int().positive().max(MAX_ROW_ID).nullable().describe('Null only for system_admin'),
  })
  .refine((b) => (b.role === 'system_admin') === (b.unitId === null), { message: 'system_admin has no unit; every other role needs one', path: ['unitId'] });
export type AddGrantInput = z.infer<typeof addGrantBodySchema>;

export const grantChangeSchema = z.object({
  user: managedUserSchema,
  sessionsEnded: z.number().int().describe('Sessions and tokens of the user that ended with the change'),
});

export const accountChangeSchema = grantChangeSchema;

export const disableBodySchema = z.strictObject({
  reason: z.string().trim().min(1).max(200).describe('Why the account is disabled; kept in the audit log'),
});

export const passwordResetSchema = grantChangeSchema.extend({
  temporaryPassword: z.string().describe('Shown once: hand it to the person by a trusted channel; they change it after logging in'),
});
