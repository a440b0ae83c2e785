import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { createdDeletionRequestSchema, DeletionRequestView } from '../../../server/modules/privacy/privacy.schema';
import { api, type Page } from '../../lib/api-client';

export type { DeletionRequestView };
export type CreatedDeletionRequest = z.infer<typeof createdDeletionRequestSchema>;

/** Plain links: a GET with the session cookie needs no CSRF token, and the browser saves the file itself. */
export const MY_DATA_JSON_URL = '/api/v1/me/data.json';
export const MY_DATA_XLSX_URL = '/api/v1/me/data.xlsx';

const MINE = ['privacy', 'deletion-requests', 'mine'] as const;

export function useMyDeletionRequests() {
  return useQuery({ queryKey: MINE, queryFn: ({ signal }) => api.get<Page<DeletionRequestView>>('/me/deletion-requests', {}, signal) });
}

function useDeletionMutation<Input, Output>(write: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: write, onSuccess: () => queryClient.invalidateQueries({ queryKey: MINE }) });
}

export const useRequestDeletion = () => useDeletionMutation((input: { reason?: string }) => api.post<CreatedDeletionRequest>('/me/deletion-requests', input));
export const useWithdrawDeletion = () => useDeletionMutation((id: number) => api.post<DeletionRequestView>(`/me/deletion-requests/${id}/withdraw`));
