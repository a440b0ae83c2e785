// Stations from the web: the staff's list and editor, the map layer, the QR code, and the worker's
// side (nearest stations, check-in, rating, problem reports). Types come from the server's schema.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  checkInLinkSchema,
  createStationBodySchema,
  nearbyResultSchema,
  OpeningHours,
  photoSchema,
  problemResultSchema,
  ratingResultSchema,
  StationDetail,
  StationKindCode,
  StationService,
  StationStatusCode,
  StationView,
  updateStationBodySchema,
  visitSchema,
  visitSummarySchema,
} from '../../../server/modules/stations/stations.schema';
import { ApiError, api, apiRequest, type Page } from '../../lib/api-client';
import { newIdempotencyKey } from '../appeals/photos';
import { hasRole, type Me, type Role } from '../auth/api';

export type { OpeningHours, StationDetail, StationKindCode, StationService, StationStatusCode, StationView };
export type NearbyResult = z.infer<typeof nearbyResultSchema>;
export type NearbyStation = NearbyResult['items'][number];
export type CheckInLink = z.infer<typeof checkInLinkSchema>;
export type Visit = z.infer<typeof visitSchema>;
export type RatingResult = z.infer<typeof ratingResultSchema>;
export type ProblemResult = z.infer<typeof problemResultSchema>;
export type VisitSummary = z.infer<typeof visitSummarySchema>;
export type StationPhoto = z.infer<typeof photoSchema>;
export type CreateStationInput = z.input<typeof createStationBodySchema>;
export type UpdateStationInput = z.input<typeof updateStationBodySchema>;

// The server's own lists (names.ts already brings the schema's values into the bundle).
export { stationKinds as STATION_KINDS, stationServices as STATION_SERVICES, stationStatuses as STATION_STATUSES } from '../../../server/modules/stations/stations.schema';

/** Who runs stations: the roles with org.write on a unit (the server checks the unit itself). */
export const STATION_STAFF_ROLES: readonly Role[] = ['system_admin', 'org_admin', 'branch_secretary'];

export function canManageStations(me: Me | null | undefined): boolean {
  return STATION_STAFF_ROLES.some((role) => hasRole(me, role));
}

const STATIONS = 'stations';
const PAGE_SIZE = 50;

export type StationFilters = {
  unitId?: number;
  kind?: StationKindCode;
  status?: StationStatusCode;
  cityCode?: string;
  service?: StationService;
  q?: string;
};

export type NearbyParams = {
  lat: number;
  lng: number;
  services: readonly StationService[];
  openNow: boolean;
  limit?: number;
};

export const stationKeys = {
  all: [STATIONS] as const,
  list: (filters: StationFilters) => [STATIONS, 'list', filters] as const,
  detail: (id: number) => [STATIONS, 'detail', id] as const,
  nearby: (params: NearbyParams) => [STATIONS, 'nearby', params] as const,
  geojson: [STATIONS, 'geojson'] as const,
  checkInLink: (id: number) => [STATIONS, 'check-in-link', id] as const,
  visits: (unitId: number | null, month: string | null) => [STATIONS, 'visits', unitId, month] as const,
};

