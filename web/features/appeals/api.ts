// The handlers' side of appeals (inbox, detail, transitions, replies, escalation, transfer, assignment)
// and the taxonomy both sides name categories with. The worker's side is in worker-api.ts.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type {
  answerClusterResultSchema,
  appealCategorySchema,
  appealDetailSchema,
  appealEventSchema,
  appealLevelSchema,
  appealListItemSchema,
  appealStatusSchema,
  categoryListSchema,
  clusterSchema,
  createdAppealSchema,
  figuresSchema,
  photoSchema,
  slaPolicySchema,
} from '../../../server/modules/appeals/appeals.schema';
import { api, apiRequest, type Page } from '../../lib/api-client';
import { hasRole, type Me, type Role } from '../auth/api';

export type AppealCategory = z.infer<typeof appealCategorySchema>;
export type AppealStatus = z.infer<typeof appealStatusSchema>;
export type AppealLevel = z.infer<typeof appealLevelSchema>;
export type AppealListItem = z.infer<typeof appealListItemSchema>;
export type AppealDetail = z.infer<typeof appealDetailSchema>;
export type AppealEvent = z.infer<typeof appealEventSchema>;
export type AppealPhoto = z.infer<typeof photoSchema>;
export type CategoryItem = z.infer<typeof categoryListSchema>['items'][number];
export type AppealFigures = z.infer<typeof figuresSchema>;
export type AppealCluster = z.infer<typeof clusterSchema>;
export type AnswerClusterResult = z.infer<typeof answerClusterResultSchema>;
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

// The same codes as the server's schema; `satisfies` keeps them from drifting apart.
export const APPEAL_STATUSES = [
  'submitted',
  'acknowledged',
  'in_progress',
  'waiting_on_worker',
  'resolved',
  'partly_resolved',
  'confirmed',
  'reopened',
  'referred',
  'rejected',
  'merged',
] as const satisfies readonly AppealStatus[];
export const APPEAL_CATEGORIES = [
  'income_fees',
  'dispatch_algorithm',
  'account_penalties',
  'safety',
  'traffic_parking',
  'rest_facilities',
  'insurance_injury',
  'contracts_labour',
  'customer_disputes',
  'health',
  'other',
] as const satisfies readonly AppealCategory[];
export const APPEAL_LEVELS = ['branch', 'platform_committee', 'industry_committee'] as const satisfies readonly AppealLevel[];

/** Roles that handle appeals in their subtree (the server's appeal.handle permission). */
export const APPEAL_HANDLER_ROLES: readonly Role[] = ['system_admin', 'org_admin', 'branch_secretary'];

export function canHandleAppeals(me: Me | null | undefined): boolean {
  return APPEAL_HANDLER_ROLES.some((role) => hasRole(me, role));
}

/** Who may read figures and key problems (the server's appeal.figures): handlers, and analysts who only read. */
export const APPEAL_FIGURES_ROLES: readonly Role[] = [...APPEAL_HANDLER_ROLES, 'analyst'];

export function canSeeAppealFigures(me: Me | null | undefined): boolean {
  return APPEAL_FIGURES_ROLES.some((role) => hasRole(me, role));
}

// Every appeal query lives under this prefix so one invalidation refreshes the inbox and the details.
const APPEALS = 'appeals';
const PAGE_SIZE = 50;

export type InboxFilters = {
  unitId?: number;
  category?: AppealCategory;
  status?: AppealStatus | 'open' | 'closed';
  level?: AppealLevel;
  overdue?: boolean;
  assignedToMe?: boolean;
};

export const appealKeys = {
  all: [APPEALS] as const,
  inbox: (filters: InboxFilters) => [APPEALS, 'inbox', filters] as const,
  detail: (id: number) => [APPEALS, 'detail', id] as const,
  handlers: (unitId: number) => [APPEALS, 'handlers', unitId] as const,
  figures: (unitId: number | null, weeks: number) => [APPEALS, 'figures', unitId, weeks] as const,
  clusters: (unitId: number | null, minCount: number) => [APPEALS, 'clusters', unitId, minCount] as const,
  slaPolicies: (unitId: number) => [APPEALS, 'sla-policies', unitId] as const,
  categories: ['appeal-categories'] as const,
};

