// The worker's side of appeals: filing (with an Idempotency-Key), photos, their own appeals, and
// following an anonymous one by tracking code and secret.
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  appealPlacesSchema,
  contactPreferenceSchema,
  createdAppealSchema,
  myAppealItemSchema,
  photoSchema,
  publicAppealSchema,
} from '../../../server/modules/appeals/appeals.schema';
import { api, apiRequest, type Page } from '../../lib/api-client';
import type { AppealCategory } from './api';
import type { RememberedAppeal } from './anonymous-store';

export type PublicAppeal = z.infer<typeof publicAppealSchema>;
export type MyAppealItem = z.infer<typeof myAppealItemSchema>;
export type CreatedAppeal = z.infer<typeof createdAppealSchema>;
export type ContactPreference = z.infer<typeof contactPreferenceSchema>;

export type AppealPlaces = z.infer<typeof appealPlacesSchema>;

export const CONTACT_PREFERENCES = ['in_app', 'phone', 'none'] as const satisfies readonly ContactPreference[];

export type FileAppealInput = {
  category: AppealCategory;
  description: string;
  anonymous: boolean;
  lat?: number;
  lng?: number;
  address?: string;
  contactPreference: ContactPreference;
  /** Someone without an account names them; a worker's come from their record. */
  platformId?: number;
  cityCode?: string;
};

const MINE = 'my-appeals';
const TRACKED = 'tracked-appeal';
export const myAppealKeys = {
  list: [MINE, 'list'] as const,
  detail: (id: number) => [MINE, 'detail', id] as const,
  tracked: (code: string) => [TRACKED, code] as const,
};

/**
 * Files an appeal. The key is made once per filled form by the caller and sent again on every retry,
 * so a reply lost on a bad network never makes a second appeal: the server answers the first one again.
 */
export function fileAppeal(input: FileAppealInput, idempotencyKey: string): Promise<CreatedAppeal> {
  return apiRequest<CreatedAppeal>('/appeals', { method: 'POST', body: input, headers: { 'Idempotency-Key': idempotencyKey } });
}

/** Attaches one photo as raw bytes; an anonymous filer shows the secret instead of an account. */
export function uploadPhoto(appealId: number, photo: Blob, secret: string | null): Promise<z.infer<typeof photoSchema>> {
  return apiRequest(`/appeals/${appealId}/photos`, { method: 'POST', blob: photo, headers: secret ? { 'X-Appeal-Secret': secret } : {} });
}

/** The platforms and cities Convoy takes appeals for; public, so someone without an account can name theirs. */
export function useAppealPlaces() {
  return useQuery({
    queryKey: ['appeal-places'],
    queryFn: ({ signal }) => api.get<AppealPlaces>('/appeal-places', {}, signal),
    staleTime: 10 * 60_000,
  });
}

/** The appeals filed under the worker's own name. */
export function useMyAppeals() {
  return useQuery({
    queryKey: myAppealKeys.list,
    queryFn: ({ signal }) => api.get<Page<MyAppealItem>>('/me/appeals', {}, signal),
    select: (page) => page.items,
  });
}

export function useMyAppeal(id: number) {
  return useQuery({ queryKey: myAppealKeys.detail(id), queryFn: ({ signal }) => api.get<PublicAppeal>(`/me/appeals/${id}`, {}, signal) });
}

const trackedQuery = (code: string, secret: string | null) => ({
  queryKey: myAppealKeys.tracked(code),
  queryFn: ({ signal }: { signal: AbortSignal }) => api.get<PublicAppeal>(`/appeals/track/${encodeURIComponent(code)}`, { secret }, signal),
});

/** An anonymous appeal by its code; with the secret the filer may also act on it. */
export function useTrackedAppeal(code: string, secret: string | null) {
  return useQuery(trackedQuery(code, secret));
}

/** The anonymous appeals this device remembers, each fetched by its code and secret. */
export function useRememberedAppeals(remembered: readonly RememberedAppeal[]) {
  return useQueries({ queries: remembered.map((r) => trackedQuery(r.code, r.secret)) });
}

/** Whose appeal the worker acts on: one filed under their name, or an anonymous one held by code and secret. */
export type AppealHandle = { kind: 'own'; id: number } | { kind: 'tracked'; code: string; secret: string };

export type FeedbackInput = { action: 'confirm' | 'reopen'; rating?: number; comment?: string };

function useWorkerChange<Input>(handle: AppealHandle, write: (input: Input) => Promise<PublicAppeal>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async (appeal) => {
      queryClient.setQueryData(handle.kind === 'own' ? myAppealKeys.detail(handle.id) : myAppealKeys.tracked(handle.code), appeal);
      await queryClient.invalidateQueries({ queryKey: myAppealKeys.list });
    },
  });
}

export function useWorkerFeedback(handle: AppealHandle) {
  return useWorkerChange(handle, (input: FeedbackInput) =>
    handle.kind === 'own'
      ? api.post<PublicAppeal>(`/me/appeals/${handle.id}/feedback`, input)
      : api.post<PublicAppeal>(`/appeals/track/${encodeURIComponent(handle.code)}/feedback`, { ...input, secret: handle.secret }),
  );
}

export function useWorkerReply(handle: AppealHandle) {
  return useWorkerChange(handle, (body: string) =>
    handle.kind === 'own'
      ? api.post<PublicAppeal>(`/me/appeals/${handle.id}/replies`, { body })
      : api.post<PublicAppeal>(`/appeals/track/${encodeURIComponent(handle.code)}/replies`, { body, secret: handle.secret }),
  );
}
