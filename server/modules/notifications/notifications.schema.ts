import { z } from 'zod';
import { MAX_ROW_ID } from '../../core/ids.js';

export const notificationSchema = z.object({
  id: z.number().int(),
  kind: z.string().describe('What happened, e.g. appeal.submitted'),
  appealId: z.number().int().nullable(),
  title: z.string().describe('In the recipient’s language at the time it was written'),
  body: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

export type NotificationView = z.infer<typeof notificationSchema>;

export const listNotificationsQuerySchema = z.strictObject({
  unread: z.enum(['true', 'false']).optional().describe('true: only those not read yet'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const notificationPageSchema = z.object({
  items: z.array(notificationSchema),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int().describe('All of the caller’s unread notifications, whatever the filter'),
});

export const notificationIdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID) });

export const readAllResultSchema = z.object({ marked: z.number().int().describe('Notifications newly marked read') });
