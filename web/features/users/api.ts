// Users and their role grants, for system admins (everyone) and org admins (those with a grant in their
// subtree). Every change ends that user's sessions: the server answers how many, the page says so.
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AddGrantInput, grantChangeSchema, ManagedUser, passwordResetSchema, UserGrant } from '../../../server/modules/users/users.schema';
import { api, apiRequest, type Page, rememberCsrfToken } from '../../lib/api-client';
import { hasRole, type Me, meQueryKey, type Role } from '../auth/api';

export type { AddGrantInput, ManagedUser, UserGrant };
export type UserChange = z.infer<typeof grantChangeSchema>;
export type PasswordReset = z.infer<typeof passwordResetSchema>;

/** Roles that manage users (the server's user.manage). */
export const USER_ADMIN_ROLES: readonly Role[] = ['system_admin', 'org_admin'];
/** Every role, in the order of the server's schema; system_admin is offered to system admins only. */
export const ALL_ROLES = ['system_admin', 'org_admin', 'branch_secretary', 'member', 'worker', 'analyst'] as const satisfies readonly Role[];

export function canManageUsers(me: Me | null | undefined): boolean {
  return USER_ADMIN_ROLES.some((role) => hasRole(me, role));
}

/** The roles this admin may hand out: an org admin never makes a system admin. */
export function grantableRoles(me: Me | null | undefined): Role[] {
  return hasRole(me, 'system_admin') ? [...ALL_ROLES] : ALL_ROLES.filter((role) => role !== 'system_admin');
}

const USERS = 'users';
const PAGE_SIZE = 30;

export const userKeys = {
  all: [USERS] as const,
  list: (q: string) => [USERS, 'list', { q }] as const,
};

/** Users this admin manages, in id order, a page at a time. */
export function useUserList(q: string) {
  return useInfiniteQuery({
    queryKey: userKeys.list(q),
    queryFn: ({ pageParam, signal }) => api.get<Page<ManagedUser>>('/users', { q: q || undefined, limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
  });
}

/** A mutation on one user whose answer carries the user as it now is; every list is refreshed after. */
function useUserChange<Input, Answer extends UserChange>(send: (input: Input) => Promise<Answer>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

export const useAddGrant = () => useUserChange(({ userId, ...body }: AddGrantInput & { userId: number }) => api.post<UserChange>(`/users/${userId}/grants`, body));

export const useRevokeGrant = () =>
  useUserChange(({ userId, grantId }: { userId: number; grantId: number }) => apiRequest<UserChange>(`/users/${userId}/grants/${grantId}`, { method: 'DELETE' }));

export const useDisableUser = () => useUserChange(({ userId, reason }: { userId: number; reason: string }) => api.post<UserChange>(`/users/${userId}/disable`, { reason }));

export const useEnableUser = () => useUserChange((userId: number) => api.post<UserChange>(`/users/${userId}/enable`));

export const useUnlockUser = () => useUserChange((userId: number) => api.post<UserChange>(`/users/${userId}/unlock`));

export const useResetPassword = () => useUserChange((userId: number) => api.post<PasswordReset>(`/users/${userId}/password-reset`));

export type ChangePasswordInput = { currentPassword: string; newPassword: string };

/**
 * Changes one's own password (after a reset, the temporary one). The server ends every other session
 * and renews this one, with a new CSRF token, so the Me it answers replaces the cached one.
 */
export function useChangeMyPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ChangePasswordInput) => api.post<Me>('/auth/me/password', input),
    onSuccess: (me) => {
      rememberCsrfToken(me.csrfToken);
      queryClient.setQueryData(meQueryKey, me);
    },
  });
}
