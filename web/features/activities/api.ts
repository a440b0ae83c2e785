// Activities: the organizers' side (lists, calendar, editor, sign-up list, check-in, attendance, feeds)
// and the worker's side (what I may join, what I joined, sign-up, cancel, check-in by the venue's code).
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  activityAudienceSchema,
  activityKindSchema,
  activitySchema,
  attendanceSchema,
  checkInLinkSchema,
  checkInResultSchema,
  createActivityBodySchema,
  feedLinkSchema,
  participantSchema,
  participantStatusSchema,
  signupResultSchema,
  updateActivityBodySchema,
} from '../../../server/modules/activities/activities.schema';
import type { stationViewSchema } from '../../../server/modules/stations/stations.schema';
import { api, apiRequest, fetchAllPages, type Page } from '../../lib/api-client';
import { hasRole, type Me, type Role } from '../auth/api';

export type Activity = z.infer<typeof activitySchema>;
export type ActivityKind = z.infer<typeof activityKindSchema>;
export type ActivityAudience = z.infer<typeof activityAudienceSchema>;
export type Participant = z.infer<typeof participantSchema>;
export type ParticipantStatus = z.infer<typeof participantStatusSchema>;
export type Attendance = z.infer<typeof attendanceSchema>;
export type FeedLink = z.infer<typeof feedLinkSchema>;
export type SignupResult = z.infer<typeof signupResultSchema>;
export type CheckInResult = z.infer<typeof checkInResultSchema>;
export type CheckInLink = z.infer<typeof checkInLinkSchema>;
export type CreateActivityInput = z.input<typeof createActivityBodySchema>;
export type UpdateActivityInput = z.input<typeof updateActivityBodySchema>;
export type StationOption = Pick<z.infer<typeof stationViewSchema>, 'id' | 'name' | 'address' | 'status' | 'unitName'>;

// The same codes as the server's schema; `satisfies` keeps them from drifting apart.
export const ACTIVITY_KINDS = ['health_check', 'training', 'themed_day', 'film_screening', 'volunteer_service', 'care_visit', 'branch_meeting'] as const satisfies readonly ActivityKind[];
export const ACTIVITY_AUDIENCES = ['platform_city', 'branch', 'members_only'] as const satisfies readonly ActivityAudience[];

/** Who sees the activities pages: those who organize (org.write), and analysts who only read. */
export const ACTIVITY_STAFF_ROLES: readonly Role[] = ['system_admin', 'org_admin', 'branch_secretary', 'analyst'];

export function canSeeActivities(me: Me | null | undefined): boolean {
  return ACTIVITY_STAFF_ROLES.some((role) => hasRole(me, role));
}

/** Roles holding org.write, which organizes activities on the units they reach. */
const ORGANIZER_ROLES: readonly Role[] = ['system_admin', 'org_admin', 'branch_secretary'];

export function canOrganizeActivities(me: Me | null | undefined): boolean {
  return ORGANIZER_ROLES.some((role) => hasRole(me, role));
}

const ACTIVITIES = 'activities';
export const activityKeys = {
  all: [ACTIVITIES] as const,
  list: (filter: ActivityFilter) => [ACTIVITIES, 'list', filter] as const,
  detail: (id: number) => [ACTIVITIES, 'detail', id] as const,
  participants: (id: number) => [ACTIVITIES, 'participants', id] as const,
  attendance: (unitId: number, month: string) => [ACTIVITIES, 'attendance', unitId, month] as const,
  unitFeed: (unitId: number) => [ACTIVITIES, 'unit-feed', unitId] as const,
  myFeed: [ACTIVITIES, 'my-feed'] as const,
  available: (near: NearFilter) => [ACTIVITIES, 'available', near] as const,
  mine: (when: 'upcoming' | 'past') => [ACTIVITIES, 'mine', when] as const,
  stations: (unitId: number | null, cityCode: string | null, q: string) => [ACTIVITIES, 'stations', unitId, cityCode, q] as const,
};

export type ActivityFilter = { unitId: number | null; from?: string; to?: string; kind?: ActivityKind; status?: 'scheduled' | 'cancelled'; stationId?: number };

/** A unit subtree's activities in a period, all pages (a month of a city holds a few hundred at most). */
export function useActivities(filter: ActivityFilter, enabled = true) {
  return useQuery({
    queryKey: activityKeys.list(filter),
    queryFn: ({ signal }) => fetchAllPages<Activity>('/activities', { ...filter, limit: 200 }, signal),
    enabled: enabled && filter.unitId !== null,
    placeholderData: (previous) => previous,
  });
}

export function useActivity(id: number) {
  return useQuery({ queryKey: activityKeys.detail(id), queryFn: ({ signal }) => api.get<Activity>(`/activities/${id}`, {}, signal) });
}

