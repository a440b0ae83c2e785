import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreateMemberInput,
  DeclarationItem,
  MemberDetail,
  MemberListItem,
  TransferItem,
  UpdateMemberInput,
  VerifyDeclarationInput,
} from '../../../server/modules/members/members.schema';
import { hasRole, type Me, type Role } from '../auth/api';
import { ApiError, api, type Page } from '../../lib/api-client';

export type { CreateMemberInput, DeclarationItem, MemberDetail, MemberListItem, TransferItem, UpdateMemberInput, VerifyDeclarationInput };
export type MemberStatus = MemberListItem['status'];
export type MemberRole = MemberDetail['roles'][number]['role'];
export type MemberRoleItem = MemberDetail['roles'][number];
export type TransferStatus = TransferItem['status'];
export type TransferDirection = 'outgoing' | 'incoming';
export type DeclarationStatus = DeclarationItem['status'];
export type MobilityType = NonNullable<MemberDetail['mobilityType']>;
export type Gender = MemberDetail['gender'];

export const MEMBER_STATUSES = ['probationary', 'full'] as const satisfies readonly MemberStatus[];
export const GENDERS = ['male', 'female'] as const satisfies readonly Gender[];
export const MOBILITY_TYPES = ['within_city', 'within_province', 'across_provinces'] as const satisfies readonly MobilityType[];
export const MEMBER_ROLES = ['secretary', 'deputy_secretary', 'committee_member', 'group_leader'] as const satisfies readonly MemberRole[];
export const TRANSFER_STATUSES = ['requested', 'approved', 'done', 'rejected'] as const satisfies readonly TransferStatus[];
export const DECLARATION_STATUSES = ['pending', 'verified', 'rejected'] as const satisfies readonly DeclarationStatus[];

/** Roles that see members (in their own subtree); membership is sensitive and shown to no one else. */
export const MEMBER_STAFF_ROLES: readonly Role[] = ['system_admin', 'org_admin', 'branch_secretary'];

export function canSeeMembers(me: Me | null | undefined): boolean {
  return MEMBER_STAFF_ROLES.some((role) => hasRole(me, role));
}

export type MemberFilters = { q?: string; unitId?: number; status?: MemberStatus; isMobile?: boolean };

// Every member query lives under one prefix; transfers and declarations change members too.
const MEMBERS = 'members';
const TRANSFERS = 'member-transfers';
const DECLARATIONS = 'member-declarations';
const PAGE_SIZE = 50;

export const memberKeys = {
  all: [MEMBERS] as const,
  list: (filters: MemberFilters) => [MEMBERS, 'list', filters] as const,
  detail: (id: number, unmask: boolean) => [MEMBERS, 'detail', id, { unmask }] as const,
  transfers: [TRANSFERS] as const,
  transferList: (direction: TransferDirection, status?: TransferStatus) => [TRANSFERS, 'list', { direction, status }] as const,
  declarations: [DECLARATIONS] as const,
  declarationList: (status: DeclarationStatus) => [DECLARATIONS, 'list', { status }] as const,
  myDeclaration: [DECLARATIONS, 'mine'] as const,
};

/** Members in the user's scope, in pinyin order, one page at a time. */
export function useMemberList(filters: MemberFilters) {
  return useInfiniteQuery({
    queryKey: memberKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<MemberListItem>>(
        '/members',
        { ...filters, isMobile: filters.isMobile === undefined ? undefined : String(filters.isMobile), limit: PAGE_SIZE, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
  });
}

/** One member; `unmask` asks for the full phone and ID number, which the server records. */
export function useMember(id: number | null, unmask = false) {
  return useQuery({
    queryKey: memberKeys.detail(id ?? 0, unmask),
    queryFn: ({ signal }) => api.get<MemberDetail>(`/members/${id}`, { unmask: unmask ? 'true' : undefined }, signal),
    enabled: id !== null,
    // Full numbers are shown only while the page is open; never kept for later.
    ...(unmask ? { staleTime: 0, gcTime: 0 } : {}),
  });
}

function isUnmaskedKey(key: readonly unknown[]): boolean {
  return key[0] === MEMBERS && key[1] === 'detail' && (key[3] as { unmask?: boolean } | undefined)?.unmask === true;
}

/** A write about members: refresh members, transfers and declarations, but never re-fetch a full number (another recorded view). */
function usePeopleMutation<Input, Output>(write: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: memberKeys.all, predicate: (query) => !isUnmaskedKey(query.queryKey) }),
        queryClient.invalidateQueries({ queryKey: memberKeys.transfers }),
        queryClient.invalidateQueries({ queryKey: memberKeys.declarations }),
      ]);
    },
  });
}

