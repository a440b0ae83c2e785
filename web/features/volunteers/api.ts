// Volunteering: teams and rosters, service hours and their verification, the hours ledger, vanguard
// posts and community grid roles. The server decides who sees names; these hooks show what it answers.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  AddToRosterInput,
  AssignHolderInput,
  CreateGridRoleInput,
  CreatePostInput,
  CreateRecordInput,
  CreateTeamInput,
  GridRoleView,
  QueueItemView,
  RosterEntry,
  ServiceRecordView,
  TeamSummary,
  UpdateTeamInput,
  gridRoleTitleSchema,
  ledgerSchema,
  membershipSchema,
  myVolunteeringSchema,
  postDetailSchema,
  serviceStatusSchema,
  teamDetailSchema,
  unitHoursSchema,
  vanguardKindSchema,
  vanguardPostSchema,
} from '../../../server/modules/volunteers/volunteers.schema';
import { api, apiRequest, type Page } from '../../lib/api-client';
import { hasRole, type Me, type Role } from '../auth/api';

export type { AddToRosterInput, CreateGridRoleInput, CreatePostInput, CreateRecordInput, CreateTeamInput, GridRoleView, QueueItemView, RosterEntry, ServiceRecordView, TeamSummary };
export type TeamDetail = z.infer<typeof teamDetailSchema>;
export type Membership = z.infer<typeof membershipSchema>;
export type MyVolunteering = z.infer<typeof myVolunteeringSchema>;
export type VanguardPost = z.infer<typeof vanguardPostSchema>;
export type PostDetail = z.infer<typeof postDetailSchema>;
export type UnitHours = z.infer<typeof unitHoursSchema>;
export type Ledger = z.infer<typeof ledgerSchema>;
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;
export type VanguardKind = z.infer<typeof vanguardKindSchema>;
export type GridRoleTitle = z.infer<typeof gridRoleTitleSchema>;
export type EndPostInput = { toDate?: string; reason?: string; closePost: boolean };
export type EndGridRoleInput = { toDate?: string; reason?: string };

// The same codes as the server's schema; `satisfies` keeps them from drifting apart.
export const SERVICE_STATUSES = ['pending', 'verified', 'rejected'] as const satisfies readonly ServiceStatus[];
export const VANGUARD_KINDS = ['safety', 'service', 'mutual_aid', 'civility', 'other'] as const satisfies readonly VanguardKind[];
export const GRID_ROLE_TITLES = ['grid_member', 'part_time_grid_member'] as const satisfies readonly GridRoleTitle[];
/** Half an hour to twelve, in half-hour steps: the choices offered for one day of service. */
export const HOUR_CHOICES: readonly number[] = Array.from({ length: 24 }, (_, i) => (i + 1) / 2);

/** Roles that manage units (the server's org.write): they found teams, verify, revoke and keep posts. */
export const VOLUNTEER_STAFF_ROLES: readonly Role[] = ['system_admin', 'org_admin', 'branch_secretary'];

export function isVolunteerStaff(me: Me | null | undefined): boolean {
  return VOLUNTEER_STAFF_ROLES.some((role) => hasRole(me, role));
}

/** A worker or a member has a volunteering page of their own. */
export function hasOwnVolunteering(me: Me | null | undefined): boolean {
  return hasRole(me, 'worker') || hasRole(me, 'member');
}

// Every volunteering query lives under this prefix: one write refreshes teams, queues, ledgers and my page.
const VOLUNTEERS = 'volunteers';
const PAGE_SIZE = 50;

export const volunteerKeys = {
  all: [VOLUNTEERS] as const,
  mine: [VOLUNTEERS, 'mine'] as const,
  teams: (filters: TeamFilters) => [VOLUNTEERS, 'teams', filters] as const,
  team: (id: number) => [VOLUNTEERS, 'team', id] as const,
  teamRecords: (id: number, status: ServiceStatus | undefined) => [VOLUNTEERS, 'team-records', id, { status }] as const,
  queue: [VOLUNTEERS, 'queue'] as const,
  posts: (filters: PostFilters) => [VOLUNTEERS, 'posts', filters] as const,
  post: (id: number) => [VOLUNTEERS, 'post', id] as const,
  hours: (period: Period) => [VOLUNTEERS, 'hours', period] as const,
  ledger: (period: Period) => [VOLUNTEERS, 'ledger', period] as const,
  grid: (unitId: number, active: GridActive) => [VOLUNTEERS, 'grid', unitId, active] as const,
};

export type TeamFilters = { unitId?: number; status: 'open' | 'closed' | 'all' };
export type PostFilters = { unitId?: number; status: 'open' | 'closed' | 'all' };
export type Period = { unitId: number; from?: string; to?: string };
export type GridActive = 'true' | 'false' | 'all';

function pages<T>(path: string, params: Record<string, string | number | undefined>) {
  return ({ pageParam, signal }: { pageParam: string | undefined; signal: AbortSignal }) => api.get<Page<T>>(path, { ...params, limit: PAGE_SIZE, cursor: pageParam }, signal);
}
const nextPage = <T>(last: Page<T>) => last.nextCursor ?? undefined;

/** My teams, the teams I may join, my hours and records, my posts and grid roles. */
export function useMyVolunteering(enabled = true) {
  return useQuery({
    queryKey: volunteerKeys.mine,
    queryFn: ({ signal }) => api.get<MyVolunteering>('/me/volunteering', {}, signal),
    enabled,
  });
}

export function useTeams(filters: TeamFilters) {
  return useInfiniteQuery({
    queryKey: volunteerKeys.teams(filters),
    queryFn: pages<TeamSummary>('/volunteer-teams', filters),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextPage,
    placeholderData: (previous) => previous,
  });
}

