import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrgUnitDetail, OrgUnitKindCode, OrgUnitSummary } from '../../../server/modules/org/org.schema';
import { api, fetchAllPages, type Page } from '../../lib/api-client';

export type { OrgUnitDetail, OrgUnitKindCode, OrgUnitSummary };
export type Platform = NonNullable<OrgUnitDetail['platform']>;
export type Division = { code: string; name: string; nameEn: string | null; province: string | null };
export type OrgUnitEvent = OrgUnitDetail['history'][number];

// Every org query lives under this prefix so one invalidation refreshes tree, search and detail.
const ORG = 'org-units';

export const orgKeys = {
  all: [ORG] as const,
  roots: (includeClosed: boolean) => [ORG, 'roots', { includeClosed }] as const,
  children: (parentId: number, includeClosed: boolean) => [ORG, 'children', parentId, { includeClosed }] as const,
  search: (q: string, kind?: OrgUnitKindCode) => [ORG, 'search', { q, kind }] as const,
  detail: (id: number) => [ORG, 'detail', id] as const,
};

const includeClosedParam = (includeClosed: boolean) => (includeClosed ? 'true' : undefined);

export function useRootUnits(includeClosed: boolean) {
  return useQuery({
    queryKey: orgKeys.roots(includeClosed),
    queryFn: ({ signal }) =>
      fetchAllPages<OrgUnitSummary>('/org-units', { rootsOnly: 'true', includeClosed: includeClosedParam(includeClosed), limit: 200 }, signal),
  });
}

/** Direct children of one unit; the tree asks for these when a node is opened. */
export function childrenQuery(parentId: number, includeClosed: boolean) {
  return queryOptions({
    queryKey: orgKeys.children(parentId, includeClosed),
    queryFn: ({ signal }) =>
      fetchAllPages<OrgUnitSummary>('/org-units', { parentId, includeClosed: includeClosedParam(includeClosed), limit: 200 }, signal),
  });
}

export function useOpenChildren(parentId: number | null) {
  return useQuery({ ...childrenQuery(parentId ?? 0, false), enabled: parentId !== null });
}

/** Units whose name contains `q`, anywhere in the user's scope. */
export function useUnitSearch(q: string, options: { kind?: OrgUnitKindCode; limit?: number } = {}) {
  const term = q.trim();
  return useQuery({
    queryKey: orgKeys.search(term, options.kind),
    queryFn: ({ signal }) =>
      api.get<Page<OrgUnitSummary>>('/org-units', { q: term, kind: options.kind, limit: options.limit ?? 20 }, signal),
    enabled: term.length > 0,
    placeholderData: (previous) => previous,
  });
}

export function useUnitDetail(id: number | null) {
  return useQuery({
    queryKey: orgKeys.detail(id ?? 0),
    queryFn: ({ signal }) => api.get<OrgUnitDetail>(`/org-units/${id}`, {}, signal),
    enabled: id !== null,
  });
}

export function usePlatforms() {
  return useQuery({
    queryKey: ['platforms'],
    queryFn: ({ signal }) => fetchAllPages<Platform>('/platforms', { limit: 200 }, signal),
    staleTime: 10 * 60_000,
  });
}

/** Prefecture-level cities matching a name or code; empty `q` lists the first ones. */
export function useDivisions(q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: ['divisions', term],
    queryFn: ({ signal }) => api.get<Page<Division>>('/divisions', { q: term, limit: 30 }, signal),
    staleTime: 60 * 60_000,
    placeholderData: (previous) => previous,
  });
}

export type CreateUnitInput = {
  parentId: number;
  name: string;
  kind: OrgUnitKindCode;
  platformId?: number | null;
  cityCode?: string | null;
  establishedOn?: string | null;
};
export type UpdateUnitInput = { name?: string; platformId?: number | null; cityCode?: string | null; establishedOn?: string | null };
export type MergeUnitsInput = { sourceId: number; targetId: number; reason?: string };
export type SplitUnitInput = { name: string; childIds: number[]; establishedOn?: string };
export type CloseUnitInput = { closedOn: string; reason: string };

/** A write that changes the shape of the tree: afterwards every org query is stale. */
function useOrgMutation<Input>(write: (input: Input) => Promise<OrgUnitDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async (unit) => {
      queryClient.setQueryData(orgKeys.detail(unit.id), unit);
      await queryClient.invalidateQueries({ queryKey: orgKeys.all });
    },
  });
}

export const useCreateUnit = () => useOrgMutation((input: CreateUnitInput) => api.post<OrgUnitDetail>('/org-units', input));
export const useUpdateUnit = (id: number) =>
  useOrgMutation((input: UpdateUnitInput) => api.patch<OrgUnitDetail>(`/org-units/${id}`, input));
export const useMoveUnit = (id: number) =>
  useOrgMutation((input: { parentId: number }) => api.post<OrgUnitDetail>(`/org-units/${id}/move`, input));
export const useMergeUnits = () => useOrgMutation((input: MergeUnitsInput) => api.post<OrgUnitDetail>('/org-units/merge', input));
export const useSplitUnit = (id: number) =>
  useOrgMutation((input: SplitUnitInput) => api.post<OrgUnitDetail>(`/org-units/${id}/split`, input));
export const useCloseUnit = (id: number) =>
  useOrgMutation((input: CloseUnitInput) => api.post<OrgUnitDetail>(`/org-units/${id}/close`, input));