export const useCreateMember = () => usePeopleMutation((input: CreateMemberInput) => api.post<MemberDetail>('/members', input));
export const useUpdateMember = (id: number) =>
  usePeopleMutation((input: UpdateMemberInput) => api.patch<MemberDetail>(`/members/${id}`, input));
export const useStartRole = (memberId: number) =>
  usePeopleMutation((input: { unitId: number; role: MemberRole; fromDate: string }) => api.post<MemberDetail>(`/members/${memberId}/roles`, input));
export const useEndRole = (memberId: number) =>
  usePeopleMutation(({ roleId, toDate }: { roleId: number; toDate: string }) =>
    api.post<MemberDetail>(`/members/${memberId}/roles/${roleId}/end`, { toDate }),
  );

// Transfers of relation (组织关系转接)

export function useTransferList(direction: TransferDirection, status?: TransferStatus) {
  return useInfiniteQuery({
    queryKey: memberKeys.transferList(direction, status),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<TransferItem>>('/member-transfers', { direction, status, limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
  });
}

export const useRequestTransfer = () =>
  usePeopleMutation((input: { memberId: number; toUnitId: number; reason: string }) => api.post<TransferItem>('/member-transfers', input));

export type TransferDecision = { id: number; step: 'approve' | 'accept' } | { id: number; step: 'reject'; reason: string };
export const useDecideTransfer = () =>
  usePeopleMutation((decision: TransferDecision) =>
    api.post<TransferItem>(`/member-transfers/${decision.id}/${decision.step}`, decision.step === 'reject' ? { reason: decision.reason } : undefined),
  );

/** The steps a side may take on a transfer, as the server's state machine allows them. */
export function allowedSteps(transfer: TransferItem, direction: TransferDirection): Array<'approve' | 'accept' | 'reject'> {
  if (direction === 'outgoing' && transfer.status === 'requested') return ['approve', 'reject'];
  if (direction === 'incoming' && transfer.status === 'approved') return ['accept', 'reject'];
  return [];
}

// Self-declaration (摸排)

export function useDeclarationList(status: DeclarationStatus) {
  return useInfiniteQuery({
    queryKey: memberKeys.declarationList(status),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<DeclarationItem>>('/member-declarations', { status, limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
  });
}

export const useVerifyDeclaration = () =>
  usePeopleMutation(({ id, ...input }: VerifyDeclarationInput & { id: number }) => api.post<DeclarationItem>(`/member-declarations/${id}/verify`, input));
export const useRejectDeclaration = () =>
  usePeopleMutation(({ id, reason }: { id: number; reason: string }) => api.post<DeclarationItem>(`/member-declarations/${id}/reject`, { reason }));

/** The logged-in worker's latest declaration, or null when they have not declared. */
export function useMyDeclaration(enabled = true) {
  return useQuery({
    queryKey: memberKeys.myDeclaration,
    queryFn: async ({ signal }) => {
      try {
        return await api.get<DeclarationItem>('/me/member-declaration', {}, signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    enabled,
  });
}

export function useDeclare() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { homeOrgText: string; joinDate: string }) => api.post<DeclarationItem>('/me/member-declaration', input),
    onSuccess: (declaration) => queryClient.setQueryData(memberKeys.myDeclaration, declaration),
  });
}

export type BranchDirectoryItem = { id: number; name: string; platformId: number | null; cityCode: string | null };

/** Open mobile branches anywhere, by name: a transfer may name a branch outside the user's own scope. */
export function useBranchDirectory(q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: ['org-units', 'branch-directory', term],
    queryFn: ({ signal }) => api.get<Page<BranchDirectoryItem>>('/org-units/branch-directory', { q: term, limit: 30 }, signal),
    enabled: term.length > 0,
    placeholderData: (previous) => previous,
  });
}
