// The in-app notifications behind the header bell. They live beside appeals because today every
// notification is about an appeal (a new one, a reply, a status change, an escalation).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { notificationPageSchema } from '../../../server/modules/notifications/notifications.schema';
import { api } from '../../lib/api-client';

export type NotificationPage = z.infer<typeof notificationPageSchema>;
export type AppNotification = NotificationPage['items'][number];

const NOTIFICATIONS = ['notifications'] as const;
// Often enough that a new appeal shows within a minute; rare enough to cost nothing.
const POLL_MS = 60_000;

export function useNotifications(enabled: boolean) {
  return useQuery({
    queryKey: NOTIFICATIONS,
    queryFn: ({ signal }) => api.get<NotificationPage>('/notifications', { limit: 20 }, signal),
    enabled,
    refetchInterval: POLL_MS,
  });
}

function useNotificationWrite<Input>(write: (input: Input) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: write, onSuccess: () => queryClient.invalidateQueries({ queryKey: NOTIFICATIONS }) });
}

export const useMarkRead = () => useNotificationWrite((id: number) => api.post(`/notifications/${id}/read`));
export const useMarkAllRead = () => useNotificationWrite(() => api.post('/notifications/read-all'));