/** The taxonomy with both names, so a language switch needs no new request. */
export function useAppealCategories() {
  return useQuery({
    queryKey: appealKeys.categories,
    queryFn: ({ signal }) => api.get<z.infer<typeof categoryListSchema>>('/appeal-categories', {}, signal),
    staleTime: 60 * 60_000,
    select: (data) => data.items,
  });
}

/** A category's name in the interface language; the code until the list arrives. */
export function useCategoryName(): (code: AppealCategory) => string {
  const categories = useAppealCategories().data;
  // Read through useTranslation so a language switch renders the other name.
  const english = useTranslation().i18n.language === 'en';
  return (code) => {
    const item = categories?.find((c) => c.code === code);
    return item ? (english ? item.nameEn : item.nameZh) : code;
  };
}

/** The inbox: soonest deadline first, as the server sorts it, one page at a time. */
export function useInbox(filters: InboxFilters) {
  return useInfiniteQuery({
    queryKey: appealKeys.inbox(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AppealListItem>>(
        '/appeals',
        {
          unitId: filters.unitId,
          category: filters.category,
          status: filters.status,
          level: filters.level,
          overdue: filters.overdue ? 'true' : undefined,
          assignedToMe: filters.assignedToMe ? 'true' : undefined,
          limit: PAGE_SIZE,
          cursor: pageParam,
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
  });
}

/** One appeal with its whole timeline; the server records that the filer's details were read. */
export function useAppeal(id: number) {
  return useQuery({
    queryKey: appealKeys.detail(id),
    queryFn: ({ signal }) => api.get<AppealDetail>(`/appeals/${id}`, {}, signal),
  });
}

/** Possible duplicates of an appeal that this handler could merge it into. */
export function useSimilarAppeals(id: number) {
  return useQuery({
    queryKey: [APPEALS, 'similar', id],
    queryFn: ({ signal }) => api.get<{ items: AppealListItem[] }>(`/appeals/${id}/similar`, {}, signal),
    select: (data) => data.items,
  });
}

/** Who may be given appeals held at a unit. */
export function useAppealHandlers(unitId: number | null) {
  return useQuery({
    queryKey: appealKeys.handlers(unitId ?? 0),
    queryFn: ({ signal }) => api.get<{ items: { userId: number; displayName: string; unitName: string }[] }>('/appeal-handlers', { unitId }, signal),
    enabled: unitId !== null,
    select: (data) => data.items,
  });
}

/** A change to one appeal: the answer is the new detail; the inbox order may change with it. */
function useAppealChange<Input>(id: number, write: (input: Input) => Promise<AppealDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async (detail) => {
      queryClient.setQueryData(appealKeys.detail(id), detail);
      await queryClient.invalidateQueries({ queryKey: [APPEALS, 'inbox'] });
    },
    // Most refusals (409: someone else changed it) mean the page shows an old state; show the new one.
    onError: () => queryClient.invalidateQueries({ queryKey: appealKeys.detail(id) }),
  });
}

export type TransitionInput = { to: AppealStatus; reason?: string; referredTo?: string; mergedIntoId?: number; version: number };

export const useTransition = (id: number) => useAppealChange(id, (input: TransitionInput) => api.post<AppealDetail>(`/appeals/${id}/transitions`, input));
export const useHandlerReply = (id: number) =>
  useAppealChange(id, (input: { body: string; visibility: 'public' | 'internal' }) => api.post<AppealDetail>(`/appeals/${id}/replies`, input));
export const useEscalate = (id: number) => useAppealChange(id, (input: { reason: string }) => api.post<AppealDetail>(`/appeals/${id}/escalate`, input));
export const useTransfer = (id: number) =>
  useAppealChange(id, (input: { unitId: number; reason: string }) => api.post<AppealDetail>(`/appeals/${id}/transfer`, input));

/** Gives appeals to a handler, or takes them back with null. */
export function useAssign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { ids: number[]; assigneeUserId: number | null }) => api.post<{ assigned: number }>('/appeals/assign', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: appealKeys.all }),
  });
}