/** A team; its roster comes only to the leader and to staff who read people (the server audits it). */
export function useTeam(id: number) {
  return useQuery({
    queryKey: volunteerKeys.team(id),
    queryFn: ({ signal }) => api.get<TeamDetail>(`/volunteer-teams/${id}`, {}, signal),
  });
}

export function useTeamRecords(id: number, status: ServiceStatus | undefined, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: volunteerKeys.teamRecords(id, status),
    queryFn: pages<ServiceRecordView>(`/volunteer-teams/${id}/service-records`, { status }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextPage,
    enabled,
  });
}

/** Pending records awaiting my decision: the teams I lead, the units I manage, never my own. */
export function useVerificationQueue() {
  return useInfiniteQuery({
    queryKey: volunteerKeys.queue,
    queryFn: pages<QueueItemView>('/service-records', {}),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextPage,
  });
}

export function usePosts(filters: PostFilters) {
  return useInfiniteQuery({
    queryKey: volunteerKeys.posts(filters),
    queryFn: pages<VanguardPost>('/vanguard-posts', filters),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextPage,
    placeholderData: (previous) => previous,
  });
}

export function usePost(id: number | null) {
  return useQuery({
    queryKey: volunteerKeys.post(id ?? 0),
    queryFn: ({ signal }) => api.get<PostDetail>(`/vanguard-posts/${id}`, {}, signal),
    enabled: id !== null,
  });
}

/** Totals per team and for a unit's subtree: aggregates, no names. */
export function useUnitHours(period: Period | null) {
  return useQuery({
    queryKey: volunteerKeys.hours(period ?? { unitId: 0 }),
    queryFn: ({ signal }) => api.get<UnitHours>('/volunteers/hours', { ...period }, signal),
    enabled: period !== null,
    placeholderData: (previous) => previous,
  });
}

/** The ledger with a row per person: only for those who read people in the unit (audited). */
export function useLedger(period: Period | null) {
  return useQuery({
    queryKey: volunteerKeys.ledger(period ?? { unitId: 0 }),
    queryFn: ({ signal }) => api.get<Ledger>('/volunteers/ledger', { ...period, limit: 500 }, signal),
    enabled: period !== null,
    placeholderData: (previous) => previous,
  });
}

export function useGridRoles(unitId: number | null, active: GridActive) {
  return useInfiniteQuery({
    queryKey: volunteerKeys.grid(unitId ?? 0, active),
    queryFn: pages<GridRoleView>('/grid-roles', { unitId: unitId ?? undefined, active }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: nextPage,
    enabled: unitId !== null,
  });
}

function useVolunteersMutation<Input, Output>(write: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: volunteerKeys.all });
    },
  });
}

export const useCreateTeam = () => useVolunteersMutation((input: CreateTeamInput) => api.post<TeamDetail>('/volunteer-teams', input));
export const useUpdateTeam = (id: number) => useVolunteersMutation((input: UpdateTeamInput) => api.patch<TeamDetail>(`/volunteer-teams/${id}`, input));
export const useCloseTeam = (id: number) => useVolunteersMutation((input: { reason: string; closedOn?: string }) => api.post<TeamDetail>(`/volunteer-teams/${id}/close`, input));
export const useJoinTeam = () => useVolunteersMutation((teamId: number) => api.post<Membership>(`/volunteer-teams/${teamId}/join`));
export const useLeaveTeam = () => useVolunteersMutation((teamId: number) => api.post<Membership>(`/volunteer-teams/${teamId}/leave`));
export const useAddToRoster = (id: number) => useVolunteersMutation((input: Partial<AddToRosterInput>) => api.post<RosterEntry>(`/volunteer-teams/${id}/roster`, input));
export const useRemoveFromRoster = (id: number) =>
  useVolunteersMutation((entryId: number) => apiRequest<Membership>(`/volunteer-teams/${id}/roster/${entryId}`, { method: 'DELETE' }));
export const useCreateRecord = () =>
  useVolunteersMutation(({ teamId, ...input }: CreateRecordInput & { teamId: number }) => api.post<ServiceRecordView>(`/volunteer-teams/${teamId}/service-records`, input));
export const useVerifyRecord = () => useVolunteersMutation((id: number) => api.post<ServiceRecordView>(`/service-records/${id}/verify`));
export const useRejectRecord = () => useVolunteersMutation(({ id, reason }: { id: number; reason: string }) => api.post<ServiceRecordView>(`/service-records/${id}/reject`, { reason }));
export const useRevokeRecord = () => useVolunteersMutation(({ id, reason }: { id: number; reason: string }) => api.post<ServiceRecordView>(`/service-records/${id}/revoke`, { reason }));
export const useCreatePost = () => useVolunteersMutation((input: CreatePostInput) => api.post<PostDetail>('/vanguard-posts', input));
export const useAssignHolder = (id: number) => useVolunteersMutation((input: AssignHolderInput) => api.post<PostDetail>(`/vanguard-posts/${id}/holders`, input));
export const useEndPost = (id: number) => useVolunteersMutation((input: EndPostInput) => api.post<PostDetail>(`/vanguard-posts/${id}/end`, input));
export const useCreateGridRole = () => useVolunteersMutation((input: CreateGridRoleInput) => api.post<GridRoleView>('/grid-roles', input));
export const useEndGridRole = (id: number) => useVolunteersMutation((input: EndGridRoleInput) => api.post<GridRoleView>(`/grid-roles/${id}/end`, input));
