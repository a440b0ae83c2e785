import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from '../../../lib/api-client';
import { orgKeys, type OrgUnitDetail } from '../../org/api';

/** Names of the branches a list mentions (lists carry ids only); each unit is asked once and cached with the org pages. */
export function useUnitNames(ids: readonly number[]): ReadonlyMap<number, string> {
  const unique = useMemo(() => [...new Set(ids)].sort((a, b) => a - b), [ids]);
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: orgKeys.detail(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<OrgUnitDetail>(`/org-units/${id}`, {}, signal),
      staleTime: 5 * 60_000,
    })),
  });
  const names = results.map((r) => r.data?.name ?? '').join('\u0000');
  return useMemo(() => {
    const parts = names.split('\u0000');
    return new Map(unique.flatMap((id, i) => (parts[i] ? [[id, parts[i]] as const] : [])));
  }, [unique, names]);
}