export function useStationList(filters: StationFilters) {
  return useInfiniteQuery({
    queryKey: stationKeys.list(filters),
    queryFn: ({ pageParam, signal }) => api.get<Page<StationView>>('/stations', { ...filters, limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
  });
}

export function useStation(id: number | null) {
  return useQuery({
    queryKey: stationKeys.detail(id ?? 0),
    queryFn: ({ signal }) => api.get<StationDetail>(`/stations/${id}`, {}, signal),
    enabled: id !== null,
  });
}

export function useNearbyStations(params: NearbyParams | null) {
  return useQuery({
    queryKey: stationKeys.nearby(params ?? { lat: 0, lng: 0, services: [], openNow: false }),
    queryFn: ({ signal }) =>
      api.get<NearbyResult>(
        '/stations/nearby',
        {
          lat: params?.lat,
          lng: params?.lng,
          service: params && params.services.length > 0 ? params.services.join(',') : undefined,
          openNow: params?.openNow ? 'true' : undefined,
          limit: params?.limit ?? 20,
        },
        signal,
      ),
    enabled: params !== null,
    placeholderData: (previous) => previous,
  });
}

export type StationFeature = {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { name: string; kind: StationKindCode; status: StationStatusCode; services: StationService[]; openNow: boolean; address: string; cityCode: string | null };
};
export type StationFeatureCollection = { type: 'FeatureCollection'; features: StationFeature[] };

/** Every station that is not closed, as the server's GeoJSON layer (the map draws it without tiles). */
export function useStationsGeojson() {
  return useQuery({
    queryKey: stationKeys.geojson,
    queryFn: async ({ signal }) => {
      // The layer is served with max-age=60 for other map tools; staff who just added a station must see
      // it, so this page revalidates instead of taking the browser's cached copy.
      const response = await fetch('/api/v1/stations.geojson', { signal, cache: 'no-cache', credentials: 'same-origin', headers: { Accept: 'application/geo+json' } });
      if (!response.ok) throw new ApiError({ status: response.status, title: response.statusText });
      return (await response.json()) as StationFeatureCollection;
    },
    staleTime: 60_000,
  });
}

export function useCheckInLink(id: number) {
  return useQuery({
    queryKey: stationKeys.checkInLink(id),
    queryFn: ({ signal }) => api.get<CheckInLink>(`/stations/${id}/check-in-link`, {}, signal),
    staleTime: Infinity,
  });
}

/** The printable QR code (org.read on the station's unit); an <img> sends the session cookie along. */
export const qrCodeUrl = (id: number) => `/api/v1/stations/${id}/qr.svg`;

export function useCreateStation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateStationInput) => api.post<StationView>('/stations', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: stationKeys.all }),
  });
}

export function useUpdateStation(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateStationInput) => api.patch<StationView>(`/stations/${id}`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: stationKeys.all }),
  });
}

export function useCloseStation(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => api.post<StationView>(`/stations/${id}/close`, { reason }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: stationKeys.all }),
  });
}

export function useCheckIn(id: number) {
  return useMutation({ mutationFn: (token: string) => api.post<Visit>(`/stations/${id}/visits`, { token }) });
}

export function useRateStation(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { stars: number; comment?: string | null }) => api.post<RatingResult>(`/stations/${id}/ratings`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: stationKeys.detail(id) }),
  });
}

/** A problem report files an appeal; one Idempotency-Key per form so a retried tap files once. */
export function useReportProblem(id: number) {
  return useMutation({
    mutationFn: (input: { description: string; anonymous: boolean; idempotencyKey: string }) =>
      apiRequest<ProblemResult>(`/stations/${id}/problems`, {
        method: 'POST',
        body: { description: input.description, anonymous: input.anonymous },
        headers: { 'Idempotency-Key': input.idempotencyKey },
      }),
  });
}

export { newIdempotencyKey };

// Stations a page of the visit figures lists; the totals come with every page.
export const VISIT_STATIONS_PAGE = 20;

/**
 * Person-times and distinct workers per month for a subtree (or everything in the user's scope), with the
 * stations most visited first, a page at a time: aggregates only. `month` null: the last twelve months.
 */
export function useVisitSummary(unitId: number | null, month: string | null, options: { enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: stationKeys.visits(unitId, month),
    queryFn: ({ pageParam, signal }) =>
      api.get<VisitSummary>('/stations/visits/summary', { unitId: unitId ?? undefined, month: month ?? undefined, limit: VISIT_STATIONS_PAGE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
    enabled: options.enabled ?? true,
  });
}

// The server keeps at most ten photos a station and checks each one's content itself.
export const MAX_STATION_PHOTOS = 10;

/** Photo bytes go as they are (apiRequest's blob), with their own content type; the detail then shows the new one. */
export function useAddStationPhoto(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (photo: Blob) => apiRequest<StationPhoto>(`/stations/${id}/photos`, { method: 'POST', blob: photo }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: stationKeys.detail(id) }),
  });
}

export function useRemoveStationPhoto(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (photoId: number) => apiRequest<void>(`/stations/${id}/photos/${photoId}`, { method: 'DELETE' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: stationKeys.detail(id) }),
  });
}
