import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  autoAssignResultSchema,
  boardItemSchema,
  contactChannelSchema,
  contactSchema,
  coverageSchema,
  liaisonWorkerSchema,
} from '../../../server/modules/liaison/liaison.schema';
import { api, apiRequest, fetchAllPages, type Page } from '../../lib/api-client';
import { type Me } from '../auth/api';
import { canSeeWorkers } from '../workers/api';

export type BoardMember = z.infer<typeof boardItemSchema>;
export type LiaisonWorker = z.infer<typeof liaisonWorkerSchema>;
export type Contact = z.infer<typeof contactSchema>;
export type Coverage = z.infer<typeof coverageSchema>;
export type AutoAssignResult = z.infer<typeof autoAssignResultSchema>;
export type ContactChannel = z.infer<typeof contactChannelSchema>;
export type ContactInput = { workerId: number; memberId?: number; contactedOn: string; channel: ContactChannel; notes?: string; demandsRaised?: string };

export const CONTACT_CHANNELS: readonly ContactChannel[] = ['visit', 'phone', 'wechat', 'station'];

/** The same roles that look after workers see liaison and coverage (in their subtree). */
export const canSeeLiaison = (me: Me | null | undefined) => canSeeWorkers(me);

// Every liaison query lives under this prefix so one invalidation refreshes board, workers and coverage.
const LIAISON = 'liaison';
export const liaisonKeys = {
  all: [LIAISON] as const,
  board: (unitId: number) => [LIAISON, 'board', unitId] as const,
  memberWorkers: (memberId: number) => [LIAISON, 'member-workers', memberId] as const,
  coverage: (unitId: number) => [LIAISON, 'coverage', unitId] as const,
  contacts: (memberId: number) => [LIAISON, 'contacts', memberId] as const,
};

/** Members beneath a unit with their load and who is overdue (a few pages of 200 at most). */
export function useLiaisonBoard(unitId: number | null) {
  return useQuery({
    queryKey: liaisonKeys.board(unitId ?? 0),
    queryFn: ({ signal }) => fetchAllPages<BoardMember>('/liaison/board', { unitId, limit: 200 }, signal, 5),
    enabled: unitId !== null,
  });
}

export function useMemberWorkers(memberId: number) {
  return useQuery({
    queryKey: liaisonKeys.memberWorkers(memberId),
    queryFn: ({ signal }) => api.get<{ items: LiaisonWorker[] }>(`/liaison/members/${memberId}/workers`, {}, signal),
  });
}

/** A member's latest contacts, newest first: where demands raised in a contact are turned into appeals. */
export function useMemberContacts(memberId: number) {
  return useQuery({
    queryKey: liaisonKeys.contacts(memberId),
    queryFn: ({ signal }) => api.get<Page<Contact>>('/liaison/contacts', { memberId, limit: 20 }, signal),
    select: (page) => page.items,
  });
}

export function useCoverage(unitId: number | null) {
  return useQuery({
    queryKey: liaisonKeys.coverage(unitId ?? 0),
    queryFn: ({ signal }) => api.get<Coverage>('/liaison/coverage', { unitId }, signal),
    enabled: unitId !== null,
  });
}

function useLiaisonMutation<Input, Output>(write: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: liaisonKeys.all });
    },
  });
}

export const useAutoAssign = () => useLiaisonMutation((unitId: number) => api.post<AutoAssignResult>('/liaison/auto-assign', { unitId }));
export const useAssign = () =>
  useLiaisonMutation(({ workerId, memberId }: { workerId: number; memberId: number }) => api.put<unknown>(`/liaison/assignments/${workerId}`, { memberId }));
export const useUnassign = () => useLiaisonMutation((workerId: number) => apiRequest<void>(`/liaison/assignments/${workerId}`, { method: 'DELETE' }));
export const useLogContact = () => useLiaisonMutation((input: ContactInput) => api.post<Contact>('/liaison/contacts', input));
