import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me } from '../../../server/modules/auth/auth.schema';
import { ApiError, api, apiRequest, rememberCsrfToken } from '../../lib/api-client';
import { type AppLocale, changeLocale, storedLocale } from '../../lib/i18n';

export type { Me };
export type Role = Me['grants'][number]['role'];

export const meQueryKey = ['auth', 'me'] as const;

export function hasRole(me: Me | null | undefined, role: Role): boolean {
  return Boolean(me?.grants.some((grant) => grant.role === role));
}

/** Who is logged in: the Me document, or null when nobody is (401 is an answer here, not an error). */
export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async ({ signal }) => {
      try {
        const me = await apiRequest<Me>('/auth/me', { signal, expectUnauthorized: true });
        rememberCsrfToken(me.csrfToken);
        return me;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export type LoginInput = { username: string; password: string };

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) => apiRequest<Me>('/auth/login', { method: 'POST', body: input, expectUnauthorized: true }),
    onSuccess: async (me) => {
      rememberCsrfToken(me.csrfToken);
      // A browser without its own choice takes the language the user saved on the server.
      const preferred = me.locale === 'en' || me.locale === 'zh-CN' ? me.locale : null;
      if (!storedLocale() && preferred) await changeLocale(preferred);
      queryClient.setQueryData(meQueryKey, me);
    },
  });
}

/** Forgets everything loaded for the previous user, so the next one starts clean. */
export function forgetSession(queryClient: ReturnType<typeof useQueryClient>): void {
  rememberCsrfToken(null);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
  queryClient.setQueryData(meQueryKey, null);
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<void>('/auth/logout', { method: 'POST', expectUnauthorized: true }),
    // Even if the server call fails the user asked to leave; drop the local session either way.
    onSettled: () => forgetSession(queryClient),
  });
}

/** Switches the interface language; a logged-in user's choice is also saved on the server. */
export function useSwitchLocale() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (locale: AppLocale) => {
      await changeLocale(locale);
      const me = queryClient.getQueryData<Me | null>(meQueryKey);
      if (!me) return null;
      return api.put<Me>('/auth/me/locale', { locale });
    },
    onSuccess: (me) => {
      if (me) queryClient.setQueryData(meQueryKey, me);
    },
  });
}