/** Where a photo is served; an anonymous filer proves it is theirs with the secret. */
export function photoUrl(appealId: number, photoId: number, secret?: string): string {
  const query = secret ? `?secret=${encodeURIComponent(secret)}` : '';
  return `/api/v1/appeals/${appealId}/photos/${photoId}${query}`;
}

const WEEK_MS = 7 * 86_400_000;

/** Figures for a unit's subtree (null: everything, for a system admin) over the last `weeks` weeks up to now. */
export function useAppealFigures(unitId: number | null, weeks: number) {
  return useQuery({
    queryKey: appealKeys.figures(unitId, weeks),
    // `from` is computed at fetch time, so a refetch slides the window with the clock; `to` defaults to now.
    queryFn: ({ signal }) =>
      api.get<AppealFigures>('/appeal-figures', { unitId, from: new Date(Date.now() - weeks * WEEK_MS).toISOString() }, signal),
    placeholderData: (previous) => previous,
  });
}

/** Key and difficult problems: open appeals grouped by category × platform × city × week, biggest first. */
export function useAppealClusters(unitId: number | null, minCount: number) {
  return useQuery({
    queryKey: appealKeys.clusters(unitId, minCount),
    queryFn: ({ signal }) => api.get<{ items: AppealCluster[] }>('/appeal-clusters', { unitId, minCount }, signal),
    select: (data) => data.items,
  });
}

export type AnswerClusterInput = Pick<AppealCluster, 'category' | 'platformId' | 'cityCode' | 'week'> & { unitId: number; body: string; resolve: boolean };

/** One public answer to every open appeal of a cluster; each answered appeal changes, so everything is refetched. */
export function useAnswerCluster() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AnswerClusterInput) => api.post<AnswerClusterResult>('/appeal-clusters/answer', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: appealKeys.all }),
  });
}

/** The deadlines in force at a unit, one row per category (its own, else inherited from above, else the default). */
export function useSlaPolicies(unitId: number | null) {
  return useQuery({
    queryKey: appealKeys.slaPolicies(unitId ?? 0),
    queryFn: ({ signal }) => api.get<{ items: SlaPolicy[] }>('/sla-policies', { unitId }, signal),
    enabled: unitId !== null,
    select: (data) => data.items,
  });
}

export type SlaPolicyInput = { unitId: number; category: AppealCategory | null } & Pick<SlaPolicy, 'acknowledgeHours' | 'updateHours' | 'resolveHours'>;

export function useSetSlaPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SlaPolicyInput) => api.put<SlaPolicy>('/sla-policies', input),
    onSuccess: (_saved, input) => queryClient.invalidateQueries({ queryKey: appealKeys.slaPolicies(input.unitId) }),
  });
}

export type CreatedAppeal = z.infer<typeof createdAppealSchema>;
export type FileForWorkerInput = { category: AppealCategory; description: string; anonymous: boolean; workerId: number; contactId: number };
/** Staff recording a phone call: the caller's name and number (unless anonymous), and the unit that takes it. */
export type RecordCallInput = {
  category: AppealCategory;
  description: string;
  anonymous: boolean;
  platformId: number;
  cityCode: string;
  unitId?: number;
  contactName?: string;
  contactPhone?: string;
  contactPreference: 'in_app' | 'phone' | 'none';
  address?: string;
};

/**
 * A liaison (or staff) files for a worker from a contact-log entry, or staff record a call. The caller
 * keeps one key per form and sends it on every retry, so a lost reply never makes a second appeal.
 */
export function useFileForWorker() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: { input: FileForWorkerInput | RecordCallInput; idempotencyKey: string }) =>
      apiRequest<CreatedAppeal>('/appeals', { method: 'POST', body: input, headers: { 'Idempotency-Key': idempotencyKey } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: appealKeys.all }),
  });
}
