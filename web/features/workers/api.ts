import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  consentChannelSchema,
  CreateWorkerInput,
  UpdateWorkerInput,
  WorkerDetail,
  WorkerListItem,
} from '../../../server/modules/workers/workers.schema';
import { hasRole, type Me, type Role } from '../auth/api';
import { ApiError, api, fetchAllPages, type Page } from '../../lib/api-client';
import type { Division } from '../org/api';

export type { CreateWorkerInput, UpdateWorkerInput, WorkerDetail, WorkerListItem };
export type ConsentChannel = z.infer<typeof consentChannelSchema>;
export type ConsentInput = { version: string; purpose: string; channel: ConsentChannel };

export const WORK_TYPES = ['ride_hailing', 'freight', 'delivery', 'courier', 'other'] as const;
export const VEHICLES = ['car', 'van', 'light_truck', 'medium_truck', 'heavy_truck', 'e_bike', 'none'] as const;
export const WORKER_STATUSES = ['active', 'inactive'] as const;
export const CONSENT_CHANNELS = ['paper', 'station', 'phone', 'mobile_page', 'import'] as const;
/** The privacy notice a worker agrees to from the phone page. */
export const CURRENT_NOTICE_VERSION = '2026-10';

/** Roles that look after workers (in their own subtree); others are shown no worker at all. */
export const WORKER_STAFF_ROLES: readonly Role[] = ['system_admin', 'org_admin', 'branch_secretary'];

export function canSeeWorkers(me: Me | null | undefined): boolean {
  return WORKER_STAFF_ROLES.some((role) => hasRole(me, role));
}

export type WorkerFilters = {
  q?: string;
  unitId?: number;
  platformId?: number;
  cityCode?: string;
  status?: WorkerListItem['status'];
};

// Every worker query lives under this prefix so one invalidation refreshes lists and details.
const WORKERS = 'workers';
const PAGE_SIZE = 50;

export const workerKeys = {
  all: [WORKERS] as const,
  list: (filters: WorkerFilters) => [WORKERS, 'list', filters] as const,
  detail: (id: number, unmask: boolean) => [WORKERS, 'detail', id, { unmask }] as const,
  mine: [WORKERS, 'mine'] as const,
};

/** Workers in the user's scope, in pinyin order, one page at a time. */
export function useWorkerList(filters: WorkerFilters) {
  return useInfiniteQuery({
    queryKey: workerKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<WorkerListItem>>('/workers', { ...filters, limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
  });
}

/** One worker; every read is recorded by the server, and `unmask` asks for the full phone number (recorded apart). */
export function useWorker(id: number | null, unmask = false) {
  return useQuery({
    queryKey: workerKeys.detail(id ?? 0, unmask),
    queryFn: ({ signal }) => api.get<WorkerDetail>(`/workers/${id}`, { unmask: unmask ? 'true' : undefined }, signal),
    enabled: id !== null,
    // The full number is shown only while the page is open; never kept around for later.
    ...(unmask ? { staleTime: 0, gcTime: 0 } : {}),
  });
}

/** The logged-in worker's own record, or null when this user is not a recorded worker. */
export function useMyWorker() {
  return useQuery({
    queryKey: workerKeys.mine,
    queryFn: async ({ signal }) => {
      try {
        return await api.get<WorkerDetail>('/me/worker', {}, signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

function isUnmaskedKey(key: readonly unknown[]): boolean {
  return key[1] === 'detail' && (key[3] as { unmask?: boolean } | undefined)?.unmask === true;
}

function useWorkerMutation<Input, Output>(write: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async () => {
      // Refresh everything except a full number on screen: fetching it again would be another recorded view.
      await queryClient.invalidateQueries({ queryKey: workerKeys.all, predicate: (query) => !isUnmaskedKey(query.queryKey) });
    },
  });
}

export const useCreateWorker = () => useWorkerMutation((input: CreateWorkerInput) => api.post<WorkerDetail>('/workers', input));
export const useUpdateWorker = (id: number) =>
  useWorkerMutation((input: UpdateWorkerInput) => api.patch<WorkerDetail>(`/workers/${id}`, input));
export const useRecordConsent = (id: number) =>
  useWorkerMutation((input: ConsentInput) => api.post<WorkerDetail>(`/workers/${id}/consent`, input));
export const useWithdrawConsent = (id: number) => useWorkerMutation(() => api.post<void>(`/workers/${id}/consent/withdraw`));

/** Every prefecture-level city (a few hundred), so list rows can name their city without a request each. */
export function useCityNames() {
  return useQuery({
    queryKey: ['divisions', 'all'],
    queryFn: async ({ signal }) => {
      const cities = await fetchAllPages<Division>('/divisions', { limit: 500 }, signal);
      return new Map(cities.map((city) => [city.code, city]));
    },
    staleTime: 60 * 60_000,
  });
}