/** After any write every list, detail and count may have moved: refresh the whole feature. */
function useActivityWrite<Input, Output>(write: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: write, onSuccess: () => queryClient.invalidateQueries({ queryKey: activityKeys.all }) });
}

export const useCreateActivity = () => useActivityWrite((input: CreateActivityInput) => api.post<Activity>('/activities', input));
export const useUpdateActivity = (id: number) => useActivityWrite((input: UpdateActivityInput) => api.patch<Activity>(`/activities/${id}`, input));
export const useCancelActivity = (id: number) => useActivityWrite((reason: string) => api.post<Activity>(`/activities/${id}/cancel`, { reason }));

/** Everyone on an activity's list (the server audits the read). */
export function useParticipants(id: number, enabled: boolean) {
  return useQuery({
    queryKey: activityKeys.participants(id),
    queryFn: ({ signal }) => fetchAllPages<Participant>(`/activities/${id}/participants`, { limit: 200 }, signal, 50),
    enabled,
  });
}

export const useOrganizerCheckIn = (id: number) =>
  useActivityWrite((person: Participant['person']) =>
    api.post<CheckInResult>(person.kind === 'worker' ? `/activities/${id}/attendees/${person.id}/check-in` : `/activities/${id}/members/${person.id}/check-in`),
  );

/** Attendance of a subtree for several months, one request per month (the API answers one at a time). */
export function useAttendance(unitId: number | null, months: readonly string[]) {
  return useQueries({
    queries: months.map((month) => ({
      queryKey: activityKeys.attendance(unitId ?? 0, month),
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Attendance>('/activities/attendance', { unitId, month }, signal),
      enabled: unitId !== null,
    })),
  });
}

export function useUnitFeedLink(unitId: number | null) {
  return useQuery({
    queryKey: activityKeys.unitFeed(unitId ?? 0),
    queryFn: ({ signal }) => api.get<FeedLink>(`/units/${unitId}/activities/feed-link`, {}, signal),
    enabled: unitId !== null,
    staleTime: Infinity,
  });
}

export function useMyFeedLink() {
  return useQuery({ queryKey: activityKeys.myFeed, queryFn: ({ signal }) => api.get<FeedLink>('/me/activities/feed-link', {}, signal), staleTime: Infinity });
}

/** The URL the venue's QR code opens (organizers only), printed beside the code. */
export function useCheckInLink(id: number) {
  return useQuery({
    queryKey: [ACTIVITIES, 'check-in-link', id],
    queryFn: ({ signal }) => api.get<CheckInLink>(`/activities/${id}/check-in-link`, {}, signal),
    staleTime: Infinity,
  });
}

/**
 * Stations to hold an activity at: those the unit's subtree runs and those in its city, or, once the
 * organizer types, any station whose name or address holds the text.
 */
export function useStationOptions(unitId: number | null, cityCode: string | null, q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: activityKeys.stations(unitId, cityCode, term),
    queryFn: async ({ signal }) => {
      const params = term ? [{ q: term, cityCode, status: 'active' }] : [{ unitId, status: 'active' }, ...(cityCode ? [{ cityCode, status: 'active' }] : [])];
      const pages = await Promise.all(params.map((p) => api.get<Page<StationOption>>('/stations', { ...p, limit: 100 }, signal)));
      const seen = new Map<number, StationOption>();
      for (const s of pages.flatMap((p) => p.items)) if (!seen.has(s.id)) seen.set(s.id, s);
      return [...seen.values()];
    },
    enabled: unitId !== null,
    placeholderData: (previous) => previous,
  });
}

// The worker's side.
export type NearFilter = { lat?: number; lng?: number; stationId?: number; kind?: ActivityKind };

/** Upcoming activities the worker may sign up for, soonest first (60 days ahead by default). */
export function useAvailableActivities(near: NearFilter) {
  return useQuery({
    queryKey: activityKeys.available(near),
    queryFn: ({ signal }) => api.get<Page<Activity>>('/me/activities/available', { ...near, radiusKm: near.lat !== undefined ? 30 : undefined, limit: 50 }, signal),
    select: (page) => page.items,
  });
}

export function useMyActivities(when: 'upcoming' | 'past') {
  return useQuery({
    queryKey: activityKeys.mine(when),
    queryFn: ({ signal }) => api.get<Page<Activity>>('/me/activities', { when, limit: 50 }, signal),
    select: (page) => page.items,
  });
}

export const useSignUp = () => useActivityWrite((id: number) => api.post<SignupResult>(`/activities/${id}/sign-up`));
export const useCancelSignUp = () => useActivityWrite((id: number) => apiRequest<SignupResult>(`/activities/${id}/sign-up`, { method: 'DELETE' }));
export const useSelfCheckIn = (id: number) => useActivityWrite((token: string) => api.post<CheckInResult>(`/activities/${id}/check-in`, { token }));
