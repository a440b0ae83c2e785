import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { createdDeletionRequestSchema, DeletionRequestView, ReceiptStatus, StaffDeletionRequest } from '../../../server/modules/privacy/privacy.schema';
import { api, type Page } from '../../lib/api-client';

export type { DeletionRequestView, ReceiptStatus, StaffDeletionRequest };
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

export type DeletionStatus = DeletionRequestView['status'];

const STAFF = ['privacy', 'deletion-requests', 'staff'] as const;

/** Requests of the workers this user serves (person.write), by due date: the overdue first. */
export function useStaffDeletionRequests(status: DeletionStatus | undefined) {
  return useQuery({ queryKey: [...STAFF, status ?? 'all'], queryFn: ({ signal }) => api.get<Page<StaffDeletionRequest>>('/deletion-requests', { status, limit: 200 }, signal) });
}

function useStaffDecision<Input>(write: (input: Input) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: write, onSuccess: () => queryClient.invalidateQueries({ queryKey: STAFF }) });
}

export const useCarryOutDeletion = () => useStaffDecision((input: { id: number; note?: string }) => api.post(`/deletion-requests/${input.id}/carry-out`, input.note ? { note: input.note } : {}));
export const useRejectDeletion = () => useStaffDecision((input: { id: number; reason: string }) => api.post(`/deletion-requests/${input.id}/reject`, { reason: input.reason }));

/**
 * A request's state by its receipt code, for anyone (no login: the account closes once it is carried out).
 * A POST, so the code travels in the body and never in an address that logs or histories keep.
 */
export const useReceiptLookup = () => useMutation({ mutationFn: (receipt: string) => api.post<ReceiptStatus>('/privacy/deletion-receipts', { receipt }) });
