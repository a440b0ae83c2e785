import { useInfiniteQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { auditEntrySchema } from '../../../server/modules/audit/audit.schema';
import { api, type Page } from '../../lib/api-client';

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditFilters = { action?: string; entityType?: string; entityId?: string; username?: string };

const PAGE_SIZE = 50;

/** Newest entries first, one page at a time: the log grows without bound, so never load it all. */
export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditEntry>>('/audit', { ...filters, limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
