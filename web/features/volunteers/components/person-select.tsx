import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MemberListItem } from '../../../../server/modules/members/members.schema';
import type { WorkerListItem } from '../../../../server/modules/workers/workers.schema';
import { api, type Page } from '../../../lib/api-client';
import { useDebouncedValue } from '../../../lib/use-debounced-value';

type Props = {
  kind: 'worker' | 'member';
  /** Only people of this unit's subtree, when known (a team's or a post's unit). */
  unitId?: number;
  value?: number;
  onChange?: (value: number | undefined) => void;
  id?: string;
  testId?: string;
};

/**
 * Chooses a worker or a member in the user's scope by part of the name or the phone's last four digits
 * (the server's own search; staff only, as the lists are). The masked phone tells namesakes apart.
 */
export function PersonSelect({ kind, unitId, value, onChange, id, testId }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), 250);
  const path = kind === 'worker' ? '/workers' : '/members';
  const found = useQuery({
    queryKey: ['volunteers', 'person-search', kind, unitId ?? null, q],
    queryFn: ({ signal }) => api.get<Page<WorkerListItem | MemberListItem>>(path, { q, unitId, limit: 20 }, signal),
    placeholderData: (previous) => previous,
  });
  return (
    <Select<number>
      id={id}
      value={value}
      onChange={(next) => onChange?.(next)}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={found.isFetching}
      placeholder={t(kind === 'worker' ? 'volunteers.person.workerPlaceholder' : 'volunteers.person.memberPlaceholder')}
      notFoundContent={t('common.empty')}
      options={(found.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${p.phone}` }))}
      data-testid={testId ?? `${kind}-select`}
    />
  );
}
